"""Archives: JSON Lines and CSV, one article per record.

`items_in(text, ...)` reads the records of a text (a whole file, or a range of
one); `plan_ranges(path, ...)` cuts a large archive into byte ranges that hold
whole records, so that it is read a range at a time (memory stays bounded
whatever its size) and ranges can be shared among workers; `read_archive(path)`
puts the two together and yields every record of a file, range by range.

Which fields hold what is a `Fields` (`--text-field` and the like). A JSON Lines
record with no such field but ninjs fields is read as ninjs. A text field that
holds HTML (a CMS export) is read as markup.
"""

import codecs
import re

from checker.formats import is_compressed, ninjs
from checker.formats.base import Fields, Item, Malformed
from checker.formats.jsontext import loads, string_piece, string_spans
from checker.formats.markup import blocks_in
from checker.formats.pieces import OffsetMap, Piece

RANGE_BYTES = 1_000_000  # a range holds a few hundred articles: enough to keep a worker busy a while
# A range is cut here even inside a record (which is then reported as malformed): one record of
# a gigabyte, or a quote never closed, must not be read into memory whole.
MAX_RANGE_BYTES = 64_000_000
# a closing tag or a line break: wire copy writes tickers as <BAC> or <I>, never </BAC>
_LOOKS_LIKE_HTML = re.compile(r"</(?:p|div|h[1-6]|li|ul|ol|blockquote|section|article|span|a|b|i|em|strong)\s*>|<br\s*/?>", re.I)


def looks_like_html(text):
    """Does a field's text hold markup (a closing tag or <br> in its first 5,000 characters)?"""
    return "<" in text[:5000] and _LOOKS_LIKE_HTML.search(text, 0, 5000) is not None


def items_in(text, source_format, fields=None, first_line=1, header=None):
    """Yield an Item for each record of the archive text (or a Malformed for a bad
    record, and go on). `first_line`: the line number of the text's first line in
    its file (fallback ids: "line N"). `header`: a CSV's column names and delimiter
    when `text` is a later range of it (None: the text starts with the header)."""
    fields = fields or Fields()
    if source_format == "jsonl":
        yield from _jsonl_items(text, fields, first_line)
    else:
        yield from _csv_items(text, fields, first_line, header)


def record_item(values, piece_of, fields, fallback_id, spans=None, text=None):
    """The Items of one record (one, or a ninjs item and its associations): `values`
    its fields, `piece_of(name)` the Piece of a field (or None), `fallback_id` its id
    when it has no id field."""
    key = fields.text_key(values)
    record_id = values.get(fields.id)
    record_id = str(record_id) if isinstance(record_id, (str, int)) and not isinstance(record_id, bool) and str(record_id) else fallback_id
    if key not in values and fields.text is None and spans is not None and ninjs.is_ninjs(values):
        if fields.id not in values and isinstance(values.get("uri"), str) and values["uri"]:
            record_id = values["uri"]
        return ninjs.items(values, spans, text, (), record_id)
    language = values.get(fields.language) if fields.language else None
    item = Item(record=record_id, language=language if isinstance(language, str) and language else None)
    if fields.date and isinstance(values.get(fields.date), str) and values[fields.date].strip():
        item.timestamps.append((fields.date, piece_of(fields.date).strip()))
    if fields.headline and isinstance(values.get(fields.headline), str) and values[fields.headline].strip():
        item.header.append(("headline", piece_of(fields.headline).strip()))
    if isinstance(values.get(key), str) and values[key].strip():
        body = piece_of(key)
        if looks_like_html(body.text):
            item.add_blocks(blocks_in(body))
        else:
            item.body.append(body)
    return [item]


# --- JSON Lines ------------------------------------------------------------------------


def _jsonl_items(text, fields, first_line):
    line, start = first_line, 0
    while start < len(text):
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        if text[start:end].strip():
            yield from _jsonl_record(text, start, end, fields, line)
        line += 1
        start = end + 1


def _jsonl_record(text, start, end, fields, line):
    try:
        values = loads(text, start, end)
    except Malformed as exc:
        yield exc
        return
    if not isinstance(values, dict):
        yield Malformed("not a record (a JSON Lines record is an object)", start + len(text[start:end]) - len(text[start:end].lstrip()))
        return
    spans = string_spans(text, start, end)

    def piece_of(name):
        return string_piece(text, spans[(name,)], values[name]) if (name,) in spans else None

    yield from record_item(values, piece_of, fields, f"line {line}", spans, text)


# --- CSV -------------------------------------------------------------------------------

_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_DOUBLED = re.compile('""')
_LINE_END = re.compile(r"\r\n|\n|\r")


