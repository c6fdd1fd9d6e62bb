"""Every --format: parsed by what reads it (SARIF against the OASIS schema, GitLab and JUnit parsed)."""

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, run_checker, shared_path

# The Cyrillic leftover has a fix; the emoji before it checks code-point columns.
BAD = "2024-07-05 06:15:31\nThe president 🇺🇸 of the [САЩ] spoke, sources said. He said that the talks with the delegation would go on for the rest of the week.\n"
CLEAN = "2024-07-05T06:15:31+03:00\nThe minister said the talks would go on.\n"


@pytest.fixture
def files(tmp_path):
    bad, clean = tmp_path / "bad.txt", tmp_path / "clean.txt"
    bad.write_text(BAD, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    return bad, clean


def test_registry_and_config_agree():
    from checker.config import FORMAT_NAMES
    from checker.report import FORMATS

    assert set(FORMAT_NAMES) == set(FORMATS)


def test_sarif_is_valid_against_the_oasis_schema(files):
    import jsonschema

    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    bad, clean = files
    result = run_checker("--format", "sarif", bad, clean)
    log = json.loads(result.stdout)
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    fs = [r for r in run["results"] if r["ruleId"] == "FS101"][0]
    region = fs["locations"][0]["physicalLocation"]["region"]
    # "The president 🇺🇸 of the [" is 25 code points: the span starts at column 26, ends (exclusive) at 29.
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (2, 26, 29)
    assert fs["level"] == "warning" and rules["FS101"]["defaultConfiguration"]["level"] == "warning"
    assert fs["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "US"
    assert run["tool"]["driver"]["rules"][fs["ruleIndex"]]["id"] == "FS101"


def test_sarif_with_no_findings_is_valid(files):
    import jsonschema

    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(run_checker("--format", "sarif", files[1]).stdout)
    jsonschema.validate(log, schema)
    assert log["runs"][0]["results"] == []


def test_severity_mappings():
    from checker.report import GITHUB_LEVEL, GITLAB_SEVERITY, SARIF_LEVEL

    assert [GITHUB_LEVEL[s] for s in ("error", "warning", "info")] == ["error", "warning", "notice"]
    assert [GITLAB_SEVERITY[s] for s in ("error", "warning", "info")] == ["major", "minor", "info"]
    assert [SARIF_LEVEL[s] for s in ("error", "warning", "info")] == ["error", "warning", "note"]


def test_github_workflow_commands(files, tmp_path):
    bad, _ = files
    lines = run_checker("--format", "github", bad).stdout.splitlines()
    fs = [line for line in lines if "title=FS101" in line][0]
    assert fs.startswith(f"::warning file={bad},line=2,col=26,endLine=2,endColumn=29,title=FS101 foreign-script-fragment::")
    info = tmp_path / "info.txt"
    info.write_text("He made this statement after a week of talks.\n", encoding="utf-8")
    # AT104's band covers every score here, so the test does not hang on the model's weights
    (tmp_path / "pyproject.toml").write_text("[tool.checker.rule.AT104]\nband_low = 0.0\nthreshold = 1.0\n", encoding="utf-8")
    assert run_checker("--format", "github", "--select", "AT104", "--language", "en", info).stdout.startswith("::notice file=")


def test_github_escapes_what_would_break_the_command():
    from checker.findings import Finding
    from checker.report import github

    finding = Finding("XX001", "x", "error", "50% done\nnext: line", 0, 1, path="a,b:c.txt")
    out = io.StringIO()
    github.write([finding], out, {"files_checked": 1})
    assert out.getvalue() == "::error file=a%2Cb%3Ac.txt,line=1,col=1,endLine=1,endColumn=1,title=XX001 x::50%25 done%0Anext: line\n"


def test_gitlab_code_quality_report(files, tmp_path):
    bad, _ = files
    issues = json.loads(run_checker("--format", "gitlab", bad).stdout)
    assert issues and all(
        set(i) >= {"description", "check_name", "fingerprint", "severity", "location"}
        and i["severity"] in ("info", "minor", "major", "critical", "blocker")
        and isinstance(i["location"]["lines"]["begin"], int)
        and i["location"]["path"] == str(bad)
        for i in issues
    )
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # Lines added above move every finding down; the fingerprints stay the same.
    bad.write_text("\n\n" + BAD.replace("\n", "\n", 1), encoding="utf-8")
    moved = json.loads(run_checker("--format", "gitlab", bad).stdout)
    by_check = lambda items: {(i["check_name"], i["fingerprint"]) for i in items}
    assert by_check(moved) >= {x for x in by_check(issues) if not x[0].startswith("TS")}
    assert {i["location"]["lines"]["begin"] for i in moved} != {i["location"]["lines"]["begin"] for i in issues}


def test_junit_one_testcase_per_file(files):
    bad, clean = files
    root = ET.fromstring(run_checker("--format", "junit", bad, clean).stdout)
    cases = root.findall(".//testcase")
    assert sorted(c.get("name") for c in cases) == sorted([str(bad), str(clean)])
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == [str(bad)]
    assert "FS101" in failed[0].find("failure").text
    assert root.get("tests") == "2" and root.get("failures") == "1"


def test_json_lines(files):
    records = [json.loads(line) for line in run_checker("--format", "jsonl", files[0]).stdout.splitlines()]
    assert records and all(r["path"] == str(files[0]) for r in records)
    assert records == json.loads(run_checker("--format", "json", files[0]).stdout)


def test_full_shows_the_line_and_a_caret_under_the_span(files):
    out = run_checker("--format", "full", "--select", "FS101", files[0]).stdout.splitlines()
    index = next(i for i, line in enumerate(out) if ": FS101 " in line)
    assert out[index + 2].startswith("2 | The president 🇺🇸 of the [САЩ] spoke, sources said. He said")
    # The flag is two code points shown as one two-column glyph: the caret sits under "САЩ".
    assert out[index + 3] == "  |" + " " * (1 + 14 + 2 + 9) + "^^^"
    assert "\033[" not in "\n".join(out)  # not a terminal: no colour


def test_full_colour_only_on_a_terminal_and_not_with_no_color(monkeypatch):
    from checker.findings import Finding
    from checker.report import full

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    finding = Finding("XX001", "x", "error", "m", 0, 1, path="a.txt")
    summary = {"files_checked": 1, "text_of": lambda path: "abc\n"}
    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = Terminal()
    full.write([finding], terminal, summary)
    assert "\033[" in terminal.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = Terminal()
    full.write([finding], plain, summary)
    assert "\033[" not in plain.getvalue()


def test_full_shows_invisible_characters_visibly():
    from checker.report.full import snippet

    shown, caret = snippet("a\u200bb", 2, 3)
    assert shown == "a<U+200B>b" and caret == " ^^^^^^^^"


def test_output_file(files, tmp_path):
    out = tmp_path / "report.sarif"
    result = run_checker("--format", "sarif", "-o", out, files[0])
    assert result.stdout == "" and json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_format_from_configuration(files, tmp_path):
    (tmp_path / "checker.toml").write_text('format = "jsonl"\n', encoding="utf-8")
    out = run_checker(files[0], cwd=tmp_path).stdout
    assert json.loads(out.splitlines()[0])["path"] == str(files[0])


def test_closed_pipe_ends_quietly(tmp_path):
    for index in range(200):
        (tmp_path / f"{index:03d}.txt").write_text(BAD, encoding="utf-8")
    for fmt in ("concise", "full", "jsonl"):
        pipeline = subprocess.run(
            f"{sys.executable} -m checker --format {fmt} {tmp_path} | head -n 1",
            shell=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert pipeline.stdout.count("\n") == 1
        assert pipeline.stderr == "", pipeline.stderr


def test_ci_formats_report_clean_relative_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(BAD, encoding="utf-8")
    assert "::warning file=sub/a.txt,line=2," in run_checker("--format", "github", ".", cwd=tmp_path).stdout
    issues = json.loads(run_checker("--format", "gitlab", ".", cwd=tmp_path).stdout)
    assert {i["location"]["path"] for i in issues} == {"sub/a.txt"}
    log = json.loads(run_checker("--format", "sarif", "./sub", cwd=tmp_path).stdout)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]} == {"sub/a.txt"}
