"""Timestamp rules (TS): the planted set, the JSON Schema Test Suite, real malformed Reuters dates,
and what the messages and fixes say."""

import importlib.util
from datetime import datetime, timedelta, timezone

import pytest
from conftest import ROOT, run_checker, shared_path
from hypothesis import given
from hypothesis import strategies as st

from checker.config import Settings
from checker.kinds.timestamp import parse
from checker.pipeline import check_bytes

_spec = importlib.util.spec_from_file_location("eval_timestamps", ROOT / "bench" / "eval_timestamps.py")
evaluation = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(evaluation)

PLANTED = evaluation.planted_results()


@pytest.mark.parametrize("result", PLANTED, ids=lambda r: r[0]["name"])
def test_planted_case(result):
    case, ok, got, expected, fixed_ok = result
    assert got == expected
    assert fixed_ok, "the fix did not give the expected text"


def test_planted_set_covers_every_ts_rule_with_bad_and_good_cases():
    flagged = {code for case, *_ in PLANTED for code, _, _ in case["expect"]}
    assert {"TS101", "TS102", "TS103", "TS201", "TS202", "TS203", "TS204", "TS205", "TS206", "TS207"} <= flagged
    assert sum(1 for case, *_ in PLANTED if not case["expect"]) >= 10  # traps and good cases


@pytest.mark.parametrize("name", ["date-time", "date"])
def test_json_schema_test_suite_as_header_lines(name):
    shared_path("external", "json-schema-test-suite", f"{name}.json")
    results = evaluation.suite_results(name)
    wrong = [(value, valid, [f.message for f in findings]) for value, valid, ok, findings in results if not ok]
    assert len(results) > 20 and wrong == []


def test_every_real_malformed_reuters_date_is_invalid():
    shared_path("corpus", "reuters-malformed-dates")
    results = evaluation.malformed_results()
    assert len(results) == 150
    assert [path.name for path, has, _ in results if not has] == []


@pytest.mark.parametrize(
    "value, says",
    [
        ("27-MAR-1987 00:02:59.13RM", ["use 1987-03-27", "trailing text 'RM'"]),
        ("31-MAR-1987 605:12:19.12", ["hour '605' is not two digits", "hour 605 does not exist"]),
        ("1987-03-05 10:30:00 # date added by S Finch", ["a comment '# date added by S Finch'"]),
        ("2024-7-5 06:15:31", ["month '7' is not two digits", "day '5' is not two digits"]),
        ("2024-07-0٥T06:15:31Z", ["non-ASCII digits (٥)"]),
        ("05.07.2024 06:15", ["ambiguous numeric date", "2024-07-05 if day first", "2024-05-07 if month first"]),
        ("2024-07-05T06:15:31+25:00", ["offset +25:00 is out of range"]),
        ("2024-07-05T06:15:31+10:60", ["offset +10:60 is out of range"]),
        ("2024-13-05T06:15:31Z", ["month 13 does not exist"]),
        ("2024-07-05T24:00:00Z", ["hour 24 does not exist"]),
        ("2024-07-05T06:61:00Z", ["minute 61 does not exist"]),
        ("2023-02-29T06:15:31Z", ["not a calendar date (28 days in that month)"]),
        ("2016-12-31T23:58:60Z", ["leap second"]),
        ("2024-07-05T06:15:31+02:00[Europe/Sofia]", ["contradicts Europe/Sofia (which is +03:00 then)"]),
        ("2024-07-05T06:15:31+03:00[Mars/Olympus]", ["unknown time zone 'Mars/Olympus'"]),
        ("2013-350T01:01:01", ["ordinal date", "use 2013-12-16"]),
        ("2024-07-05T06:15:31+0300", ["needs a colon (+03:00)"]),
        ("1985-04-12T23:20:50+01", ["needs minutes (+01:00)"]),
        ("06/19/1963 08:30:06 PST", ["month-day-year", "use 1963-06-19", "'PST'"]),
    ],
)
def test_invalid_timestamp_message_says_what_is_wrong(value, says):
    error = parse(value).error
    assert error is not None
    for part in says:
        assert part in error


@pytest.mark.parametrize(
    "value",
    ["2024-07-05T06:15:31+03:00", "2024-07-05 06:15:31", "2024-07-05t06:15:31z", "2016-12-31T23:59:60Z", "1998-12-31T15:59:60.123-08:00", "2024-02-29", "2024-07-05T06:15:31.123456+05:45"],
)
def test_valid_timestamps_have_no_error(value):
    assert parse(value).error is None


def test_date_order_names_the_reading_of_a_numeric_header():
    assert "use 2024-07-05" in parse("05.07.2024 06:15", "dmy").error
    assert "use 2024-05-07" in parse("05.07.2024 06:15", "mdy").error


def _findings(text, *select, **settings):
    from checker.rules import builtin_rules_dir, load_rules, select_rules

    rules = select_rules(load_rules([builtin_rules_dir()]), list(select))
    settings.setdefault("language", "en")  # short English copy: not guessed at (checker.language)
    return check_bytes(text.encode("utf-8"), "story.txt", rules, Settings(**settings).validate()).findings


def test_missing_zone_in_dst_repeat_and_gap_says_why_there_is_no_fix():
    repeat = _findings("2024-10-27 03:30:00\nThe talks went on.", "TS101", timezone="Europe/Sofia")
    gap = _findings("2024-03-31 03:30:00\nThe talks went on.", "TS101", timezone="Europe/Sofia")
    assert repeat[0].fix is None and "clocks go back" in repeat[0].message
    assert gap[0].fix is None and "clocks go forward" in gap[0].message


