"""The document model: built once per file and shared by every check.

It recognises the layouts of real copy: a timestamp line then one paragraph per
line (agency feeds such as the seed), a headline then blank-line-separated
paragraphs (BBC), hard-wrapped wire copy with indented paragraphs and a dateline
(Reuters), and Markdown with YAML front matter. Every span is a pair of offsets
into `text`, the decoded file exactly as read (CRLF, BOM-less); `position()`
turns an offset into a 1-based (line, column) counted in Unicode code points.

`prose` is `text` with everything that is not prose (front matter, code,
HTML comments and tags, link targets) blanked out to spaces, so checks that read
prose can use it with the same offsets.
"""

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import cached_property

from checker.errors import RuleError
from checker.records import FrozenRecord, Record

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


def line_starts(text):
    """Offset of the start of each line: after every CRLF, CR or LF."""
    if "\r" in text:
        return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    # LF only, as most copy is: str.find (five times as fast as the regular expression)
    return [0] + [at + 1 for at in _offsets_of("\n", text, 0, len(text))]


def position(starts, length, offset):
    """1-based (line, column) of a character offset into a text of `length` characters
    whose lines start at `starts`; columns count code points."""
    offset = max(0, min(offset, length))
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def non_blank_lines(text, starts, first=0):
    """(start, end) of each line from line `first` on that holds a character
    other than white space (as str.isspace sees it), without its line break.

    Line by line with str methods, from the line starts: a regular expression
    (`[^\\r\\n]*\\S[^\\r\\n]*`) would test every character, twice."""
    found = []
    for number in range(first, len(starts)):
        start, end = starts[number], line_end(text, starts, number)
        if end > start and not text[start:end].isspace():
            found.append((start, end))
    return found


def line_end(text, starts, number):
    """End of line `number` (0-based; `starts` from line_starts), without its line break."""
    start = starts[number]
    end = starts[number + 1] if number + 1 < len(starts) else len(text)
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return end


def _offsets_of(char, text, start, end):
    """Offsets of `char` in text[start:end], found with str.find, which skips in C."""
    found, find = [], text.find
    at = find(char, start, end)
    while at >= 0:
        found.append(at)
        at = find(char, at + 1, end)
    return found


class Span(FrozenRecord):
    FIELDS = ("start", "end", "text")

    def __init__(self, start, end, text):
        self._set(start=start, end=end, text=text)


class Sentence(Record):
    # thousands per document: slots. paragraph: index into Document.paragraphs;
    # index: into Document.sentences
    __slots__ = FIELDS = ("start", "end", "text", "paragraph", "index")

    def __init__(self, start, end, text, paragraph, index):
        self.start = start
        self.end = end
        self.text = text
        self.paragraph = paragraph
        self.index = index


class Paragraph(Record):
    __slots__ = FIELDS = ("start", "end", "sentences")  # sentences: indices into Document.sentences

    def __init__(self, start, end, sentences=None):
        self.start = start
        self.end = end
        self.sentences = [] if sentences is None else sentences


class Quote(Record):
    # start: offset of the opening mark; end: offset after the closing mark (or the paragraph end when unclosed)
    __slots__ = FIELDS = ("start", "end", "closed")

    def __init__(self, start, end, closed):
        self.start = start
        self.end = end
        self.closed = closed


class Layout(Record):
    """What a structured source (ninjs, NewsML-G2, HTML, an archive record) says of
    a document laid out from its fields: which spans are its timestamps ((field
    name, Span)), headline and dateline, where the body starts, and its language.
    The document then takes these instead of guessing them from the text."""

    FIELDS = ("timestamps", "headline", "dateline", "body_start", "language")

    def __init__(self, timestamps=(), headline=None, dateline=None, body_start=0, language=None):
        self.timestamps = list(timestamps)
        self.headline = headline
        self.dateline = dateline
        self.body_start = body_start
        self.language = language


class Header(Record):
    FIELDS = ("timestamp", "headline", "dateline", "front_matter", "metadata_timestamps")

    def __init__(self, timestamp=None, headline=None, dateline=None, front_matter=None, metadata_timestamps=None):
        self.timestamp = timestamp  # a Span: the first line of agency copy, or front matter `date:`
        self.headline = headline
        self.dateline = dateline
        self.front_matter = {} if front_matter is None else front_matter
        self.metadata_timestamps = [] if metadata_timestamps is None else metadata_timestamps  # (key, Span) from front matter


