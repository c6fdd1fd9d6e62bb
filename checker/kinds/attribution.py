"""`attribution`: who says so? The recogniser every AT rule shares, and its reports.

The recogniser reads a lexicon (data): reporting and cognition cues, attribution
phrases, news agencies, vague and anonymous sources, and the markers of a claim
that needs a source. Per document it decides, for each sentence, whether it
carries an attribution, is covered by one from its context (carry), and whether
it asserts something an editor expects to be sourced. A rule's `check:` names
the function below that reports what it wants (one function a rule).

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
from bisect import bisect_right
from operator import itemgetter
from pathlib import Path

from checker.errors import RuleError
from checker.matching import compile_rule_alternatives
from checker.matching.phrases import PhraseLexicon, PhraseSet, trie_regex
from checker.matching.regex import Pattern, finds_every_match_after, matches_after
from checker.rules import load_data, placeholders

PARAMETERS = {
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


def word_start(text, offset):
    return offset == 0 or not (text[offset - 1].isalnum() or text[offset - 1] == "_")


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
        self.pattern = _alternatives(rule, patterns)
        self.words = _phrase_set(words)  # matched at the offsets where the claim words were found
        self.word_list = words

    def unquoted_match(self, doc, start, end):
        """Does a match of the patterns in the prose's [start, end) start outside quotations?"""
        return any(not doc.in_quotation(m.start()) for m in self.pattern.finditer(doc.prose, start, end))


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
        cue = _phrase_set(lists["cues"], compiled=True)  # searched in every document
        self.agency = trie_regex(lists["agencies"])  # case matters: AP, not "ap"
        self.credits_after_openers = finds_every_match_after(lists["agencies"], _CREDIT_OPENERS)
        # Weasel phrases ("is widely seen as") hide a source without naming one: AT103
        # reports them, but they attribute nothing.
        vague = _phrase_set(lists["vague"] + lists["weasel"])
        anonymous = _phrase_set(lists["anonymous"])
        # searched anywhere in a stretch of text, not only at word starts; compiled
        # when first needed: only AT105 (off by default) asks, and a large regex is
        # slow to compile (the phrases are escaped: compiling cannot fail)
        self._anonymity_reasons = _expanded(lists["anonymity_reasons"])
        self.claims = [_Markers(rule, reason, specs) for reason, specs in claims.items()]
        # One trie for the words of every reason: a sentence is searched once, and
        # the reason is looked up only where it matched.
        claim_words = _phrase_set([w for markers in self.claims for w in markers.word_list])
        self.phrases = PhraseLexicon({"cue": cue, "vague": vague, "anonymous": anonymous, "claim-words": claim_words})
        self.neutral = _alternatives(rule, lists["neutral"])
        self.neutral_starts = _alternatives(rule, lists["neutral_starts"])
        self.not_cues = _alternatives(rule, lists["not_cues"])
        self.continues = _alternatives(rule, lists["continues"])
        self.back_references = _alternatives(rule, lists["back_references"])

    @property
    def anonymity_reasons(self):
        """The regex of the reasons given for a source's anonymity (None: none)."""
        reasons = self._anonymity_reasons
        if isinstance(reasons, list):
            reasons = self._anonymity_reasons = trie_regex(reasons)
        return reasons


def _alternatives(rule, patterns):
    """The lexicon's patterns as one Pattern (None when there are none), case ignored."""
    regex = compile_rule_alternatives(patterns, re.IGNORECASE, path=rule.path, what="lexicon regular expression")
    return Pattern(regex) if regex is not None else None


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


def analyse(doc, lexicon, every_cue=False):
    """Per-sentence views, computed once per document and lexicon.

    Each lexicon pattern runs once over the whole document; matches are placed
    in their sentences by offset. Cues inside quotations are the speaker's words
    and do not attribute the sentence. The checks need each sentence's first
    cue only; `every_cue` lists them all in `view.cues` (for measuring the
    recogniser).
    """
    return doc.memo(lexicon, ("views", every_cue), lambda: _views(doc, lexicon, every_cue))


def _views(doc, lexicon, every_cue):
    views = [SentenceView(sentence) for sentence in doc.sentences]
    _place_cues(doc, lexicon, views, every_cue)
    for quote, inside in doc.quotation_sentences:
        for index in inside:
            view = views[index]
            view.quotes = view.quotes + [quote] if view.quotes else [quote]
    # (the defaults stay on the class: a view gets an attribute only where it differs)
    for view in views:
        _describe_sentence(doc, lexicon, view)
    return views


