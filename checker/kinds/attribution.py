"""`attribution`: who says so? The recogniser every AT rule shares, and its reports.

The recogniser reads a lexicon (data): reporting and cognition cues, attribution
phrases, news agencies, vague and anonymous sources, and the markers of a claim
that needs a source. Per document it decides, for each sentence, whether it
carries an attribution, is covered by one from its context (carry), and whether
it asserts something an editor expects to be sourced. Rules pick what to report
with `report`.

Carry policy (the rule's `scope`, `carry`, `carry_back`, `carry_from` and
`join_single_sentence_paragraphs`):
- scope `sentence` (default): a sentence is attributed by a cue in itself, by
  the quotation it stands in (attributed anywhere in the quotation), or by an
  attribution in one of the `carry` sentences before it or the `carry_back`
  sentences after it in the same paragraph. `carry_from: credit` lets only a
  trailing credit ("..., Reuters recalled.") carry; `any` lets every attributed
  sentence carry.
- scope `paragraph`: any attribution in the paragraph covers all its sentences.
- Agency copy puts each sentence in its own paragraph: with
  `join_single_sentence_paragraphs`, a run of one-sentence paragraphs counts as
  one paragraph for carrying.
"""

import itertools
import re
from bisect import bisect_left, bisect_right
from operator import itemgetter
from pathlib import Path

from checker.errors import RuleError
from checker.matching import compile_rule_alternatives
from checker.matching.phrases import PhraseIndex, PhraseSet, trie_regex
from checker.regex_start import ascii_exact_class, max_width, required_literals, start_class
from checker.rules import load_data, placeholders

REPORTS = ["unattributed-statement", "unattributed-quote", "unsourced-statement", "vague-source", "anonymous-source"]

PARAMETERS = {
    "report": {
        "type": "enum",
        "values": REPORTS,
        "required": True,
        "doc": "unattributed-statement: claims that need a source and have none; unattributed-quote: quotations with no speaker nearby; "
        "unsourced-statement: every other sentence with no attribution; vague-source: vague or anonymous sources and channels, at the phrase; "
        "anonymous-source: anonymous sources whose paragraph gives no reason for anonymity.",
    },
    "lexicon": {"type": "list[data]", "required": True, "doc": "Data files (or inline mappings) with cues, phrases, agencies and claim markers; later entries extend earlier ones."},
    "scope": {"type": "enum", "values": ["sentence", "paragraph"], "default": "sentence", "doc": "How far an attribution reaches: see the carry policy."},
    "carry": {"type": "int", "default": 1, "doc": "How many following sentences of the same paragraph an attribution covers (scope: sentence)."},
    "carry_back": {"type": "int", "default": 0, "doc": "How many preceding sentences of the same paragraph an attribution covers (scope: sentence)."},
    "carry_from": {
        "type": "enum",
        "values": ["credit", "any"],
        "default": "credit",
        "doc": "Which attributions carry to their neighbours: only trailing credits (\"..., Reuters said.\") or any attributed sentence.",
    },
    "follow_continuations": {
        "type": "bool",
        "default": True,
        "doc": "A sentence that opens as a continuation (lexicon `continues`: \"But\", \"At the same time\") shares the coverage of the sentence before it.",
    },
    "join_single_sentence_paragraphs": {
        "type": "bool",
        "default": True,
        "doc": "Treat a run of one-sentence paragraphs (agency copy) as one paragraph when carrying.",
    },
    "min_quote_words": {"type": "int", "default": 4, "doc": "Shorter quotations (scare quotes, titles) are not checked for a speaker."},
}

_LEXICON_KEYS = {
    "cues", "phrases", "agencies", "claims", "neutral", "neutral_starts", "credit_window",
    "vague", "anonymous", "anonymity_reasons", "not_cues", "continues", "back_references", "weasel",
}


