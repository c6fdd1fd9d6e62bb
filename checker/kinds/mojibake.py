"""`mojibake`: UTF-8 text that was decoded with an 8-bit code page (`CafÃ©`, `РЎРђР©`).

Each listed code page gives a table of the characters its bytes 0x80-0xFF
decode to. A span is mojibake when encoding it back through that table gives
valid multi-byte UTF-8 whose characters are all plausible text (the
`plausible` ranges), so `Ã©` becomes `é` and `РЎРђР©` becomes `САЩ`.
Windows-1252 also covers Latin-1: bytes 0x80-0x9F read as Latin-1 are C1
control characters, and 1252's five unassigned bytes are often read so too.
A span ending in a lead byte whose continuation was lost (`Ð¡Ð`) is reported
without a fix.
"""

import re
import unicodedata

from checker.errors import RuleError
from checker.findings import Fix

PARAMETERS = {
    "codecs": {"type": "list[str]", "default": ["cp1252", "cp1251"], "doc": "Code pages UTF-8 may have been misread as (cp1252 includes Latin-1)."},
    "plausible": {
        "type": "list[str]",
        "required": True,
        "doc": "Hex ranges ('00A0-017F') of the characters re-decoded text may hold; anything else means the match is chance.",
    },
    "truncated": {
        "type": "map[str,str]",
        "default": {},
        "doc": "Mojibake whose last byte is usually gone → what it most likely read ('â€' → '”': Windows-1252 has no character for byte 0x9D). Reported without a fix.",
    },
    "min_chars": {
        "type": "map",
        "default": {},
        "doc": "Per code page, the fewest re-decoded characters a span needs (cp1251 mojibake looks like ordinary Cyrillic).",
    },
}

_NAMES = {"cp1252": "Windows-1252", "cp1251": "Windows-1251", "latin-1": "Latin-1 (ISO 8859-1)"}
_GAP = re.compile(r"[ \-.,'’]{1,2}")  # between two mojibake words of one phrase


def _table(codec):
    """{character: byte} for bytes 0x80-0xFF as `codec` decodes them (unassigned bytes: their C1 control)."""
    table = {}
    for byte in range(0x80, 0x100):
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            char = chr(byte)
        table[char] = byte
    if codec == "cp1252":  # Latin-1 reads 0x80-0x9F as C1 controls
        for byte in range(0x80, 0xA0):
            table.setdefault(chr(byte), byte)
    return table


def _variants(table):
    """{decomposed form: character} for the table's characters: copy normalised to NFD or
    NFKD after the damage spells `Ã` as A + U+0303 and `¼` as `1⁄4`. Pure-ASCII forms
    (`²` → `2`) are left out: they are ordinary text."""
    variants = {}
    for char in table:
        for form in ("NFD", "NFKD"):
            spelt = unicodedata.normalize(form, char)
            if spelt != char and not spelt.isascii():
                variants.setdefault(spelt, char)
    return variants


def _char_class(table, variants, low, high):
    """The characters of bytes low..high, or one of their decomposed spellings."""
    chars = [c for c, b in table.items() if low <= b <= high]
    spelt = sorted((v for v, c in variants.items() if c in chars), key=len, reverse=True)
    return "(?:[" + "".join(re.escape(c) for c in chars) + "]" + "".join("|" + re.escape(v) for v in spelt) + ")"


def _to_bytes(fragment, table, fold):
    """The bytes `fragment` came from, or None; ASCII stands for itself."""
    variants, regex = fold
    if regex is not None:
        fragment = regex.sub(lambda m: variants[m.group()], fragment)
    try:
        return bytes(ord(c) if c < "\x80" else table[c] for c in fragment)
    except KeyError:
        return None


