"""`invisible`: characters a reader cannot see or that mark lost data (zero-width, BOM, bidi controls, U+FFFD...).

One finding per listed character (a run of tag characters is one). Zero-width joiners and
variation selectors inside emoji sequences, and tag characters closing an emoji
flag (🏴 + tags + U+E007F), are left alone when `except_in_emoji` is set: there
they are how the emoji is spelt. Characters listed in `except_between_letters`
(ZWNJ, ZWJ) are spelling between two letters of a script that uses them
(Persian, Hindi: `spelling_scripts`). The `bidi-controls` check pairs bidi controls as the Unicode
Bidirectional Algorithm pairs them on a line: an opener and its closer are one
finding spanning what they enclose, and the message says whether it is balanced.
"""

import re

from checker.errors import RuleError
from checker.findings import Fix

PARAMETERS = {
    "characters": {"type": "list[str]", "required": True, "doc": "Code points (hex, '200B') or ranges ('2066-2069')."},
    "fix": {"type": "enum", "values": ["remove", "none"], "default": "none", "doc": "remove: the fix deletes the run."},
    "except_in_emoji": {"type": "bool", "default": True, "doc": "Skip characters between two emoji (ZWJ sequences, variation selectors) and emoji tag sequences."},
    "except_between_letters": {
        "type": "list[str]",
        "default": [],
        "doc": "Code points (hex) left alone between two letters of a script other than Latin, where they are spelling (ZWNJ in Persian).",
    },
    "spelling_scripts": {
        "type": "list[str]",
        "default": [],
        "doc": "Scripts (Unicode names) whose letters `except_between_letters` applies between; empty: any script but Latin.",
    },
    "skip_leading_bom": {"type": "bool", "default": True, "doc": "A BOM at the very start of the text is an encoding mark, not a defect."},
}

_EMBEDDINGS = set("\u202a\u202b\u202d\u202e")  # closed by U+202C POP DIRECTIONAL FORMATTING
_ISOLATES = set("\u2066\u2067\u2068")  # closed by U+2069 POP DIRECTIONAL ISOLATE
_TAGS = re.compile("[\U000e0020-\U000e007e]*\U000e007f")


def _parse_points(rule, key, items):
    parts = []
    for item in items:
        match = re.fullmatch(r"(?:U\+)?([0-9A-Fa-f]{4,6})(?:-(?:U\+)?([0-9A-Fa-f]{4,6}))?", item.strip())
        if not match:
            raise RuleError(rule.path, f"'{key}': {item!r} is not a hex code point or range")
        low = int(match.group(1), 16)
        high = int(match.group(2), 16) if match.group(2) else low
        if high < low or high > 0x10FFFF:
            raise RuleError(rule.path, f"'{key}': {item!r} is not a valid range")
        parts.append((low, high))
    return parts


def prepare(rule):
    parts = _parse_points(rule, "characters", rule.params["characters"])
    pattern = "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in parts)
    between = {chr(c) for low, high in _parse_points(rule, "except_between_letters", rule.params["except_between_letters"]) for c in range(low, high + 1)}
    regex = re.compile("[" + pattern + "]+")
    ascii_members = "".join(c for c in map(chr, range(128)) if regex.match(c))
    rule.prepared = (regex, frozenset(between), frozenset(rule.params["spelling_scripts"]), ascii_members)


def _is_emoji(char):
    """An emoji a ZWJ sequence can join: one shown as emoji by default, or an emoji component
    (variation selector, skin tone). Text-style pictographs (`©`, `™`) are not: in copy they
    are text, often a byte of mojibake, and a zero-width space is no part of any emoji."""
    import unicodedataplus  # lazy: start-up

    if char in "\u200b\u200d":
        return False
    return unicodedataplus.is_emoji_presentation(char) or unicodedataplus.is_emoji_component(char) and not char.isascii()


def _complex_letter(char, scripts):
    import unicodedataplus  # lazy: start-up

    if not (char.isalpha() or unicodedataplus.category(char).startswith("M")):
        return False
    script = unicodedataplus.script(char)
    return script in scripts if scripts else script not in ("Latin", "Common", "Inherited")


def _pieces(start, end, text):
    """One piece per character, except that a run of tag characters (hidden text) stays one.

    A run is split so that a rule overriding this one (a mojibake span claiming a
    soft hyphen as byte 0xAD) supersedes only the characters it covers: the
    rest are still reported and removed, or fixing would leave them behind."""
    i = start
    while i < end:
        j = i + 1
        if "\U000e0000" <= text[i] <= "\U000e007f":
            while j < end and "\U000e0000" <= text[j] <= "\U000e007f":
                j += 1
        yield i, j
        i = j


