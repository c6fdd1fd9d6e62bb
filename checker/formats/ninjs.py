"""IPTC ninjs (News in JSON), versions 1.x, 2.x and 3.x.

Text: `headline` / `headlines[].value`, `description_text`, `description_html` /
`description_xhtml` / `descriptions[].value`, `body_text`, `body_html` /
`body_xhtml` / `bodies[].value` (markup or plain text by `contentType`, or by the
field's name), `byline` / `by`. Timestamps: `versioncreated` / `versionCreated`,
`firstcreated` / `firstCreated`, `contentcreated` / `contentCreated`, `embargoed`.
`language` is the item's language. Associated items (`associations`, an object
in 1.x and an array since 2.0) that carry text are items of their own, as is
each item of a top-level array.
"""

from checker.formats.base import Item
from checker.formats.jsontext import string_piece
from checker.formats.markup import blocks_in

# the story is dated by the first of these it has
TIMESTAMP_KEYS = ("firstcreated", "firstCreated", "versioncreated", "versionCreated", "contentcreated", "contentCreated", "embargoed")
TEXT_KEYS = ("headline", "headlines", "description_text", "description_html", "description_xhtml", "descriptions", "body_text", "body_html", "body_xhtml", "bodies", "byline", "by")
_MARKUP_TYPES = ("html", "xml", "nitf")


def is_ninjs(value):
    """Does this JSON object hold any ninjs text or timestamp field?"""
    return isinstance(value, dict) and any(key in value for key in (*TEXT_KEYS, *TIMESTAMP_KEYS))


def items(value, spans, text, path=(), record=None):
    """The Items of the ninjs object `value` at `path` of the JSON in `text`
    (`spans`: checker.formats.jsontext.string_spans), its associations after it."""
    found = [_item(value, spans, text, path, record)]
    associations = value.get("associations")
    if isinstance(associations, dict):  # 1.x: name -> item
        named = [((path + ("associations", name)), name, item) for name, item in associations.items()]
    elif isinstance(associations, list):  # 2.x, 3.x: [item with a name]
        named = [((path + ("associations", index)), None, item) for index, item in enumerate(associations)]
    else:
        named = []
    for where, name, associated in named:
        if is_ninjs(associated):
            label = associated.get("uri") or f"associations/{name if name is not None else associated.get('name', where[-1])}"
            found += items(associated, spans, text, where, str(label))
    return found


def _item(value, spans, text, path, record):
    item = Item(record=record, language=value.get("language") if isinstance(value.get("language"), str) else None)

    def piece(*keys):
        where = path + keys
        string = value
        for key in keys:
            string = string[key]
        return string_piece(text, spans[where], string) if where in spans and isinstance(string, str) else None

    for key in TIMESTAMP_KEYS:
        if isinstance(value.get(key), str):
            item.timestamps.append((key, piece(key)))
    headlines = [piece("headline")] if isinstance(value.get("headline"), str) else []
    headlines += [piece("headlines", i, "value") for i, h in enumerate(_list(value.get("headlines"))) if isinstance(h.get("value"), str)]
    for index, headline in enumerate(h for h in headlines if h is not None and h.text.strip()):
        item.header.append(("headline" if index == 0 else "title", headline.strip()))
    for key in ("byline", "by"):
        if isinstance(value.get(key), str) and value[key].strip():
            item.header.append(("byline", piece(key).strip()))
    for kind, plural in (("description", "descriptions"), ("body", "bodies")):
        if isinstance(value.get(f"{kind}_text"), str):
            _add(item, piece(f"{kind}_text"), markup=False)
        for key in (f"{kind}_html", f"{kind}_xhtml"):
            if isinstance(value.get(key), str):
                _add(item, piece(key), markup=True)
        for index, entry in enumerate(_list(value.get(plural))):
            if isinstance(entry.get("value"), str):
                content_type = str(entry.get("contentType") or entry.get("contenttype") or "").lower()
                _add(item, piece(plural, index, "value"), markup=any(t in content_type for t in _MARKUP_TYPES))
    return item


def _list(value):
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _add(item, piece, markup):
    if piece is None or not piece.text.strip():
        return
    if markup:
        item.add_blocks(blocks_in(piece))
    else:
        item.body.append(piece)