def expand(phrase):
    """Every phrase a pattern phrase stands for: `(a|b)` picks one, `(a|b)?` may also be left out."""
    if "(" not in phrase:  # most phrases: ten thousand of them are read before any file is checked
        words = " ".join(phrase.split())
        if words:
            yield words
        return
    parts = re.split(r"(\([^()]*\)\??)", phrase)
    options = []
    for part in parts:
        if part.startswith("("):
            optional = part.endswith("?")
            choices = part.rstrip("?")[1:-1].split("|")
            options.append(choices + ([""] if optional else []))
        else:
            options.append([part])
    for combination in itertools.product(*options):
        words = " ".join("".join(combination).split())
        if words:
            yield words


def scan(doc, lexicon, phrases, start=0, end=None):
    """(start, end) of each phrase of one of the lexicon's PhraseSets at a word
    start in the folded prose, within [start, end), left to right and not overlapping."""
    padded, candidates = _candidates(doc, lexicon)
    # padded[i + 1] is folded[i]; the search starts at the character before `start`
    return phrases.scan(padded, start, len(padded) if end is None else end + 1, candidates)


def scan_paragraphs(doc, lexicon, phrases):
    """(paragraph index, start, end) of each phrase `scan` finds in each paragraph, in one pass."""
    padded, candidates = _candidates(doc, lexicon)
    return phrases.scan_ranges(padded, [(p.start, p.end + 1) for p in doc.paragraphs], candidates)


def _candidates(doc, lexicon):
    """The folded prose after one space, and where a phrase of any of the lexicon's sets may start in it."""
    key = ("phrase-candidates", id(lexicon))
    found = doc.cache.get(key)
    if found is None:
        padded = " " + folded(doc)
        found = doc.cache[key] = (padded, lexicon.index.candidates(padded))  # one pass for every set
    return found


def _may_start_phrase(doc, lexicon, start, end):
    """Does a phrase of any of the lexicon's sets possibly start in [start, end)? `scan`
    tries only the candidates before such offsets: most sentences hold none, and
    then the scan is not started at all."""
    _padded, candidates = _candidates(doc, lexicon)
    index = bisect_left(candidates, start)
    return index < len(candidates) and candidates[index] < end


def word_start(text, offset):
    return offset == 0 or not (text[offset - 1].isalnum() or text[offset - 1] == "_")


def folded(doc):
    """The prose lowercased, offsets unchanged (characters whose lowercase is longer stay as they are)."""
    if "folded" not in doc.cache:
        lower = doc.prose.lower()
        if len(lower) != len(doc.prose):
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in doc.prose)
        doc.cache["folded"] = lower
    return doc.cache["folded"]


def _strings(rule, data, key):
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise RuleError(rule.path, f"lexicon: '{key}' must be a list of strings")
    return items


class _Markers:
    """A reason a sentence needs a source: words (`accus*` matches a prefix) and regular expressions."""

    def __init__(self, rule, reason, specs):
        words, patterns = [], []
        for spec in specs:
            if isinstance(spec, list):
                spec = {"patterns": spec}
            if not isinstance(spec, dict) or set(spec) - {"words", "patterns"}:
                raise RuleError(rule.path, f"lexicon: claims.{reason} must be a list of regular expressions or a mapping with words and patterns")
            words.extend(_strings(rule, spec, "words"))
            patterns.extend(_strings(rule, spec, "patterns"))
        self.reason = reason
        self.regex = _compile(rule, patterns, re.IGNORECASE)
        # the characters a marker starts with ($, £, a digit...): most sentences hold none
        self.regex_start = _start_of(self.regex)
        self.words = _phrase_set(words)  # matched at the offsets where claim_words found a word
        self.word_list = words

    def unquoted_match(self, text, start, end, quotes):
        """Does a match of the regex in text[start:end] (as `finditer` finds them) start outside quotations?"""
        regex, starts = self.regex, self.regex_start
        if starts is None:
            return any(not quotes.contains(m.start()) for m in regex.finditer(text, start, end))
        # `finditer`, done by hand: the search jumps in C to the characters a
        # match can start with, and the costly pattern is tried only there
        # (it has no fixed first character, so `re` would try it at every position).
        position = start
        while True:
            candidate = starts.search(text, position, end)
            if candidate is None:
                return False
            at = candidate.start()
            match = regex.match(text, at, end)
            if match is None:
                position = at + 1
            elif not quotes.contains(at):
                return True
            elif match.end() > at:
                position = match.end()
            else:  # an empty match (start_class rules these out): `finditer` knows its rules
                return any(not quotes.contains(m.start()) for m in regex.finditer(text, start, end))


