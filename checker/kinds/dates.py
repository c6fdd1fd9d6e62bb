"""`dates`: dates written in the body of English copy, checked against the calendar and the header.

The vocabulary (month and weekday names, quantity and version words, named days,
tense cues, relative phrases) is a data file beside the rules; this module only
applies it. All rules share one reading of the document's dates (Document.memo).
A rule's `check:` names the function that does its work:

- `impossible`: a date that is not in the calendar (February 30, 31 April 2023, 31/13/2024);
- `ambiguous`: a numeric date readable both day-first and month-first (05/07/2024) when no date order is configured;
- `weekday`: a weekday that does not match its date (a missing year is inferred from the header);
- `mixed-formats`: an article whose body writes dates in more than one format;
- `after-publication`: a date after the publication date in a past-tense sentence;
- `relative`: yesterday, last month, on Tuesday... with the absolute date worked out from the header;
- `dateline`: a dateline date more than `tolerance-days` from the header date.

Never dates: 9/11, 24/7, scores (3-1), seasons (2024-25), fractions, times of day,
years alone and numbers in a version context (version 1.2.2024).
"""

import os
import re
from datetime import date, timedelta

from checker.errors import RuleError
from checker.kinds.timestamp import month_length, publication_date
from checker.records import Record
from checker.rules import load_data

PARAMETERS = {
    "vocabulary": {"type": "data", "default": "data/dates.yaml", "doc": "Data file (or inline mapping) of month and weekday names, quantity and version words, named days, tense cues and relative phrases."},
    "tolerance-days": {"type": "int", "default": 1, "doc": "after-publication and dateline: how many days apart still counts as the same date (time zones)."},
}

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
STYLE_NAMES = {"month-day": "month-day (July 6)", "day-month": "day-month (6 July)", "iso": "ISO (2024-07-06)", "numeric": "numeric (06/07/2024)"}


class Mention(Record):
    FIELDS = ("start", "end", "text", "style", "month", "day", "year", "weekday", "readings", "in_dateline")

    def __init__(self, start, end, text, style, month=None, day=None, year=None, weekday=None, readings=(), in_dateline=False):
        self.start = start
        self.end = end
        self.text = text
        self.style = style  # month-day, day-month, iso, numeric, month-year
        self.month = month  # None for a numeric date whose order is unknown
        self.day = day
        self.year = year  # as written (None: to be inferred)
        self.weekday = weekday
        self.readings = readings  # numeric: ((order, date or None), ...)
        self.in_dateline = in_dateline

    def calendar_date(self, date_order=None):
        """The date, when the text alone (and the configured order) fixes it; None otherwise."""
        if self.style == "numeric":
            valid = {order: d for order, d in self.readings if d}
            if date_order:
                return valid.get(date_order)
            dates = set(valid.values())
            return dates.pop() if len(dates) == 1 else None
        if self.year is None or self.day is None:
            return None
        return _real_date(self.year, self.month, self.day)


