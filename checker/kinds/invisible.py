"""`invisible`: characters a reader cannot see (zero-width, BOM, bidi controls...).

One finding per run of consecutive listed characters. Zero-width joiners and
variation selectors inside emoji sequences are left alone when
`except_in_emoji` is set: there they are how the emoji is spelt.
"""

import re

from checker.errors import RuleError
from checker.findings import Fix

PARAMETERS = {
    "characters": {"type": "list[str]", "required": True, "doc": "Code points (hex, '200B') or ranges ('2066-2069')."},
    "fix": {"type": "enum", "values": ["remove", "none"], "default": "none", "doc": "remove: the fix deletes the run."},
    "except_in_emoji": {"type": "bool", "default": True, "doc": "Skip characters between two emoji (ZWJ sequences, variation selectors)."},
    "skip_leading_bom": {"type": "bool", "default": True, "doc": "A BOM at the very start of the text is an encoding mark, not a defect."},
    "balance": {"type": "bool", "default": False, "doc": "Report whether bidi embeddings and isolates on the line are balanced ({balance})."},
}

_PUSH = set("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")
_POP = set("\u202c\u2069")


def prepare(rule):
    parts = []
    for item in rule.params["characters"]:
        match = re.fullmatch(r"(?:U\+)?([0-9A-Fa-f]{4,6})(?:-(?:U\+)?([0-9A-Fa-f]{4,6}))?", item.strip())
        if not match:
            raise RuleError(rule.path, f"'characters': {item!r} is not a hex code point or range")
        low = int(match.group(1), 16)
        high = int(match.group(2), 16) if match.group(2) else low
        if high < low or high > 0x10FFFF:
            raise RuleError(rule.path, f"'characters': {item!r} is not a valid range")
        parts.append(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else ""))
    rule.prepared = re.compile("[" + "".join(parts) + "]+")


def _is_emoji(char):
    import unicodedataplus

    return unicodedataplus.is_extended_pictographic(char) or unicodedataplus.is_emoji_component(char) and not char.isascii()


def check(doc, rule, settings):
    import unicodedataplus

    text = doc.text
    for match in rule.prepared.finditer(text):
        start, end = match.span()
        if rule.params["skip_leading_bom"] and start == 0 and text[0] == "\ufeff":
            start += 1
            if start == end:
                continue
        if rule.params["except_in_emoji"] and start > 0 and end < len(text) and _is_emoji(text[start - 1]) and (_is_emoji(text[end]) or text[start] in "\ufe0e\ufe0f"):
            continue
        names = ", ".join(dict.fromkeys(f"U+{ord(c):04X} {unicodedataplus.name(c, 'UNNAMED')}" for c in text[start:end]))
        fix = Fix(start, end, "") if rule.params["fix"] == "remove" else None
        balance = ""
        if rule.params["balance"]:
            line, _ = doc.position(start)
            s, e = doc.line_span(line)
            depth = 0
            for c in text[s:e]:
                depth += (c in _PUSH) - (c in _POP)
            balance = "balanced on its line" if depth == 0 else "unbalanced on its line (an embedding or isolate is never closed)"
        yield rule.finding(doc, start, end, fix=fix, characters=names, count=end - start, balance=balance)
