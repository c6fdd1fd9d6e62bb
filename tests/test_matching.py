"""The matching layer (checker.matching): each speed trick answers as the plain search it stands for.

The kinds call Pattern.finditer / might_match / covers, PhraseLexicon.find /
may_start and matches_after; these tests hold each to its reference, on the
built-in lexicon's own patterns and on generated ones.
"""

import functools
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checker.matching.regex import Pattern, _RequiredLiterals, finds_every_match_after, matches_after
from checker.rules import builtin_rules_dir, load_rules, select_rules


@functools.cache
def _lexicon():
    return select_rules(load_rules([builtin_rules_dir()]), ["AT101"])[0].prepared


# --- Pattern.finditer: jumps to the characters a match can start with --------------

_MARKER_PIECES = ["1", "12", "1,000", "3.5", "$", "£ 5", "%", " per cent", " million", " people", "-year-old", "“", "”", " ", ",", ".", "a", "word"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_MARKER_PIECES), max_size=25).map("".join), st.data())
@example("$$1", None)  # no match at the first candidate, one at the next
@example("“$1” and $2", None)
def test_finditer_equals_re_finditer_on_the_claim_markers(text, data):
    if data is None:
        start, end = 0, len(text)
    else:
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, len(text)))
    patterns = [m.pattern for m in _lexicon().claims if m.pattern is not None]
    assert any(p.starts is not None for p in patterns)  # the jump is in use
    for pattern in patterns:
        assert [m.span() for m in pattern.finditer(text, start, end)] == [m.span() for m in pattern.regex.finditer(text, start, end)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([r"\d+%", r"(?:[$£]\d)|(?:\d+ people)", r"a?b", r"(?:x|y)z*", r"\bword\b", r"(?=a)a+", r"q*"]), st.text(alphabet="ab xyz0123%$£people", max_size=30))
def test_finditer_equals_re_finditer_on_any_pattern(source, text):
    pattern = Pattern(re.compile(source))
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in re.finditer(source, text)]


# --- Pattern.might_match: the required literals ------------------------------------

@pytest.mark.parametrize(
    "source, flags, text, might",
    [
        ("talk show", re.IGNORECASE, "a TALK SHOW", True),
        ("talk show", re.IGNORECASE, "a talk ſhow", True),  # "ſ" is "s" to the regex: a non-ASCII window is always tried
        ("talk show", re.IGNORECASE, "a talk", False),
        ("talk show", 0, "a TALK SHOW", False),  # case matters: searched as it is
        ("talk ſhow", re.IGNORECASE, "talk show", True),  # a non-ASCII literal: no filter at all
        (r"\d+", 0, "no digits", True),  # no literal every match holds: every window is tried
    ],
)
@pytest.mark.parametrize("few", [16, 0])  # literals looked for one by one, or their alternation searched for
def test_might_match(source, flags, text, might, few, monkeypatch):
    monkeypatch.setattr(Pattern, "FEW_LITERALS", few)
    assert Pattern(re.compile(source, flags)).might_match(text, text.lower(), 0, len(text)) == might


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(["show", "shows", "found", "called", "a b", "ab"]), min_size=1, max_size=5),
    st.lists(st.sampled_from(["show", "sho", "w", "found", "call", "ed", "a", "b", " ", "x"]), max_size=20).map("".join),
    st.data(),
)
def test_literals_one_by_one_equal_their_alternation(literals, text, data):
    """Windows cut anywhere: a string counts only when wholly inside the window."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    one_by_one = _RequiredLiterals(set(literals), folded=False)
    assert one_by_one.literals is not None
    alternation = re.compile("|".join(map(re.escape, literals)))
    assert one_by_one.in_window(text, text, start, end) == (alternation.search(text, start, end) is not None)


_NEUTRAL_PIECES = ["shares", "SHARES", "ſhares", "Shares", "the", "dollar", "euro", "index", "in", "London", "were", "was", "rose", "fell",
                   "20", "million", "$5", "killed", "because", ",", ".", " ", "\n", "’"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NEUTRAL_PIECES), max_size=30).map(" ".join), st.data())
def test_might_match_never_rules_out_a_match(text, data):
    """On the lexicon's neutral and veto patterns, in any case and script."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    lower = text.lower() if len(text.lower()) == len(text) else text
    for pattern in (_lexicon().neutral, _lexicon().not_cues):
        if pattern.search(text, start, end) is not None:
            assert pattern.might_match(text, lower, start, end)