def _expanded(phrases):
    return [p for phrase in phrases for p in expand(phrase.lower())]


def _phrase_set(phrases, compiled=False):
    """The phrases, choices expanded, as a PhraseSet (None when there are none)."""
    expanded = _expanded(phrases)
    return PhraseSet(expanded, compiled) if expanded else None


class Lexicon:
    def __init__(self, entries, rule):
        lists = {
            key: []
            for key in (
                "cues", "agencies", "neutral", "neutral_starts", "vague", "weasel", "anonymous", "anonymity_reasons",
                "not_cues", "continues", "back_references",
            )
        }
        claims = {}
        self.credit_window = 8
        for entry in entries:
            data = load_data(rule, entry, "lexicon")
            if not isinstance(data, dict):
                raise RuleError(rule.path, "an attribution lexicon must be a mapping")
            unknown = set(data) - _LEXICON_KEYS - {"source", "licence", "note"}
            if unknown:
                raise RuleError(rule.path, f"lexicon: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_LEXICON_KEYS))})")
            for key, target in lists.items():
                target.extend(_strings(rule, data, key))
            lists["cues"].extend(_strings(rule, data, "phrases"))
            found = data.get("claims", {})
            if not isinstance(found, dict):
                raise RuleError(rule.path, "lexicon: 'claims' must map a reason to its markers")
            for reason, spec in found.items():
                claims.setdefault(reason, []).append(spec)
            if "credit_window" in data:
                if not isinstance(data["credit_window"], int):
                    raise RuleError(rule.path, "lexicon: 'credit_window' must be a whole number")
                self.credit_window = data["credit_window"]
        # Vague and anonymous sources are attributions too (weak ones); nearly all hold
        # a cue ("sources said"), and the cue list names the others ("reportedly"), so
        # the long vague and anonymous lists stay out of the cue search, which runs on
        # every document.
        self.cue = _phrase_set(lists["cues"], compiled=True)  # searched in every document
        self.agency = trie_regex(lists["agencies"])  # case matters: AP, not "ap"
        self.credits_after_openers = _openers_find_every_credit(lists["agencies"])
        # Weasel phrases ("is widely seen as") hide a source without naming one: AT103
        # reports them, but they attribute nothing.
        self.vague = _phrase_set(lists["vague"] + lists["weasel"])
        self.anonymous = _phrase_set(lists["anonymous"])
        # searched anywhere in a stretch of text, not only at word starts; compiled
        # when first needed: only AT105 (off by default) asks, and it took 12 ms
        # of every run's start (the phrases are escaped: compiling cannot fail)
        self._anonymity_reasons = _expanded(lists["anonymity_reasons"])
        self.claims = [_Markers(rule, reason, specs) for reason, specs in claims.items()]
        # One trie for the words of every reason: a sentence is searched once, and
        # the reason is looked up only where it matched.
        self.claim_words = _phrase_set([w for markers in self.claims for w in markers.word_list])
        self.index = PhraseIndex([s for s in (self.cue, self.vague, self.anonymous, self.claim_words) if s is not None])
        self.neutral = _alternatives(rule, lists["neutral"])
        self.neutral_literals = _LiteralFilter.of(self.neutral)  # searched for in every sentence with a claim
        self.neutral_starts = _alternatives(rule, lists["neutral_starts"])
        self.not_cues = _alternatives(rule, lists["not_cues"])
        # A veto spans the cue's first character, so it starts fewer than its
        # greatest width before the cue: words further back need no test.
        widest = max_width(self.not_cues.pattern, self.not_cues.flags) if self.not_cues is not None else None
        self.veto_reach = _VETO_REACH if widest is None else min(_VETO_REACH, widest - 1)
        self.veto_width = widest
        # Most cues have no veto near them: a window that holds none of the
        # strings every veto holds needs no veto tried at its words.
        self.veto_literals = _LiteralFilter.of(self.not_cues)
        self.continues = _alternatives(rule, lists["continues"])
        self.back_references = _alternatives(rule, lists["back_references"])

    @property
    def anonymity_reasons(self):
        """The regex of the reasons given for a source's anonymity (None: none)."""
        reasons = self._anonymity_reasons
        if isinstance(reasons, list):
            reasons = self._anonymity_reasons = trie_regex(reasons)
        return reasons


