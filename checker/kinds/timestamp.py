"""`timestamp`: header and front-matter timestamps checked as RFC 3339 / ISO 8601 values.

Validates values, not only shapes: a real calendar date, a real time (leap
seconds only at the end of a UTC day), an offset in range, an offset that agrees
with an RFC 9557 `[Zone]` suffix. `check` picks what a rule reports:
`missing-zone` (a valid local timestamp with no UTC offset), `invalid` (anything
that is not a real RFC 3339 / ISO 8601 date-time; the message lists every
problem found) or `non-canonical` (valid, but with a space or lowercase t/z).

`parse` reads leniently so that it can say what is wrong with the forms found in
real feeds (`27-MAR-1987 00:02:59.13RM`, hour `605`, `05.07.2024 06:15`, ISO
week and ordinal dates, basic format, `+0300`, trailing comments), and so that
later rules can still take a date from a malformed header.
"""

from datetime import date, datetime, timedelta, timezone

from checker.findings import Fix
from checker.matching.regex import LazyRegex
from checker.records import Record

PARAMETERS = {}

_MONTH_ABBREVIATIONS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


# Date forms, tried in order; only the first is RFC 3339.
_DATE_RFC3339 = LazyRegex(r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})(?![0-9])")
_DATE_DAY_MONTH_NAME = LazyRegex(r"(?P<d>[0-9]{1,2})[-./ ](?P<name>[A-Za-z]{3,9})\.?[-./ ](?P<y>[0-9]{2,4})(?![0-9])")
_DATE_NUMERIC_FIRST = LazyRegex(r"(?P<a>[0-9]{1,2})(?P<sep>[./-])(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4}|[0-9]{2})(?![0-9])")
_DATE_EXTENDED_YEAR = LazyRegex(r"(?P<y>[+-][0-9]{4,}|[0-9]{5,})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})")
_DATE_WEEK = LazyRegex(r"(?P<y>[0-9]{4})-?W(?P<w>[0-9]{2})(?:-?(?P<wd>[1-7]))?(?![0-9])")
_DATE_ORDINAL = LazyRegex(r"(?P<y>[0-9]{4})-?(?P<o>[0-9]{3})(?![0-9-])")
_DATE_BASIC = LazyRegex(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})(?![0-9])")
_DATE_LOOSE = LazyRegex(r"(?P<y>[0-9]{4})(?P<s1>[-/.: –]+)(?P<m>[0-9]{1,3})(?P<s2>[-/.: –]+)(?P<d>[0-9]{1,3})(?![0-9])")

_TIME_STRICT = LazyRegex(r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?P<f>\.[0-9]+)?)?")
_TIME_LOOSE = LazyRegex(r"(?P<h>[0-9]+):(?P<mi>[0-9]+)(?::(?P<s>[0-9]+)(?P<f>[.,][0-9]+)?)?")
_OFFSET_STRICT = LazyRegex(r"[Zz]|[+-](?P<oh>[0-9]{2}):(?P<om>[0-9]{2})")
_OFFSET_NO_COLON = LazyRegex(r"[+-](?P<oh>[0-9]{2})(?P<om>[0-9]{2})(?![0-9])")
_OFFSET_HOUR_ONLY = LazyRegex(r"[+-](?P<oh>[0-9]{1,2})(?![0-9:])")
_ZONE_ABBREVIATION = LazyRegex(r"\s*(?P<abbr>UTC|GMT|UT|[A-Z]{2,4}T)(?![A-Za-z])")
_SUFFIX = LazyRegex(r"\[(?P<critical>!?)(?P<body>[^\]\s]+)\]")


