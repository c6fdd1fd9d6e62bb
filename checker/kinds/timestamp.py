"""`timestamp`: header and front-matter timestamps checked as RFC 3339 / ISO 8601 values.

Validates values, not only shapes: a real calendar date, a real time (leap
seconds only at the end of a UTC day), an offset in range. `check` picks what a
rule reports: `missing-zone` (a valid local timestamp with no UTC offset) or
`invalid` (anything that is not a real RFC 3339 / ISO 8601 date-time).
"""

import re
from datetime import date, datetime, timedelta, timezone

from checker.findings import Fix

PARAMETERS = {
    "check": {
        "type": "enum",
        "values": ["missing-zone", "invalid", "non-canonical"],
        "required": True,
        "doc": "missing-zone: valid but without an offset; invalid: not a real RFC 3339 / ISO 8601 value; non-canonical: valid but with a space or lowercase t/z.",
    },
}

_SHAPE = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:(?P<sep>[Tt ])(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?P<fraction>\.[0-9]+)?)?"
    r"(?P<offset>[Zz]|[+-](?P<oh>[0-9]{2}):(?P<om>[0-9]{2}))?)?"
    r"(?P<zone>\[[^\]\s]+\])?"
)


def prepare(rule):
    rule.prepared = None


class Parsed:
    """The outcome of reading one timestamp: `error` is None when the value is valid."""

    def __init__(self, error=None, match=None):
        self.error = error
        self.match = match

    @property
    def has_time(self):
        return bool(self.match and self.match.group("hour"))

    @property
    def has_offset(self):
        return bool(self.match and self.match.group("offset"))


def parse(value):
    """Check one timestamp string; returns Parsed with the first thing wrong, if any."""
    if any(c.isdigit() and not c.isascii() for c in value):
        return Parsed("it uses non-ASCII digits")
    match = _SHAPE.match(value)
    if not match:
        return Parsed(_diagnose_shape(value))
    if match.end() != len(value):
        rest = value[match.end():]
        if re.match(r"[0-9:]", rest) or (match.group("hour") is None and re.match(r"[Tt ][0-9]", rest)):
            return Parsed(_diagnose_shape(value))
        return Parsed(f"trailing text {rest.strip()[:20]!r} after the timestamp")
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if not 1 <= month <= 12:
        return Parsed(f"month {match['month']} does not exist", match)
    try:
        date(year, month, day)
    except ValueError:
        return Parsed(f"{match['year']}-{match['month']}-{match['day']} is not a calendar date", match)
    if match["hour"] is None:
        return Parsed(None, match)
    hour, minute = int(match["hour"]), int(match["minute"])
    second = int(match["second"] or 0)
    if hour > 23:
        return Parsed(f"hour {match['hour']} does not exist (00-23)", match)
    if minute > 59:
        return Parsed(f"minute {match['minute']} does not exist (00-59)", match)
    if second > 60:
        return Parsed(f"second {match['second']} does not exist (00-59, 60 for a leap second)", match)
    if match["oh"] is not None and (int(match["oh"]) > 23 or int(match["om"]) > 59):
        return Parsed(f"offset {match['offset']} is out of range (-23:59 to +23:59)", match)
    if second == 60:
        offset = _offset_minutes(match)
        utc = datetime(year, month, day, hour, minute) - timedelta(minutes=offset or 0)
        if offset is None or (utc.hour, utc.minute) != (23, 59):
            return Parsed("a leap second (:60) can only fall at 23:59:60 UTC", match)
    if match["zone"] and match["offset"]:
        problem = _zone_conflict(match, year, month, day, hour, minute, second)
        if problem:
            return Parsed(problem, match)
    return Parsed(None, match)


def _offset_minutes(match):
    if not match["offset"]:
        return None
    if match["offset"] in "Zz":
        return 0
    sign = -1 if match["offset"][0] == "-" else 1
    return sign * (int(match["oh"]) * 60 + int(match["om"]))