class _LiteralFilter:
    """Can `regex` match in a window of the prose? No, when the window holds none
    of the strings every match holds (checker.regex_start.required_literals)."""

    # Up to this many strings are looked for one by one with `in` on the window:
    # a search for their alternation tests every character of the window against
    # the class of their first characters (BBC's ten veto strings: 1.9 against
    # 1.1 µs a window; the nine neutral ones in a sentence: 4.7 against 1.2).
    FEW = 16

    def __init__(self, literals, folded):
        literals = sorted(literals, key=len, reverse=True)
        self.literals = tuple(literals) if len(literals) <= self.FEW else None
        self.regex = None if self.literals else re.compile("|".join(map(re.escape, literals)))
        # A regex that ignores case is searched for in lowercase in the folded
        # prose: exact where the window is ASCII (Unicode case folding has
        # exceptions, such as "ſ" for "s"), so other windows are always tried.
        self.folded = folded

    @classmethod
    def of(cls, regex):
        literals = required_literals(regex.pattern, regex.flags) if regex is not None else None
        if not literals:
            return None
        if not regex.flags & re.IGNORECASE:
            return cls(literals, folded=False)
        if not all(s.isascii() for s in literals):
            return None
        return cls({s.lower() for s in literals}, folded=True)

    def may_match(self, text, lower, start, end):
        if self.folded:
            if not text.isascii() and not text[start:end].isascii():
                return True
            text = lower
        if self.literals is None:
            return self.regex.search(text, start, end) is not None
        window = text[start:end]
        for literal in self.literals:
            if literal in window:
                return True
        return False


def _start_of(regex):
    """A regex of the characters every match of `regex` can start with (None: any),
    and every non-ASCII character (fast to search for; the caller confirms each)."""
    first = start_class(regex.pattern, regex.flags) if regex is not None else None
    return re.compile(ascii_exact_class(first, regex.flags)) if first else None


def _alternatives(rule, patterns):
    return _compile(rule, patterns, re.IGNORECASE)


def _compile(rule, patterns, flags=0):
    return compile_rule_alternatives(patterns, flags, path=rule.path, what="lexicon regular expression")


_LEXICONS = {}


def prepare(rule):
    # Rules naming the same lexicon files share one Lexicon, so a document is analysed once.
    key = (str(Path(rule.path).parent), repr(rule.params["lexicon"]))
    if key not in _LEXICONS:
        _LEXICONS[key] = Lexicon(rule.params["lexicon"], rule)
    rule.prepared = _LEXICONS[key]


_UNKNOWN = object()  # a claim not looked for yet


class SentenceView:
    """What the recogniser found in one sentence.

    The defaults are class attributes: a document has thousands of sentences,
    and most keep most defaults."""

    cue = None  # (start, end) of the first cue, phrase or agency credit outside quotations
    cues = ()  # such spans, in order of the lexicon lists (all of them with analyse(every_cue=True))
    credit = False  # the attribution closes the sentence ("..., Reuters reported.")
    quotes = ()
    question = False
    claim = _UNKNOWN  # why it needs a source: see claim_of
    neutral = False  # neutral framing, observed prices, background
    heading = False  # a paragraph of its own with no closing punctuation: headline, subhead
    continues = False  # opens as a continuation of the sentence before ("But", "At the same time")
    back_reference = False  # attributes what came before ("This was reported by ...")

    def __init__(self, sentence):
        self.sentence = sentence


_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<!\w)\w")
_TERMINALS = tuple(".!?:;…")  # a sentence ends with one, maybe then closing quotes and brackets
_CLOSERS = "\"”’'»)]"


