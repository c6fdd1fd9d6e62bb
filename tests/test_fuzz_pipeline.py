"""Property test of the whole pipeline: arbitrary text through the document
model, every rule (opt-in ones too) and every output format.

Invariants: no exception and no internal error; every finding lies inside the
file and ends after it starts; JSON, JSON lines and SARIF parse; and --fix's
guarantee: applying the safe fixes and checking again, pass after pass, reaches
a text with no safe fix left within fix.MAX_PASSES, where none of the findings
the first pass fixed is back. (One pass is not enough: a fix can create or
uncover another, as ruff's fixes can.)

CI runs a short version (FUZZ_EXAMPLES, default 60); `bench/fuzz.py` runs the
same property for 100,000 examples and more.
"""

import io
import json
import os
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Text built from what news copy and its defects are made of, plus anything at all.
_PIECES = [
    "Headline", "\n", "\r\n", "\r", "\n\n", " ", "  ", "\t", ".", ". ", "?", "!", ",", ":", "\"", "'", "\u201c", "\u201d",
    "\u00ab", "\u00bb", "(", ")", "[", "]", "said", "according to", "world agencies reported", "sources said", "Mr.",
    "U.S.", "Jan.", "5", "2024", "2024-07-05 06:15:31", "2024-02-30T25:61:00+25:00", "05/07/2024", "Monday",
    "[САЩ]", "САЩ", "ЕС", "Москва", "а", "\u200b", "\u200d", "\ufeff", "\u202e", "\u2066", "\u2069", "\u00ad", "e\u0301",
    "Ã©", "â€™", "\ufffd", "😀", "👩‍👩‍👧", "中文", "\U000e0041", "---\ndate: 2024-07-05\ntitle: T\n---\n", "```\ncode\n```",
    "`x`", "<b>", "<!-- checker-disable FS101 -->", "<!-- checker-enable -->", "# ", "- ", "> ", "[link](http://x.y)",
    "LONDON (Reuters) - ", "yesterday", "last month", "\x00", "\x7f", "\u2028", "\u0085",
]
texts = st.one_of(
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=60).map("".join),
    st.text(max_size=300),
)
paths = st.sampled_from(["story.txt", "story.md"])

_STATE = {}


def _setup():
    if not _STATE:
        from checker.config import Settings
        from checker.report import STREAM_FORMATS
        from checker.rules import builtin_rules_dir, load_rules

        rules = load_rules([builtin_rules_dir()])
        _STATE.update(rules=rules, settings=Settings(), formats=sorted(STREAM_FORMATS))  # Parquet is as_dict() in a table (tests/test_parquet.py)
    return _STATE


def _summary(files_checked, results, rules):
    from checker import report

    if hasattr(report, "summary_for"):
        return report.summary_for(files_checked, results, rules)
    return {"files_checked": files_checked}


def _inside(finding, lines):
    assert 1 <= finding.line <= len(lines), finding
    assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, finding
    assert 1 <= finding.end_line <= len(lines), finding
    assert 1 <= finding.end_column <= len(lines[finding.end_line - 1]) + 1, finding
    assert (finding.end_line, finding.end_column) >= (finding.line, finding.column), finding
    assert 0 <= finding.start <= finding.end, finding


def check_pipeline(text, path):
    """Run every invariant on one text; raises AssertionError (or the crash) on a violation."""
    from checker.findings import REPORT_ORDER
    from checker.pipeline import check_bytes
    from checker.report import reporter

    state = _setup()
    rules, settings_ = state["rules"], state["settings"]
    result = check_bytes(text.encode("utf-8", "surrogatepass"), path, rules, settings_)
    assert not result.internal_errors, result.notices
    if result.source is None:  # not decodable (surrogates): CK001 only
        assert [f.code for f in result.findings] == ["CK001"]
        return result.findings
    source = result.source.text
    lines = LINE_BREAK.split(source)
    for finding in result.findings:
        _inside(finding, lines)
    summary = _summary(1, [result], rules)
    for name in state["formats"]:
        stream = io.StringIO()
        reporter(name).write(sorted(result.findings, key=REPORT_ORDER), stream, summary)
        output = stream.getvalue()
        if name in ("json", "sarif", "gitlab"):
            json.loads(output)
        elif name == "jsonl":
            for line in output.split("\n"):  # not splitlines(): U+2028 inside a JSON string is not a line break
                if line:
                    json.loads(line)
    fixes = [f.fix for f in result.findings if f.fix is not None and f.fix.safe]
    if fixes:
        check_fixed_point(source, result, path, rules, settings_, text)
    return result.findings