class Vocabulary:
    def __init__(self, rule, data):
        if not isinstance(data, dict):
            raise RuleError(rule.path, "the date vocabulary must be a mapping (months, weekdays, ...)")
        try:
            self.months = {name: int(number) for name, number in data["months"].items()}
            self.weekdays = {name: int(number) for name, number in data["weekdays"].items()}
            self.quantity_words = {w.lower() for w in data.get("quantity_words", [])}
            self.version_words = {w.lower() for w in data.get("version_words", [])}
            not_dates = data.get("not_dates", {})
            self.weekday_phrases = list(not_dates.get("weekday_phrases", []))
            self.events = list(not_dates.get("events", []))
            self.past = _word_regex(data.get("past_cues", []))
            self.future = _word_regex(data.get("future_cues", []))
            self.numbers = {k.lower(): int(v) for k, v in data.get("numbers", {}).items()}
            self.relative = [dict(entry) for entry in data.get("relative", [])]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise RuleError(rule.path, f"the date vocabulary is malformed ({type(exc).__name__}: {exc})") from None
        month = _alternation(self.months)
        weekday = _alternation(self.weekdays)
        # Dates are found from their month names (cheap to find), then read outwards.
        space = r"(?:[ \t]+|[ \t]*\r?\n[ \t]*)"  # a line break is fine in wrapped copy, a blank line is not
        year = rf"(?:,?{space}(?P<year>\d{{4}})(?![\d.,]\d|\d))?"
        # Patterns scanned over whole texts start with a literal or a digit and have no look-behind,
        # so that the regex engine can skip ahead fast; what comes before is checked in Python.
        self.month_word = re.compile(rf"(?:{month})")
        self.day_after = re.compile(r"\.?" + space + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)(?![.,]\d)" + year)
        self.day_before = re.compile(r"(?<![\d.,])(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:[ \t]+of)?" + space + "$")
        self.year_after = re.compile(r"\.?" + year)
        self.month_year = re.compile(r"\.?,?" + space + r"(?P<year>\d{4})(?![\d.,]\d|\d)")
        self.weekday_before = re.compile(rf"(?P<wd>{weekday})(?:,\s*|\s+|\s*\(\s*)(?:the\s+)?$")
        # (one digit first, then up to three: a pattern that opens with a repeat gets no skipping)
        self.numeric_candidate = re.compile(r"[0-9][0-9]{0,3}[/.-][0-9]{1,2}[/.-][0-9]{2,4}")
        self.numeric = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\w/:-]|[.,]\d)")
        self.iso = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d|-\d|[.,]\d)")
        self.weekday_word = re.compile(rf"\b(?:{weekday})\b")
        # Every relative phrase ends in a word (or a weekday): a phrase is only tried just before its last word.
        self.relative_by_last_word = {}
        for entry in self.relative:
            last = entry["phrase"].split()[-1].lower()
            # the pattern's source: compiled when a document first has its last word (most never do)
            self.relative_by_last_word.setdefault(last, []).append((_relative_source(entry, weekday, self.numbers), entry))
        words = sorted(set(self.relative_by_last_word) - {"{weekday}"})
        # Yesterday or yesterday, spelt out (not `[Yy]esterday`): with a literal
        # first in every branch, re skips in C to the letters an anchor starts with
        either_case = [re.escape(v) for w in words for v in dict.fromkeys((w[:1].upper() + w[1:], w))]
        self.relative_anchor = re.compile(rf"(?:{'|'.join(either_case)}|(?P<weekday>{weekday}))(?!\w)")
        phrases = sorted(self.weekday_phrases + self.events, key=len, reverse=True)
        self.not_date_phrases = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)" if phrases else r"(?!x)x")

    def named_day_at(self, text, start, end):
        """Whether text[start:end] overlaps a named day or event (Good Friday, September 11)."""
        for m in self.not_date_phrases.finditer(text, max(0, start - 30), min(len(text), end + 30)):
            if m.start() < end and start < m.end():
                return True
        return False


def _alternation(names):
    return "|".join(rf"{re.escape(n)}\b" for n in sorted(names, key=len, reverse=True))


def _word_regex(words):
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + r")(?![\w'])", re.I)


_RELATIVE = {}  # relative phrase patterns compiled so far, by source


def _relative_source(entry, weekday, numbers):
    """The regular expression of a relative phrase: valid by construction (every word escaped)."""
    phrase = re.escape(entry["phrase"]).replace(r"\ ", r"\s+")
    phrase = phrase.replace(r"\{weekday\}", rf"(?-i:(?P<wd>{weekday}))")
    number_words = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    phrase = phrase.replace(r"\{number\}", rf"(?P<n>\d{{1,3}}|{number_words})")
    return rf"(?<![\w-]){phrase}(?![\w-])"


_VOCABULARIES = {}