class _QuoteIndex:
    def __init__(self, quotes):
        self.quotes = quotes
        self.starts = [q.start for q in quotes]

    def contains(self, offset):
        """Inside a closed quotation: an unclosed one is too often a stray mark to trust."""
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.quotes[index].end and self.quotes[index].closed


def _quotation_sentences(doc):
    """Each quotation with the indices of the sentences it overlaps (both are
    sorted: one bisect per quotation), worked out once for analyse and attributed."""
    found = doc.cache.get("quotation-sentences")
    if found is None:
        sentences = doc.sentences
        starts = [s.start for s in sentences]
        found = doc.cache["quotation-sentences"] = []
        for quote in doc.quotes:
            index = bisect_right(starts, quote.start) - 1
            if index < 0 or sentences[index].end <= quote.start:
                index += 1  # the sentence before ends before the quotation
            inside = []
            while index < len(sentences) and sentences[index].start < quote.end:
                inside.append(index)
                index += 1
            found.append((quote, inside))
    return found


def _quote_index(doc):
    """The document's quotations indexed by start, built once for the recogniser and claim_of."""
    quotes = doc.cache.get("attribution-quotes")
    if quotes is None:
        quotes = doc.cache["attribution-quotes"] = _QuoteIndex(doc.quotes)
    return quotes


def analyse(doc, lexicon, every_cue=False):
    """Per-sentence views, computed once per document and lexicon.

    Each lexicon pattern runs once over the whole document; matches are placed
    in their sentences by offset. Cues inside quotations are the speaker's words
    and do not attribute the sentence. The checks need each sentence's first
    cue only; `every_cue` lists them all in `view.cues` (for measuring the
    recogniser).
    """
    key = ("attribution", id(lexicon), every_cue)
    if key in doc.cache:
        return doc.cache[key]
    text = doc.prose
    quotes = _quote_index(doc)
    views = [SentenceView(sentence) for sentence in doc.sentences]
    starts = [s.start for s in doc.sentences]

    def place(offset):
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < views[index].sentence.end and not quotes.contains(offset):
            return views[index]
        return None

    not_cues, reach, veto_literals = lexicon.not_cues, lexicon.veto_reach, lexicon.veto_literals
    lower = folded(doc) if veto_literals is not None else None
    veto_ends = {}  # word offset -> end of the veto matching there (-1: none); cue windows overlap

    def is_vetoed(start, end):
        # Looked up around each cue only: cues are few, and a veto pattern run
        # over the whole text costs more than all the cues together (measured:
        # three times as much, even searching word starts only).
        if not_cues is None:
            return False
        first = max(0, start - _VETO_REACH)
        if veto_literals is not None:
            # a veto starts at or after `first` and spans at most veto_width characters
            window_end = len(text) if lexicon.veto_width is None else start + lexicon.veto_width
            if not veto_literals.may_match(text, lower, first, window_end):
                return False
        if start - reach > first:  # a narrower window: only whole words start in it
            words = _WORD_START.finditer(text, start - reach, start + 1)
        else:  # the first run of word characters counts, even cut by the window
            words = _WORD.finditer(text, first, start + 1)
        for word in words:
            offset = word.start()
            veto_end = veto_ends.get(offset)
            if veto_end is None:
                veto = not_cues.match(text, offset)
                veto_end = veto_ends[offset] = veto.end() if veto else -1
            if veto_end > start:
                return True
        return False

    if lexicon.cue is not None:
        for span in scan(doc, lexicon, lexicon.cue):
            view = place(span[0])
            # the veto is looked up last: it is the costly test
            if view is None or (view.cue is not None and not every_cue) or is_vetoed(*span):
                continue
            view.cues += (span,)
            if view.cue is None:
                view.cue = span
    if lexicon.agency is not None:
        for match in _agency_credits(text, lexicon):
            view = place(match.start())
            if view is not None and (every_cue or view.cue is None):
                view.cues += (match.span(),)
                if view.cue is None:
                    view.cue = match.span()
    paragraphs = doc.paragraphs
    continues, back_references = lexicon.continues, lexicon.back_references
    for quote, inside in _quotation_sentences(doc):
        for index in inside:
            view = views[index]
            view.quotes = view.quotes + [quote] if view.quotes else [quote]
    # (the defaults stay on the class: a view gets an attribute only where it differs)
    for view in views:
        sentence = view.sentence
        s, e = sentence.start, sentence.end
        if "?" in sentence.text and sentence.text.rstrip(" \"”’'»)").endswith("?"):  # most hold none
            view.question = True
        if continues is not None and continues.match(text, s, e):
            view.continues = True
        if view.cue is not None and back_references is not None and back_references.match(text, s, e):
            view.back_reference = True
        if (
            len(paragraphs[sentence.paragraph].sentences) == 1
            and sentence.text.rstrip(_CLOSERS)[-1:] not in _TERMINALS
            and not _more_words(text, s, e, 25)
        ):
            view.heading = True
        if view.cue is not None:
            before = text[s : view.cue[0]]
            view.credit = view.back_reference or (
                ("," in before or "”" in before or '"' in before) and not _more_words(text, view.cue[1], e, lexicon.credit_window)
            )
    doc.cache[key] = views
    return views


