"""`attribution`: who says so? The recogniser every AT rule shares, and its reports.

The recogniser reads a lexicon (data): reporting and cognition cues, attribution
phrases, news agencies, and the markers of a claim that needs a source. Per
document it decides, for each sentence, whether it carries an attribution, is
covered by one from its context (carry), and whether it asserts something an
editor expects to be sourced. Rules pick what to report with `report`.

Carry policy (the rule's `scope` and `carry`):
- scope `sentence` (default): a sentence is attributed by a cue in itself, by
  the quotation it stands in (attributed anywhere in the quotation), or by a
  trailing credit ("..., Reuters recalled.") of one of the `carry` sentences
  before it in the same paragraph.
- scope `paragraph`: any attribution in the paragraph covers all its sentences.
"""

import re
from bisect import bisect_left, bisect_right
from pathlib import Path

from checker.errors import RuleError
from checker.rules import load_data

PARAMETERS = {
    "report": {
        "type": "enum",
        "values": ["unattributed-statement", "unattributed-quote", "unsourced-statement"],
        "required": True,
        "doc": "unattributed-statement: claims that need a source and have none; unattributed-quote: quotations with no speaker nearby; unsourced-statement: every other sentence with no attribution.",
    },
    "lexicon": {"type": "list[data]", "required": True, "doc": "Data files (or inline mappings) with cues, phrases, agencies and claim markers; later entries extend earlier ones."},
    "scope": {"type": "enum", "values": ["sentence", "paragraph"], "default": "sentence", "doc": "How far an attribution reaches: see the carry policy."},
    "carry": {"type": "int", "default": 1, "doc": "How many following sentences of the same paragraph a trailing credit covers."},
    "min_quote_words": {"type": "int", "default": 4, "doc": "Shorter quotations (scare quotes, titles) are not checked for a speaker."},
}

_LEXICON_KEYS = {"cues", "phrases", "agencies", "claims", "neutral", "credit_window"}