def prepare(rule):
    value = rule.params["vocabulary"]
    # Rules naming the same file share one Vocabulary, and so one reading of each document's dates.
    key = os.path.normpath(os.path.join(os.path.dirname(rule.path), value)) if isinstance(value, str) else None
    if key in _VOCABULARIES:
        rule.prepared = _VOCABULARIES[key]
        return
    vocabulary = Vocabulary(rule, load_data(rule, value, "vocabulary"))
    if key:
        _VOCABULARIES[key] = vocabulary
    rule.prepared = vocabulary


# --- reading the dates ----------------------------------------------------------


def _real_date(year, month, day):
    try:
        return date(year, month, day)
    except (ValueError, TypeError):
        return None


def mentions(doc, vocabulary):
    """Every date written in the body (read once per document and vocabulary)."""
    return doc.memo(vocabulary, "dates", lambda: list(_read_mentions(doc, vocabulary)))


def _read_mentions(doc, vocabulary):
    text = doc.prose
    dateline = doc.header.dateline
    taken = []
    found = []

    def free(start, end):
        return not any(s < end and start < e for s, e in taken) and not vocabulary.named_day_at(text, start, end)

    for start, end in doc.body_text_ranges:
        for m in vocabulary.month_word.finditer(text, start, end):
            if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
                continue
            mention = _name_mention(m, text, start, end, vocabulary)
            if mention and free(mention.start, mention.end):
                found.append(mention)
                taken.append((mention.start, mention.end))
        for candidate in vocabulary.numeric_candidate.finditer(text, start, end):
            at = candidate.start()
            if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "_.,/:$£€-"):
                continue  # part of a longer number, a version (v1.2.2024), a price or a path
            m = vocabulary.iso.match(text, at, end)
            if m:
                if free(m.start(), m.end()):
                    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
                    found.append(Mention(m.start(), m.end(), m.group(), "iso", month, day, year))
                    taken.append((m.start(), m.end()))
                continue
            m = vocabulary.numeric.match(text, at, end)
            mention = _numeric_mention(m, text, vocabulary) if m else None
            if mention and free(m.start(), m.end()):
                found.append(mention)
                taken.append((m.start(), m.end()))
    for mention in found:
        if dateline and dateline.start <= mention.start < dateline.end:
            mention.in_dateline = True
    found.sort(key=lambda m: m.start)
    return found


def _next_word(text, end):
    m = re.match(r"\s*([%$]|[\w.']+)", text[end : end + 30])
    return m.group(1).lower().rstrip(".") if m else ""


def _name_mention(month, text, paragraph_start, paragraph_end, vocabulary):
    """The date around a month name: July 6(, 2024), 6 July( 2024), the 6th of July, July 2024; with a weekday before it."""
    month_number = vocabulary.months[month.group()]
    after = vocabulary.day_after.match(text, month.end(), paragraph_end)
    before = None if after else vocabulary.day_before.search(text, max(paragraph_start, month.start() - 16), month.start())
    if after:
        style, start, day, year, end = "month-day", month.start(), int(after["day"]), after["year"], after.end()
    elif before:
        tail = vocabulary.year_after.match(text, month.end(), paragraph_end)
        style, start, day, year, end = "day-month", before.start(), int(before["day"]), tail["year"], tail.end()
    else:
        tail = vocabulary.month_year.match(text, month.end(), paragraph_end)
        if not tail:
            return None
        return Mention(month.start(), tail.end(), text[month.start() : tail.end()], "month-year", month_number, None, int(tail["year"]))
    if not 1 <= day <= 31:
        return None  # a quantity or a year, not a day
    if year is None:
        # "a February 30 mln dlr deficit": a quantity after a month name, not a day.
        following = _next_word(text, end)
        if following in vocabulary.quantity_words or following.rstrip("%") in vocabulary.quantity_words:
            return None
    if style == "day-month" and year is None and text[end - 1] == "." and month.group() in MONTH_NAMES:
        end -= 1  # "on 24 January." : the full stop ends the sentence
    weekday = None
    lead = vocabulary.weekday_before.search(text, max(paragraph_start, start - 16), start)
    if lead:
        weekday, start = vocabulary.weekdays[lead["wd"]], lead.start()
        if "(" in lead.group() and text[end : end + 3].lstrip().startswith(")"):
            end = text.index(")", end) + 1
    return Mention(start, end, text[start:end], style, month_number, day, int(year) if year else None, weekday)


