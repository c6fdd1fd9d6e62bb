"""The matching layer's speed trick for agency credits: matches_after answers as
the plain scan it stands for."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from checker.matching.regex import finds_every_match_after, matches_after

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