def sniff_delimiter(text):
    """`,`, `;` or tab: whichever the first line (outside quotes) holds most of."""
    first = _QUOTED.sub("", text[: text.find("\n") if "\n" in text else len(text)])
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def csv_rows(text, delimiter, start=0):
    """Yield (offset of the row, [(start, end, quoted) of each field]) or a Malformed (then stop)."""
    bare = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    pos = start
    while pos < len(text):
        row_start, row = pos, []
        while True:
            if text.startswith('"', pos):
                match = _QUOTED.match(text, pos)
                if match is None:
                    yield Malformed("not valid CSV (a quoted field is never closed)", pos)
                    return
                row.append((match.start(1), match.end(1), True))
                pos = match.end()
            else:
                match = bare.match(text, pos)
                row.append((pos, match.end(), False))
                pos = match.end()
            if text.startswith(delimiter, pos):
                pos += len(delimiter)
                continue
            end = _LINE_END.match(text, pos)
            if end is None and pos < len(text):
                yield Malformed(f"not valid CSV ({text[pos]!r} after a closing quote)", pos)
                return
            pos = end.end() if end else pos
            break
        if len(row) > 1 or row[0][1] > row[0][0] or row[0][2]:  # a blank line is no record
            yield row_start, row


def csv_piece(text, span):
    """The Piece of one CSV field: its text with doubled quotes read as one."""
    start, end, quoted = span
    if not quoted:
        return Piece(text[start:end], OffsetMap.copied(start, end - start), ("csv-bare",))
    raw = text[start:end]
    if '""' not in raw:
        return Piece(raw, OffsetMap.copied(start, end - start), ("csv-quoted",))
    doubled = ((match.start(), match.end(), 1) for match in _DOUBLED.finditer(text, start, end))
    return Piece(raw.replace('""', '"'), OffsetMap.around_units(doubled, start, end), ("csv-quoted",))


class CsvHeader:
    """A CSV's column names and delimiter (read once, for every range)."""

    def __init__(self, names, delimiter):
        self.names, self.delimiter = names, delimiter

    @classmethod
    def read(cls, text):
        delimiter = sniff_delimiter(text)
        for row in csv_rows(text, delimiter):
            if isinstance(row, Malformed):
                raise row
            return cls([csv_piece(text, span).text for span in row[1]], delimiter), row
        raise Malformed("not valid CSV (no header row)", 0)


def _csv_items(text, fields, first_line, header):
    if header is None:
        try:
            header, (header_start, header_row) = CsvHeader.read(text)
        except Malformed as exc:
            yield exc
            return
        rows = csv_rows(text, header.delimiter, _after_row(text, header_row))
    else:
        rows = csv_rows(text, header.delimiter)
    index = {}
    for position, name in enumerate(header.names):
        index.setdefault(name, position)
    line, counted_to = first_line, 0
    for row in rows:
        if isinstance(row, Malformed):
            yield row
            return
        row_start, spans = row
        line += text.count("\n", counted_to, row_start)
        counted_to = row_start
        values = {name: None for name in index}
        for name, position in index.items():
            if position < len(spans):
                values[name] = csv_piece(text, spans[position]).text

        def piece_of(name, spans=spans):
            return csv_piece(text, spans[index[name]]) if name in index and index[name] < len(spans) else None

        yield from record_item(values, piece_of, fields, f"line {line}")


def _after_row(text, row):
    end = row[-1][1] + (1 if row[-1][2] else 0)
    match = _LINE_END.match(text, end)
    return match.end() if match else end


# --- large files, a range at a time --------------------------------------------------


class Range:
    """Bytes [start, end) of an archive, whole records, after `lines_before` lines and
    `chars_before` characters (code points: what offsets into the decoded file count).
    `data`: the bytes themselves, for a compressed archive (it cannot be read from the
    middle, so the reader that plans the ranges hands them on); else None."""

    __slots__ = ("start", "end", "lines_before", "chars_before", "data")

    def __init__(self, start, end, lines_before, chars_before, data=None):
        self.start, self.end, self.lines_before, self.chars_before = start, end, lines_before, chars_before
        self.data = data

    def __repr__(self):
        return f"Range({self.start}, {self.end}, {self.lines_before}, {self.chars_before})"


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))  # UTF-8 bytes that start no character


def _characters(data):
    """How many characters UTF-8 bytes hold (counted in C: the bytes that start one)."""
    return len(data.translate(None, _CONTINUATION_BYTES))


_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def open_archive(path):
    """The file's bytes as a binary stream, decompressed when it is gzip."""
    if is_compressed(path):
        import gzip  # lazy: few archives are compressed

        return gzip.open(path, "rb")
    return open(path, "rb")


def is_wide(path):
    """Is the file UTF-16 or UTF-32 (by its byte-order mark)? It is then read whole, not in ranges."""
    with open_archive(path) as handle:
        return handle.read(4).startswith(_WIDE_BOMS)