def _numeric_mention(m, text, vocabulary):
    a, b, sep, year_text = m["a"], m["b"], m["sep"], m["y"]
    if sep == "-" and len(year_text) != 4:
        return None  # 3-1-24 and the like: scores and codes, not dates
    if sep == "." and len(year_text) != 4 and not (len(a) == 2 and len(b) == 2):
        return None  # 1.2.24: a version number
    before = re.search(r"([A-Za-z]+)\.?\s*$", text[max(0, m.start() - 20) : m.start()])
    if before and before.group(1).lower() in vocabulary.version_words:
        return None
    year = int(year_text)
    if len(year_text) == 2:
        year += 1900 if year >= 50 else 2000
    dmy, mdy = _real_date(year, int(b), int(a)), _real_date(year, int(a), int(b))
    weekday = None
    lead = re.search(r"(?P<wd>\w+),?\s*$", text[max(0, m.start() - 12) : m.start()])
    if lead and lead["wd"] in vocabulary.weekdays:
        weekday = vocabulary.weekdays[lead["wd"]]
    return Mention(m.start(), m.end(), m.group(), "numeric", None, None, year, weekday, (("dmy", dmy), ("mdy", mdy)))


def infer_date(mention, reference, date_order=None):
    """The mention's date, inferring a missing year as the one that puts it nearest the reference date."""
    known = mention.calendar_date(date_order)
    if known or mention.style == "numeric" or mention.day is None:
        return known
    if mention.year is not None or reference is None:
        return None
    candidates = [_real_date(reference.year + shift, mention.month, mention.day) for shift in (-1, 0, 1)]
    candidates = [c for c in candidates if c]
    return min(candidates, key=lambda c: abs((c - reference).days)) if candidates else None


def _long(d):
    return f"{WEEKDAY_NAMES[d.weekday()]}, {MONTH_NAMES[d.month - 1]} {d.day}, {d.year}"


# --- the checks -------------------------------------------------------------------


# --- the checks: one function a rule, named by the rule's `check:` --------------


def impossible(doc, rule, settings):
    """TS201: a body date that is not in the calendar."""
    for mention in mentions(doc, rule.prepared):
        reason = _impossible(mention, settings.date_order)
        if reason:
            yield _finding(doc, rule, mention.start, mention.end, reason=reason)


def ambiguous(doc, rule, settings):
    """TS202: a numeric date readable both day-first and month-first, when no date order is set."""
    if settings.date_order:
        return
    for mention in mentions(doc, rule.prepared):
        if mention.style != "numeric":
            continue
        (_, dmy), (_, mdy) = mention.readings
        if dmy and mdy and dmy != mdy:
            yield _finding(doc, rule, mention.start, mention.end, day_first=f"{dmy.day} {MONTH_NAMES[dmy.month - 1]} {dmy.year}", month_first=f"{MONTH_NAMES[mdy.month - 1]} {mdy.day}, {mdy.year}")


def weekday(doc, rule, settings):
    """TS203: a weekday that does not match its date (a missing year is taken from the header)."""
    reference = publication_date(doc)
    for mention in mentions(doc, rule.prepared):
        if mention.weekday is None:
            continue
        actual = infer_date(mention, reference, settings.date_order)
        if actual and actual.weekday() != mention.weekday:
            yield _finding(doc, rule, mention.start, mention.end, given=WEEKDAY_NAMES[mention.weekday], actual=WEEKDAY_NAMES[actual.weekday()], date=f"{MONTH_NAMES[actual.month - 1]} {actual.day}, {actual.year}")


def mixed_formats(doc, rule, settings):
    """TS204: one body writing dates in more than one format."""
    yield from _mixed_formats(doc, rule, mentions(doc, rule.prepared))


