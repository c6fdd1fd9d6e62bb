"""start_class: every match of the pattern starts with a character of the class;
max_width: no match is longer."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.matching.parse import ascii_exact_class, max_width, required_literals, start_class

_ATOMS = ["a", "b", "A", "1", "é", "ab", "ſ", "K", r"\d", r"\w", r"\s", r"\W", "[a-c]", "[$£]", "[^a]", ".", r"\b", "^", "$", "(?=a)", "(?!b)", "(?<=a)"]
_QUANTIFIERS = ["", "", "?", "*", "+", "{2}", "{0,2}", "+?"]


def _pattern(draw, depth=0):
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            alternatives = [_pattern(draw, depth + 1) for _ in range(draw(st.integers(1, 3)))]
            atom = "(?:" + "|".join(alternatives) + ")"
        else:
            atom = draw(st.sampled_from(_ATOMS))
        quantifier = draw(st.sampled_from(_QUANTIFIERS)) if not atom.startswith(("(?=", "(?!", "(?<", "\\b", "^", "$")) else ""
        pieces.append(atom + quantifier)
    return "".join(pieces)


patterns = st.composite(lambda draw: _pattern(draw))()
texts = st.text(alphabet="abAB1é £$\n-_ſkK", max_size=20)


def _matches(regex, text, every_window=True):
    """(offset, match) of each match of `regex` at each offset of `text`: in every
    window that starts there when `every_window` (a shorter one can change the
    match), else in the window to the end of the text."""
    for offset in range(len(text) + 1):
        for end in range(offset, len(text) + 1) if every_window else (len(text),):
            match = regex.match(text, offset, end)
            if match:
                yield offset, match


@settings(max_examples=400, deadline=None)
@given(patterns, texts, st.sampled_from([0, re.IGNORECASE]))
def test_every_match_starts_with_a_character_of_the_class(pattern, text, flags):
    """...and of its ASCII-exact form, which agrees with it on ASCII and holds every other character."""
    first = start_class(pattern, flags)
    if first is None:
        return
    start, quick = re.compile(first, flags), re.compile(ascii_exact_class(first, flags))
    for code in range(128):
        assert bool(quick.match(chr(code))) == bool(start.match(chr(code))), (first, chr(code))
    assert all(quick.match(c) for c in "é£ſ\u212a\u00a0\u2019𝐀")  # whatever its case or class
    for offset, _match in _matches(re.compile(pattern, flags), text, every_window=False):
        assert start.match(text, offset) and quick.match(text, offset), (pattern, text, offset, first)


@pytest.mark.parametrize(
    "pattern, flags, expected",
    [
        (r"(?:[$£]\s?\d)|(?:\d+%)", 0, r"[$\d£]"),  # an alternation of groups: the union of their starts
        (r"\b(?:so-|is )called\b", re.IGNORECASE, "[is]"),  # anchors and look-arounds are passed over
        (r"(?:ab)?c", 0, "[ac]"),  # an optional start lets the next item start the match
        (r"a*", 0, None),  # can match nothing: any position
        (r".x", 0, None),  # any character
        (r"[^a]b", 0, None),  # a negated set
        (r"(?i:a)b", 0, None),  # flags changed inside
    ],
)
def test_examples(pattern, flags, expected):
    found = start_class(pattern, flags)
    assert (found is None) == (expected is None)
    if expected is not None:  # the same characters, however the class is spelt
        sample = "".join(map(chr, range(0x250)))
        assert [c for c in sample if re.fullmatch(found, c, flags)] == [c for c in sample if re.fullmatch(expected, c, flags)]


@settings(max_examples=400, deadline=None)
@given(patterns, texts, st.sampled_from([0, re.IGNORECASE]))
def test_no_match_is_wider_than_max_width(pattern, text, flags):
    widest = max_width(pattern, flags)
    if widest is None:
        return
    for offset, match in _matches(re.compile(pattern, flags), text):
        assert match.end() - match.start() <= widest, (pattern, text, offset, widest)


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"\b(?:is|was) (?:declared|found)\b(?!(?:\s+\w+){0,4}?\s+by\b)", 12),  # a look-ahead peeks, but spans nothing
        (r"(?<=x)ab", 2),
        (r"a{2,5}", 5),
        (r"a+", None),  # unbounded
    ],
)
def test_max_width_examples(pattern, expected):
    assert max_width(pattern) == expected


@settings(max_examples=400, deadline=None)
@given(patterns, texts, st.sampled_from([0, re.IGNORECASE]))
def test_every_match_holds_one_of_the_required_literals(pattern, text, flags):
    literals = required_literals(pattern, flags)
    if literals is None:
        return
    assert literals and all(literals)
    holds = re.compile("|".join(re.escape(s) for s in literals), flags)  # under the pattern's own flags
    for offset, match in _matches(re.compile(pattern, flags), text):
        assert holds.search(match.group()), (pattern, text, offset, literals)


@pytest.mark.parametrize(
    "pattern, flags, expected",
    [
        (r"\b(?:so-|is )called\b", 0, {"called"}),  # the longest run wins over the shorter choices
        (r"(?:the|a) shows?\b|\bshows? of", 0, {"show"}),  # " show" holds "show": one is enough
        (r"(?:ab|cd)+x", 0, {"ab", "cd"}),  # a repeat that happens at least once
        (r"(?:ab)?x", 0, {"x"}),  # an optional group requires nothing
        (r"a|[bc]", 0, None),  # a branch with no literal
        (r"(?i:ab)", 0, None),  # flags changed inside
        (r"(?=abc)\w", 0, None),  # look-arounds hold nothing of the match
        (r"\d+", 0, None),
    ],
)
def test_required_literals_examples(pattern, flags, expected):
    found = required_literals(pattern, flags)
    assert (None if found is None else set(found)) == expected
