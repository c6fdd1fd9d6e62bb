"""Pieces of text read out of a stored file, each with the way back to it.

A reader decodes what a format stores (JSON escapes, XML and HTML entities,
CSV's doubled quotes, markup between the words) into plain text. A `Piece` is
one such text (a headline, a paragraph, a timestamp) with its `OffsetMap`: for
every character of the text, the characters of the stored file it came from.
A finding in the text is moved into the stored file with it, and a fix is
written back with the piece's escaping (`Piece.escape`).

Offsets on both sides are code-point offsets: into the piece's text, and into
the stored file's decoded text (what `checker.pipeline.decode` gives).
"""

import json
from bisect import bisect_right
from xml.sax.saxutils import escape as _xml_escape

from checker.records import Record


class OffsetMap:
    """Runs of a decoded text and the stored spans they came from.

    Run k covers text[starts[k]:starts[k+1]] and stored[stored_starts[k]:stored_ends[k]].
    A run is either copied (as long on both sides: character i of it is stored
    character stored_starts[k] + i) or one unit (an escape such as `\\u0421`,
    `&amp;` or `""`, a collapsed run of white space, a CRLF read as LF): all of it
    stands for all of its stored span. Between runs the stored file may hold
    what the text leaves out (markup): a gap."""

    __slots__ = ("starts", "stored_starts", "stored_ends")

    def __init__(self, starts, stored_starts, stored_ends):
        # starts has one more element than the runs: the text's length
        self.starts, self.stored_starts, self.stored_ends = starts, stored_starts, stored_ends

    @classmethod
    def copied(cls, stored_start, length):
        """The map of text stored as it is, from `stored_start` on."""
        return cls([0, length], [stored_start], [stored_start + length])

    @classmethod
    def from_runs(cls, runs, length, at=None):
        """From (text start, stored start, stored end) runs in order; `at`: where an empty text sits."""
        if not runs:
            where = 0 if at is None else at
            return cls([0, length], [where], [where])
        starts = [r[0] for r in runs] + [length]
        return cls(starts, [r[1] for r in runs], [r[2] for r in runs])

    @classmethod
    def around_units(cls, units, stored_start, stored_end):
        """The map of stored[stored_start:stored_end] read as it is stored but for
        `units`, each (stored start, stored end, decoded length) in order: an escape
        (`\\u0421`, `&amp;`, a CSV `""`) that is one run of the map."""
        runs, length, cursor = [], 0, stored_start
        for unit_start, unit_end, decoded in units:
            if unit_start > cursor:
                runs.append((length, cursor, unit_start))
                length += unit_start - cursor
            runs.append((length, unit_start, unit_end))
            length += decoded
            cursor = unit_end
        if cursor < stored_end:
            runs.append((length, cursor, stored_end))
            length += stored_end - cursor
        return cls.from_runs(runs, length, at=stored_start)

    def __len__(self):
        return self.starts[-1]

    def runs(self):
        """(text start, text end, stored start, stored end) of each run."""
        starts = self.starts
        return [(starts[k], starts[k + 1], self.stored_starts[k], self.stored_ends[k]) for k in range(len(self.stored_starts))]

    def _run(self, offset):
        return min(max(bisect_right(self.starts, offset) - 1, 0), len(self.stored_starts) - 1)

    def _copied(self, k):
        return self.starts[k + 1] - self.starts[k] == self.stored_ends[k] - self.stored_starts[k]

    def stored_start(self, offset):
        """Where the character at `offset` begins in the stored file (a unit: where the unit begins)."""
        k = self._run(offset)
        if offset >= self.starts[k + 1]:
            return self.stored_ends[k]
        if self._copied(k):
            return self.stored_starts[k] + offset - self.starts[k]
        return self.stored_starts[k]

    def stored_end(self, offset):
        """Where the text up to `offset` (exclusive) ends in the stored file (a unit: where it ends)."""
        if offset <= 0:
            return self.stored_starts[0]
        k = self._run(offset - 1)
        if self._copied(k):
            return self.stored_starts[k] + min(offset, self.starts[k + 1]) - self.starts[k]
        return self.stored_ends[k]

    def writable(self, start, end):
        """Can text[start:end] be replaced in the stored file by replacing its stored span?
        Not when the span holds a gap (markup the text leaves out: replacing it would
        delete the tags) or cuts a unit in two."""
        first, last = self._run(start), self._run(max(start, end - 1))
        if start != self.starts[first] and not self._copied(first):
            return False
        if end != self.starts[last + 1] and end != start and not self._copied(last):
            return False
        return all(self.stored_ends[k] == self.stored_starts[k + 1] for k in range(first, last))

    def slice(self, start, end):
        """The map of text[start:end] alone (offsets from 0). Only the runs it covers are
        visited: cutting a long text into words costs what the words hold, not more."""
        runs = []
        starts = self.starts
        for k in range(self._run(start), len(self.stored_starts)):
            t0, t1, s0, s1 = starts[k], starts[k + 1], self.stored_starts[k], self.stored_ends[k]
            if t0 >= end:
                break
            a, b = max(t0, start), min(t1, end)
            if a >= b:
                continue
            if t1 - t0 == s1 - s0:  # copied: cut it
                runs.append((a - start, s0 + a - t0, s0 + b - t0))
            else:
                runs.append((a - start, s0, s1))
        return OffsetMap.from_runs(runs, end - start, at=self.stored_start(start))

    def through(self, outer):
        """This map composed with `outer`: this one maps a text into a string that
        `outer` maps into the stored file (HTML inside a JSON string)."""
        runs = []
        for t0, t1, i0, i1 in self.runs():
            if t1 - t0 != i1 - i0:  # a unit here stays one unit over all it came from
                runs.append((t0, outer.stored_start(i0), outer.stored_end(i1)))
                continue
            # copied here: it takes the runs of `outer` over i0..i1 (found by bisection)
            for offset, stored_start, stored_end in outer.slice(i0, i1).runs_from():
                runs.append((t0 + offset, stored_start, stored_end))
        return OffsetMap.from_runs(runs, len(self), at=outer.stored_start(self.stored_starts[0]))

    def runs_from(self):
        """(text start, stored start, stored end) of each run: what from_runs takes."""
        return zip(self.starts, self.stored_starts, self.stored_ends)


