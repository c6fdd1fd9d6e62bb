"""PhraseSet finds exactly what the trie regular expression finds.

The regular expression (`trie_pattern`, with a leading non-word character so
that it matches only at word starts) is the reference: Python's `re` decides
the order of branches and the backtracking. PhraseSet walks the same trie in
Python; a difference in any match at any offset is a bug.
"""

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.matching.phrases import PhraseIndex, PhraseSet, _head, _sorted_joined, compact_trie, heads_of, lazy_trie, trie_pattern, trie_regex, walk

_WORDS = ["a", "ab", "abc", "b", "ba", "said", "sa", "so-called", "u.s.", "twenty-*", "accus*", "acc*", "x*", "don't", "é", "ß"]
phrases = st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=8)
texts = st.lists(
    st.one_of(st.sampled_from([*_WORDS, " ", "  ", "\n", "\t", ",", ".", "-", "'", "_", "1", "accused", "twenty-one", "abcd"]), st.text(max_size=3)),
    max_size=30,
).map("".join)


def _reference(phrase_list, text, start, stop):
    regex = re.compile(r"\W" + trie_pattern(phrase_list))
    padded = " " + text
    return [(m.start(), m.end() - 1) for m in regex.finditer(padded, start, stop + 1)]


@settings(max_examples=300, deadline=None)
@given(phrases, texts, st.data(), st.booleans())
def test_scan_equals_the_regular_expression(phrase_list, text, data, compiled):
    start = data.draw(st.integers(0, len(text)))
    stop = data.draw(st.integers(start, len(text)))
    padded = " " + text
    found = list(PhraseSet(phrase_list, compiled).scan(padded, start, stop + 1))
    assert found == _reference(phrase_list, text, start, stop)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(phrases, st.booleans()), min_size=1, max_size=4), texts, st.data())
def test_scan_with_a_shared_index_equals_the_regular_expression(lists_and_modes, text, data):
    """One PhraseIndex of several sets, walked or compiled: each set still finds exactly its own phrases."""
    phrase_lists = [phrase_list for phrase_list, _compiled in lists_and_modes]
    sets = [PhraseSet(phrase_list, compiled) for phrase_list, compiled in lists_and_modes]
    padded = " " + text
    candidates = PhraseIndex(sets).candidates(padded)
    start = data.draw(st.integers(0, len(text)))
    stop = data.draw(st.integers(start, len(text)))
    for phrase_list, phrase_set in zip(phrase_lists, sets):
        assert list(phrase_set.scan(padded, start, stop + 1, candidates)) == _reference(phrase_list, text, start, stop)


@settings(max_examples=300, deadline=None)
@given(st.lists(phrases, min_size=1, max_size=3), texts)
def test_index_candidates_are_the_non_word_characters_before_a_head(phrase_lists, text):
    """The index's class is ASCII only (fast); the non-ASCII word characters it lets through are dropped."""
    index = PhraseIndex([PhraseSet(phrase_list) for phrase_list in phrase_lists])
    heads = set().union(*(PhraseSet(phrase_list).heads for phrase_list in phrase_lists))
    reference = re.compile(r"\W(?=" + trie_pattern(heads, bounded=False) + ")")
    padded = " " + text
    assert index.candidates(padded) == [m.start() for m in reference.finditer(padded)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" ab*\u00e9\t", max_size=12), max_size=8))
def test_heads_found_in_one_search_are_each_phrases_head(phrase_list):
    joined = _sorted_joined(phrase_list)
    assert heads_of(joined) == {_head(phrase) for phrase in joined}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("said", [0]),
        ("“said ésaid ßsaid —said", [1, 19]),  # quotation mark and dash: non-word; é and ß: word characters
        ("x\u00a0said 1said _said", [2]),  # a no-break space is non-word; digits and "_" are word characters
    ],
)
def test_index_candidates_examples(text, expected):
    assert PhraseIndex([PhraseSet(["said"])]).candidates(" " + text) == expected


@settings(max_examples=300, deadline=None)
@given(phrases, texts)
def test_match_equals_the_regular_expression_at_every_offset(phrase_list, text):
    regex = re.compile(trie_pattern(phrase_list))
    walked, compiled = PhraseSet(phrase_list), PhraseSet(phrase_list, compiled=True)
    for offset in range(len(text) + 1):
        expected = regex.match(text, offset)
        assert walked.match(text, offset) == compiled.match(text, offset) == (expected.end() if expected else -1), offset
        for endpos in range(offset, len(text) + 1):  # a window's end is the end of the text to both
            assert walked.match(text, offset, endpos) == compiled.match(text, offset, endpos), (offset, endpos)


