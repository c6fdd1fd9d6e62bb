"""JSON with the place of every string in the stored text.

The standard library's parser (in C) reads the values and says where a file is
malformed; it keeps no positions. `string_spans` walks the same text once more,
token by token (a string literal, however long, is one regular-expression match),
and notes where the contents of each string value lie, by its path of keys and
indices. `string_piece` maps a decoded string back onto its literal, escapes
(`\\u0421`, `\\n`, surrogate pairs) included.
"""

import json
import re

from checker.formats.base import Malformed
from checker.formats.pieces import OffsetMap, Piece

_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.S)  # from after the opening quote to after the closing one
_SCALAR = re.compile(r'[^ \t\n\r,:\[\]{}"]+')
_WHITE = re.compile(r"[ \t\n\r]*")
# one escape: a surrogate pair decodes to one character, as Python's json reads it
_ESCAPE = re.compile(r"\\(?:u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.S)


def loads(text, start=0, end=None):
    """The value of the JSON in text[start:end]; Malformed with the parser's message and place."""
    end = len(text) if end is None else end
    try:
        return json.loads(text[start:end] if (start, end) != (0, len(text)) else text)
    except json.JSONDecodeError as exc:
        raise Malformed(f"not valid JSON ({exc.msg})", start + exc.pos) from None
    except RecursionError:
        raise Malformed("not valid JSON (nested too deeply)", start) from None


def string_spans(text, start=0, end=None):
    """{path: (start, end)} of the contents of every string value in text[start:end]
    (valid JSON, as `loads` found it); a path is a tuple of keys and indices."""
    end = len(text) if end is None else end
    spans = {}
    frames = []  # [key or index, is_object, expecting a key] for each open container
    pos = _WHITE.match(text, start, end).end()
    while pos < end:
        char = text[pos]
        if char == '"':
            after = _STRING_REST.match(text, pos + 1, end).end()
            top = frames[-1] if frames else None
            if top is not None and top[1] and top[2]:
                literal = text[pos:after]
                top[0] = literal[1:-1] if "\\" not in literal else json.loads(literal)
                top[2] = False
            else:
                spans[tuple(frame[0] for frame in frames)] = (pos + 1, after - 1)
            pos = after
        elif char == "{":
            frames.append([None, True, True])
            pos += 1
        elif char == "[":
            frames.append([0, False, False])
            pos += 1
        elif char in "]}":
            frames.pop()
            pos += 1
        elif char == ",":
            top = frames[-1]
            if top[1]:
                top[2] = True
            else:
                top[0] += 1
            pos += 1
        elif char == ":":
            pos += 1
        else:
            pos = _SCALAR.match(text, pos, end).end()
        pos = _WHITE.match(text, pos, end).end()
    return spans


def string_piece(text, span, value, contexts=("json",)):
    """The Piece of a decoded string `value` whose literal's contents are text[span[0]:span[1]]."""
    start, end = span
    if text.find("\\", start, end) < 0:
        return Piece(value, OffsetMap.copied(start, end - start), contexts)
    offsets = OffsetMap.around_units(((escape.start(), escape.end(), 1) for escape in _ESCAPE.finditer(text, start, end)), start, end)
    if len(offsets) != len(value):  # cannot happen with valid JSON; never guess a position
        raise ValueError(f"string at offset {start} decodes to {len(value)} characters, mapped {len(offsets)}")
    return Piece(value, offsets, contexts)