_VETO_REACH = 40  # how far before a cue a `not_cues` pattern may start
_WORDS_BEYOND = {}


def _more_words(text, start, end, count):
    """Are there more than `count` words in text[start:end]? (stops counting there)"""
    if count < 0:
        return True
    if end - start < 2 * count + 1:
        return False  # too short to hold count + 1 words and the gaps between them
    regex = _WORDS_BEYOND.get(count)
    if regex is None:
        regex = _WORDS_BEYOND[count] = re.compile(r"\W*(?:\w+\W+){%d}\w" % count)
    return regex.match(text, start, end) is not None


def claim_of(doc, view, lexicon):
    """Why the sentence needs a source (the first reason of the lexicon that matches),
    or None, also when it is neutral framing or background. Computed only for
    sentences that are not attributed: most claim markers are costly to search."""
    if view.claim is not _UNKNOWN:
        return view.claim
    text, lower = doc.prose, folded(doc)
    s, e = view.sentence.start, view.sentence.end
    view.claim = None
    quotes = _quote_index(doc)
    # the speaker's words inside a quotation are attributed by the quotation
    word_hits = []
    if lexicon.claim_words is not None and _may_start_phrase(doc, lexicon, s, e):
        word_hits = [start for start, _end in scan(doc, lexicon, lexicon.claim_words, s, e) if not quotes.contains(start)]
    reason = None
    for markers in lexicon.claims:
        if markers.regex is not None and markers.unquoted_match(text, s, e, quotes):
            reason = markers.reason
            break
        if word_hits and markers.words is not None and any(markers.words.match(lower, offset) >= 0 for offset in word_hits):
            reason = markers.reason
            break
    if reason is None:
        return None
    # neutral framing and background are looked for only where a claim marker matched
    neutral, literals = lexicon.neutral, lexicon.neutral_literals
    if (
        neutral is not None
        and (literals is None or literals.may_match(text, lower, s, e))
        and neutral.search(text, s, e)
    ) or (lexicon.neutral_starts is not None and lexicon.neutral_starts.match(text, s, e)):
        view.neutral = True
        return None
    view.claim = reason
    return reason


_CREDIT_OPENERS = ("(", "-", "–", "—")


def _bare_credit(text, offset):
    """An agency named as the credit itself: "(Reuters)", "- TASS"."""
    before = text[max(0, offset - 3) : offset].rstrip()
    return before.endswith(_CREDIT_OPENERS)