# --- sentence splitting ---------------------------------------------------

# Titles never end a sentence; month abbreviations do not before a day number;
# dotted initialisms (U.S.) and other abbreviations end one only before a word
# that typically starts a sentence.
_TITLES = frozenset(
    "mr mrs ms dr prof st jr sr gen col lt sgt capt cmdr adm gov sen rep rev hon maj "
    "pres supt insp det messrs mme mlle fr sec amb brig cpl pvt no nos vol pp fig art ch".split()
)
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_OTHER_ABBREVIATIONS = frozenset(
    "etc inc ltd co corp bros dept est approx vs v al ft mt univ assn ave blvd rd a.m p.m "
    "i.e e.g u.s u.k u.n e.u u.s.a".split()
)
_SENTENCE_STARTERS = frozenset(
    "the a an he she it they we i you this that these those there his her its their our "
    "in on at but and so yet if when while after before as for however meanwhile also "
    "mr mrs ms dr president officials some many most one two no".split()
)
_NOT_ALWAYS_FINAL = _TITLES | _MONTHS | _OTHER_ABBREVIATIONS
# `[.!?][.!?]*`, not `[.!?]+`: a pattern that opens with a repeat is tried at
# every position; one that opens with a set is skipped to it in C.
# The white space after the boundary is taken (group 1): the next sentence starts
# where the match ends, and one between two boundaries needs no trimming.
_BOUNDARY = re.compile(r"[.!?][.!?]*[\"”’'»)\]]*(\s+)(?=[\"“‘'`«(\[]*[A-Z0-9À-ÖØ-ÞА-ЯΑ-Ω])")
# The same, for a stretch with no "!" or "?" (most): opening with a literal, it is
# searched for by the engine's fast literal scan, not by testing each character against a class.
_FULL_STOP_BOUNDARY = re.compile(r"\.[.!?]*[\"”’'»)\]]*(\s+)(?=[\"“‘'`«(\[]*[A-Z0-9À-ÖØ-ÞА-ЯΑ-Ω])")
_LETTERS_AND_DOTS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."
_FOLLOWING_WORD = re.compile(r"\s+[\"“‘'`«(\[]*([^\s]+)")
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")


def _is_boundary(text, dot, after):
    """Decide whether the terminal punctuation at `dot` ends a sentence."""
    if text[dot] != ".":
        return True
    # the run of letters and dots before the full stop, from its first letter
    # (what `[A-Za-z][A-Za-z.]*\Z` finds in the 20 characters before it)
    window = text[max(0, dot - 20) : dot]
    before = window[len(window.rstrip(_LETTERS_AND_DOTS)) :].lstrip(".")
    if not before:
        return True
    word = before.lower().rstrip(".")
    if word not in _NOT_ALWAYS_FINAL and len(word) > 1 and "." not in word:
        return True  # the common case, decided without the tests below (an initialism has dots)
    if word in _TITLES:
        return False
    if len(word) == 1 and word.isalpha() and before[0].isupper():
        return False  # an initial: "George W. Bush"
    is_month, is_abbreviation = word in _MONTHS, word in _OTHER_ABBREVIATIONS or _INITIALISM.fullmatch(word)
    if not (is_month or is_abbreviation):
        return True
    following = _FOLLOWING_WORD.match(text, after, after + 40)
    next_word = following.group(1) if following else ""
    if is_month and next_word[:1].isdigit():
        return False
    if is_abbreviation:
        bare = next_word.strip("\"“‘'`«(").lower()
        return bare in _SENTENCE_STARTERS
    return True


def split_sentences(text, start, end):
    """(start, end) of each sentence in text[start:end], whitespace-trimmed."""
    spans, cursor = [], start
    boundary = _BOUNDARY if text.find("!", start, end) >= 0 or text.find("?", start, end) >= 0 else _FULL_STOP_BOUNDARY
    for match in boundary.finditer(text, start, end):
        dot, after = match.start(), match.start(1)
        if text[dot] == "." and not _is_boundary(text, dot, after):  # ! and ? always end one
            continue
        if cursor == start:  # the first sentence may open with white space
            span = _trimmed(text, cursor, after)
            if span:
                spans.append(span)
        else:  # from a non-space character (the lookahead's) to the boundary's last mark
            spans.append((cursor, after))
        cursor = match.end()
    span = _trimmed(text, cursor, end)
    if span:
        spans.append(span)
    return spans


