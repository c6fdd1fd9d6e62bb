"""Lists of phrases: as one trie-shaped regular expression, or as a trie walked in Python.

A lexicon phrase is lowercase words; `*` ends a word with any word ending
(`accus*`), white space between words matches any run of white space, and a
phrase ends only where no word character follows.

A regular expression scans a whole text fast but a large one is slow to compile. `PhraseSet` keeps the phrases as a trie walked
in Python, built node by node as walks reach it; its answer at an offset is the
answer of the regular expression of `trie_pattern` (branches tried in the same
order: white space, then `*` or the literal whose key sorts first, the end of a
phrase last). A short list can be matched by that regular expression instead.
Where a phrase may start is found by `PhraseIndex`: one regular expression of
only the head of each phrase (its first word and the start of its second), of
several sets at once.
"""

import re
from bisect import bisect_left
from itertools import groupby
from operator import itemgetter


def is_word_char(char):
    return char.isalnum() or char == "_"  # what `\w` matches in a str pattern


def compact_trie(phrases):
    """The phrases' character trie (" " joins words) as nested (a phrase ends here,
    white-space child, `*` child, {first character: (label, child)}): chains of
    single literal characters become one label, compared with one `startswith`.

    Built from the sorted phrases by splitting them where they differ, not
    character by character: a lexicon of thousands of phrases loads in a
    fraction of the time."""
    return _eager(_sorted_joined(phrases), 0)


def lazy_trie(phrases):
    """The same trie, each node built when `walk` first reaches it: the documents
    of a run reach few of the nodes of a long list, so the run does not build
    the rest before it starts."""
    return _pending(_sorted_joined(phrases), 0)


def _sorted_joined(phrases):
    return sorted({" ".join(phrase.split()) for phrase in phrases})


def _pending(strings, depth):
    """A node not built yet: [None, its strings, depth, None] (a built node's first item is a bool;
    None also survives the pickling of a cached rule set, where a sentinel object would not)."""
    return [None, strings, depth, None]


def _eager(strings, depth):
    return _trie_node(strings, depth, _eager)


def _trie_node(strings, depth, make_child):
    """The node for `strings` (sorted, distinct, sharing their first `depth`
    characters); `make_child` makes each child node from its strings."""
    ends = bool(strings) and len(strings[0]) == depth  # a prefix sorts before what extends it
    space = star = None
    literals = {}
    for key, group in groupby(strings[1:] if ends else strings, key=itemgetter(depth)):
        group = list(group)
        if key == " ":
            space = make_child(group, depth + 1)
        elif key == "*":
            star = make_child(group, depth + 1)
        else:
            # the label runs on while every string goes on with the same literal character
            first, last = group[0], group[-1]  # sorted: what they share, all share
            stop, limit = depth + 1, min(len(first), len(last))
            while stop < limit and first[stop] == last[stop] and first[stop] not in " *":
                stop += 1
            literals[key] = (first[depth:stop], make_child(group, stop))
    return (ends, space, star, literals)


def walk(node, text, i, end):
    """End offset of the match of the trie `node` at text[i:end], or -1."""
    ends, space, star, literals = node
    if ends is None:  # a node of a lazy_trie, reached for the first time
        node[:] = ends, space, star, literals = _trie_node(space, star, _pending)
    if i < end:
        char = text[i]
        if space is not None and char.isspace():  # " " sorts before every other key
            j = i + 1
            while j < end and text[j].isspace():
                j += 1
            found = walk(space, text, j, end)
            if found >= 0:
                return found
        literal = literals.get(char)
        if literal is not None and star is not None and char > "*":
            found = _walk_star(star, text, i, end)  # "*" sorts first
            if found >= 0:
                return found
            star = None
        if literal is not None:
            label, child = literal
            if text.startswith(label, i, end):
                found = walk(child, text, i + len(label), end)
                if found >= 0:
                    return found
    if star is not None:
        found = _walk_star(star, text, i, end)
        if found >= 0:
            return found
    if ends and (i >= end or not is_word_char(text[i])):
        return i
    return -1


def _walk_star(node, text, i, end):
    j = i
    while j < end and is_word_char(text[j]):
        j += 1
    # `\w*` is greedy; it gives back characters only when what follows could use them
    while True:
        found = walk(node, text, j, end)
        if found >= 0 or j == i or not node[3]:
            return found
        j -= 1


# The head of a phrase, which goes into the PhraseIndex: its first word and the
# first characters of its second. More characters make a larger index regex
# (longer to build before any file is checked) and fewer candidates; the number
# was chosen by counting instructions of both (docs/performance.md).
SECOND_WORD_CHARS = 4


def _head(joined):
    first, _space, rest = joined.partition(" ")
    return first + " " + rest.split(" ", 1)[0][:SECOND_WORD_CHARS] if rest else first


