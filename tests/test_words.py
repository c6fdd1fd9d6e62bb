"""WordPhrases (checker.matching.words) finds what a plain search finds: at each word
start, left to right, the longest phrase of each list, matches of a list not overlapping."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.matching.words import WordPhrases

_WORDS = ["a", "ab", "said", "say", "in", "the", "statement", "well", "placed", "sources", "x1", "é", "_"]
phrase = st.tuples(st.sampled_from(_WORDS), st.lists(st.tuples(st.sampled_from([" ", "-", "'"]), st.sampled_from(_WORDS)), max_size=2)).map(
    lambda t: t[0] + "".join(sep + word for sep, word in t[1])
)
lists = st.dictionaries(st.sampled_from(["verbs", "phrases", "other"]), st.lists(phrase, min_size=1, max_size=6), min_size=1, max_size=3)
texts = st.lists(st.sampled_from([*_WORDS, " ", "  ", "\n", "\t", "-", "'", ",", ".", "sa", "ids", "1"]), max_size=30).map("".join)


def _plain(phrase_list, text):
    """The reference: every phrase as a regex of its own, tried at every word start."""
    regexes = [re.compile(r"\s+".join(re.escape(part) for part in p.split(" ")) + r"(?!\w)") for p in phrase_list]
    found = []
    for start in range(len(text)):
        if not re.match(r"\w", text[start]) or (start > 0 and re.match(r"\w", text[start - 1])):
            continue
        ends = [m.end() for r in regexes for m in [r.match(text, start)] if m]
        if ends and (not found or found[-1][1] <= start):
            found.append((start, max(ends)))
    return found


@settings(max_examples=500, deadline=None)
@given(lists, texts)
def test_each_list_is_found_as_a_plain_search_finds_it(phrase_lists, text):
    found = WordPhrases(phrase_lists).find(text)
    for name, phrase_list in phrase_lists.items():
        assert found[name] == _plain(phrase_list, text), name


def test_white_space_between_words_is_any_run_and_other_separators_are_literal():
    lexicon = WordPhrases({"a": ["in a statement", "well-placed sources"]})
    assert lexicon.find("in  a\nstatement, well-placed sources; well placed sources")["a"] == [(0, 15), (17, 36)]


@pytest.mark.parametrize("phrase", ["-said", "said.", "(a|b)"])
def test_a_phrase_must_start_and_end_with_a_word(phrase):
    with pytest.raises(ValueError):
        WordPhrases({"a": [phrase]})