def _place_cues(doc, lexicon, views, every_cue):
    """Each cue and agency credit outside quotations, in the view of its sentence."""
    text, starts = doc.prose, doc.sentence_starts

    def place(offset):
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < views[index].sentence.end and not doc.in_quotation(offset):
            return views[index]
        return None

    veto_ends = {}  # word offset -> end of the veto matching there (-1: none); cue windows overlap

    def is_vetoed(start):
        """A `not_cues` pattern says the cue word is used otherwise ("the United States")."""
        # Looked up around each cue only: cues are few, and a veto pattern run
        # over the whole text costs more than all the cues together.
        return lexicon.not_cues is not None and lexicon.not_cues.covers(text, doc.folded_prose, start, _VETO_REACH, veto_ends)

    for span in lexicon.phrases.find(doc, "cue"):
        view = place(span[0])
        # the veto is looked up last: it is the costly test
        if view is None or (view.cue is not None and not every_cue) or is_vetoed(span[0]):
            continue
        view.cues += (span,)
        if view.cue is None:
            view.cue = span
    for match in _agency_credits(text, lexicon):
        view = place(match.start())
        if view is not None and (every_cue or view.cue is None):
            view.cues += (match.span(),)
            if view.cue is None:
                view.cue = match.span()


def _describe_sentence(doc, lexicon, view):
    """A question? A continuation, a back-reference, a heading, a trailing credit?"""
    text, sentence = doc.prose, view.sentence
    s, e = sentence.start, sentence.end
    if "?" in sentence.text and sentence.text.rstrip(" \"”’'»)").endswith("?"):  # most hold none
        view.question = True
    if lexicon.continues is not None and lexicon.continues.match(text, s, e):
        view.continues = True
    if view.cue is not None and lexicon.back_references is not None and lexicon.back_references.match(text, s, e):
        view.back_reference = True
    if (
        len(doc.paragraphs[sentence.paragraph].sentences) == 1
        and sentence.text.rstrip(_CLOSERS)[-1:] not in _TERMINALS
        and not _more_words(text, s, e, 25)
    ):
        view.heading = True
    if view.cue is not None:
        before = text[s : view.cue[0]]
        view.credit = view.back_reference or (
            ("," in before or "”" in before or '"' in before) and not _more_words(text, view.cue[1], e, lexicon.credit_window)
        )


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
        regex = _WORDS_BEYOND[count] = re.compile(rf"\W*(?:\w+\W+){{{count}}}\w")
    return regex.match(text, start, end) is not None


def claim_of(doc, view, lexicon):
    """Why the sentence needs a source (the first reason of the lexicon that matches),
    or None, also when it is neutral framing or background. Computed only for
    sentences that are not attributed: most claim markers are costly to search."""
    if view.claim is not _UNKNOWN:
        return view.claim
    text, lower = doc.prose, doc.folded_prose
    s, e = view.sentence.start, view.sentence.end
    view.claim = None
    # the speaker's words inside a quotation are attributed by the quotation
    word_hits = []
    if "claim-words" in lexicon.phrases and lexicon.phrases.may_start(doc, s, e):
        word_hits = [start for start, _end in lexicon.phrases.find(doc, "claim-words", s, e) if not doc.in_quotation(start)]
    reason = None
    for markers in lexicon.claims:
        if markers.pattern is not None and markers.unquoted_match(doc, s, e):
            reason = markers.reason
            break
        if word_hits and markers.words is not None and any(markers.words.match(lower, offset) >= 0 for offset in word_hits):
            reason = markers.reason
            break
    if reason is None:
        return None
    # neutral framing and background are looked for only where a claim marker matched
    neutral = lexicon.neutral
    if (neutral is not None and neutral.might_match(text, lower, s, e) and neutral.search(text, s, e)) or (
        lexicon.neutral_starts is not None and lexicon.neutral_starts.match(text, s, e)
    ):
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
    """The agency names written as the credit itself, after "(" or a dash and at
    most two white-space characters, in order."""
    if lexicon.agency is None:
        return ()
    if lexicon.credits_after_openers:  # the names cannot hide one another: look after the openers only
        return matches_after(lexicon.agency, text, _CREDIT_OPENERS, gap=2)
    return (m for m in lexicon.agency.finditer(text) if word_start(text, m.start()) and _bare_credit(text, m.start()))


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
    join_single = params["join_single_sentence_paragraphs"]
    groups = doc.memo(carry_groups, join_single, lambda: carry_groups(doc, join_single))
    if params["scope"] == "paragraph":
        covered = list(own)
        for group in groups:
            if any(own[i] for i in group):
                for i in group:
                    covered[i] = True
        return covered
    covered = list(doc.memo(views, "quote-covered", lambda: _quote_covered(doc, own)))
    # Where in each group the attributed and the continuing sentences stand: few
    # of either, so the loops below visit only them (shared by the rules).
    positions = doc.memo(views, ("carry-positions", join_single), lambda: [
        (group, [p for p, i in enumerate(group) if own[i]], [p for p, i in enumerate(group) if p and views[i].continues])
        for group in groups
    ])
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