# _head of each line of the joined phrases (words are joined by one space, so
# a line holds one phrase): one search instead of a call per phrase, for lexicons
# of thousands of phrases.
_HEADS = re.compile(rf"^[^ \n]+(?: [^ \n]{{0,{SECOND_WORD_CHARS}}})?", re.MULTILINE)


def heads_of(joined):
    """{_head(phrase) for phrase in joined}: `joined` is sorted, each phrase's words joined by one space."""
    heads = set(_HEADS.findall("\n".join(joined)))
    if joined and joined[0] == "":  # sorted: the empty phrase comes first
        heads.add("")
    return heads


class PhraseSet:
    """Phrases (lowercase, `*` for any word ending): matched at an offset, or
    found at the word starts of a text."""

    def __init__(self, phrases, compiled=False):
        self._joined = _sorted_joined(phrases)  # words joined by one space
        self.root = _pending(self._joined, 0)  # a lazy_trie
        # `compiled`: matched by the trie's regular expression instead of a walk,
        # for a short list searched in every document (quick to compile, and
        # faster to match than a walk in Python)
        self.regex = trie_regex(self._joined) if compiled else None
        self._index = None
        self._heads = self._filter = None  # worked out when first needed: a set matched only at offsets needs neither

    @property
    def heads(self):
        """The heads of the phrases, for a PhraseIndex."""
        if self._heads is None:
            self._heads = heads_of(self._joined)
        return self._heads

    def _first_characters(self):
        """The first two characters a phrase can start with (" " for any white
        space), and the first characters any second one may follow (a phrase of
        one character, `x*`): a candidate the index found for another set is
        mostly ruled out by these, without a walk. (None, None): no filter."""
        if self._filter is None:
            pairs, free = set(), set()
            for joined in self._joined:
                if not joined or joined[0] == "*":
                    pairs = free = None  # anything can start a phrase
                    break
                if len(joined) == 1 or joined[1] == "*":
                    free.add(joined[0])
                else:
                    pairs.add(joined[:2])
            self._filter = (pairs, free)
        return self._filter

    def match(self, text, pos, endpos=None):
        """End of the phrase matching at `pos`, or -1."""
        endpos = len(text) if endpos is None else endpos
        if self.regex is not None:
            found = self.regex.match(text, pos, endpos)
            return found.end() if found is not None else -1
        return walk(self.root, text, pos, endpos)

    def scan(self, padded, start, stop, candidates=None):
        """(start, end) of each phrase at a word start of `padded`[start:stop], left to
        right and not overlapping, in the offsets of the text `padded` holds after
        its one leading space (the space lets a phrase start the text).

        `candidates` are the sorted offsets where a phrase may start, from a
        PhraseIndex holding this set (by default one of this set alone)."""
        for _range, found_start, found_end in self.scan_ranges(padded, ((start, stop),), candidates):
            yield found_start, found_end

    def scan_ranges(self, padded, ranges, candidates=None):
        """(index of the range, start, end) of each phrase that `scan` finds in each
        of the `ranges` ((start, stop), in order): one pass for the paragraphs of a
        document instead of one call each."""
        if candidates is None:
            if self._index is None:
                self._index = PhraseIndex([self])
            candidates = self._index.candidates(padded)
        root, regex = self.root, self.regex
        pairs, free = self._first_characters()
        count = len(candidates)
        for range_index, (start, stop) in enumerate(ranges):
            at = start
            for index in range(bisect_left(candidates, start), count):
                before = candidates[index]  # the non-word character before a possible phrase
                if before < at:
                    continue
                if before + 1 >= stop:
                    break
                if pairs is not None and padded[before + 1] not in free:
                    if before + 2 >= stop:
                        continue  # no room for a second character
                    second = padded[before + 2]
                    if padded[before + 1] + (" " if second.isspace() else second) not in pairs:
                        continue
                if regex is not None:
                    found = regex.match(padded, before + 1, stop)
                    end = found.end() if found is not None else -1
                else:
                    end = walk(root, padded, before + 1, stop)
                if end >= 0:
                    yield range_index, before, end - 1
                    at = end


class PhraseIndex:
    """Where a phrase of any of several PhraseSets may start in a text.

    Only the head of each phrase (its first word and the start of its second)
    goes into the regular expression: a sixth of the size of the whole (fast
    to compile), and the search skips in C to the places a phrase may start,
    which are few. One pass serves every set."""

    def __init__(self, phrase_sets):
        heads = set().union(*(phrase_set.heads for phrase_set in phrase_sets))
        self.regex = trie_regex(heads, **_INDEX_SHAPE)

    def candidates(self, padded):
        """Sorted offsets in `padded` of each non-word character a phrase may follow:
        a superset of the places where a set's phrase starts, never missing one."""
        if self.regex is None:
            return []
        found = [match.start() for match in self.regex.finditer(padded)]
        if not padded.isascii():
            found = [offset for offset in found if padded[offset] < "\x80" or not is_word_char(padded[offset])]
        return found