def describe(chars):
    import unicodedataplus  # lazy: start-up

    names = []
    for c in chars:
        name = unicodedataplus.name(c, "") or ("control" if unicodedataplus.category(c) == "Cc" else "unnamed")
        names.append(f"U+{ord(c):04X} {name}")
    return ", ".join(dict.fromkeys(names))


def _in_emoji(text, start, end):
    if start == 0 or not _is_emoji(text[start - 1]):
        return False
    if _TAGS.fullmatch(text, start, end):
        return True  # a flag's tag sequence: 🏴 + tag letters + CANCEL TAG
    joiners_only = set(text[start:end]) <= {"\u200d"}  # only a ZWJ joins two emoji
    return end < len(text) and (joiners_only and _is_emoji(text[end]) or text[start] in "\ufe0e\ufe0f")


def _holds_any(doc, rule):
    regex, _between, _scripts, ascii_members = rule.prepared
    # Nearly every text holds none of the characters: tell so from its few non-ASCII ones.
    return regex.search(doc.non_ascii) is not None or any(c in doc.text for c in ascii_members)


def characters(doc, rule, settings):
    """TX101, TX104: each run of the listed characters (not inside an emoji, not a
    joiner that spells a letter of a listed script), with its fix."""
    regex, between, scripts, _ascii_members = rule.prepared
    text = doc.text
    if not _holds_any(doc, rule):
        return
    for match in regex.finditer(text):
        start, end = match.span()
        if rule.params["skip_leading_bom"] and start == 0 and text[0] == "\ufeff":
            start += 1
            if start == end:
                continue
        # whether a run is spelling depends on what surrounds the whole run
        if rule.params["except_in_emoji"] and _in_emoji(text, start, end):
            continue
        if between and set(text[start:end]) <= between and 0 < start and end < len(text) and _complex_letter(text[start - 1], scripts) and _complex_letter(text[end], scripts):
            continue
        for piece_start, piece_end in _pieces(start, end, text):
            fix = Fix(piece_start, piece_end, "") if rule.params["fix"] == "remove" else None
            chars = text[piece_start:piece_end]
            yield rule.finding(doc, piece_start, piece_end, fix=fix, characters=describe(chars), count=len(chars), balance="")


def bidi_controls(doc, rule, settings):
    """TX102: bidi controls paired opener to closer per line (a line is a bidi
    paragraph); one finding per pair or stray control."""
    if not _holds_any(doc, rule):
        return
    regex = rule.prepared[0]
    text = doc.text
    positions = [i for m in regex.finditer(text) for i in range(*m.span())]
    by_line = {}
    for i in positions:
        by_line.setdefault(doc.position(i)[0], []).append(i)
    for indices in by_line.values():
        stack, results = [], []
        for i in indices:
            char = text[i]
            if char in _EMBEDDINGS or char in _ISOLATES:
                stack.append(i)
            elif char == "\u202c":  # closes the innermost embedding, never across an isolate
                if stack and text[stack[-1]] in _EMBEDDINGS:
                    results.append((stack.pop(), i, True))
                else:
                    results.append((i, i, False))
            elif char == "\u2069":  # closes the innermost isolate and any embeddings inside it
                if any(text[j] in _ISOLATES for j in stack):
                    while text[stack[-1]] not in _ISOLATES:
                        results.append((stack.pop(), None, False))
                    results.append((stack.pop(), i, True))
                else:
                    results.append((i, i, False))
            else:
                results.append((i, i, None))  # listed but neither opens nor closes
        results.extend((j, None, False) for j in stack)
        for opener, closer, balanced in results:
            end = (closer if closer is not None else opener) + 1
            chars = text[opener] + (text[closer] if closer not in (None, opener) else "")
            if balanced:
                balance = "balanced on its line"
            elif balanced is None:
                balance = "invisible on its line"
            elif closer is None:
                balance = "unbalanced: never closed on its line"
            else:
                balance = "unbalanced: it closes nothing on its line"
            yield rule.finding(doc, opener, end, fix=None, characters=describe(chars), count=len(chars), balance=balance)


CHECKS = {"characters": characters, "bidi-controls": bidi_controls}