def _agency_credits(text, lexicon):
    """The agency matches that `finditer` finds at a word start and that are bare
    credits, in order.

    A credit follows "(" or a dash and at most two white-space characters: those
    few places are found with `str.find` and the agency pattern is tried there
    only. Scanning the whole text for the capitals agency names start with took
    3% of the checking of BBC (which holds one credit). Exact where no agency
    name holds an opener after which another name could start (a match of the
    first would hide the second from `finditer`); elsewhere the whole text is
    scanned."""
    agency = lexicon.agency
    if not lexicon.credits_after_openers:
        for match in agency.finditer(text):
            if word_start(text, match.start()) and _bare_credit(text, match.start()):
                yield match
        return
    starts = set()
    for opener in _CREDIT_OPENERS:
        at = text.find(opener)
        while at >= 0:
            start = at + 1
            starts.add(start)
            for _ in range(2):  # after up to two white-space characters
                if start < len(text) and text[start].isspace():
                    start += 1
                    starts.add(start)
                else:
                    break
            at = text.find(opener, at + 1)
    end = 0  # credits do not overlap, as finditer's matches do not
    for start in sorted(starts):
        if start < end:
            continue
        match = agency.match(text, start)
        if match is not None and _bare_credit(text, start):
            end = match.end()
            yield match


def _openers_find_every_credit(names):
    """Does every agency credit follow an opener where `finditer` would have found
    it? Not where a name holds an opener after which another name may start (or
    a `*`, which may continue with anything)."""
    names = [" ".join(name.split()) for name in names]
    for name in names:
        if "*" in name:
            return False
        for index, char in enumerate(name):
            if char in _CREDIT_OPENERS:
                tail = name[index + 1 :].lstrip()
                if any(tail.startswith(other) or other.startswith(tail) for other in names):
                    return False
    return True


def carry_groups(doc, join_single):
    """Lists of sentence indices within which attributions carry: paragraphs, with
    runs of one-sentence paragraphs joined when `join_single`."""
    groups = []
    run = []
    for paragraph in doc.paragraphs:
        if join_single and len(paragraph.sentences) == 1:
            run.extend(paragraph.sentences)
            continue
        if run:
            groups.append(run)
            run = []
        groups.append(list(paragraph.sentences))
    if run:
        groups.append(run)
    return groups


def attributed(doc, views, rule):
    """For each sentence: True when it is attributed in itself or by carry."""
    params = rule.params
    own = [view.cue is not None for view in views]
    # what every rule of the document shares is worked out once
    key = ("carry-groups", params["join_single_sentence_paragraphs"])
    groups = doc.cache.get(key)
    if groups is None:
        groups = doc.cache[key] = carry_groups(doc, params["join_single_sentence_paragraphs"])
    if params["scope"] == "paragraph":
        covered = list(own)
        for group in groups:
            if any(own[i] for i in group):
                for i in group:
                    covered[i] = True
        return covered
    key = ("quote-covered", id(views))
    covered = doc.cache.get(key)
    if covered is None:
        # quotations: every sentence inside a quotation shares the quotation's attribution
        covered = list(own)
        for _quote, inside in _quotation_sentences(doc):
            if any(own[i] for i in inside):
                for i in inside:
                    covered[i] = True
        doc.cache[key] = covered
    covered = list(covered)
    # Where in each group the attributed and the continuing sentences stand: few
    # of either, so the loops below visit only them (shared by the rules).
    key = ("carry-positions", id(views), params["join_single_sentence_paragraphs"])
    positions = doc.cache.get(key)
    if positions is None:
        positions = doc.cache[key] = [
            (group, [p for p, i in enumerate(group) if own[i]], [p for p, i in enumerate(group) if p and views[i].continues])
            for group in groups
        ]
    forward, backward, any_carries = params["carry"], params["carry_back"], params["carry_from"] == "any"
    follow_continuations = params["follow_continuations"]
    for group, attributed_at, continuing_at in positions:
        for position in attributed_at:
            view = views[group[position]]
            if (any_carries or view.credit) and not (view.quotes and _quotes_its_content(doc, view, params)):
                for j in group[position + 1 : position + 1 + forward]:
                    covered[j] = True
            reach = max(backward, 1 if view.back_reference else 0)
            for j in group[max(0, position - reach) : position]:
                covered[j] = True
        if follow_continuations:
            # in order: a run of continuing sentences passes the coverage along
            for position in continuing_at:
                if covered[group[position - 1]]:
                    covered[group[position]] = True
    return covered


