"""trie_regex: a list of phrases as one trie-shaped regular expression, matching
what a plain alternation of the phrases matches."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.matching.phrases import compact_trie, trie_pattern, trie_regex

_WORDS = ["a", "ab", "abc", "b", "ba", "said", "sa", "so-called", "u.s.", "twenty-*", "accus*", "acc*", "x*", "don't", "é", "ß"]
phrases = st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=8)
texts = st.lists(
    st.one_of(st.sampled_from([*_WORDS, " ", "  ", "\n", "\t", ",", ".", "-", "'", "_", "1", "accused", "twenty-one", "abcd"]), st.text(max_size=3)),
    max_size=30,
).map("".join)


def _plain(phrase):
    """One phrase as a regex of its own: white space is any run of it, `*` any word ending."""
    words = [re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "") for word in phrase.split()]
    return r"\s+".join(words) + r"(?!\w)"


def _ends(phrase_list, text, offset):
    """Where a match of some phrase at `offset` can end."""
    return {m.end() for phrase in phrase_list if phrase.split() for m in [re.compile(_plain(phrase)).match(text, offset)] if m}


def _assert_matches_where_some_phrase_matches(phrase_list, text):
    regex = trie_regex(phrase_list)
    for offset in range(len(text) + 1):
        found = regex.match(text, offset)
        ends = _ends(phrase_list, text, offset)
        assert (found is not None) == bool(ends)
        if found is not None:
            assert found.end() in ends


@settings(max_examples=400, deadline=None)
@given(phrases, texts)
def test_the_trie_matches_where_some_phrase_matches(phrase_list, text):
    _assert_matches_where_some_phrase_matches(phrase_list, text)


@pytest.mark.parametrize(
    "phrase_list, text, expected",
    [
        (["sources said"], "sources said it. unsources said", [(0, 12), (19, 31)]),
        (["twenty-* people"], "twenty-one people, twenty-one films", [(0, 17)]),  # `*` then the next word
        (["a source", "a source close to"], "a source close to it", [(0, 17)]),  # the longer phrase
        (["a b"], "a\tb, a\nb", [(0, 3), (5, 8)]),  # any white space between words
        (["a", "ab c"], "a. ab c", [(0, 1), (3, 7)]),  # a phrase of one character
    ],
)
def test_examples(phrase_list, text, expected):
    assert [m.span() for m in trie_regex(phrase_list).finditer(text)] == expected


# --- the trie is built from the sorted phrases: the same as built character by character ---


def _char_trie(phrases):
    """The reference: one dict per character (" " joins words, "" ends a phrase)."""
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
    return trie


def _compacted(node):
    literals = {}
    for key, child in node.items():
        if key in ("", " ", "*"):
            continue
        label = key
        while len(child) == 1 and next(iter(child)) not in ("", " ", "*"):
            (next_key, child), = child.items()
            label += next_key
        literals[key] = (label, _compacted(child))
    return ("" in node, _compacted(node[" "]) if " " in node else None, _compacted(node["*"]) if "*" in node else None, literals)


def _rendered(node):
    branches, optional = [], False
    for key in sorted(node):
        if key == "":
            optional = True
        elif key in ("*", " "):
            branches.append((r"\w*" if key == "*" else r"\s+") + _rendered(node[key]))
        else:
            label, child = key, node[key]
            while len(child) == 1 and next(iter(child)) not in ("", " ", "*"):
                (next_key, child), = child.items()
                label += next_key
            branches.append(re.escape(label) + _rendered(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    return body + ("?" if optional else "")


_CHARACTERS = st.sampled_from(["a", "b", "ab", "*", "'", "-", ".", "!", "\x01", "é", "ß", " ", "  ", "\t"])
raw_phrases = st.lists(st.lists(_CHARACTERS, max_size=8).map("".join), max_size=12)


@settings(max_examples=500, deadline=None)
@given(st.one_of(phrases, raw_phrases), texts)
def test_compact_trie_equals_the_trie_built_character_by_character(phrase_list, text):
    assert compact_trie(phrase_list) == _compacted(_char_trie(phrase_list))
    if not phrase_list:
        assert trie_pattern(phrase_list) is None
        return
    # the pattern may spell branches otherwise (a class for one-character
    # leaves), but matches what the plain rendering matches, everywhere
    found, plain = re.compile(trie_pattern(phrase_list)), re.compile(_rendered(_char_trie(phrase_list)) + r"(?!\w)")
    for offset in range(len(text) + 1):
        for end in range(offset, len(text) + 1):
            expected = plain.match(text, offset, end)
            got = found.match(text, offset, end)
            assert (got and got.end()) == (expected and expected.end()), (offset, end)


# --- trie_regex: phrases with characters the regex syntax gives a meaning to -------

_ODD_WORDS = [*_WORDS, "a'", "it's", "x-ray", "(a)", "a.b", "[x]", "^", "$", "\\", "1", "12", "0*", "'", "''"]
odd_phrases = st.lists(st.lists(st.sampled_from(_ODD_WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=10)


@settings(max_examples=300, deadline=None)
@given(odd_phrases, st.text(alphabet=" ab'()[].^$\\1x-ry*", max_size=30))
def test_the_regex_of_odd_phrases_matches_where_some_phrase_matches(phrase_list, text):
    _assert_matches_where_some_phrase_matches(phrase_list, text)


def test_no_phrases_no_regex():
    assert trie_regex([]) is None and trie_regex([], before=" ") is None
