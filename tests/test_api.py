"""checker.api: the Linter, its findings, its records, its paths, and the CLI running through it."""

import datetime
import json
import math
import os
import pickle
import re

import pytest
from conftest import ROOT, run_checker

import checker.api
from checker.api import CheckerError, Finding, Linter

# Defects of every family, on lines after an emoji and CRLF: positions must be exact.
STORY = (
    "2024-07-05 06:15:31\r\n"
    "Talks resume 😀\r\n"
    "\r\n"
    "The president of the [САЩ] spoke\u200b on Monday, sources said. Prices rose 5% yesterday.\r\n"
)
JSON_FIELDS = ["path", "record", "line", "column", "end_line", "end_column", "start", "end", "code", "name", "severity", "message", "matched", "fix"]


def test_public_surface_is_what_the_readme_names():
    assert checker.api.__all__ == ["Linter", "Finding", "CheckerError"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    for name in checker.api.__all__:
        assert f"`{name}`" in section, name


def test_a_linter_is_its_options_and_pickles_small():
    linter = Linter(select=["FS", "TS"], ignore="TS206", timezone="Europe/Sofia", rules=[ROOT / "seeds"], language="en")
    data = pickle.dumps(linter)
    assert len(data) < 1024
    assert len(pickle.dumps(Linter())) < 1024
    assert pickle.loads(data) == linter and hash(pickle.loads(data)) == hash(linter)
    assert Linter(select=["FS"]) != Linter(select=["TS"])
    assert b"Rule" not in data and b"re\n" not in data  # no compiled rule travels with it


def test_findings_carry_exact_offsets_positions_and_the_json_fields(tmp_path):
    findings = Linter(language="en").lint(STORY, doc_id="item-7", published="2024-07-05")
    by_code = {f.code: f for f in findings}
    assert {"TS101", "FS101", "TX101", "AT103", "TS206"} <= set(by_code)
    for finding in findings:
        assert isinstance(finding, Finding) and finding.record == "item-7"
        assert STORY[finding.start : finding.end] == finding.matched
        lines = re.split(r"(?<=\r\n)", STORY)
        offset = sum(len(line) for line in lines[: finding.line - 1]) + finding.column - 1
        assert offset == finding.start, finding
    fs = by_code["FS101"]
    assert (fs.line, fs.column, fs.end_column, fs.matched) == (4, 23, 26, "САЩ")
    row = fs.as_dict()
    assert list(row) == JSON_FIELDS
    assert row["fix"] == {"replacement": "US", "start": fs.start, "end": fs.end, "line": 4, "column": 23, "end_line": 4, "end_column": 26, "safe": True}


def test_as_dict_is_exactly_what_the_json_output_writes(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(STORY.encode("utf-8"))
    cli = json.loads(run_checker("--no-cache", "--language", "en", "--format", "json", path).stdout)
    api = [f.as_dict() for f in Linter(language="en").lint(STORY, path=str(path))]
    assert api == cli and len(api) >= 5


def test_published_dates_the_story_like_a_header_timestamp():
    text = "Talks resume\n\nThe deal was signed yesterday in Geneva, the minister said.\n"
    linter = Linter(language="en")
    assert not [f for f in linter.lint(text) if f.code == "TS206"]  # no date: nothing to resolve it against
    for published in ("2024-07-05", "2024-07-05T23:10:00+03:00", datetime.date(2024, 7, 5), datetime.datetime(2024, 7, 5, 9, 0)):
        relative = [f for f in linter.lint(text, published=published) if f.code == "TS206"]
        assert len(relative) == 1 and "July 4, 2024" in relative[0].message, published
    as_header = [f for f in linter.lint("2024-07-05T09:00:00Z\n" + text) if f.code == "TS206"]
    assert as_header[0].message == relative[0].message
    with pytest.raises(ValueError, match="not a date"):
        linter.lint(text, published="soon")
    with pytest.raises(ValueError, match="published must be"):
        linter.lint(text, published=1720000000)


def test_language_is_declared_and_a_configured_language_comes_first():
    text = "Talks resume\n\nThe deal is off, sources said.\n"  # too short to be detected: 'und'
    assert not [f for f in Linter().lint(text) if f.code.startswith("AT")]
    assert [f for f in Linter().lint(text, language="en-GB") if f.code == "AT103"]
    assert not [f for f in Linter(language="fr").lint(text, language="en") if f.code.startswith("AT")]


def test_options_select_ignore_and_timezone():
    assert {f.code for f in Linter(select=["FS"]).lint(STORY)} == {"FS101"}
    assert "FS101" not in {f.code for f in Linter(ignore=["FS101"]).lint(STORY)}
    zoned = [f for f in Linter(timezone="Europe/Sofia").lint(STORY) if f.code == "TS101"]
    assert zoned[0].fix is not None and zoned[0].fix.replacement == "+03:00"
    with pytest.raises(CheckerError, match="unknown rule selector 'XX9'"):
        Linter(select=["XX9"]).lint("text")
    with pytest.raises(CheckerError, match="unknown time zone"):
        Linter(timezone="Mars/Olympus").lint("text")
    with pytest.raises(TypeError):
        Linter(select=[1, 2])


def test_user_rules_and_a_configuration_file(tmp_path):
    from conftest import write_house_rule

    rules = tmp_path / "house"
    rules.mkdir()
    write_house_rule(rules)
    config = tmp_path / "checker.toml"
    config.write_text('select = ["HS001"]\n', encoding="utf-8")
    text = "Talks resume\n\nKiev rejected the plan, the ministry said.\n"
    assert [f.code for f in Linter(rules=[rules], select=["HS001"]).lint(text)] == ["HS001"]
    config.write_text(f'select = ["HS001"]\nrules = ["{rules.name}"]\n', encoding="utf-8")
    assert [f.code for f in Linter(config=config).lint(text)] == ["HS001"]


def test_records_give_finding_dicts_with_ids_and_survive_bad_records():
    records = [
        {"id": "a", "body": STORY, "date": "2024-07-05", "lang": "en"},
        {"id": "b"},  # no text
        {"id": "c", "body": None},
        {"id": "d", "body": 42},
        {"id": math.nan, "body": "Talks resume\n\nThe president of the [САЩ] spoke.\n"},
        {"body": "Talks resume\n\nThe president of the [САЩ] spoke.\n"},
    ]
    rows = list(Linter().lint_records(records, published_field="date", language_field="lang"))
    assert all(list(row) == JSON_FIELDS for row in rows)
    by_id = {}
    for row in rows:
        by_id.setdefault(row["record"], []).append(row["code"])
    assert [row for row in rows if row["record"] == "a"] == [f.as_dict() | {"path": "<record>"} for f in Linter().lint(STORY, doc_id="a", published="2024-07-05", language="en")]
    assert by_id["b"] == by_id["c"] == by_id["d"] == ["CK001"]
    assert by_id[None] == ["FS101", "FS101"]  # NaN (a data frame's missing id) is no id
    messages = [row["message"] for row in rows if row["code"] == "CK001"]
    assert "no text field 'body'" in messages[0] and "not a string" in messages[2]
    with pytest.raises(ValueError, match="record 'x'"):
        list(Linter().lint_records([{"id": "x", "body": "text", "date": "soon"}], published_field="date"))


def test_a_lone_surrogate_is_a_replacement_character_at_the_same_offset():
    text = json.loads('"Talks resume\\n\\nThe deal \\ud800 is off."')
    findings = Linter().lint(text)
    lost = [f for f in findings if f.code == "TX104"]
    assert len(lost) == 1 and lost[0].start == text.index("\ud800") and lost[0].matched == "\ufffd"
    json.dumps([f.as_dict() for f in findings], ensure_ascii=False).encode("utf-8")  # writable


def test_rules_load_once_per_process_per_options():
    linter = Linter(select=["FS", "TX"], cache_dir=None)
    before = checker.api._rule_sets_loaded()
    profile = linter._profile_for_text()
    for index in range(50):
        linter.lint(f"Headline {index}\n\nThe president of the [САЩ] spoke.\n")
    list(pickle.loads(pickle.dumps(linter)).lint_records({"id": i, "body": "Text."} for i in range(50)))
    assert checker.api._rule_sets_loaded() == before + 1
    assert linter._profile_for_text() is profile
    Linter(select=["TS"], cache_dir=None).lint("text")
    assert checker.api._rule_sets_loaded() == before + 2


def test_the_compiled_rule_cache_is_the_command_lines(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "key"))
    monkeypatch.chdir(tmp_path)
    Linter(select=["FS101"]).lint("text")
    pickles = list((tmp_path / ".checker_cache").glob("rules-*.pickle"))
    assert len(pickles) == 1
    result = run_checker("--select", "FS101", "--cache-dir", tmp_path / ".checker_cache", ROOT / "seeds", env={"XDG_CACHE_HOME": str(tmp_path / "key")})
    assert result.returncode == 1
    assert list((tmp_path / ".checker_cache").glob("rules-*.pickle")) == pickles  # the CLI found the API's
    from checker.cache import DEFAULT_DIR

    assert checker.api._DEFAULT_CACHE_DIR == DEFAULT_DIR


def test_lint_and_lint_records_never_fork(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a Linter forked")

    monkeypatch.setattr(os, "fork", refuse)
    records = [{"id": i, "body": "Talks resume\n\nThe president of the [САЩ] spoke.\n" * (i % 5 + 1)} for i in range(300)]
    assert sum(1 for row in Linter().lint_records(records) if row["code"] == "FS101") == sum(i % 5 + 1 for i in range(300))


@pytest.fixture
def desk_tree(tmp_path):
    for desk in ("wire", "features"):
        folder = tmp_path / desk
        folder.mkdir()
        for index in range(3):
            (folder / f"s{index}.txt").write_text(STORY.replace("Talks", f"Talks {index}"), encoding="utf-8")
    (tmp_path / "wire" / "checker.toml").write_text('ignore = ["AT"]\n[per-file-ignores]\n"s1.txt" = ["TS101"]\n', encoding="utf-8")
    (tmp_path / "features" / "bad.txt").write_bytes(b"\x00\x01\x02")
    return tmp_path


def test_lint_paths_equals_the_command_line(desk_tree):
    cli = json.loads(run_checker("--no-cache", "--language", "en", "--format", "json", desk_tree, cwd=desk_tree).stdout)
    api = [f.as_dict() for f in Linter(language="en", cache_dir=None).lint_paths([desk_tree])]
    assert api == cli
    codes = {(row["path"].split(os.sep)[-2], row["path"].split(os.sep)[-1], row["code"]) for row in api}
    assert ("wire", "s1.txt", "TS101") not in codes and ("wire", "s0.txt", "TS101") in codes  # per-file ignores
    assert ("features", "s0.txt", "AT103") in codes
    assert not any(desk == "wire" and code.startswith("AT") for desk, _name, code in codes)  # nearest configuration
    assert ("features", "bad.txt", "CK001") in codes
    assert [f.as_dict() for f in Linter(language="en", cache_dir=None).lint_paths([desk_tree], jobs=2)] == api
    with pytest.raises(FileNotFoundError, match="nowhere"):
        Linter().lint_paths([desk_tree / "nowhere"])


def test_lint_paths_force_exclude(desk_tree):
    (desk_tree / "checker.toml").write_text('exclude = ["s2.txt"]\n', encoding="utf-8")
    named = [desk_tree / "features" / "s2.txt", desk_tree / "features" / "s0.txt"]
    assert {os.path.basename(f.path) for f in Linter(cache_dir=None).lint_paths(named)} == {"s0.txt", "s2.txt"}
    assert {os.path.basename(f.path) for f in Linter(cache_dir=None).lint_paths(named, force_exclude=True)} == {"s0.txt"}


@pytest.mark.slow
def test_memory_does_not_grow_with_the_number_of_records():
    """A worker's heap after 1,000 more records is what it is after 4,000 more: nothing
    is kept per record (the rules and what they build lazily are kept per process)."""
    import tracemalloc

    linter = Linter(language="en", cache_dir=None)

    def records(start, count):
        for i in range(start, start + count):
            body = f"Story {i}\n\nThe president of the [САЩ] spoke on Monday, {i % 28 + 1}/07/2024. Prices rose {i % 90}% in March, sources said.\n"
            yield {"id": f"r{i}", "body": body * (1 + i % 4), "date": "2024-07-05"}

    def run(start, count):
        found = 0
        for _row in linter.lint_records(records(start, count), published_field="date"):
            found += 1
        return found

    run(0, 300)  # rules loaded, lazy tables built
    tracemalloc.start()
    try:
        run(300, 1000)
        after_1000 = tracemalloc.get_traced_memory()[0]
        assert run(1300, 4000) > 4000
        after_5000 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after_5000 - after_1000 < 256 * 1024, (after_1000, after_5000)


def test_two_linters_in_threads_keep_their_own_rules():
    """Dask workers may run tasks in several threads: each Linter's documents are checked
    with its own rules, however the threads interleave."""
    from concurrent.futures import ThreadPoolExecutor

    text = "2024-07-05 06:15:31\nTalks resume\n\nThe president of the [САЩ] spoke.\n"
    script_only, time_only = Linter(select=["FS"], cache_dir=None), Linter(select=["TS1"], cache_dir=None)

    def codes(linter):
        return {f.code for _ in range(400) for f in linter.lint(text)}

    import sys

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can: the races show
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(codes, [script_only, time_only] * 4))
    finally:
        sys.setswitchinterval(interval)
    assert results == [{"FS101"}, {"TS101"}] * 4
