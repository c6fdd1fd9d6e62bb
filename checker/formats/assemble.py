"""An item laid out as a document, and the way back.

The item's pieces are written one after another as a plain-text article would
be: each timestamp on a line, the headline, the other header lines (titles,
byline, dateline), a blank line, then the body, paragraphs apart by blank
lines. An article converted to ninjs or NewsML-G2 so reads as it did as .txt.
The `Layout` says which spans are timestamps, headline and dateline, and the
`Placement` moves a finding's span and fix from the laid-out text back into
the stored file.
"""

from bisect import bisect_right

from checker.document import Layout, Span
from checker.findings import Fix


class Assembled:
    __slots__ = ("text", "layout", "placement")

    def __init__(self, text, layout, placement):
        self.text, self.layout, self.placement = text, layout, placement


def assemble(item):
    parts, starts, pieces = [], [], []
    length = 0

    def put(piece, after):
        nonlocal length
        starts.append(length)
        pieces.append(piece)
        parts.append(piece.text)
        parts.append(after)
        span = Span(length, length + len(piece.text), piece.text)
        length += len(piece.text) + len(after)
        return span

    timestamps = [(name, put(piece, "\n")) for name, piece in item.timestamps]
    headline = dateline = None
    for role, piece in sorted(item.header, key=lambda entry: entry[0] != "headline"):  # the headline first
        span = put(piece, "\n")
        if role == "headline" and headline is None:
            headline = span
        elif role == "dateline" and dateline is None:
            dateline = span
    parts.append("\n")
    length += 1
    body_start = length
    for piece in item.body:
        put(piece, "\n\n")
    layout = Layout(timestamps, headline, dateline, body_start, item.language)
    return Assembled("".join(parts), layout, Placement(starts, pieces))


class Placement:
    """Where each piece sits in the laid-out text, and how to move spans and fixes back."""

    __slots__ = ("starts", "pieces")

    def __init__(self, starts, pieces):
        self.starts, self.pieces = starts, pieces

    def _locate(self, offset):
        """(index of the piece at or before `offset`, offset within it); None before the first."""
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return None
        return index, offset - self.starts[index]

    def stored_span(self, start, end):
        """(stored start, stored end) of text[start:end]. A span between pieces (on a line
        break the layout added) is moved onto the nearest piece; one over several is
        cut at the end of the first."""
        if not self.pieces:
            return 0, 0
        found = self._locate(start)
        if found is None:
            index, local = 0, 0
        else:
            index, local = found
            if local > len(self.pieces[index].text) and index + 1 < len(self.pieces):
                index, local = index + 1, 0  # on a separator: the next piece's start
        piece = self.pieces[index]
        local = min(local, len(piece.text))
        local_end = min(max(end - self.starts[index], local), len(piece.text))
        return piece.stored_span(local, local_end)

    def stored_fix(self, fix):
        """The Fix in stored offsets, escaped as its piece is stored; None when it
        reaches outside one piece or cannot be written there."""
        found = self._locate(fix.start)
        if found is None:
            return None
        index, local = found
        piece = self.pieces[index]
        local_end = fix.end - self.starts[index]
        if local > len(piece.text) or local_end > len(piece.text):
            return None
        stored = piece.stored_fix(local, local_end, fix.replacement)
        if stored is None:
            return None
        start, end, replacement, safe = stored
        return Fix(start, end, replacement, safe=fix.safe and safe)