def plan_ranges(path, source_format, size=None, block=1 << 20):
    """The Ranges of the archive at `path` (a list; see iter_ranges), or None when it is UTF-16
    or UTF-32 (it is then read whole)."""
    return None if is_wide(path) else list(iter_ranges(path, source_format, size, block))


def iter_ranges(path, source_format, size=None, block=1 << 20, within=None):
    """Yield the Ranges of the UTF-8 archive at `path` as it is read, a block at a time: each
    about `size` bytes and cut after a line break that ends a record (in CSV: outside quotes).
    A range is yielded as soon as it is cut, so its records can be checked while the rest of
    the file is still unread. A compressed archive's Ranges carry their bytes.
    within: (start, end) bytes of an uncompressed JSON Lines archive: only the records
    whose line starts there (a shard's part, checker.shards)."""
    csv = source_format == "csv"
    size = size or RANGE_BYTES
    compressed = is_compressed(path)
    with open_archive(path) as handle:
        skip = 3 if handle.read(3) == codecs.BOM_UTF8 else 0
        first, stop, lines, chars = skip, None, 0, 0
        if within is not None:
            first, stop = (max(skip, _line_start_from(handle, at)) for at in within)
            lines, chars = _lines_and_characters(handle, skip, first)
        handle.seek(first)
        start = first  # the range being planned: where it starts, and (lines, chars) what is above it
        offset, lines_at_block, chars_at_block, quotes_at_block = first, lines, chars, 0
        held = bytearray()  # a compressed archive's bytes from `start` on
        cut_any = False
        while data := handle.read(block if stop is None else min(block, stop - offset)):
            if compressed:
                held += data
            search = max(0, start + size - offset)
            while search < len(data):
                newline = data.find(b"\n", search)
                if newline < 0:
                    break
                if csv and (quotes_at_block + data.count(b'"', 0, newline)) % 2:
                    search = newline + 1  # inside a quoted field
                    continue
                cut = offset + newline + 1
                yield Range(start, cut, lines, chars, _take(held, cut - start) if compressed else None)
                cut_any = True
                start = cut
                lines = lines_at_block + data.count(b"\n", 0, newline + 1)
                chars = chars_at_block + _characters(data[: newline + 1])
                search = max(newline + 1, start + size - offset)
            lines_at_block += data.count(b"\n")
            chars_at_block += _characters(data)
            quotes_at_block += data.count(b'"')
            offset += len(data)
            if offset - start >= MAX_RANGE_BYTES:  # no record boundary for too long
                yield Range(start, offset, lines, chars, _take(held, offset - start) if compressed else None)
                cut_any = True
                start, lines, chars = offset, lines_at_block, chars_at_block
        if offset > start or not cut_any:
            yield Range(start, offset, lines, chars, bytes(held) if compressed else None)


def _take(held, count):
    """The first `count` bytes of `held`, removed from it."""
    taken = bytes(held[:count])
    del held[:count]
    return taken


def _line_start_from(handle, at):
    """The first line start at or after byte `at` (the file's end if none)."""
    if at <= 0:
        return 0
    handle.seek(at - 1)
    offset = at - 1
    while data := handle.read(1 << 16):
        newline = data.find(b"\n")
        if newline >= 0:
            return offset + newline + 1
        offset += len(data)
    return offset


def _lines_and_characters(handle, start, end):
    """The line breaks and characters in bytes [start, end) of the file."""
    handle.seek(start)
    lines = chars = 0
    offset = start
    while offset < end and (data := handle.read(min(1 << 20, end - offset))):
        lines += data.count(b"\n")
        chars += _characters(data)
        offset += len(data)
    return lines, chars


def read_range(path, piece):
    """The bytes of one Range."""
    if piece.data is not None:
        return piece.data
    with open(path, "rb") as handle:
        handle.seek(piece.start)
        return handle.read(piece.end - piece.start)


class Batch:
    """The records of one range: its decoded text, the lines before it, its Items (and Malformeds)."""

    __slots__ = ("text", "lines_before", "items")

    def __init__(self, text, lines_before, items):
        self.text, self.lines_before, self.items = text, lines_before, items


def read_archive(path, source_format, fields=None, size=None):
    """Yield a Batch for each range of the archive at `path`, reading one range at a
    time: whatever the file's size, memory holds one range. Raises UnicodeDecodeError
    for a range that is not UTF-8 (it names the byte) and Malformed for a CSV header."""
    if is_wide(path):
        with open(path, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-32" if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else "utf-16")
        yield Batch(text, 0, items_in(text, source_format, fields))
        return
    header = None
    for index, piece in enumerate(iter_ranges(path, source_format, size)):
        text = read_range(path, piece).decode("utf-8")
        if source_format == "csv" and index == 0:
            header = CsvHeader.read(text)[0]
        yield Batch(text, piece.lines_before, items_in(text, source_format, fields, piece.lines_before + 1, header if index else None))