def _redecode(decoded, table, fold, ranges):
    """Undo repeated mis-decoding (`Ã\x83Â±` → `Ã±` → `ñ`) while the result stays plausible."""
    for _ in range(3):
        raw = _to_bytes(decoded, table, fold)
        if raw is None or raw.isascii():
            break
        try:
            again = raw.decode("utf-8")
        except UnicodeDecodeError:
            break
        if again == decoded or not _plausible(again, ranges):
            break
        decoded = again
    return decoded


def prepare(rule):
    import codecs  # lazy: start-up

    compiled = []
    for codec in rule.params["codecs"]:
        try:
            codecs.lookup(codec)
        except LookupError:
            raise RuleError(rule.path, f"'codecs': unknown code page {codec!r}") from None
        table = _table(codec)
        variants = _variants(table)
        fold = (variants, re.compile("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))) if variants else None)
        cont = _char_class(table, variants, 0x80, 0xBF)
        unit = re.compile(
            f"{_char_class(table, variants, 0xF0, 0xF4)}{cont}{{3}}"
            f"|{_char_class(table, variants, 0xE0, 0xEF)}{cont}{{2}}"
            f"|{_char_class(table, variants, 0xC2, 0xDF)}{cont}"
        )
        lead = re.compile(_char_class(table, variants, 0xC2, 0xF4))
        # Every span starts with a lead character or a decomposed one (which holds a
        # non-ASCII mark): text with neither is skipped before the slower search.
        starters = {c for c, b in table.items() if 0xC2 <= b <= 0xF4}
        starters |= {m for v, c in variants.items() if c in starters for m in v if not m.isascii()}
        trigger = re.compile("[" + "".join(re.escape(c) for c in sorted(starters)) + "]")
        # (in the code pages UTF-8 is misread as, every starter is non-ASCII)
        compiled.append((codec, table, fold, unit, lead, trigger, not any(c.isascii() for c in starters)))
    ranges = []
    for item in rule.params["plausible"]:
        match = re.fullmatch(r"([0-9A-Fa-f]{4,6})(?:-([0-9A-Fa-f]{4,6}))?", item.strip())
        if not match:
            raise RuleError(rule.path, f"'plausible': {item!r} is not a hex code point or range")
        ranges.append((int(match.group(1), 16), int(match.group(2) or match.group(1), 16)))
    minimum = {}
    for codec, value in rule.params["min_chars"].items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise RuleError(rule.path, f"'min_chars': {codec!r} must map to a whole number of at least 1")
        minimum[codec] = value
    truncated = rule.params["truncated"]
    truncated_regex = re.compile("|".join(re.escape(t) for t in sorted(truncated, key=len, reverse=True))) if truncated else None
    rule.prepared = (compiled, tuple(ranges), minimum, (truncated_regex, dict(truncated)))


def _plausible(text, ranges):
    return all(any(low <= ord(c) <= high for low, high in ranges) for c in text)


def spans(text, compiled, ranges, minimum, non_ascii=None):
    """(start, end, codec, decoded, lossless) for each mojibake span, longest first where they overlap.
    non_ascii: the text's non-ASCII characters, if known: a code page whose
    triggers are all non-ASCII is looked for among them (few) first."""
    found = []
    for codec, table, fold, unit, lead, trigger, non_ascii_trigger in compiled:
        if not trigger.search(non_ascii if non_ascii is not None and non_ascii_trigger else text):
            continue
        units = []
        for match in unit.finditer(text):
            raw = _to_bytes(match.group(), table, fold)
            try:
                decoded = raw.decode("utf-8") if raw else ""
            except UnicodeDecodeError:
                continue
            if _plausible(decoded, ranges):
                units.append([match.start(), match.end(), decoded])
        merged = []  # [start, end, decoded, units, lossless]
        for start, end, decoded in units:
            last = merged[-1] if merged else None
            if last and (start == last[1] or _GAP.fullmatch(text, last[1], start)):
                last[1:4] = [end, last[2] + text[last[1] : start] + decoded, last[3] + 1]
            elif last and lead.fullmatch(text, last[1], start):
                # a lead byte whose continuation was lost between two readable characters
                last[1:5] = [end, last[2] + "\ufffd" + decoded, last[3] + 1, False]
            else:
                merged.append([start, end, decoded, 1, True])
        for start, end, decoded, count, lossless in merged:
            if count < minimum.get(codec, 1):
                continue
            tail = lead.match(text, end)
            if tail and not unit.match(text, end):
                end, decoded, lossless = tail.end(), decoded + "\ufffd", False
            decoded = _redecode(decoded, table, fold, ranges) if lossless else decoded
            found.append((start, end, codec, decoded, lossless))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    return found


def _truncated(text, truncated, found):
    """Spans of known mojibake prefixes whose last byte is gone, outside the spans found."""
    regex, readings = truncated
    if regex is None:
        return []
    return [
        (m.start(), m.end(), "cp1252", readings[m.group()], False)
        for m in regex.finditer(text)
        if not any(s < m.end() and m.start() < e for s, e, *_ in found)
    ]


def _one_per_place(found):
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


_CONTEXT = 12  # characters either side a re-check of a fix looks at (longer than any unit)


def _settle(text, span, compiled, ranges, minimum):
    """The span widened until its fix leaves no mojibake where it writes; None for no fix.

    Re-decoding `Ã\x83\x83` gives `Ã\x83`, which is mojibake again: a fix must
    remove its own defect, so the text it writes is checked in context and any
    span touching it is folded in (at most three times, then no fix is offered).
    A fix that would change how neighbouring mojibake reads is not offered either.
    """
    start, end, decoded = span[0], span[1], span[3]
    for _ in range(3):
        low, high = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
        written_from, written_to = start - low, start - low + len(decoded)
        window = text[low:start] + decoded + text[end:high]
        after = spans(window, compiled, ranges, minimum)
        touching = [s for s in after if s[0] < written_to and written_from < s[1]]
        if not touching:
            # nor may it change how the mojibake beside it reads (a lost byte that the
            # written character now seems to complete): that would be a new finding
            shift = written_to - (end - low)
            before = [
                (a if b <= start - low else a + shift, b if b <= start - low else b + shift, *rest)
                for a, b, *rest in spans(text[low:high], compiled, ranges, minimum)
                if b <= start - low or a >= end - low
            ]
            return (start, end, decoded) if sorted(before) == sorted(after) else None
        w_start, w_end, _, again, lossless = touching[0]
        if not lossless:
            return None
        new_from, new_to = min(w_start, written_from), max(w_end, written_to)
        decoded = window[new_from:w_start] + again + window[w_end:new_to]
        start, end = low + new_from, end + (new_to - written_to)
    return None


def _direction(codec, fragment):
    if codec == "cp1252":
        if any("\x80" <= c <= "\x9f" for c in fragment):
            return _NAMES["latin-1"]
        if any(c in "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ" for c in fragment):
            return _NAMES["cp1252"]
        return "Latin-1 or Windows-1252"
    return _NAMES.get(codec, codec)


def check(doc, rule, settings):
    text = doc.prose
    if text.isascii():
        return
    compiled, ranges, minimum, truncated = rule.prepared
    found = spans(text, compiled, ranges, minimum, doc.non_ascii)
    found += _truncated(text, truncated, found)
    settled = []
    for span in found:
        if span[4]:
            fixed = _settle(text, span, compiled, ranges, minimum)
            span = (*fixed[:2], span[2], fixed[2], True, True) if fixed else (*span, False)
        else:
            span = (*span, False)
        settled.append(span)
    for start, end, codec, decoded, lossless, fixable in _one_per_place(settled):
        yield rule.finding(
            doc,
            start,
            end,
            fix=Fix(start, end, decoded) if fixable else None,
            codec=_direction(codec, text[start:end]),
            decoded=decoded,
            lost="" if lossless else " (a byte was lost: check the source)",
        )


CHECKS = {"mojibake": check}  # the kind does one thing: a rule needs no `check:`