def after_publication(doc, rule, settings):
    """TS205: a past-tense sentence naming a day after the publication date."""
    reference = publication_date(doc)
    if reference is None:
        return
    for mention in mentions(doc, rule.prepared):
        finding = _after_publication(doc, rule, rule.prepared, mention, reference, settings.date_order)
        if finding:
            yield finding


def relative(doc, rule, settings):
    """TS206: a relative date (yesterday, last month, on Tuesday), with the absolute date from the header."""
    yield from _relative(doc, rule, rule.prepared)


def dateline(doc, rule, settings):
    """TS207: a dateline date more than `tolerance-days` from the header date."""
    yield from _dateline(doc, rule, rule.prepared)


CHECKS = {
    "impossible": impossible,
    "ambiguous": ambiguous,
    "weekday": weekday,
    "mixed-formats": mixed_formats,
    "after-publication": after_publication,
    "relative": relative,
    "dateline": dateline,
}


def _finding(doc, rule, start, end, **fields):
    # A date wrapped across lines is quoted on one line in the message.
    return rule.finding(doc, start, end, text=" ".join(doc.text[start:end].split()), **fields)


def _impossible(mention, date_order):
    if mention.style == "month-year":
        return None
    if mention.style == "numeric":
        readings = dict(mention.readings)
        if date_order:
            if readings[date_order] is None:
                order = "day-month-year" if date_order == "dmy" else "month-day-year"
                return f"not a date when read {order} (the configured date order)"
            return None
        if not any(readings.values()):
            return "not a date read either day-first or month-first"
        return None
    if not 1 <= mention.month <= 12:
        return f"month {mention.month:02d} does not exist"
    month_name = MONTH_NAMES[mention.month - 1]
    if mention.day < 1:
        return "day 00 does not exist"
    if mention.year is not None:
        if not _real_date(mention.year, mention.month, mention.day):
            return f"{month_name} {mention.year} has {month_length(mention.year, mention.month)} days"
        return None
    if mention.day > month_length(2000, mention.month):  # 2000: a leap year, so February 29 passes without a year
        return f"{month_name} has {month_length(2001, mention.month)} days"
    return None


def _mixed_formats(doc, rule, found):
    # Quotations keep their source's wording, so their dates do not set or break the article's format.
    styled = [m for m in found if m.style != "month-year" and not m.in_dateline and not doc.in_quotation(m.start, closed_only=False)]
    styles = [m.style for m in styled]
    if len(set(styles)) < 2:
        return
    # The article's format is its most frequent one (ties: the first used); report the first date of each other format.
    main = max(dict.fromkeys(styles), key=styles.count)
    example = next(m for m in styled if m.style == main)
    seen = set()
    for mention in styled:
        if mention.style != main and mention.style not in seen:
            seen.add(mention.style)
            yield _finding(doc, rule, mention.start, mention.end, style=STYLE_NAMES[mention.style], main=STYLE_NAMES[main], example=example.text)


def _after_publication(doc, rule, vocabulary, mention, reference, date_order):
    if mention.year is None or mention.style == "month-year":
        return None  # an inferred year could be last year's, and a month is often a period ("the year to August")
    when = mention.calendar_date(date_order)
    if when is None or (when - reference).days <= rule.params["tolerance-days"]:
        return None
    sentence = doc.sentence_at(mention.start)
    if sentence is None:
        return None
    past = vocabulary.past.search(sentence.text)
    if not past or vocabulary.future.search(sentence.text):
        return None
    return _finding(doc, rule, mention.start, mention.end, published=reference.isoformat(), cue=past.group())


def _tense(doc, vocabulary, offset):
    sentence = doc.sentence_at(offset)
    return "future" if sentence is not None and vocabulary.future.search(sentence.text) else "past"


