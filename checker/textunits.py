"""Positions in the units other programs count in.

The checker counts code points. Editors speaking LSP count UTF-16 code units
unless both sides agree on UTF-32 (code points) or UTF-8; LanguageTool's
clients count UTF-16 code units (Java's and JavaScript's string indices). A
character outside the Basic Multilingual Plane (most emoji, 𝒳) is one code
point, two UTF-16 units and four UTF-8 bytes.

Lines, as LSP defines them, end at `\\r\\n`, `\\n` or `\\r` (the checker's own
line count agrees).
"""

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LINE_END = re.compile(r"\r\n|\r|\n")
_WIDE = re.compile("[\U00010000-\U0010ffff]")


def units(text, encoding):
    """The length of `text` in the code units of `encoding`."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + sum(1 for _ in _WIDE.finditer(text))
    return len(text.encode("utf-8", "surrogatepass"))


def code_points_in(text, count, encoding):
    """How many code points of `text` its first `count` code units hold (a count
    that falls inside a character stops before it; past the end: the whole)."""
    if encoding == UTF32 or text.isascii():
        return min(count, len(text))
    seen = 0
    for index, char in enumerate(text):
        width = _width(char, encoding)
        if seen + width > count:
            return index
        seen += width
    return len(text)


def _width(char, encoding):
    code = ord(char)
    if encoding == UTF16:
        return 2 if code > 0xFFFF else 1
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


class LineIndex:
    """Offsets (code points) to LSP positions (line, character in `encoding`'s
    units) and back, for one text."""

    def __init__(self, text, encoding=UTF16):
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [m.end() for m in _LINE_END.finditer(text)]

    def line_of(self, offset):
        return bisect.bisect_right(self.starts, offset) - 1

    def line_end(self, line):
        """The offset where `line`'s text ends (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - (2 if self.text[end - 2 : end] == "\r\n" else 1)
        return len(self.text)

    def position(self, offset):
        """(line, character) of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        return line, units(self.text[self.starts[line] : offset], self.encoding)

    def offset(self, line, character):
        """The code-point offset of an LSP position; past a line's end: its end (as LSP says)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        return start + code_points_in(self.text[start:end], max(character, 0), self.encoding)


class Utf16Offsets:
    """Code-point offsets of one text as UTF-16 offsets, in O(log n) each."""

    def __init__(self, text):
        self._wide = [m.start() for m in _WIDE.finditer(text)] if not text.isascii() else []

    def __call__(self, offset):
        return offset + bisect.bisect_left(self._wide, offset)