def _quotes_its_content(doc, view, params):
    """The sentence attributes a direct quotation: the quotation marks show where
    the speaker's words end, so the attribution does not reach past them."""
    minimum = params["min_quote_words"]
    known = doc.cache.setdefault(("quotes-its-content", minimum), {})  # AT101 and AT104 ask alike
    index = view.sentence.index
    found = known.get(index)
    if found is None:
        found = known[index] = any(q.closed and _more_words(doc.prose, q.start, q.end, minimum - 1) for q in view.quotes)
    return found


def check(doc, rule, settings):
    views = analyse(doc, rule.prepared)
    report = rule.params["report"]
    if report == "unattributed-quote":
        yield from _unattributed_quotes(doc, views, rule)
        return
    if report == "vague-source":
        yield from _phrases(doc, rule.prepared.vague, rule)
        return
    if report == "anonymous-source":
        yield from _anonymous_sources(doc, views, rule)
        return
    covered = attributed(doc, views, rule)
    with_excerpt = "sentence" in placeholders(rule.message)  # AT104's message has none: thousands of excerpts saved
    for view, is_covered in zip(views, covered):
        if is_covered or view.question or view.heading:
            continue
        s = view.sentence
        if view.quotes and any(q.start <= s.start and s.end <= q.end for q in view.quotes):
            continue  # a quotation without a speaker is AT102's finding
        reason = claim_of(doc, view, rule.prepared)
        needs_source = reason is not None
        if report == "unattributed-statement" and needs_source:
            yield rule.finding(doc, s.start, s.end, reason=reason, sentence=_excerpt(s.text) if with_excerpt else "")
        elif report == "unsourced-statement" and not needs_source:
            yield rule.finding(doc, s.start, s.end, sentence=_excerpt(s.text) if with_excerpt else "")


def _phrases(doc, phrases, rule):
    """Each phrase of a list in the body prose (header lines are not statements), once
    per paragraph however often it is repeated there, and never inside a direct
    quotation, where it is the speaker's wording, not the writer's."""
    if phrases is None:
        return
    quotes = _quote_index(doc)
    lower = folded(doc)
    seen = set()  # (paragraph, the phrase as written, folded)
    for paragraph, start, end in scan_paragraphs(doc, rule.prepared, phrases):
        key = (paragraph, " ".join(lower[start:end].split()))
        if key in seen or quotes.contains(start):
            continue
        seen.add(key)
        yield rule.finding(doc, start, end)


def _anonymous_sources(doc, views, rule):
    """The first anonymous source whose paragraph (or the sentence next to it) gives no reason for the anonymity."""
    lexicon = rule.prepared
    if lexicon.anonymous is None:
        return
    lower = folded(doc)
    for index, found in itertools.groupby(scan_paragraphs(doc, lexicon, lexicon.anonymous), key=itemgetter(0)):
        paragraph = doc.paragraphs[index]
        first, last = paragraph.sentences[0], paragraph.sentences[-1]
        start = views[first - 1].sentence.start if first > 0 else paragraph.start
        end = views[last + 1].sentence.end if last + 1 < len(views) else paragraph.end
        if lexicon.anonymity_reasons is not None and lexicon.anonymity_reasons.search(lower, start, end):
            continue
        # once per story: later mentions ("the sources said") repeat the same omission
        yield rule.finding(doc, *next(found)[1:])
        return


def _unattributed_quotes(doc, views, rule):
    minimum = rule.params["min_quote_words"]
    for quote in doc.quotes:
        if not _more_words(doc.prose, quote.start, quote.end, minimum - 1):
            continue
        sentence = doc.sentence_at(quote.start)
        if sentence is None:
            continue
        paragraph = doc.paragraphs[sentence.paragraph]
        nearby = list(paragraph.sentences)
        if paragraph.sentences[0] > 0:
            nearby.append(paragraph.sentences[0] - 1)
        if paragraph.sentences[-1] + 1 < len(views):
            nearby.append(paragraph.sentences[-1] + 1)
        if any(views[i].cue is not None for i in nearby):
            continue
        yield rule.finding(doc, quote.start, quote.end, quote=_excerpt(doc.text[quote.start : quote.end]))


def _excerpt(text, limit=60):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