def trie_pattern(phrases):
    """One regular expression for many words and phrases, shaped as a trie so that
    the engine tries few branches at each position. A trailing `*` matches any
    word ending (`accus*`); spaces inside a phrase match any run of white space."""
    trie = {}
    for phrase in phrases:
        node = trie
        words = phrase.split()
        for index, word in enumerate(words):
            for char in word:
                node = node.setdefault(char, {})
            if index < len(words) - 1:
                node = node.setdefault(" ", {})
        node[""] = True

    def render(node):
        branches, optional = [], False
        for key in sorted(node):
            if key == "":
                optional = True
            elif key == "*":
                branches.append(r"\w*")
            elif key == " ":
                branches.append(r"\s+" + render(node[key]))
            else:
                branches.append(re.escape(key) + render(node[key]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        return body + ("?" if optional and branches else "")

    # No leading boundary: a pattern that starts with a literal lets the regex
    # engine skip ahead fast; callers check the start boundary (word_start).
    return render(trie) + r"(?!\w)" if trie else None


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


class _Markers:
    """A reason a sentence needs a source: words (`accus*` matches a prefix) and regular expressions."""

    def __init__(self, rule, reason, specs):
        words, patterns = [], []
        for spec in specs:
            if isinstance(spec, list):
                spec = {"patterns": spec}
            if not isinstance(spec, dict) or set(spec) - {"words", "patterns"}:
                raise RuleError(rule.path, f"lexicon: claims.{reason} must be a list of regular expressions or a mapping with words and patterns")
            for key, target in (("words", words), ("patterns", patterns)):
                items = spec.get(key, [])
                if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                    raise RuleError(rule.path, f"lexicon: claims.{reason}.{key} must be a list of strings")
                target.extend(items)
        self.reason = reason
        self.regex = _compile(rule, "|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
        words_pattern = trie_pattern(w.lower() for w in words)
        self.words = _compile(rule, words_pattern) if words_pattern else None  # matched on folded text


class Lexicon:
    def __init__(self, entries, rule):
        cues, agencies, neutral = [], [], []
        claims = {}
        self.credit_window = 8
        for entry in entries:
            data = load_data(rule, entry, "lexicon")
            if not isinstance(data, dict):
                raise RuleError(rule.path, "an attribution lexicon must be a mapping")
            unknown = set(data) - _LEXICON_KEYS - {"source", "licence", "note"}
            if unknown:
                raise RuleError(rule.path, f"lexicon: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(_LEXICON_KEYS))})")
            for key, target in (("cues", cues), ("phrases", cues), ("agencies", agencies), ("neutral", neutral)):
                items = data.get(key, [])
                if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                    raise RuleError(rule.path, f"lexicon: '{key}' must be a list of strings")
                target.extend(items)
            found = data.get("claims", {})
            if not isinstance(found, dict):
                raise RuleError(rule.path, "lexicon: 'claims' must map a reason to its markers")
            for reason, spec in found.items():
                claims.setdefault(reason, []).append(spec)
            if "credit_window" in data:
                if not isinstance(data["credit_window"], int):
                    raise RuleError(rule.path, "lexicon: 'credit_window' must be a whole number")
                self.credit_window = data["credit_window"]
        cue_pattern = trie_pattern(c.lower() for c in cues)
        self.cue = _compile(rule, cue_pattern) if cue_pattern else None  # matched on folded text
        agency_pattern = trie_pattern(agencies)
        self.agency = _compile(rule, agency_pattern) if agency_pattern else None
        self.claims = [_Markers(rule, reason, specs) for reason, specs in claims.items()]
        self.neutral = _compile(rule, "|".join(f"(?:{p})" for p in neutral), re.IGNORECASE) if neutral else None


def _compile(rule, pattern, flags=0):
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RuleError(rule.path, f"lexicon: invalid regular expression: {exc}") from None


_LEXICONS = {}


def prepare(rule):
    # Rules naming the same lexicon files share one Lexicon, so a document is analysed once.
    key = (str(Path(rule.path).parent), repr(rule.params["lexicon"]))
    if key not in _LEXICONS:
        _LEXICONS[key] = Lexicon(rule.params["lexicon"], rule)
    rule.prepared = _LEXICONS[key]


class SentenceView:
    """What the recogniser found in one sentence."""

    __slots__ = ("sentence", "cue", "credit", "quotes", "question", "claim", "neutral")

    def __init__(self, sentence):
        self.sentence = sentence
        self.cue = None  # (start, end) of the first cue, phrase or agency credit outside quotations
        self.credit = False  # the attribution closes the sentence ("..., Reuters reported.")
        self.quotes = []
        self.question = False
        self.claim = None  # why it needs a source
        self.neutral = False


_WORD = re.compile(r"\w+")


class _QuoteIndex:
    def __init__(self, quotes):
        self.quotes = quotes
        self.starts = [q.start for q in quotes]

    def contains(self, offset):
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.quotes[index].end

    def overlapping(self, start, end):
        index = max(0, bisect_right(self.starts, start) - 1)
        result = []
        while index < len(self.quotes) and self.quotes[index].start < end:
            if start < self.quotes[index].end:
                result.append(self.quotes[index])
            index += 1
        return result


def analyse(doc, lexicon):
    """Per-sentence views, computed once per document and lexicon.

    Each lexicon pattern runs once over the whole document; matches are placed
    in their sentences by offset. Cues inside quotations are the speaker's words
    and do not attribute the sentence.
    """
    key = ("attribution", id(lexicon))
    if key in doc.cache:
        return doc.cache[key]
    text = doc.prose
    lower = folded(doc)
    quotes = _QuoteIndex(doc.quotes)
    views = [SentenceView(sentence) for sentence in doc.sentences]
    starts = [s.start for s in doc.sentences]

    def place(offset):
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < views[index].sentence.end and not quotes.contains(offset):
            return views[index]
        return None

    if lexicon.cue is not None:
        for match in lexicon.cue.finditer(lower):
            if not word_start(lower, match.start()):
                continue
            view = place(match.start())
            if view is not None and view.cue is None:
                view.cue = match.span()
    if lexicon.agency is not None:
        for match in lexicon.agency.finditer(text):
            if not word_start(text, match.start()):
                continue
            view = place(match.start())
            if view is not None and view.cue is None and _bare_credit(text, match.start()):
                view.cue = match.span()
    for markers in reversed(lexicon.claims):  # earlier reasons win: they are written last
        matches = []
        if markers.words is not None:
            matches.extend(m.start() for m in markers.words.finditer(lower) if word_start(lower, m.start()))
        if markers.regex is not None:
            matches.extend(m.start() for m in markers.regex.finditer(text))
        for offset in matches:
            view = place(offset)
            if view is not None:
                view.claim = markers.reason
    if lexicon.neutral is not None:
        for match in lexicon.neutral.finditer(text):
            view = place(match.start())
            if view is not None:
                view.neutral = True
    for view in views:
        s, e = view.sentence.start, view.sentence.end
        view.quotes = quotes.overlapping(s, e)
        view.question = text[s:e].rstrip(" \"”’'»)").endswith("?")
        if view.cue is not None:
            words_after = len(_WORD.findall(text, view.cue[1], e))
            before = text[s : view.cue[0]]
            view.credit = words_after <= lexicon.credit_window and ("," in before or "”" in before or '"' in before)
    doc.cache[key] = views
    return views


def _bare_credit(text, offset):
    """An agency named as the credit itself: "(Reuters)", "- TASS"."""
    before = text[max(0, offset - 3) : offset].rstrip()
    return before.endswith(("(", "-", "–", "—"))


def attributed(doc, views, rule):
    """For each sentence: True when it is attributed in itself or by carry."""
    result = [view.cue is not None for view in views]
    if rule.params["scope"] == "paragraph":
        for paragraph in doc.paragraphs:
            if any(result[i] for i in paragraph.sentences):
                for i in paragraph.sentences:
                    result[i] = True
        return result
    covered = list(result)
    # quotations: every sentence inside a quotation shares the quotation's attribution
    for quote in doc.quotes:
        inside = [v.sentence.index for v in views if quote.start < v.sentence.end and v.sentence.start < quote.end]
        if any(result[i] for i in inside):
            for i in inside:
                covered[i] = True
    # trailing credits carry forward within the paragraph
    carry = rule.params["carry"]
    for paragraph in doc.paragraphs:
        order = paragraph.sentences
        for position, i in enumerate(order):
            if views[i].credit:
                for j in order[position + 1 : position + 1 + carry]:
                    covered[j] = True
    return covered


def check(doc, rule, settings):
    views = analyse(doc, rule.prepared)
    report = rule.params["report"]
    if report == "unattributed-quote":
        yield from _unattributed_quotes(doc, views, rule)
        return
    covered = attributed(doc, views, rule)
    for view, is_covered in zip(views, covered):
        if is_covered or view.question:
            continue
        s = view.sentence
        in_quote = any(q.start <= s.start and s.end <= q.end for q in view.quotes)
        if in_quote:
            continue  # a quotation without a speaker is AT102's finding
        needs_source = view.claim is not None and not view.neutral
        if report == "unattributed-statement" and needs_source:
            yield rule.finding(doc, s.start, s.end, reason=view.claim, sentence=_excerpt(s.text))
        elif report == "unsourced-statement" and not needs_source:
            yield rule.finding(doc, s.start, s.end, sentence=_excerpt(s.text))


def _unattributed_quotes(doc, views, rule):
    minimum = rule.params["min_quote_words"]
    for quote in doc.quotes:
        if len(re.findall(r"\w+", doc.prose[quote.start : quote.end])) < minimum:
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