class Parsed(Record):
    """The outcome of reading one timestamp: `error` is None when the value is valid RFC 3339 / ISO 8601."""

    FIELDS = (
        "problems", "calendar_date", "hour", "minute", "second", "separator", "time_end",
        "offset", "offset_start", "offset_minutes", "zones",
    )

    def __init__(
        self, problems=None, calendar_date=None, hour=None, minute=None, second=0, separator=None,
        time_end=None, offset=None, offset_start=None, offset_minutes=None, zones=None,
    ):
        self.problems = [] if problems is None else problems
        self.calendar_date = calendar_date  # a date, when one could be read (even from a malformed value)
        self.hour = hour
        self.minute = minute
        self.second = second
        self.separator = separator  # (offset, char) between date and time
        self.time_end = time_end  # where an offset belongs
        self.offset = offset  # as written
        self.offset_start = offset_start
        self.offset_minutes = offset_minutes
        self.zones = [] if zones is None else zones  # RFC 9557 zone names from the suffix

    @property
    def error(self):
        return "; ".join(self.problems) if self.problems else None

    @property
    def has_time(self):
        return self.hour is not None

    @property
    def has_offset(self):
        return self.offset is not None


def parse(value, date_order=None):
    """Check one timestamp string; every problem found goes into Parsed.problems."""
    parsed = Parsed()
    problems = parsed.problems
    foreign = [c for c in value if c.isdigit() and not c.isascii()]
    if foreign:
        problems.append(f"it uses non-ASCII digits ({''.join(dict.fromkeys(foreign))}); use 0-9")
        return parsed
    if value != value.strip():
        problems.append("white space around the value")
        value = value.strip()
    position = _read_date(value, parsed, date_order)
    if position is None:
        problems.append("not an RFC 3339 / ISO 8601 date-time")
        return parsed
    position = _read_time(value, position, parsed)
    position = _read_offset(value, position, parsed)
    while True:
        suffix = _SUFFIX.match(value, position)
        if not suffix:
            break
        _read_suffix(suffix, parsed)
        position = suffix.end()
    rest = value[position:]
    if rest.strip().startswith("#"):
        problems.append(f"a comment {rest.strip()[:40]!r} after the timestamp")
    elif rest:
        problems.append(f"trailing text {rest.strip()[:20] or rest!r} after the timestamp")
    _check_values(parsed)
    return parsed