def check_fixed_point(source, result, path, rules, settings_, text):
    """The guarantee --fix makes (as ruff's): applying the safe fixes and checking
    again, over and over, reaches a text with no safe fix left within MAX_PASSES
    passes; and there, no finding the first pass fixed is back."""
    from checker.fix import MAX_PASSES, apply_fixes, fix_to_fixed_point, wanted_fixes
    from checker.pipeline import check_bytes

    passes = []

    def recheck(new_text):
        passes.append(new_text)
        again = check_bytes(new_text.encode("utf-8", "surrogatepass"), path, rules, settings_)
        assert not again.internal_errors, again.notices
        return again

    _first_text, applied = apply_fixes(source, wanted_fixes(result.findings))
    applied_ids = {id(fix) for fix in applied}
    fixed = Counter((f.code, f.matched) for f in result.findings if f.fix is not None and id(f.fix) in applied_ids)
    before = Counter((f.code, f.matched) for f in result.findings)
    final_text, _count, final = fix_to_fixed_point(source, result, recheck)
    assert not wanted_fixes(final.findings), ("no fixed point within", MAX_PASSES, text, passes)
    after = Counter((f.code, f.matched) for f in final.findings)
    for key, count in fixed.items():
        assert after[key] <= before[key] - count, (key, text, final_text)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(text=texts, path=paths)
def test_pipeline_invariants(text, path):
    check_pipeline(text, path)


# Failures the long run found (issue 8), kept so they can never come back.
_FOUND = [
    "Ã\x83\x83",  # TX103 fix peeled one layer and left mojibake
    "éСАЩ\nHeadlineHeadline[САЩ]",  # FS101: fixing one leftover changed the main script
    "Headline\nЕС\néЕС",
    "\u200dСАЩ\u200dЕСHeadline",  # TX101: a joiner between Cyrillic letters left between Latin ones
    "\u200bÃ\xad\u200b",  # TX101 run half inside a TX103 span was superseded whole
    "\xadÃ\xad\xad",
    "\u200d\u200d\u200d",  # a joiner next to a joiner is not inside an emoji
    # found by the 100,000-example run after those fixes:
    "e\u0301\u0421\u0410\u0429\nHeadlineHeadline[\u0421\u0410\u0429]",  # FS102 judged e + U+0301 a look-alike, é not
    "Headline\n\u0415\u0421\ne\u0301\u0415\u0421",
    "\u00e2\u20ac\u2122\u00e0\x80\u00e2\u20ac\u2122",  # TX103 fix would complete the lost byte beside it
    "\u200b\u00c3\u00a9\u200b\U0001f600",  # © (text-style) is no emoji; a ZWSP joins none
    "\xad\u00c2\xad",  # TX103 fix would write the soft hyphen TX101 removes
    # found by --seed 4242 (issue 19): one pass is not a fixed point, iterating is
    "\u00c3\x800\u00c3\u200b\x80",  # removing the ZWSP joins Ã and \x80 into new mojibake
    "\u0415\u0421k\u00e2\u20ac\u2122Headline\n\u0415\u0421",  # the mojibake fix brings out an FS101 ЕС
]


@pytest.mark.parametrize("text", _FOUND, ids=lambda t: t.encode("unicode_escape").decode()[:30])
@pytest.mark.parametrize("path", ["story.txt", "story.md"])
def test_found_failures_hold_the_invariants(text, path):
    check_pipeline(text, path)