# How a replacement is written where a piece is stored. Each is a function of the
# replacement text that returns the stored form, or None when it cannot be written.
def _json_string(text):
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _markup_text(text):
    return _xml_escape(text)


def _attribute(text):
    return _xml_escape(text, {'"': "&quot;", "'": "&#39;"})


def _cdata(text):
    return None if "]]>" in text else text


def _as_is(text):
    return text


def _csv_quoted(text):
    return text.replace('"', '""')


def _csv_bare(text):
    # a field written without quotes cannot take a delimiter, a quote or a line break
    return None if any(c in text for c in ',;\t"\r\n') else text


ESCAPES = {
    "json": _json_string, "markup": _markup_text, "attribute": _attribute, "cdata": _cdata, "text": _as_is,
    "csv-quoted": _csv_quoted, "csv-bare": _csv_bare,
}


def escape_for(contexts, text):
    """`text` as stored through `contexts` (innermost first: ("markup", "json") is
    HTML inside a JSON string), or None when some context cannot hold it."""
    for context in contexts:
        text = ESCAPES[context](text) if isinstance(context, str) else context(text)
        if text is None:
            return None
    return text


class Piece(Record):
    """One text read out of a stored file: its decoded text, the map back, and
    how a replacement is written there.

    contexts: the escaping layers a replacement goes through, innermost first
    (a str naming one of ESCAPES, or a function). safe: whether fixes here may
    apply with --fix (False in attribute values: a human should look)."""

    FIELDS = ("text", "offsets", "contexts", "safe")

    def __init__(self, text, offsets, contexts=("text",), safe=True):
        self.text = text
        self.offsets = offsets
        self.contexts = contexts
        self.safe = safe

    @classmethod
    def stored_as_is(cls, text, stored_start, contexts=("text",), safe=True):
        return cls(text, OffsetMap.copied(stored_start, len(text)), contexts, safe)

    def slice(self, start, end):
        return Piece(self.text[start:end], self.offsets.slice(start, end), self.contexts, self.safe)

    def strip(self):
        """The piece without white space at either end."""
        start, end = 0, len(self.text)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return self if (start, end) == (0, len(self.text)) else self.slice(start, end)

    def stored_span(self, start, end):
        """(stored start, stored end) of text[start:end]."""
        if end <= start:
            at = self.offsets.stored_start(start)
            return at, at
        return self.offsets.stored_start(start), self.offsets.stored_end(end)

    def stored_fix(self, start, end, replacement):
        """(stored start, stored end, stored replacement, safe) for replacing
        text[start:end], or None when it cannot be written at all."""
        stored = escape_for(self.contexts, replacement)
        if stored is None:
            return None
        begin, finish = self.stored_span(start, end)
        # a span over markup or through a unit: writable, but only a human can tell if that is right
        safe = self.safe and self.offsets.writable(start, end)
        return begin, finish, stored, safe


def joined(pieces):
    """Pieces that follow one another in one stretch of text (same escaping), as one."""
    if len(pieces) == 1:
        return pieces[0]
    runs, length = [], 0
    for piece in pieces:
        offsets = piece.offsets
        runs += [(length + t0, s0, s1) for t0, s0, s1 in zip(offsets.starts, offsets.stored_starts, offsets.stored_ends)]
        length += len(piece.text)
    first = pieces[0]
    return Piece("".join(p.text for p in pieces), OffsetMap.from_runs(runs, length, at=first.offsets.stored_starts[0]), first.contexts, first.safe)