def _iso(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _read_date(value, parsed, date_order):
    """Read the date part into parsed.calendar_date; returns where it ends, or None.
    The forms are tried in order (only the first is RFC 3339); each reader notes
    what is wrong with its form in parsed.problems."""
    for pattern, reader in _DATE_FORMS:
        m = pattern.match(value)
        if m:
            reader(m, parsed, date_order)
            return m.end()
    return None


def _rfc3339_date(m, parsed, date_order):
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not 1 <= month <= 12:
        parsed.problems.append(f"month {m['m']} does not exist")
    elif _iso(year, month, day) is None:
        parsed.problems.append(f"{m.group()} is not a calendar date ({month_length(year, month)} days in that month)")
    parsed.calendar_date = _iso(year, month, day)


def _extended_year_date(m, parsed, date_order):
    parsed.problems.append(f"year {m['y']} is not four digits (RFC 3339 has no signed or extended years)")


def _day_month_name_date(m, parsed, date_order):
    month = _MONTH_ABBREVIATIONS.get(m["name"][:3].lower())
    day = _iso(_full_year(m["y"]), month, int(m["d"])) if month else None
    if month is None:
        parsed.problems.append(f"{m.group()!r} is not a date ({m['name']!r} is not a month)")
    elif day is None:
        parsed.problems.append(f"{m.group()!r} is not a calendar date")
    else:
        parsed.problems.append(f"a day-month-year date with a month name ({m.group()}); use {day.isoformat()}")
    parsed.calendar_date = day


def _numeric_date(m, parsed, date_order):
    year = _full_year(m["y"])
    dmy, mdy = _iso(year, int(m["b"]), int(m["a"])), _iso(year, int(m["a"]), int(m["b"]))
    readings = {"dmy": dmy, "mdy": mdy}
    if date_order and readings[date_order]:
        parsed.calendar_date = readings[date_order]
        parsed.problems.append(f"a numeric date in {date_order} order ({m.group()}); use {parsed.calendar_date.isoformat()}")
    elif dmy and mdy and dmy != mdy:
        parsed.problems.append(f"an ambiguous numeric date ({m.group()}); use YYYY-MM-DD ({dmy.isoformat()} if day first, {mdy.isoformat()} if month first)")
    elif dmy or mdy:
        parsed.calendar_date = dmy or mdy
        order = "day-month-year" if dmy else "month-day-year"
        parsed.problems.append(f"a {order} numeric date ({m.group()}); use {parsed.calendar_date.isoformat()}")
    else:
        parsed.problems.append(f"{m.group()!r} is not a calendar date in either day or month order")


def _week_date(m, parsed, date_order):
    try:
        parsed.calendar_date = date.fromisocalendar(int(m["y"]), int(m["w"]), int(m["wd"] or 1))
        parsed.problems.append(f"an ISO 8601 week date ({m.group()}), not RFC 3339; use {parsed.calendar_date.isoformat()}")
    except ValueError:
        parsed.problems.append(f"{m.group()!r} is not a real ISO week date")


def _ordinal_date(m, parsed, date_order):
    year, ordinal = int(m["y"]), int(m["o"])
    length = 366 if _iso(year, 2, 29) else 365
    if 1 <= ordinal <= length:
        parsed.calendar_date = date(year, 1, 1) + timedelta(days=ordinal - 1)
        parsed.problems.append(f"an ISO 8601 ordinal date (day {ordinal} of {year}), not RFC 3339; use {parsed.calendar_date.isoformat()}")
    else:
        parsed.problems.append(f"day {ordinal} of {year} does not exist")


def _basic_date(m, parsed, date_order):
    parsed.calendar_date = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    if parsed.calendar_date:
        parsed.problems.append(f"a basic-format date without hyphens ({m.group()}); use {parsed.calendar_date.isoformat()}")
    else:
        parsed.problems.append(f"{m.group()!r} is not a calendar date")


def _loose_date(m, parsed, date_order):
    parsed.calendar_date = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["s1"] != "-" or m["s2"] != "-":
        parsed.problems.append(f"date separators {m['s1']!r} and {m['s2']!r} must be hyphens '-'")
    for label, part in (("month", m["m"]), ("day", m["d"])):
        if len(part) != 2:
            parsed.problems.append(f"{label} {part!r} is not two digits")
    if parsed.calendar_date is None:
        parsed.problems.append(f"{m['y']}-{m['m']}-{m['d']} is not a calendar date")


_DATE_FORMS = (
    (_DATE_RFC3339, _rfc3339_date),
    (_DATE_EXTENDED_YEAR, _extended_year_date),
    (_DATE_DAY_MONTH_NAME, _day_month_name_date),
    (_DATE_NUMERIC_FIRST, _numeric_date),
    (_DATE_WEEK, _week_date),
    (_DATE_ORDINAL, _ordinal_date),
    (_DATE_BASIC, _basic_date),
    (_DATE_LOOSE, _loose_date),
)


def _full_year(text):
    year = int(text)
    if len(text) == 2:
        return 1900 + year if year >= 50 else 2000 + year
    return year


def month_length(year, month):
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _read_time(value, position, parsed):
    separator = value[position : position + 1]
    if separator not in ("T", "t", " "):
        return position
    strict = _TIME_STRICT.match(value, position + 1)
    loose = _TIME_LOOSE.match(value, position + 1)
    if not loose:
        return position
    parsed.separator = (position, separator)
    match = strict if strict and strict.end() == loose.end() else loose
    if match is loose:
        for label, key in (("hour", "h"), ("minute", "mi"), ("second", "s")):
            part = loose[key]
            if part is not None and len(part) != 2:
                parsed.problems.append(f"{label} {part!r} is not two digits")
        if loose["f"] and loose["f"].startswith(","):
            parsed.problems.append("a decimal comma in the seconds; RFC 3339 uses a point")
    parsed.hour, parsed.minute = int(match["h"]), int(match["mi"])
    parsed.second = int(match["s"] or 0)
    parsed.time_end = match.end()
    return match.end()


def _read_offset(value, position, parsed):
    if parsed.hour is None:
        if value[position : position + 1] in ("Z", "z"):
            parsed.problems.append("a zone designator without a time")
            return position + 1
        return position
    problems = parsed.problems
    m = _OFFSET_STRICT.match(value, position)
    if m:
        parsed.offset, parsed.offset_start = m.group(), position
        if m.group() in ("Z", "z"):
            parsed.offset_minutes = 0
        else:
            hours, minutes = int(m["oh"]), int(m["om"])
            if hours > 23 or minutes > 59:
                problems.append(f"offset {m.group()} is out of range (-23:59 to +23:59)")
            else:
                parsed.offset_minutes = (-1 if m.group()[0] == "-" else 1) * (hours * 60 + minutes)
        return m.end()
    m = _OFFSET_NO_COLON.match(value, position)
    if m:
        parsed.offset, parsed.offset_start = m.group(), position
        problems.append(f"offset {m.group()} needs a colon ({m.group()[:3]}:{m.group()[3:]})")
        return m.end()
    m = _OFFSET_HOUR_ONLY.match(value, position)
    if m:
        parsed.offset, parsed.offset_start = m.group(), position
        problems.append(f"offset {m.group()} needs minutes ({m.group()[0]}{int(m['oh']):02d}:00)")
        return m.end()
    m = _ZONE_ABBREVIATION.match(value, position)
    if m:
        parsed.offset, parsed.offset_start = m.group(), position
        hint = "use Z" if m["abbr"] in ("UTC", "GMT", "UT") else "use a numeric offset such as -08:00"
        problems.append(f"zone abbreviation {m['abbr']!r} is not an RFC 3339 offset; {hint}")
        return m.end()
    return position


def _read_suffix(suffix, parsed):
    body = suffix["body"]
    if "=" in body:  # a tagged suffix such as [u-ca=gregory]: not a zone
        return
    parsed.zones.append((body, suffix["critical"] == "!"))


def _check_values(parsed):
    """Real time, leap second, zone agreement: only once the shape has been read."""
    problems = parsed.problems
    if parsed.hour is None:
        return
    if parsed.hour > 23:
        problems.append(f"hour {parsed.hour:02d} does not exist (00-23)")
    if parsed.minute > 59:
        problems.append(f"minute {parsed.minute:02d} does not exist (00-59)")
    if parsed.second > 60:
        problems.append(f"second {parsed.second:02d} does not exist (00-59, 60 for a leap second)")
    if parsed.hour > 23 or parsed.minute > 59 or parsed.second > 60 or parsed.calendar_date is None:
        return
    if parsed.second == 60:
        if parsed.offset_minutes is not None:
            local = datetime.combine(parsed.calendar_date, datetime.min.time()).replace(hour=parsed.hour, minute=parsed.minute)
            utc = local - timedelta(minutes=parsed.offset_minutes)
            if (utc.hour, utc.minute) != (23, 59):
                problems.append("a leap second (:60) can only fall at 23:59:60 UTC")
        elif parsed.minute not in (59, 29, 14):
            # No offset: it could still be 23:59 UTC only in a zone whose offset ends in :00, :30 or :45.
            problems.append("a leap second (:60) can only fall at 23:59:60 UTC")
    for name, _critical in parsed.zones:
        problem = _zone_conflict(parsed, name)
        if problem:
            problems.append(problem)


def zone_info(name):
    from zoneinfo import ZoneInfo  # lazy: start-up

    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _zone_conflict(parsed, name):
    """RFC 9557: an offset that contradicts the [Zone] suffix, or a zone nobody knows."""
    zone = zone_info(name)
    if zone is None:
        return f"unknown time zone {name!r} in the suffix"
    if parsed.offset_minutes is None:
        return None
    offset = timedelta(minutes=parsed.offset_minutes)
    instant = datetime.combine(parsed.calendar_date, datetime.min.time()).replace(
        hour=parsed.hour, minute=parsed.minute, second=min(parsed.second, 59), tzinfo=timezone(offset)
    )
    actual = instant.astimezone(zone).utcoffset()
    if actual != offset and parsed.offset not in ("Z", "z", "-00:00"):
        return f"offset {parsed.offset} contradicts {name} (which is {_format_offset(actual)} then)"
    return None


def _format_offset(delta):
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def header_timestamps(doc):
    """(span, value) for each timestamp a document declares: its timestamp line or front-matter dates.

    A front-matter value is checked as YAML reads it (escapes decoded), reported at its text.
    """
    if doc.header.metadata_timestamps:
        found = []
        for key, span in doc.header.metadata_timestamps:
            value = doc.header.front_matter.get(key)
            found.append((span, value if isinstance(value, str) else span.text))
        return found
    return [(doc.header.timestamp, doc.header.timestamp.text)] if doc.header.timestamp else []


def publication_date(doc):
    """The date the document was published: the one given with its text (`published`,
    checker.api), else the calendar date its header gives (read leniently, so a
    malformed header still dates the story), else None."""
    if doc.published is not None:
        return doc.published
    return doc.memo(publication_date, "date", lambda: _first_calendar_date(doc))


def _first_calendar_date(doc):
    for _span, value in header_timestamps(doc):
        found = parse(value).calendar_date
        if found:
            return found
    return None


def offset_fix(value, parsed, zone_name):
    """The offset to append for this local time in `zone_name`, or (None, reason)."""
    zone = zone_info(zone_name)
    if zone is None:
        return None, f"unknown time zone {zone_name!r}: no fix"
    local = datetime.combine(parsed.calendar_date, datetime.min.time()).replace(
        hour=parsed.hour, minute=parsed.minute, second=min(parsed.second, 59)
    )
    first = local.replace(fold=0, tzinfo=zone)
    second = local.replace(fold=1, tzinfo=zone)
    # A gap first: there the two folds differ too, but neither names a real local time.
    roundtrip = first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if roundtrip != local:
        return None, f"{value} does not exist in {zone_name} (clocks go forward): no fix"
    if first.utcoffset() != second.utcoffset():
        return None, f"{value} is ambiguous in {zone_name} (clocks go back): no fix"
    return _format_offset(first.utcoffset()), None


def prepare(rule):
    rule.prepared = None


# --- the checks: one function a rule, named by the rule's `check:` --------------


def missing_zone(doc, rule, settings):
    """TS101: a valid header or front-matter timestamp with a time and no UTC offset
    (the fix adds the offset of `timezone`)."""
    for span, value in header_timestamps(doc):
        parsed = parse(value, settings.date_order)
        if not parsed.error and parsed.has_time and not parsed.has_offset:
            yield _missing_zone(doc, rule, settings, span, value, parsed)


def invalid(doc, rule, settings):
    """TS102: not a real date, time or offset, or not RFC 3339 / ISO 8601 at all."""
    for span, value in header_timestamps(doc):
        parsed = parse(value, settings.date_order)
        if parsed.error:
            yield rule.finding(doc, span.start, span.end, reason=parsed.error)


def non_canonical(doc, rule, settings):
    """TS103: valid RFC 3339 written with a space or a lowercase t or z (the fix writes the canonical form)."""
    for span, value in header_timestamps(doc):
        parsed = parse(value, settings.date_order)
        if not parsed.error and parsed.has_time and value == span.text:
            canonical = _canonical(value, parsed)
            if canonical != value:
                yield rule.finding(doc, span.start, span.end, fix=Fix(span.start, span.end, canonical), canonical=canonical)


CHECKS = {"missing-zone": missing_zone, "invalid": invalid, "non-canonical": non_canonical}


def _missing_zone(doc, rule, settings, span, value, parsed):
    # The offset goes right after the time, before any [Zone] suffix; a suffix names the zone itself.
    insert_at = span.start + parsed.time_end if value == span.text else None
    zone = parsed.zones[0][0] if parsed.zones else settings.timezone
    fix, note = None, ""
    if zone:
        suffix, reason = offset_fix(value, parsed, zone)
        if suffix and insert_at is not None:
            fix = Fix(insert_at, insert_at, suffix)
            note = f"; in {zone} that is {value[: parsed.time_end]}{suffix}"
        elif reason:
            note = "; " + reason
    else:
        note = "; set `timezone` to get a fix"
    return rule.finding(doc, span.start, span.end, fix=fix, note=note)


def _canonical(value, parsed):
    chars = list(value)
    if parsed.separator:
        chars[parsed.separator[0]] = "T"
    if parsed.offset in ("z",):
        chars[parsed.offset_start] = "Z"
    return "".join(chars)