def _quote_covered(doc, own):
    """Own attributions, and every sentence inside a quotation sharing the quotation's."""
    covered = list(own)
    for _quote, inside in doc.quotation_sentences:
        if any(own[i] for i in inside):
            for i in inside:
                covered[i] = True
    return covered


def _quotes_its_content(doc, view, params):
    """The sentence attributes a direct quotation: the quotation marks show where
    the speaker's words end, so the attribution does not reach past them."""
    minimum = params["min_quote_words"]
    known = doc.memo(_quotes_its_content, minimum, dict)  # AT101 and AT104 ask alike
    index = view.sentence.index
    found = known.get(index)
    if found is None:
        found = known[index] = any(q.closed and _more_words(doc.prose, q.start, q.end, minimum - 1) for q in view.quotes)
    return found


# --- the checks: one function a rule, named by the rule's `check:` --------------


def unattributed_statement(doc, rule, settings):
    """AT101: a sentence holding a claim that needs a source (claim_of) and no
    attribution in itself or carried from its context."""
    yield from _unattributed(doc, rule, needs_source=True)


def unsourced_statement(doc, rule, settings):
    """AT104: every other sentence with no attribution (the strict desk view)."""
    yield from _unattributed(doc, rule, needs_source=False)


def _unattributed(doc, rule, needs_source):
    views = analyse(doc, rule.prepared)
    covered = attributed(doc, views, rule)
    with_excerpt = "sentence" in placeholders(rule.message)  # AT104's message has none: thousands of excerpts saved
    for view, is_covered in zip(views, covered):
        if is_covered or view.question or view.heading:
            continue
        s = view.sentence
        if view.quotes and any(q.start <= s.start and s.end <= q.end for q in view.quotes):
            continue  # a quotation without a speaker is AT102's finding
        reason = claim_of(doc, view, rule.prepared)
        if (reason is not None) == needs_source:
            fields = {"reason": reason} if needs_source else {}
            yield rule.finding(doc, s.start, s.end, sentence=_excerpt(s.text) if with_excerpt else "", **fields)


def vague_source(doc, rule, settings):
    """AT103: each vague or anonymous source phrase in the body prose (header lines
    are not statements), once per paragraph however often it is repeated there,
    and never inside a direct quotation, where it is the speaker's wording."""
    lower = doc.folded_prose
    seen = set()  # (paragraph, the phrase as written, folded)
    for paragraph, start, end in rule.prepared.phrases.find_in_paragraphs(doc, "vague"):
        key = (paragraph, " ".join(lower[start:end].split()))
        if key in seen or doc.in_quotation(start):
            continue
        seen.add(key)
        yield rule.finding(doc, start, end)


def anonymous_source(doc, rule, settings):
    """AT105: the first anonymous source whose paragraph (or the sentence next to it)
    gives no reason for the anonymity."""
    lexicon = rule.prepared
    views = analyse(doc, lexicon)
    lower = doc.folded_prose
    for index, found in itertools.groupby(lexicon.phrases.find_in_paragraphs(doc, "anonymous"), key=itemgetter(0)):
        paragraph = doc.paragraphs[index]
        first, last = paragraph.sentences[0], paragraph.sentences[-1]
        start = views[first - 1].sentence.start if first > 0 else paragraph.start
        end = views[last + 1].sentence.end if last + 1 < len(views) else paragraph.end
        if lexicon.anonymity_reasons is not None and lexicon.anonymity_reasons.search(lower, start, end):
            continue
        # once per story: later mentions ("the sources said") repeat the same omission
        yield rule.finding(doc, *next(found)[1:])
        return


def unattributed_quote(doc, rule, settings):
    """AT102: a quotation whose speaker is nowhere in its paragraph or the sentences next to it."""
    views = analyse(doc, rule.prepared)
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


CHECKS = {
    "unattributed-statement": unattributed_statement,
    "unattributed-quote": unattributed_quote,
    "unsourced-statement": unsourced_statement,
    "vague-source": vague_source,
    "anonymous-source": anonymous_source,
}


def _excerpt(text, limit=60):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
