"""Named lists of phrases of whole words, found in one pass over a text's words.

Every list's phrases share one scan: a trie-shaped regular expression of the
phrases' first words finds where any phrase may start (one C-level pass however
many lists there are), and only there are the following words walked in a trie
of words.

A phrase is lowercase words; between two words, white space in the phrase matches
any run of white space, and any other separator ("well-placed", "editor's") must
be written the same. A match starts and ends at word boundaries (`\\w`), as
`\\b...(?!\\w)` would, and is the longest phrase at its start; matches of one list
do not overlap, left to right, as `finditer` gives them.
"""

import re

from checker.matching.phrases import trie_pattern

_WORD = re.compile(r"\w+")
_NEXT_WORD = re.compile(r"(\W*)(\w+)")


class WordPhrases:
    def __init__(self, lists):
        """`lists`: {name: iterable of phrases}."""
        self.names = tuple(lists)
        self._root = {}  # a trie of words: word -> node; node = [names ending here, {(separator, word): node}]
        for name, phrases in lists.items():
            for phrase in {" ".join(p.split()) for p in phrases if p.strip()}:
                words = _WORD.findall(phrase)
                if not words or not phrase.startswith(words[0]) or not phrase.endswith(words[-1]):
                    raise ValueError(f"a phrase must start and end with a word character: {phrase!r}")
                separators = _WORD.split(phrase)[1:-1]
                node = self._root.setdefault(words[0], [set(), {}])
                for separator, word in zip(separators, words[1:]):
                    node = node[1].setdefault((_separator_key(separator), word), [set(), {}])
                node[0].add(name)
        self._starts = _starts_regex(self._root)

    def __bool__(self):
        return bool(self._root)

    def find(self, text):
        """{name: [(start, end), ...]} of every list's matches in `text`."""
        found = {name: [] for name in self.names}
        if self._starts is None:
            return found
        root = self._root
        for match in self._starts.finditer(text):
            node = root[match.group()]
            start = end = match.end()
            ends = {name: end for name in node[0]}  # the longest match of each list
            while node[1]:
                following = _NEXT_WORD.match(text, end)
                if following is None:
                    break
                node = node[1].get((_separator_key(following.group(1)), following.group(2)))
                if node is None:
                    break
                end = following.end()
                for name in node[0]:
                    ends[name] = end
            start = match.start()
            for name, end in ends.items():
                spans = found[name]
                if not spans or spans[-1][1] <= start:  # lists' matches do not overlap
                    spans.append((start, end))
        return found


def _starts_regex(root):
    """Where a phrase may start: a first word that is a phrase itself (a trie regex of
    them), or one that only begins longer phrases, followed by one of their second
    words (checked by a look-ahead, so that a phrase may start at that second word
    too). Common words that only begin phrases ("a source", "in a statement") are then
    not stopped at."""
    singles = [word for word, node in root.items() if node[0]]
    alternatives = [f"{trie_pattern(singles)}"] if singles else []
    for word, node in sorted(root.items()):
        if node[0]:
            continue
        follows = "|".join(
            (r"\s+" if separator == " " else re.escape(separator)) + re.escape(following) + r"(?!\w)"
            for separator, following in sorted(node[1])
        )
        alternatives.append(f"{re.escape(word)}(?={follows})")
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")") if alternatives else None


def _separator_key(separator):
    """White space of any kind and length is one separator; anything else is itself."""
    return " " if separator and separator.isspace() else separator