def _resolve(entry, match, reference, tense, numbers):
    unit = entry["unit"]
    amount = int(entry.get("amount", 0))
    if "n" in match.re.groupindex and match["n"]:
        word = match["n"].lower()
        amount *= int(word) if word.isdigit() else numbers.get(word, 1)
    if unit == "day":
        return _long(reference + timedelta(days=amount))
    if unit == "week":
        monday = reference - timedelta(days=reference.weekday()) + timedelta(weeks=amount)
        return f"the week of {_long(monday)}"
    if unit == "weekend":
        saturday = reference - timedelta(days=reference.weekday()) + timedelta(days=5, weeks=amount)
        return f"the weekend of {_long(saturday)}"
    if unit == "month":
        index = reference.year * 12 + reference.month - 1 + amount
        return f"{MONTH_NAMES[index % 12]} {index // 12}"
    if unit == "year":
        return str(reference.year + amount)
    if unit == "weekday":
        target = WEEKDAY_NAMES.index(match["wd"]) if match["wd"] in WEEKDAY_NAMES else None
        if target is None:
            return None
        direction = entry.get("direction", "tense")
        if direction == "tense":
            direction = tense
        if direction == "past":
            back = (reference.weekday() - target) % 7
            back = back or (7 if entry["phrase"].startswith("last") else 0)
            return _long(reference - timedelta(days=back))
        ahead = (target - reference.weekday()) % 7
        ahead = ahead or (7 if entry["phrase"].startswith("next") else 0)
        return _long(reference + timedelta(days=ahead))
    return None


def _relative(doc, rule, vocabulary):
    reference = publication_date(doc)
    if reference is None:
        return  # nothing to resolve against: the message could not give the date
    text = doc.prose
    taken = [(m.start, m.end) for m in mentions(doc, vocabulary)]  # absolute dates are not relative ones
    for start, end in doc.body_text_ranges:
        for anchor in vocabulary.relative_anchor.finditer(text, start, end):
            if anchor.start() > 0 and text[anchor.start() - 1].isalnum():
                continue
            last = "{weekday}" if anchor["weekday"] else anchor.group().lower()
            window = (max(start, anchor.start() - 40), min(end, anchor.end() + 1))
            for source, entry in vocabulary.relative_by_last_word.get(last, ()):
                pattern = _RELATIVE.get(source) or _RELATIVE.setdefault(source, re.compile(source, re.I))
                match = None
                for match in pattern.finditer(text, *window):  # noqa: B007 (the last match is the one wanted)
                    pass  # the phrase that ends at this anchor is the last match in the window
                if match is None or match.end() != anchor.end():
                    continue
                s, e = match.start(), match.end()
                if any(a < e and s < b for a, b in taken) or vocabulary.named_day_at(text, s, e):
                    continue
                tense = _tense(doc, vocabulary, s) if entry.get("direction") == "tense" else None
                resolved = _resolve(entry, match, reference, tense, vocabulary.numbers)
                if resolved:
                    taken.append((s, e))
                    yield _finding(doc, rule, s, e, resolved=resolved, published=reference.isoformat())


def _dateline(doc, rule, vocabulary):
    dateline = doc.header.dateline
    reference = publication_date(doc)
    if dateline is None or reference is None:
        return
    tolerance = rule.params["tolerance-days"]
    for mention in mentions(doc, vocabulary):
        if mention.in_dateline and mention.style != "month-year":
            when = infer_date(mention, reference)
            if when and abs((when - reference).days) > tolerance:
                yield _finding(doc, rule, mention.start, mention.end, dated=when.isoformat(), header=reference.isoformat(), days=abs((when - reference).days))
            return
    # A weekday alone ("MOSCOW, Friday -"): the nearest such day to the header date.
    match = vocabulary.weekday_word.search(doc.text, dateline.start, dateline.end)
    if match:
        target = vocabulary.weekdays[match.group()]
        distance = min((target - reference.weekday()) % 7, (reference.weekday() - target) % 7)
        if distance > tolerance:
            yield _finding(doc, rule, match.start(), match.end(), dated=f"a {match.group()}", header=f"{reference.isoformat()} ({WEEKDAY_NAMES[reference.weekday()]})", days=distance)