def _trimmed(text, start, end):
    """(start, end) without the white space at either end, or None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


# --- quotations -----------------------------------------------------------

_OPENERS = {"“": "”", "«": "»", "„": "“", '"': '"', "''": "''", "``": "''"}


_QUOTE_MARKS = '“”«»„"'
# Typewriter double quotes: two apostrophes, and two backticks opening (`''No,'' he said`,
# ``No,'' he said): the style of the New York Times archive, LDC news corpora and old wires.
_PAIRED_MARKS = ("''", "``")


def find_quotes(text, start, end):
    """Quotations in one paragraph: curly, guillemet and straight double quotes.

    A straight quote between two letters is an apostrophe (Reuters' `Brazil"s`).
    An unclosed quotation runs to the end of the paragraph. A straight quote shaped
    as an opening one while a quotation is open (`present. "Given`, `added: "The`)
    opens it again: a quotation run on over paragraphs that the copy has joined into
    one, as a curly `“` there is (only `”` closes).
    """
    quotes = []
    opened = None  # (offset, closing mark)
    for i, mark in _quote_marks(text, start, end):
        if _is_apostrophe(text, i, mark):
            continue
        if opened is None:
            if mark in _OPENERS:
                opened = (i, _OPENERS[mark])
        elif mark in ('"', "''") and _opens_a_sentence(text, i, mark, start, end):
            continue  # the same quotation, opened again
        elif mark == opened[1]:
            quotes.append(Quote(opened[0], i + len(mark), True))
            opened = None
    if opened is not None:
        quotes.append(Quote(opened[0], end, False))
    return quotes


def continue_quotations(quotes, paragraphs):
    """Join quotations that run on across paragraphs, as newsroom style writes them: a
    paragraph that opens a quotation and does not close it, followed by a paragraph
    that opens with a quotation mark, continues the quotation there (the closing mark
    comes in the last paragraph of the quotation). One Quote then spans them all."""
    if not any(not q.closed for q in quotes):
        return quotes
    opens_paragraph = {p.start for p in paragraphs}
    ends_paragraph = {p.end: i for i, p in enumerate(paragraphs)}
    joined = []
    for quote in quotes:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and not previous.closed
            and quote.start in opens_paragraph
            and previous.end in ends_paragraph
            and ends_paragraph[previous.end] + 1 < len(paragraphs)
            and paragraphs[ends_paragraph[previous.end] + 1].start == quote.start
        ):
            joined[-1] = Quote(previous.start, quote.end, quote.closed)
        else:
            joined.append(quote)
    return joined


def _quote_marks(text, start, end):
    """(offset, mark) of the quotation marks in text[start:end], in order."""
    # one str.find pass per mark (each skips in C) instead of testing every character
    # against the class of them all: quotation marks are few
    marks = ('"',) if text.isascii() else _QUOTE_MARKS
    found = [(at, mark) for mark in marks for at in _offsets_of(mark, text, start, end)]
    for pair in _PAIRED_MARKS:
        at = text.find(pair, start, end)
        while at >= 0:
            found.append((at, pair))
            at = text.find(pair, at + 2, end)
    found.sort()
    return found


def _opens_a_sentence(text, i, mark, start, end):
    """Is the straight `mark` at `i` an opening one: after white space, before a capital
    or a digit (`present. "Given`, `He added: "The`)? A closing mark never follows a space."""
    after = i + len(mark)
    if after >= end or not (text[after].isupper() or text[after].isdigit()):
        return False
    return i - 1 >= start and text[i - 1].isspace()


def _is_apostrophe(text, i, mark):
    """A straight or paired mark between two letters (Reuters' `Brazil"s`) is an apostrophe."""
    after = i + len(mark)
    return mark in ('"', "''") and 0 < i and after < len(text) and text[i - 1].isalpha() and text[after].isalpha()


# --- layout ---------------------------------------------------------------

_TIMESTAMP_LINE = re.compile(
    r"\s*(?:\d{1,4}[-/.][0-9A-Za-z]{1,9}[-/.]\d{1,4}"  # 2024-07-05, 27-MAR-1987, 05/07/2024
    # malformed attempts TS102 must see: signed or long years, odd separators, week, ordinal, basic dates
    r"|[+-]?\d{4,}(?:\s?[-/.:\u2013]{1,2}\s?|\s)(?:\d{1,3}|[A-Z]{2})(?:[-/.:\u2013]{1,2}|\s)(?:\d|[A-Z]{2})"
    r"|\d{4}-?W\d{2}|\d{4}-\d{3}(?!\d)|\d{8}(?:[Tt]\d|\s*$)|YYYY-)"  # YYYY-: a template never filled in
)
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’ -]{1,40}(?:, [A-Z][A-Za-z.]+(?: \d{1,2})?)?(?: \([A-Za-z ]+\))? [-–—]{1,2} "
)
_TERMINAL = re.compile(r"[.!?:;…][\"”’'»)\]]*\s*$")
_FRONT_MATTER_DATE_KEYS = ("date", "published", "datePublished", "pubDate", "updated", "modified", "lastmod")


