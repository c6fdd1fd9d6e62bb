"""Markup to paragraphs: the text of block elements, white space collapsed as a
browser shows it, each block with its map back to the stored file.

`Blocks` takes markup events (start tag, end tag, a piece of text) from any
parser: the HTML reader below, the XML reader (XHTML and NITF inside NewsML-G2),
an HTML body inside a JSON string. A block element (p, li, h1, NITF's hl1...)
or a `<br>` ends a paragraph, so a sentence never runs across one; inline
elements (a, b, span) do not. Text in script, style and the like is not prose;
attribute values never are. Some blocks have a role the document gives a place
in its header: the headline (the first h1, NITF hl1), the byline and dateline
(NITF), the page title.
"""

import html
import re
from html.parser import HTMLParser

from checker.formats.pieces import OffsetMap, Piece

_BLOCKS = frozenset(
    # HTML
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p pre section "
    "summary table tbody td tfoot th thead title tr ul option"
    # NITF (in NewsML-G2 and ninjs bodies)
    " abstract block bq body.content body.end body.head byline credit dateline distributor hedline hl1 hl2 "
    "media media-caption note series tagline nitf"
    .split()
)
_BREAKS = frozenset({"br"})
# Not prose: their text is left out (and, for head, all but the title).
_SKIPPED = frozenset("script style template noscript svg math iframe object canvas head select textarea".split())
_ROLES = {"h1": "headline", "hl1": "headline", "byline": "byline", "dateline": "dateline", "title": "title"}
_WHITE_TO_COLLAPSE = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")  # a single space stays as it is
_ASCII_WHITE = " \t\n\r\f"
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{0,31};?)")


class Blocks:
    """Paragraphs from markup events: `start(name)`, `end(name)`, `text(piece)`,
    then `close()` gives [(role, Piece)] in document order (role "text" for prose)."""

    def __init__(self, contexts=("markup",)):
        self.found = []
        self.contexts = contexts
        self.skipped = []  # the open elements whose text is not prose (script, style, head...)
        self.in_title = False  # in head's title, the one prose element there
        self.roles = []  # the role of each open block element (None: plain text)
        self.headline_taken = False
        self._open()

    def _open(self):
        self.parts, self.runs, self.length = [], [], 0

    @property
    def skipping(self):
        return bool(self.skipped) and not self.in_title

    def start(self, name):
        name = name.lower()
        if name in _SKIPPED:
            self.skipped.append(name)
            return
        if name == "title" and self.skipped == ["head"]:
            self.in_title = True
        elif self.skipped:
            return
        if name in _BLOCKS or name in _BREAKS:
            self.flush()
        if name in _BLOCKS:
            role = _ROLES.get(name)
            if role == "headline":  # the first is the headline; later ones are headings
                role, self.headline_taken = (None if self.headline_taken else role), True
            self.roles.append(role)

    def end(self, name):
        name = name.lower()
        if name in _SKIPPED:
            if name in self.skipped:
                del self.skipped[len(self.skipped) - 1 - self.skipped[::-1].index(name) :]
            return
        if self.skipped and not (self.in_title and name == "title"):
            return
        if name in _BLOCKS:
            self.flush()
            if self.roles:
                self.roles.pop()
        if name == "title":
            self.in_title = False

    def text(self, piece):
        """Add a decoded piece of text (its map reaches the stored file)."""
        if self.skipping or not piece.text:
            return
        text, offsets = piece.text, piece.offsets
        cursor = 0
        for white in _WHITE_TO_COLLAPSE.finditer(text):
            self._add(text, offsets, cursor, white.start())
            self._space(offsets.stored_start(white.start()), offsets.stored_end(white.end()))
            cursor = white.end()
        self._add(text, offsets, cursor, len(text))

    def _add(self, text, offsets, start, end):
        if start < end and text[start] == " " and (not self.length or self.parts[-1].endswith(" ")):
            start += 1  # a space at a block's start, or after one: collapsed away
        if start >= end:
            return
        piece = offsets.slice(start, end) if (start, end) != (0, len(text)) else offsets
        for t0, _t1, s0, s1 in piece.runs():
            self.runs.append((self.length + t0, s0, s1))
        self.parts.append(text[start:end])
        self.length += end - start

    def _space(self, stored_start, stored_end):
        if not self.length or self.parts[-1].endswith(" "):
            return
        self.runs.append((self.length, stored_start, stored_end))
        self.parts.append(" ")
        self.length += 1

    def flush(self):
        """End the paragraph being collected (if it holds any text)."""
        if self.length:
            text = "".join(self.parts)
            piece = Piece(text, OffsetMap.from_runs(self.runs, len(text)), self.contexts).strip()
            if piece.text:
                role = next((r for r in reversed(self.roles) if r), None) or "text"
                self.found.append((role, piece))
        self._open()

    def close(self):
        self.flush()
        return self.found


