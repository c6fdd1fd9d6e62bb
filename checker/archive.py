"""JSON Lines archives (`.jsonl`, `.ndjson`, gzip-compressed or not): one article a record.

INTERIM (issue 24): the smallest reading the API, `--shard` and the Dask and Spark
layers need until the input formats (issue 22) land; that layer replaces this
module, with its own fields, options and positions in the stored file. Every
reading of an archive goes through `records()` and `document_of()`, so the
replacement is made here and nowhere else. Until then a record's findings are
placed in its text field (line and column counted in that text) and carry the
record's id (`doc_id`).
"""

import gzip
import json

ARCHIVE_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
TEXT_FIELDS = ("body", "text")  # the first of these a record holds is its text
ID_FIELD = "id"
_BLOCK = 1 << 20


def is_archive(path):
    return str(path).lower().endswith(ARCHIVE_SUFFIXES)


def splittable(path):
    """Can a shard read a byte range of it? Not when compressed (as Hadoop and Spark
    treat gzip): the archive then goes to one shard whole."""
    return not str(path).lower().endswith(".gz")


def records(path, start=0, end=None):
    """Yield (line number, record dict or None, why not) for each record that starts
    at a byte in [start, end) of the archive (all of them by default). A line that is
    not a JSON object gives (line, None, reason); blank lines are skipped."""
    if not splittable(path):
        if start or end is not None:
            raise ValueError(f"{path}: a compressed archive cannot be read from a byte range")
        with gzip.open(path, "rb") as stream:
            yield from _parse(stream, 1, None)
        return
    with open(path, "rb") as stream:
        line = 1
        if start > 0:
            # the line break before `start` ends the line before this range's first record
            line += _newlines_before(stream, start - 1) + 1
            stream.seek(start - 1)
            if stream.read(1) != b"\n":  # a record begun before the range belongs to the shard before
                stream.readline()
        yield from _parse(stream, line, end)


def _newlines_before(stream, offset):
    count, left = 0, offset
    stream.seek(0)
    while left > 0:
        block = stream.read(min(_BLOCK, left))
        if not block:
            break
        count += block.count(b"\n")
        left -= len(block)
    return count


def _parse(stream, line, end):
    position = stream.tell() if end is not None else 0
    for raw in stream:
        if end is not None:
            if position >= end:
                return
            position += len(raw)
        if raw.strip():
            try:
                value = json.loads(raw)
            except ValueError as exc:  # UnicodeDecodeError is one
                yield line, None, f"not a JSON object ({exc})"
            else:
                if isinstance(value, dict):
                    yield line, value, None
                else:
                    yield line, None, f"not a JSON object (a {type(value).__name__})"
        line += 1


def document_of(record, line):
    """(doc_id, text or None, why there is no text) of a record read by `records()`:
    the id is the record's `id` (as a string), else `line N`."""
    value = record.get(ID_FIELD)
    doc_id = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else f"line {line}"
    for field in TEXT_FIELDS:
        if field in record:
            text = record[field]
            if isinstance(text, str):
                return doc_id, text, None
            return doc_id, None, f"field {field!r} is not a string"
    return doc_id, None, f"no text field ({' or '.join(map(repr, TEXT_FIELDS))})"
