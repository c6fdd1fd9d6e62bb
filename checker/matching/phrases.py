"""Lists of phrases as one trie-shaped regular expression.

A lexicon phrase is lowercase words; `*` ends a word with any word ending
(`accus*`), white space between words matches any run of white space, and a
phrase ends only where no word character follows. A plain alternation of
hundreds of phrases makes the engine try every branch at every position; the
trie shape tries only the branches that share what has been read so far.
"""

import re
from itertools import groupby
from operator import itemgetter


def compact_trie(phrases):
    """The phrases' character trie (" " joins words) as nested (a phrase ends here,
    white-space child, `*` child, {first character: (label, child)}): chains of
    single literal characters become one label, compared with one `startswith`.

    Built from the sorted phrases by splitting them where they differ, not
    character by character: a lexicon of thousands of phrases loads in a
    fraction of the time."""
    return _eager(_sorted_joined(phrases), 0)


def _sorted_joined(phrases):
    return sorted({" ".join(phrase.split()) for phrase in phrases})


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
    one character on. Branches come in the order of their keys (white space and `*` sort first)."""
    ends, space, star, literals = node
    steps = list(literals.items())  # (key, (label, child))
    if space is not None:
        steps.append((" ", (None, space)))
    if star is not None:
        steps.append(("*", (None, star)))
    steps.sort(key=itemgetter(0))  # a fixed order: the same phrases always give the same regex
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