@pytest.mark.parametrize(
    "phrase_list, text, expected",
    [
        (["sources said"], "Sources said it.", []),  # case counts: the caller folds the text
        (["sources said"], "sources said it. unsources said", [(0, 12)]),  # only at word starts
        (["it is thought", "is thought to be"], "the deficit is thought to be", [(12, 28)]),  # not hidden by "defic|it is"
        (["twenty-* people"], "twenty-one people, twenty-one films", [(0, 17)]),  # `*` then the next word
        (["accus*", "accused of"], "accused of fraud", [(0, 7)]),  # `*` is tried before a longer literal
        (["a source", "a source close to"], "a source close to it", [(0, 17)]),  # the longer phrase
        (["a b"], "a\tb, a\nb", [(0, 3), (5, 8)]),  # any white space between words
        (["x*", "said"], "xyz said", [(0, 3), (4, 8)]),  # `*` second: any second character
        (["a", "ab c"], "a. ab c", [(0, 1), (3, 7)]),  # a phrase of one character
        (["ab* c", "abd", "abe"], "abd c, abe", [(0, 5), (7, 10)]),  # `*` before the one-character leaves
    ],
)
def test_examples(phrase_list, text, expected):
    assert list(PhraseSet(phrase_list).scan(" " + text, 0, len(text) + 1)) == expected
    assert _reference(phrase_list, text, 0, len(text)) == expected


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


def _expanded(node):
    """A lazy trie's nodes as built so far, lists turned to tuples (None: not built yet)."""
    if node[0] is None:
        return None
    ends, space, star, literals = node
    return (
        ends,
        None if space is None else _expanded(space),
        None if star is None else _expanded(star),
        {key: (label, _expanded(child)) for key, (label, child) in literals.items()},
    )


def _fill(node):
    """Build every node of a lazy trie, by walking into it."""
    if node[0] is None:
        walk(node, "", 0, 0)  # any walk builds the node it starts at
    _ends, space, star, literals = node
    for child in (space, star, *(child for _label, child in literals.values())):
        if child is not None:
            _fill(child)
    return node


@settings(max_examples=300, deadline=None)
@given(st.one_of(phrases, raw_phrases), texts)
def test_a_lazy_trie_builds_only_what_walks_reach_and_equals_the_compact_trie(phrase_list, text):
    lazy = lazy_trie(phrase_list)
    assert _expanded(lazy) is None  # nothing built before the first walk
    eager = compact_trie(phrase_list)
    for offset in range(len(text) + 1):
        assert walk(lazy, text, offset, len(text)) == walk(eager, text, offset, len(text))
    assert _expanded(_fill(lazy)) == eager


def test_a_lazy_trie_survives_pickling_unbuilt_and_half_built():
    """The compiled rule set is cached as a pickle: a node not built yet must stay recognisable."""
    lazy = lazy_trie(["according to", "said", "sources close to"])
    fresh = pickle.loads(pickle.dumps(lazy))
    assert walk(fresh, "sources close to him", 0, 20) == 16
    walk(lazy, "said", 0, 4)
    half_built = pickle.loads(pickle.dumps(lazy))
    assert walk(half_built, "according to them", 0, 17) == 12
    assert _expanded(_fill(half_built)) == compact_trie(["according to", "said", "sources close to"])


def test_a_lazy_trie_leaves_unreached_branches_unbuilt():
    lazy = lazy_trie(["according to", "said", "sources close to"])
    assert walk(lazy, "said so", 0, 7) == 4
    ends, _space, _star, literals = lazy
    assert ends is False and set(literals) == {"a", "s"}
    label, child = literals["a"]
    assert label == "according" and _expanded(child) is None  # never reached
    label, child = literals["s"]
    assert label == "s" and _expanded(child) is not None


@settings(max_examples=300, deadline=None)
@given(phrases, texts, st.lists(st.integers(0, 40), max_size=8))
def test_scan_ranges_equals_one_scan_per_range(phrase_list, text, cuts):
    """One pass over the paragraphs of a document finds what a scan of each finds, paragraph by paragraph."""
    padded = " " + text
    bounds = sorted({min(c, len(padded)) for c in cuts} | {0, len(padded)})
    ranges = list(zip(bounds, bounds[1:]))
    phrase_set = PhraseSet(phrase_list)
    expected = [(i, *found) for i, (start, stop) in enumerate(ranges) for found in phrase_set.scan(padded, start, stop)]
    assert list(phrase_set.scan_ranges(padded, ranges)) == expected


# --- trie_regex: phrases with characters the regex syntax gives a meaning to -------

_ODD_WORDS = [*_WORDS, "a'", "it's", "x-ray", "(a)", "a.b", "[x]", "^", "$", "\\", "1", "12", "0*", "'", "''"]
odd_phrases = st.lists(st.lists(st.sampled_from(_ODD_WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=10)


@settings(max_examples=300, deadline=None)
@given(odd_phrases, st.text(alphabet=" ab'()[].^$\\1x-ry*", max_size=30))
def test_the_regex_of_odd_phrases_matches_as_the_walk_does(phrase_list, text):
    regex, walked = trie_regex(phrase_list), PhraseSet(phrase_list)
    for offset in range(len(text) + 1):
        found = regex.match(text, offset)
        assert (found.end() if found else -1) == walked.match(text, offset)


def test_no_phrases_no_regex():
    assert trie_regex([]) is None and trie_regex([], before=" ") is None