# Unbounded (no `(?!\w)` after the head): a phrase that matches within a
# window of the text then always has a candidate, whatever follows the window.
# Any character but an ASCII word character, not `\W`: the engine tests a
# class of ASCII ranges with a bitmap, where `\W` looks each character up
# in the Unicode tables. The few non-ASCII word characters this lets through
# are dropped in `candidates`.
_INDEX_SHAPE = {"bounded": False, "before": "[^0-9A-Z_a-z]"}


def trie_pattern(phrases, bounded=True):
    """The same phrases as one regular expression, shaped as a trie so that the
    engine tries few branches at each position (None when there are none).
    `bounded`: a phrase ends only where no word character follows."""
    phrases = list(phrases)
    if not phrases:
        return None
    return _render(compact_trie(phrases)) + (r"(?!\w)" if bounded else "")


def trie_regex(phrases, bounded=True, before=None):
    """re.compile(trie_pattern(phrases, bounded)), or with `before` (a regular
    expression) re.compile(before + "(?=" + trie_pattern(phrases, bounded) + ")");
    None when there are no phrases."""
    phrases = list(phrases)
    if not phrases:
        return None
    return re.compile(_wrapped(_render(compact_trie(phrases)), bounded, before))


def _wrapped(text, bounded, before):
    text += r"(?!\w)" if bounded else ""
    return text if before is None else before + "(?=" + text + ")"


def _render(node):
    """The regex text of a trie node: a group only where needed, `?` after a group
    where a phrase may end at the node, and one class for the branches that end
    one character on. Branches come in the order walk() tries them."""
    ends, space, star, literals = node
    steps = list(literals.items())  # (key, (label, child))
    if space is not None:
        steps.append((" ", (None, space)))
    if star is not None:
        steps.append(("*", (None, star)))
    steps.sort(key=itemgetter(0))  # in the order of the keys, as walk() tries them
    branches, leaves = [], []
    for key, (label, child) in steps:
        rest = _render(child)
        if label is None:  # white space or `*`
            prefix = r"\s+" if key == " " else r"\w*"
        elif len(label) == 1 and not rest and key > "*":
            leaves.append(label)
            continue
        else:
            prefix = re.escape(label)
        branches.append(prefix + rest)
    # Phrases that end one character on, as one class (`[dft]`, not `(?:d|f|t)`):
    # half the time to compile. Its characters come after `*` and white space,
    # the only branches that can match the same character, so the order is kept.
    if leaves:
        branches.append("[" + "".join(map(re.escape, leaves)) + "]" if len(leaves) > 1 else re.escape(leaves[0]))
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if ends else "")


class PhraseLexicon:
    """Named PhraseSets searched in a document's folded prose (checker.document:
    lowercased, offsets unchanged), with one PhraseIndex pass per document telling
    where a phrase of any of them may start. Kinds ask by name: `find(doc, "cue")`."""

    def __init__(self, sets):
        self.sets = {name: phrases for name, phrases in sets.items() if phrases is not None}
        self.index = PhraseIndex(list(self.sets.values()))

    def __contains__(self, name):
        return name in self.sets

    def _candidates(self, doc):
        """The folded prose after one space, and where a phrase of any set may start in it."""

        def find():
            padded = " " + doc.folded_prose
            return padded, self.index.candidates(padded)

        return doc.memo(self, "phrase-candidates", find)

    def find(self, doc, name, start=0, end=None):
        """(start, end) of each phrase of the set `name` at a word start in the folded
        prose, within [start, end), left to right and not overlapping."""
        phrases = self.sets.get(name)
        if phrases is None:
            return iter(())
        padded, candidates = self._candidates(doc)
        # padded[i + 1] is folded[i]; the search starts at the character before `start`
        return phrases.scan(padded, start, len(padded) if end is None else end + 1, candidates)

    def find_in_paragraphs(self, doc, name):
        """(paragraph index, start, end) of each phrase `find` finds in each paragraph, in one pass."""
        phrases = self.sets.get(name)
        if phrases is None:
            return iter(())
        padded, candidates = self._candidates(doc)
        return phrases.scan_ranges(padded, [(p.start, p.end + 1) for p in doc.paragraphs], candidates)

    def may_start(self, doc, start, end):
        """Might a phrase of any set start in [start, end)? Most sentences hold no
        candidate at all, and then a search there is not started."""
        _padded, candidates = self._candidates(doc)
        index = bisect_left(candidates, start)
        return index < len(candidates) and candidates[index] < end