# --- Pattern.covers: the veto window --------------------------------------------------

_VETO_PIECES = ["cases", "casualties", "reported", "estimated", "was", "found", "on", "guilty", "the", "talk", "show", "shows", "of", "so-", "called",
                "he", "said", "by", "police", "announced", "Reuters", ",", ".", " ", " ", "  ", "\n", "x" * 12, "ſhow", "SHOWS", "FOUND", "é"]
_WORD_START = re.compile(r"(?<!\w)\w")


def _covers_plainly(regex, text, position, reach):
    """The reference: a match at a word start (or the first, cut, word) in the window that ends past `position`."""
    first = max(0, position - reach)
    offsets = [m.start() for m in re.finditer(r"\w+", text[first : position + 1])]
    starts = {first + o for o in offsets}
    for offset in sorted(starts):
        found = regex.match(text, offset)
        if found and found.end() > position:
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VETO_PIECES), max_size=30).map(" ".join), st.data())
def test_covers_equals_trying_every_word_in_the_window(text, data):
    """The window narrowed to the widest veto and the literal filter change no answer."""
    vetoes = _lexicon().not_cues
    assert vetoes.width is not None and vetoes._literals is not None  # both tricks are in use
    lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    position = data.draw(st.integers(0, len(text)))
    assert vetoes.covers(text, lower, position, 40, {}) == _covers_plainly(vetoes.regex, text, position, 40)


# --- PhraseLexicon: one index pass for every set -------------------------------------

_CLAIM_TEXT_WORDS = ["The", "minister", "warned", "record", "profits", "rose", "sharply", "million", "said", "crisis", ".", ",", " ", "\n\n", "“", "”", "may", "be", "likely", "11%"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_CLAIM_TEXT_WORDS), max_size=40).map(" ".join), st.data())
def test_a_range_without_a_candidate_holds_no_phrase(text, data):
    from checker.config import Settings
    from checker.pipeline import build_document

    phrases = _lexicon().phrases
    doc = build_document(text, "story.txt", Settings())
    start = data.draw(st.integers(0, len(doc.prose)))
    end = data.draw(st.integers(start, len(doc.prose)))
    found = list(phrases.find(doc, "claim-words", start, end))
    assert found == [] or phrases.may_start(doc, start, end)
    for phrase_start, _phrase_end in found:  # and a range around each phrase found is never ruled out
        assert phrases.may_start(doc, phrase_start, phrase_start + 1)


# --- matches_after: agency credits after an opener -----------------------------------

_AGENCY_NAMES = ["Reuters", "AP", "APA", "AFP", "Agence France-Presse", "TASS", "RIA Novosti", "dpa"]
_CREDIT_PIECES = [*_AGENCY_NAMES, "(", ")", "-", "–", "—", " ", "  ", "\t", "\n", "x", "said", "Presse", "Novosti", "RIA", ".", "é", "_"]
_OPENERS = ("(", "-", "–", "—")


def _after_openers_by_scanning(regex, text):
    """Every finditer match that starts at a word start within an opener and two white-space characters."""
    found = []
    for m in regex.finditer(text):
        at = m.start()
        word_start = at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")
        if word_start and text[max(0, at - 3) : at].rstrip().endswith(_OPENERS):
            found.append(m.span())
    return found


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_CREDIT_PIECES), max_size=30).map("".join))
@example("(Reuters) - TASS -  AFP -   AP (Agence France-Presse)(AP)x(AP)_(dpa)")
def test_matches_after_openers_are_those_a_scan_finds(text):
    from checker.matching.phrases import trie_regex

    assert finds_every_match_after(_AGENCY_NAMES, _OPENERS)
    regex = trie_regex(_AGENCY_NAMES)
    assert [m.span() for m in matches_after(regex, text, _OPENERS, gap=2)] == _after_openers_by_scanning(regex, text)


@pytest.mark.parametrize("names", [["Reuters-TASS", "TASS"], ["Reuters-TA", "TA-X"], ["X*", "Xinhua"]])
def test_names_that_could_hide_a_match_are_not_left_to_the_openers(names):
    """"Reuters-TASS" hides the TASS inside it from finditer; "Reuters-TA" the "TA-X"
    that goes on past it; a `*` anything: the caller scans the whole text instead."""
    assert not finds_every_match_after(names, _OPENERS)
