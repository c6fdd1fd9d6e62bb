"""Source formats: agency copy where it lives.

Plain text and Markdown are read by the document model itself. The other
formats have a reader each, which turns the stored file into `Item`s (one
article each: timestamps, header text and body paragraphs as `Piece`s, each
with the map back to the file as stored); `checker.formats.assemble` lays an
item out as a document. The pipeline checks every item like a text file and
moves its findings back into the stored file, so the check kinds, suppressions
and reporters never learn the format.

| format | extensions | reader |
|---|---|---|
| text, markdown | .txt; .md, .markdown | checker.document |
| html | .html, .htm, .xhtml | checker.formats.markup |
| ninjs | .json | checker.formats.ninjs (via checker.formats.jsontext) |
| newsml | .xml | checker.formats.newsml (via checker.formats.xmltext) |
| jsonl, csv | .jsonl, .ndjson; .csv, .tsv (each also gzip-compressed, `.gz`) | checker.formats.archive |
"""

import os

from checker.formats.base import Fields, Item, Malformed, NotNews

__all__ = ["Fields", "Item", "Malformed", "NotNews", "FORMATS", "INPUT_FORMATS", "ARCHIVES", "PLAIN", "format_of", "is_compressed", "read_items"]

FORMATS = ("text", "markdown", "html", "ninjs", "newsml", "jsonl", "csv")
INPUT_FORMATS = ("auto", *FORMATS)  # --input-format
PLAIN = frozenset({"text", "markdown"})
ARCHIVES = frozenset({"jsonl", "csv"})
MARKUP = frozenset({"html", "newsml", "ninjs"})  # where <!-- checker-disable --> comments can be written
EXTENSIONS = {
    ".txt": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "ninjs", ".xml": "newsml",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv",
}


def format_of(path, text=None, forced=None):
    """The format to read a file in: `forced` (--input-format) unless "auto", else its
    extension, confirmed by its content (a .json holding JSON Lines is read as
    such); a file with no known extension (standard input) by its content alone."""
    if forced and forced != "auto":
        return forced
    name = str(path)
    extension = os.path.splitext(name[:-3] if is_compressed(name) else name)[1].lower()
    found = EXTENSIONS.get(extension)
    if text is None:
        return found or "text"
    if found == "ninjs" and _is_json_lines(text):
        return "jsonl"
    return found or sniff(text)


def is_compressed(path):
    """Is the file gzip-compressed (by its name: `.jsonl.gz`, `.csv.gz`)? Only an archive
    is read through gzip."""
    return str(path).lower().endswith(".gz")


def sniff(text):
    """The format a text's content shows: markup, a JSON document or JSON Lines; else plain text."""
    head = text.lstrip("\ufeff \t\r\n")[:512]
    lowered = head.lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return "html"
    if lowered.startswith("<?xml") or any(f"<{name}" in head for name in ("newsItem", "newsMessage", "packageItem", "nitf")):
        return "newsml"
    if head.startswith("{"):
        return "jsonl" if _is_json_lines(text) else "ninjs"
    if head.startswith("["):
        return "ninjs"
    return "text"


def _is_json_lines(text):
    """Two or more lines that each hold a JSON object (not one object over several lines)."""
    lines = [line for line in text[:65536].split("\n") if line.strip()][:3]
    return len(lines) >= 2 and all(line.lstrip().startswith("{") and line.rstrip().endswith("}") for line in lines)


def read_items(source_format, text, fields=None, line_starts=None):
    """The Items of a whole stored file's text (a Malformed among them for a bad
    archive record). Raises Malformed when the file is not valid in its format,
    NotNews when it is valid but holds no news item. `line_starts`: of `text`
    (the XML parser reports lines)."""
    if source_format in ARCHIVES:
        from checker.formats.archive import items_in  # lazy: each format loads its reader when met

        return items_in(text, source_format, fields)
    if source_format == "ninjs":
        return _ninjs_items(text, fields)
    if source_format == "newsml":
        from checker.formats import newsml, xmltext  # lazy: as above

        return newsml.items(xmltext.parse(text, line_starts))
    if source_format == "html":
        from checker.formats.markup import read_html  # lazy: as above

        article = read_html(text)
        item = Item(language=article.language, timestamps=list(article.timestamps))
        item.add_blocks(article.blocks)
        return [item]
    raise ValueError(f"no reader for {source_format!r}")


def _ninjs_items(text, fields):
    from checker.formats import ninjs  # lazy: as above
    from checker.formats.archive import record_item
    from checker.formats.jsontext import loads, string_piece, string_spans

    value = loads(text)
    spans = string_spans(text)
    if isinstance(value, dict):
        if not ninjs.is_ninjs(value):
            raise NotNews("no ninjs field (headline, body_text, bodies, versionCreated...)")
        return ninjs.items(value, spans, text)
    if not isinstance(value, list):
        raise NotNews("not a ninjs item (a JSON object) nor an array of them")
    fields = fields or Fields()
    found = []
    for index, entry in enumerate(value):
        if ninjs.is_ninjs(entry):
            found += ninjs.items(entry, spans, text, (index,), str(entry.get("uri") or f"#{index + 1}"))
        elif isinstance(entry, dict) and fields.text_key(entry) in entry:  # an array of archive records

            def piece_of(name, index=index, entry=entry):
                where = (index, name)
                return string_piece(text, spans[where], entry[name]) if where in spans else None

            found += record_item(entry, piece_of, fields, f"#{index + 1}")
    if not found and value:
        raise NotNews("an array with no ninjs item and no record with a text field")
    return found