def _zone_conflict(match, year, month, day, hour, minute, second):
    """RFC 9557: an offset that contradicts the [Zone] suffix (unless the suffix is marked `!`-free and unknown)."""
    name = match["zone"][1:-1].lstrip("!")
    if "=" in name:  # a tagged suffix such as [u-ca=gregory]: not a zone
        return None
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(name)
    except Exception:
        return f"unknown time zone {name!r} in the suffix"
    offset = _offset_minutes(match)
    instant = datetime(year, month, day, hour, minute, min(second, 59), tzinfo=timezone(timedelta(minutes=offset)))
    actual = instant.astimezone(zone).utcoffset()
    if actual != timedelta(minutes=offset):
        return f"offset {match['offset']} contradicts {name} (which is {_format_offset(actual)} then)"
    return None


def _format_offset(delta):
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _diagnose_shape(value):
    if re.match(r"[0-9]{1,2}[-./][A-Za-z]{3,9}[-./][0-9]{2,4}", value):
        return "a day-first date with a month name; use YYYY-MM-DD"
    if re.match(r"[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4}", value):
        return "a day/month-first date; use YYYY-MM-DD"
    if re.match(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9])", value) and not re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return "unpadded month or day; use two digits"
    time = re.search(r"[Tt ]([0-9]+):([0-9]+)(?::([0-9]+))?", value)
    if time:
        for label, part in zip(("hour", "minute", "second"), time.groups()):
            if part is not None and len(part) != 2:
                return f"{label} {part!r} is not two digits"
    return "not an RFC 3339 / ISO 8601 date-time"


def header_timestamps(doc):
    """The timestamps a document declares: its timestamp line and front-matter dates."""
    if doc.header.metadata_timestamps:
        return [span for _, span in doc.header.metadata_timestamps]
    return [doc.header.timestamp] if doc.header.timestamp else []


def offset_fix(value, match, zone_name):
    """The fix that appends the zone's offset for this local time, or (None, reason)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    local = datetime(int(match["year"]), int(match["month"]), int(match["day"]), int(match["hour"]), int(match["minute"]), min(int(match["second"] or 0), 59))
    first = local.replace(fold=0, tzinfo=zone)
    second = local.replace(fold=1, tzinfo=zone)
    if first.utcoffset() != second.utcoffset():
        return None, f"{value} is ambiguous in {zone_name} (clocks go back): no fix"
    roundtrip = first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if roundtrip != local:
        return None, f"{value} does not exist in {zone_name} (clocks go forward): no fix"
    return _format_offset(first.utcoffset()), None


def check(doc, rule, settings):
    what = rule.params["check"]
    for span in header_timestamps(doc):
        parsed = parse(span.text)
        if what == "invalid" and parsed.error:
            yield rule.finding(doc, span.start, span.end, reason=parsed.error)
        elif what == "missing-zone" and not parsed.error and parsed.has_time and not parsed.has_offset:
            fix, note = None, ""
            zone = getattr(settings, "timezone", None)
            if zone:
                suffix, note = offset_fix(span.text, parsed.match, zone)
                if suffix:
                    fix = Fix(span.end, span.end, suffix)
                    note = f"; in {zone} that is {span.text}{suffix}"
                else:
                    note = "; " + note
            else:
                note = "; set `timezone` to get a fix"
            yield rule.finding(doc, span.start, span.end, fix=fix, note=note)
        elif what == "non-canonical" and not parsed.error and parsed.has_time:
            m = parsed.match
            if m["sep"] != "T" or (m["offset"] or "") == "z":
                canonical = span.text[: m.start("sep")] + "T" + span.text[m.end("sep") :]
                canonical = canonical[:-1] + "Z" if canonical.endswith("z") else canonical
                yield rule.finding(doc, span.start, span.end, fix=Fix(span.start, span.end, canonical), canonical=canonical)
