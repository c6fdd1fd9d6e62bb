"""Lists of phrases: as one trie-shaped regular expression, or as a trie walked in Python.

A lexicon phrase is lowercase words; `*` ends a word with any word ending
(`accus*`), white space between words matches any run of white space, and a
phrase ends only where no word character follows.

A regular expression scans a whole text fast but a large one is slow to compile
(a fifth of a second for 50 KB). `PhraseSet` compiles only the first two words
of each phrase, to find where a phrase may start, and walks the trie in Python
from there. Its answer at an offset is the answer of the regular expression of
`trie_pattern` (branches tried in the same order: white space, then `*` or the
literal whose key sorts first, the end of a phrase last).
"""

import re


def is_word_char(char):
    return char.isalnum() or char == "_"  # what `\w` matches in a str pattern


def build_trie(phrases):
    """The character trie of the phrases: " " joins words, "" marks a phrase end."""
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


def _compact(node):
    """The trie as (a phrase ends here, white-space child, `*` child, {first character:
    (label, child)}): chains of single literal characters become one label,
    compared with one `startswith`."""
    literals = {}
    for key, child in node.items():
        if key in ("", " ", "*"):
            continue
        label = key
        while len(child) == 1:
            (next_key, next_child), = child.items()
            if next_key in ("", " ", "*"):
                break
            label += next_key
            child = next_child
        literals[key] = (label, _compact(child))
    space = _compact(node[" "]) if " " in node else None
    star = _compact(node["*"]) if "*" in node else None
    return ("" in node, space, star, literals)


def walk(node, text, i, end):
    """End offset of the match of the trie `node` at text[i:end], or -1."""
    ends, space, star, literals = node
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


HEAD_WORDS = 2


class PhraseSet:
    """Phrases (lowercase, `*` for any word ending): matched at an offset, or
    found at the word starts of a text."""

    def __init__(self, phrases, scanned=True):
        phrases = list(phrases)
        self.root = _compact(build_trie(phrases))
        # Only the first two words of each phrase go into a regular expression:
        # a tenth of the size (fast to compile), and the search skips in C to
        # the places a phrase may start, which are few.
        # (a set only matched at given offsets needs none)
        heads = trie_pattern({" ".join(phrase.split()[:HEAD_WORDS]) for phrase in phrases}) if scanned else None
        self.head = re.compile(r"\W" + heads) if heads else None

    def match(self, text, pos, endpos=None):
        """End of the phrase matching at `pos`, or -1."""
        return walk(self.root, text, pos, len(text) if endpos is None else endpos)

    def scan(self, padded, start, stop):
        """(start, end) of each phrase at a word start of `padded`[start:stop], left to
        right and not overlapping, in the offsets of the text `padded` holds after
        its one leading space (the space lets a phrase start the text)."""
        if self.head is None:
            return
        search, root, at = self.head.search, self.root, start
        while True:
            candidate = search(padded, at, stop)
            if candidate is None:
                return
            begin = candidate.start() + 1  # after the non-word character
            end = walk(root, padded, begin, stop)
            if end >= 0:
                yield begin - 1, end - 1
                at = end
            else:
                at = begin


def trie_pattern(phrases):
    """The same phrases as one regular expression, shaped as a trie so that the
    engine tries few branches at each position (None when there are none)."""
    trie = build_trie(phrases)
    if not trie:
        return None

    def render(node):
        branches, optional = [], False
        for key in sorted(node):
            if key == "":
                optional = True
            elif key == "*":
                branches.append(r"\w*" + render(node[key]))
            elif key == " ":
                branches.append(r"\s+" + render(node[key]))
            else:
                label, child = key, node[key]
                while len(child) == 1 and next(iter(child)) not in ("", " ", "*"):
                    (next_key, child), = child.items()
                    label += next_key
                branches.append(re.escape(label) + render(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        return body + ("?" if optional else "")

    return render(trie) + r"(?!\w)"