def test_missing_zone_fix_follows_daylight_saving():
    summer = _findings("2024-07-05 06:15:31\nThe talks went on.", "TS101", timezone="Europe/Sofia")
    winter = _findings("2024-01-05 06:15:31\nThe talks went on.", "TS101", timezone="Europe/Sofia")
    assert (summer[0].fix.replacement, winter[0].fix.replacement) == ("+03:00", "+02:00")


@pytest.mark.parametrize(
    "phrase, resolved",
    [
        ("last month", "June 2024"),
        ("yesterday", "Thursday, July 4, 2024"),
        ("last Friday", "Friday, June 28, 2024"),
        ("last week", "the week of Monday, June 24, 2024"),
        ("three years ago", "2021"),
        ("next year", "2025"),
    ],
)
def test_relative_date_message_gives_the_absolute_date(phrase, resolved):
    found = _findings(f"2024-07-05T06:15:31+03:00\nThe minister spoke {phrase}, the agency said.", "TS206")
    assert len(found) == 1 and f"that is {resolved};" in found[0].message


def test_on_weekday_follows_the_tense_of_its_sentence():
    past = _findings("2024-07-05T06:15:31+03:00\nThe ministers met on Tuesday, the agency said.", "TS206")
    future = _findings("2024-07-05T06:15:31+03:00\nThe ministers will meet on Tuesday, the agency said.", "TS206")
    assert "Tuesday, July 2, 2024" in past[0].message
    assert "Tuesday, July 9, 2024" in future[0].message


def test_a_date_wrapped_across_lines_is_quoted_on_one_line():
    found = _findings("2024-07-05T06:15:31+03:00\nThe summit opened on Friday, July\n6, 2024, in Astana, officials said.", "TS203")
    assert len(found) == 1 and "\n" not in found[0].message and '"Friday, July 6, 2024"' in found[0].message


def test_body_date_rules_only_read_english():
    text = "2024-07-05T06:15:31+03:00\nLe traité a été signé le February 30, 2024, selon les responsables du ministère des affaires étrangères et de la défense."
    assert _findings(text, "TS201", language="fr") == []
    assert len(_findings(text, "TS201", language="en")) == 1


def test_seed_relative_date_and_nothing_else_in_ts():
    result = run_checker("--select", "TS", "--ignore", "TS103", "seeds/")
    lines = result.stdout.splitlines()[:-1]
    assert lines[0].startswith("seeds/000_9871a0d17aba42f5.txt:1:1: TS101")
    assert lines[1:] == ['seeds/000_9871a0d17aba42f5.txt:11:12: TS206 Relative date "last month": from the publication date (2024-07-05) that is June 2024; consider writing the date']


def test_date_order_option_silences_ambiguous_dates(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("2024-07-05T06:15:31+03:00\nThe talks began on 05/06/2024, the ministry said.\n", encoding="utf-8")
    assert "TS202" in run_checker("--select", "TS2", "--language", "en", story).stdout
    assert "TS202" not in run_checker("--select", "TS2", "--language", "en", "--date-order", "dmy", story).stdout


hypothesis = pytest.importorskip("hypothesis")


@given(st.text(alphabet="0123456789-:.+TtZz []/#WESTAMRUC٥\n", max_size=40))
def test_parse_never_raises(value):
    parsed = parse(value)
    assert parsed.error is None or isinstance(parsed.error, str)


ZONES = [timezone.utc, timezone(timedelta(hours=-8)), timezone(timedelta(hours=5, minutes=45))]


@given(st.datetimes(min_value=datetime(1, 1, 1), timezones=st.sampled_from(ZONES)))
def test_every_real_aware_datetime_is_valid(moment):
    value = moment.isoformat()
    assert parse(value).error is None, value
    assert parse(value).calendar_date == moment.date()


def test_clean_corpora_have_no_unjudged_or_false_timestamp_findings():
    shared_path("corpus", "reuters")
    shared_path("corpus", "bbc")
    verdicts = evaluation.load_verdicts()
    found = evaluation.corpus_findings(("reuters", "bbc"))
    judged = [(evaluation.finding_key(f), verdicts.get(evaluation.finding_key(f), {}).get("verdict")) for f in found]
    assert [key for key, verdict in judged if verdict != "real"] == []


def test_timestamp_patterns_compile_only_when_a_timestamp_is_read():
    """Most copy has no timestamp: a run over it compiles none of the fifteen patterns."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from checker.cli import main\n"
        "from checker.kinds import timestamp\n"
        "lazy = [v for v in vars(timestamp).values() if isinstance(v, timestamp.LazyRegex)]\n"
        "main(['--no-cache', '--language', 'en', sys.argv[1]])\n"
        "print(len(lazy), sum(v._regex is not None for v in lazy), file=sys.stderr)\n"
        "timestamp.parse('2024-07-05 06:15:31')\n"
        "print(sum(v._regex is not None for v in lazy), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, "-"], input="Minister quits\n\nThe minister said he would go.\n", capture_output=True, text=True)
    counts = result.stderr.split()
    assert counts[:2] == ["15", "0"] and int(counts[2]) > 0, result.stderr


def test_a_lazy_pattern_survives_copying_and_pickling():
    import copy
    import pickle

    from checker.kinds import timestamp

    for pattern in (copy.copy(timestamp._DATE_BASIC), pickle.loads(pickle.dumps(timestamp._DATE_BASIC))):
        assert pattern.match("20240705").group() == "20240705"
    unset = timestamp.LazyRegex.__new__(timestamp.LazyRegex)  # no __init__: an error, not a recursion
    with pytest.raises(AttributeError):
        unset.match("20240705")