def markup_piece(raw, stored_start, contexts=("markup",)):
    """The Piece of markup text `raw` (stored from `stored_start`) with its
    character references decoded (`&amp;`, `&#1057;`, `&eacute;`)."""
    if "&" not in raw:
        return Piece(raw, OffsetMap.copied(stored_start, len(raw)), contexts)
    units, parts, cursor = [], [], 0
    for reference in _CHARACTER_REFERENCE.finditer(raw):
        decoded = html.unescape(reference.group())
        if decoded == reference.group():
            continue  # not a reference after all: stays in the copied stretch
        units.append((stored_start + reference.start(), stored_start + reference.end(), len(decoded)))
        parts += (raw[cursor : reference.start()], decoded)
        cursor = reference.end()
    parts.append(raw[cursor:])
    return Piece("".join(parts), OffsetMap.around_units(units, stored_start, stored_start + len(raw)), contexts)


# --- HTML ----------------------------------------------------------------------------

_TIMESTAMP_META = frozenset(
    "article:published_time article:modified_time og:updated_time date dc.date dcterms.created dcterms.modified "
    "datepublished datemodified pubdate publish-date last-modified".split()
)
_ATTRIBUTE = r"""(?:^|[\s"'])({name})\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""


class HtmlArticle:
    """What an HTML page holds for the checker: its blocks, its language (`lang`)
    and the timestamps of its `<meta>` tags (article:published_time and the like)."""

    def __init__(self, blocks, language, timestamps):
        self.blocks, self.language, self.timestamps = blocks, language, timestamps


def read_html(text, start=0, end=None, outer=None, contexts=("markup",)):
    """The HtmlArticle of the HTML in text[start:end]. `outer`: when the HTML is itself
    a decoded string (a JSON value), the map from it to the stored file."""
    reader = _HtmlReader(text, start, end, outer, contexts)
    return reader.article()


class _HtmlReader(HTMLParser):
    # convert_charrefs=False: every reference comes as its own event, with its own place
    def __init__(self, text, start, end, outer, contexts):
        super().__init__(convert_charrefs=False)
        self.source, self.base, self.outer = text, start, outer
        self.end_at = len(text) if end is None else end
        self.contexts = contexts
        self.blocks = Blocks(contexts)
        self.language = None
        self.timestamps = []
        # HTMLParser counts lines by LF alone; its (line, column) are turned into offsets with the same count
        self.line_starts = [start] + [start + m.end() for m in re.finditer("\n", text[start : self.end_at])]

    def article(self):
        self.feed(self.source[self.base : self.end_at])
        self.close()
        return HtmlArticle(self.blocks.close(), self.language, self.timestamps)

    def _offset(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _piece(self, raw, at):
        piece = markup_piece(raw, at, self.contexts)
        if self.outer is not None:
            piece = Piece(piece.text, piece.offsets.through(self.outer), piece.contexts, piece.safe)
        return piece

    def handle_starttag(self, tag, attrs):
        self.blocks.start(tag)
        if tag == "html" and self.language is None:
            self.language = dict(attrs).get("lang") or dict(attrs).get("xml:lang")
        elif tag == "meta":
            self._meta(attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        self.blocks.end(tag)

    def handle_data(self, data):
        self.blocks.text(self._piece(data, self._offset()))

    def handle_entityref(self, name):
        self._reference("&" + name)

    def handle_charref(self, name):
        self._reference("&#" + name)

    def _reference(self, raw):
        at = self._offset()
        if self.source.startswith(";", at + len(raw)):
            raw += ";"
        self.blocks.text(self._piece(raw, at))

    def _meta(self, attrs):
        values = dict(attrs)
        kind = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
        if kind not in _TIMESTAMP_META or not values.get("content"):
            return
        raw_tag = self.get_starttag_text() or ""
        match = re.search(_ATTRIBUTE.format(name="content"), raw_tag, re.I)
        if match is None:
            return
        group = next(g for g in (2, 3, 4) if match.group(g) is not None)
        at = self._offset() + match.start(group)
        piece = self._piece(match.group(group), at)
        piece = Piece(piece.text, piece.offsets, ("attribute", *self.contexts[1:]), safe=False)
        self.timestamps.append((kind, piece.strip()))


def blocks_in(piece):
    """[(role, Piece)] of the markup held in a decoded string (an HTML body inside JSON):
    the string's own escaping is kept beneath the markup's."""
    return read_html(piece.text, outer=piece.offsets, contexts=("markup", *piece.contexts)).blocks