_MISSING = object()


class Document:
    def __init__(self, text, path="-", markdown=False, header=True, layout=None):
        self.path = path
        self.text = text
        self.markdown = markdown
        self.line_starts = line_starts(text)
        self.header = Header()
        self.paragraphs = []
        self.sentences = []
        self.quotes = []
        self._memo = {}  # what rules share: see memo()
        self.main_scripts = ("Latin",)
        self.language = "und"  # the primary language subtag the rules go by (checker.language)
        self.declared_language = None  # what the document says of itself (front matter `lang`, a record's field)
        self.published = None  # a datetime.date given with the text (checker.api), which dates it before any header does
        prose = list(text) if markdown else None
        self.has_header = header  # False: a later chunk of a very large file (no header, no front matter)
        if layout is not None:
            body_start = self._take_layout(layout)
        else:
            body_start = self._read_markdown(prose) if markdown else (self._read_header() if header else 0)
        self.prose = "".join(prose) if markdown else text
        self._read_body(body_start)

    @cached_property
    def non_ascii(self):
        """The text's non-ASCII characters, in order: checks for rare characters look here first."""
        return "" if self.text.isascii() else _ASCII_RUNS.sub("", self.text)

    @cached_property
    def has_non_ascii_letter(self):
        """Does the text hold a letter outside ASCII? Most copy does not, and then the
        script and look-alike checks have nothing to look at (prose blanks some of the
        text's characters, never adds one). Told once, from the few non-ASCII characters."""
        return NON_ASCII_LETTER.search(self.non_ascii) is not None

    @cached_property
    def folded_prose(self):
        """The prose lowercased, offsets unchanged (characters whose lowercase is longer stay as they are)."""
        lower = self.prose.lower()
        if len(lower) != len(self.prose):
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.prose)
        return lower

    @cached_property
    def sentence_starts(self):
        return [s.start for s in self.sentences]

    @cached_property
    def _quote_starts(self):
        return [q.start for q in self.quotes]

    def in_quotation(self, offset, closed_only=True):
        """Is `offset` inside a closed quotation? An unclosed one (it runs to the end of its
        paragraph) is too often a stray mark to trust for who speaks; `closed_only=False`
        counts it too, where a quotation's wording only needs keeping apart."""
        index = bisect_right(self._quote_starts, offset) - 1
        return index >= 0 and offset < self.quotes[index].end and (self.quotes[index].closed or not closed_only)

    @cached_property
    def quotation_sentences(self):
        """Each quotation with the indices of the sentences it overlaps (both sorted: one bisect a quotation)."""
        sentences, starts = self.sentences, self.sentence_starts
        found = []
        for quote in self.quotes:
            index = bisect_right(starts, quote.start) - 1
            if index < 0 or sentences[index].end <= quote.start:
                index += 1  # the sentence before ends before the quotation
            inside = []
            while index < len(sentences) and sentences[index].start < quote.end:
                inside.append(index)
                index += 1
            found.append((quote, inside))
        return found

    def memo(self, owner, name, make):
        """make(), once per document for each (owner, name): what several rules work
        out from the document and share (a lexicon's analysis, the dates read with a
        vocabulary). `owner` is the object that makes it, alive for the whole run."""
        key = (id(owner), name)
        found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._memo[key] = make()
        return found

    # positions
    def position(self, offset):
        """1-based (line, column) of a character offset; columns count code points."""
        return position(self.line_starts, len(self.text), offset)

    def line_span(self, line):
        """(start, end) of a 1-based line, without its line break."""
        return self.line_starts[line - 1], line_end(self.text, self.line_starts, line - 1)

    def sentence_at(self, offset):
        index = bisect_right(self.sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    @property
    def body_text_ranges(self):
        return [(p.start, p.end) for p in self.paragraphs]

    # layout: given by a structured source
    def _take_layout(self, layout):
        self.header.metadata_timestamps = list(layout.timestamps)
        self.header.timestamp = layout.timestamps[0][1] if layout.timestamps else None
        self.header.headline = layout.headline
        self.header.dateline = layout.dateline
        self.declared_language = layout.language
        return layout.body_start

    # layout: plain text
    def _read_header(self):
        """Timestamp line and headline at the top of agency copy; returns where the body starts."""
        text, starts = self.text, self.line_starts
        count = len(starts)

        def line(index):  # the text of line `index` (0-based), without its line break
            return text[starts[index] : line_end(text, starts, index)]

        index = 0
        while index < count and not line(index).strip():
            index += 1
        if index < count:
            start, raw = starts[index], line(index)
            if len(raw) <= 80 and _TIMESTAMP_LINE.match(raw) and not re.search(r"[a-z]{3,}\s+[a-z]{3,}", raw.split("#")[0]):
                stripped = raw.strip()
                offset = start + raw.index(stripped)
                self.header.timestamp = Span(offset, offset + len(stripped), stripped)
                index += 1
        if index < count:
            start, raw = starts[index], line(index)
            stripped = raw.strip()
            next_blank = index + 1 >= count or not line(index + 1).strip()
            is_caps = stripped.upper() == stripped and any(c.isalpha() for c in stripped)
            if stripped and len(stripped.split()) <= 25 and (next_blank or is_caps) and not _TERMINAL.search(stripped):
                offset = start + raw.index(stripped)
                self.header.headline = Span(offset, offset + len(stripped), stripped)
                index += 1
        return starts[index] if index < count else len(text)

    def _read_body(self, body_start):
        text = self.prose
        blocks = []  # runs of non-blank lines: [(start, end), ...]
        current = []
        first = bisect_left(self.line_starts, body_start)  # lines that start in the body
        previous_end = -1
        for start, end in non_blank_lines(text, self.line_starts, first):
            if current and text[previous_end:start] not in ("\n", "\r\n", "\r"):  # a blank line between
                blocks.append(current)
                current = []
            current.append((start, end))
            previous_end = end
        if current:
            blocks.append(current)
        for block in blocks:
            for start, end in self._paragraphs_of(block):
                self._add_paragraph(start, end)
        self.quotes = continue_quotations(self.quotes, self.paragraphs)

    def _paragraphs_of(self, lines):
        """Split a block of non-blank lines into paragraphs.

        Indented lines start paragraphs (wire copy); lines that each end a
        sentence are paragraphs of their own (agency feeds); otherwise the
        block is one hard-wrapped paragraph.
        """
        text = self.prose
        if len(lines) == 1:
            return lines
        if self.markdown:
            return self._markdown_paragraphs(lines)
        indented = [i for i, (s, e) in enumerate(lines) if i > 0 and text[s : s + 1] in (" ", "\t")]
        if indented:
            cuts = [0] + indented + [len(lines)]
            return [(lines[a][0], lines[b - 1][1]) for a, b in zip(cuts, cuts[1:]) if a < b]
        ends_sentence = sum(1 for s, e in lines[:-1] if _TERMINAL.search(text[s:e]))
        if ends_sentence * 2 >= len(lines) - 1:
            return lines
        return [(lines[0][0], lines[-1][1])]

    def _markdown_paragraphs(self, lines):
        text = self.prose
        paragraphs = []
        start, end = lines[0]
        for s, e in lines[1:]:
            stripped = text[s:e].lstrip()
            if re.match(r"(?:[-*+]|\d+[.)])\s", stripped) or self.text[s:e].lstrip().startswith("#"):
                paragraphs.append((start, end))
                start = s
            end = e
        paragraphs.append((start, end))
        return paragraphs

    def _add_paragraph(self, start, end):
        text = self.prose
        span = _trimmed(text, start, end)
        if span is None:
            return
        start, end = span
        index = len(self.paragraphs)
        paragraph = Paragraph(start, end)
        self.paragraphs.append(paragraph)
        sentence_start = start
        if index == 0 and not self.markdown and self.header.dateline is None:
            match = _DATELINE.match(text, start, end)
            if match:
                self.header.dateline = Span(match.start(), match.end(), text[match.start() : match.end()].strip())
                sentence_start = match.end()
        for s, e in split_sentences(text, sentence_start, end):
            paragraph.sentences.append(len(self.sentences))
            self.sentences.append(Sentence(s, e, text[s:e], index, len(self.sentences)))
        self.quotes.extend(find_quotes(text, start, end))

    # layout: Markdown
    def _read_markdown(self, prose):
        """Blank out non-prose in `prose` (a list of characters); returns the body start."""
        text = self.text
        body_start = 0
        match = self.has_header and re.match(r"---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
        if match:
            self._read_front_matter(match.group(1), match.start(1))
            body_start = match.end()
            _blank(prose, 0, body_start)
        # fenced code blocks
        for m in re.finditer(r"(?m)^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", text[body_start:], re.S):
            _blank(prose, body_start + m.start(), body_start + m.end())
        patterns = [
            r"<!--.*?-->",  # comments (suppression directives live here)
            r"`[^`\n]+`",  # code spans
            r"</?[A-Za-z][^<>\n]*>",  # HTML tags
            r"(?<=\])\([^()\s]*(?:\s+\"[^\"]*\")?\)",  # link targets
            r"(?m)^[ \t]*\[[^\]]+\]:\s*\S+.*$",  # reference definitions
            r"(?m)^[ \t]{0,3}#{1,6}[ \t]",  # heading markers
            r"(?m)^[ \t]*>[ \t]?",  # block quote markers
            r"(?m)^[ \t]*(?:[-*+]|\d+[.)])[ \t]",  # list markers
        ]
        for pattern in patterns:
            for m in re.finditer(pattern, text[body_start:], re.S):
                _blank(prose, body_start + m.start(), body_start + m.end())
        heading = re.search(r"(?m)^[ \t]{0,3}#[ \t]+(.+?)[ \t#]*$", text[body_start:])
        if heading and not self.header.headline:
            s = body_start + heading.start(1)
            self.header.headline = Span(s, s + len(heading.group(1)), heading.group(1))
            _blank(prose, body_start + heading.start(), body_start + heading.end())
        return body_start

    def _read_front_matter(self, block, offset):
        from checker.yamlio import load_yaml  # lazy: start-up

        try:
            data = load_yaml(block, self.path)
        except RuleError:
            data = None
        self.header.front_matter = data if isinstance(data, dict) else {}
        for m in re.finditer(r"(?m)^([A-Za-z_]+)[ \t]*:[ \t]*(['\"]?)(.*?)\2[ \t]*\r?$", block):
            key = m.group(1)
            if key in _FRONT_MATTER_DATE_KEYS and m.group(3):
                span = Span(offset + m.start(3), offset + m.end(3), m.group(3))
                self.header.metadata_timestamps.append((key, span))
                if self.header.timestamp is None:
                    self.header.timestamp = span
            elif key in ("lang", "language") and m.group(3):
                self.declared_language = m.group(3)
            elif key == "title" and m.group(3):
                self.header.headline = Span(offset + m.start(3), offset + m.end(3), m.group(3))


def _blank(chars, start, end):
    for i in range(start, min(end, len(chars))):
        if chars[i] not in "\r\n":
            chars[i] = " "


# --- script and language --------------------------------------------------

_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
# a letter outside ASCII: Document.has_non_ascii_letter, the script counts, and the FS kinds
NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
def script_counts(text):
    """Letters per Unicode script (ASCII letters counted in bulk: they are Latin)."""
    import unicodedataplus  # lazy: start-up

    counts = {"Latin": len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))}
    if not text.isascii():
        # one script lookup per distinct letter, among the non-ASCII characters only
        for char, n in Counter(NON_ASCII_LETTER.findall(_ASCII_RUNS.sub("", text))).items():
            script = unicodedataplus.script(char)
            if script not in ("Common", "Inherited", "Unknown"):
                counts[script] = counts.get(script, 0) + n
    return {script: n for script, n in counts.items() if n}


def detect_main_scripts(text, share=0.4):
    """The scripts that hold at least `share` of the letters (most frequent first).

    Above a third: a leftover fragment in a short English text (`He quotes
    Диалог.иа.`) must not make its script a main one."""
    counts = script_counts(text)
    total = sum(counts.values())
    if not total:
        return ("Latin",)
    ranked = sorted(counts, key=counts.get, reverse=True)
    return tuple(s for s in ranked if counts[s] >= share * total) or (ranked[0],)
