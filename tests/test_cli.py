"""The command line: output, selection, formats, exit codes, errors."""

import json

import pytest
from conftest import run_checker, write_house_rule

BAD = "2024-07-05 06:15:31\nThe president of the [САЩ] spoke, sources said. He said that the talks with the delegation would go on for the rest of the week.\n"
CLEAN = "2024-07-05T06:15:31+03:00\nThe minister said the talks would go on.\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_exit_codes(tmp_path):
    bad, clean = write(tmp_path, "bad.txt", BAD), write(tmp_path, "clean.txt", CLEAN)
    assert run_checker(clean).returncode == 0
    assert run_checker(bad).returncode == 1
    assert run_checker(bad, "--exit-zero").returncode == 0
    assert run_checker(tmp_path / "missing.txt").returncode == 2
    assert run_checker("--select", "NOPE", clean).returncode == 2


def test_concise_format_and_summary(tmp_path):
    bad = write(tmp_path, "bad.txt", BAD)
    out = run_checker(bad).stdout.splitlines()
    assert out[0] == f"{bad}:1:1: TS101 Timestamp \"2024-07-05 06:15:31\" has no time zone (UTC offset); set `timezone` to get a fix"
    assert any(":2:23: FS101" in line for line in out)
    assert out[-1] == "Found 3 findings (3 warnings): 1 file checked, 1 with findings."


def test_paths_as_given_joined_with_walked_part(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "a.txt", BAD)
    write(tmp_path / "sub", "skip.csv", BAD)
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / ".hidden", "b.txt", BAD)
    out = run_checker(".", cwd=tmp_path).stdout
    assert "./sub/a.txt:1:1: TS101" in out
    assert "skip.csv" not in out and ".hidden" not in out


def test_empty_folder_is_a_notice_and_exit_zero(tmp_path):
    result = run_checker(tmp_path)
    assert result.returncode == 0
    assert "no files to check" in result.stderr


def test_select_ignore_by_code_prefix_and_name(tmp_path):
    bad = write(tmp_path, "bad.txt", BAD)
    codes = lambda *a: {line.split()[1] for line in run_checker(bad, *a).stdout.splitlines()[:-1]}
    assert codes("--select", "TS") == {"TS101"}
    assert codes("--select", "foreign-script-fragment") == {"FS101"}
    assert codes("--ignore", "AT,FS101") == {"TS101"}


def test_fail_level(tmp_path):
    bad = write(tmp_path, "bad.txt", BAD)
    assert run_checker(bad, "--fail-level", "error").returncode == 0
    assert run_checker(bad, "--fail-level", "info").returncode == 1


def test_info_alone_passes(tmp_path):
    # AT104's band covers every score here, so the test does not hang on the model's weights
    write(tmp_path, "pyproject.toml", "[tool.checker.rule.AT104]\nband_low = 0.0\nthreshold = 1.0\n")
    path = write(tmp_path, "a.txt", "He made this statement after a week of talks.\n")
    result = run_checker(path, "--select", "AT104", "--language", "en")
    assert "AT104" in result.stdout and result.returncode == 0


def test_json_format(tmp_path):
    bad = write(tmp_path, "bad.txt", BAD)
    data = json.loads(run_checker(bad, "--format", "json").stdout)
    fs = [f for f in data if f["code"] == "FS101"][0]
    assert list(fs) == [
        "path", "record", "line", "column", "end_line", "end_column", "start", "end",
        "code", "name", "severity", "message", "matched", "fix",
    ]
    assert (fs["line"], fs["column"], fs["end_line"], fs["end_column"]) == (2, 23, 2, 26)
    assert BAD[fs["start"] : fs["end"]] == fs["matched"] == "САЩ" and fs["record"] is None
    assert fs["fix"]["replacement"] == "US"
    assert (fs["fix"]["column"], fs["fix"]["end_column"]) == (23, 26)
    assert (fs["fix"]["start"], fs["fix"]["end"]) == (fs["start"], fs["end"])


def test_stdin(tmp_path):
    result = run_checker("-", input=BAD)
    assert result.stdout.startswith("-:1:1: TS101")
    result = run_checker("-", "--stdin-filename", "story.txt", input=BAD)
    assert result.stdout.startswith("story.txt:1:1: TS101")


def test_unreadable_file_is_a_finding_and_others_still_checked(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x89PNG\x00\x00\x01binary")
    write(tmp_path, "b.txt", BAD)
    result = run_checker(tmp_path)
    assert f"{tmp_path}/a.txt:1:1: CK001" in result.stdout
    assert f"{tmp_path}/b.txt:1:1: TS101" in result.stdout
    assert result.returncode == 1


def test_utf16_with_bom_is_decoded(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes(BAD.encode("utf-16"))
    assert ":2:23: FS101" in run_checker(path).stdout


def test_list_rules_explain_version():
    listing = run_checker("--list-rules").stdout
    assert "AT101   unattributed-statement" in listing
    explained = run_checker("--explain", "FS101").stdout
    assert "foreign-script-fragment" in explained and "[САЩ]" in explained
    assert run_checker("--explain", "ZZ999").returncode == 2
    assert run_checker("--version").stdout.startswith("checker ")


def test_usage_error_is_one_line(tmp_path):
    result = run_checker("--format", "nope", tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_user_rule_folder(tmp_path):
    rules = tmp_path / "house"
    rules.mkdir()
    write_house_rule(rules)
    story = write(tmp_path, "s.txt", "Then Kiev quickly rejected these ideas, the ministry said.\n")
    out = run_checker("--rules", rules, "--select", "HS", story).stdout
    assert f"{story}:1:6: HS001 Use \"Kyiv\", not \"Kiev\"" in out
    assert run_checker("--rules", rules, "--test-rules").returncode == 0


def test_main_script_names_and_codes(tmp_path):
    story = write(tmp_path, "s.txt", "Mr. Trump as a candidate for president of the [САЩ] spoke, the agency said.\n")
    assert "FS101" in run_checker("--main-script", "latin", "--select", "FS", story).stdout
    assert "FS101" not in run_checker("--main-script", "Cyrl", "--select", "FS", story).stdout
    result = run_checker("--main-script", "Klingon", story)
    assert result.returncode == 2 and "unknown main script 'Klingon'" in result.stderr


def test_each_rule_list_gets_its_own_plan():
    """The engine works out a rule list's plan once (checker.pipeline._Plan): a
    different list, or the same list changed, must not run the rules of the last."""
    from checker.config import Settings
    from checker.pipeline import check_bytes
    from checker.rules import builtin_rules_dir, load_rules, select_rules

    all_rules, settings = load_rules([builtin_rules_dir()]), Settings(language="en").validate()
    data = "Headline\n\nThe president of the [САЩ] said 05/07/2024 was the day.\n".encode()

    def codes(rules):
        return {f.code for f in check_bytes(data, "a.txt", rules, settings).findings}

    everything = select_rules(all_rules, ["ALL"], [], [])
    assert {"FS101", "TS202"} <= codes(everything)
    only_dates = select_rules(all_rules, ["TS"], [], [])
    assert codes(only_dates) == {"TS202"}
    only_dates[:] = select_rules(all_rules, ["FS101"], [], [])  # the same list object, other rules
    assert codes(only_dates) == {"FS101"}
    assert {"FS101", "TS202"} <= codes(everything)


def test_a_files_findings_come_in_position_order():
    """Sorted where they are made (in the workers): TS101 on line 1 before AT101 on line 3,
    though the rules run in code order; the report's sort then finds them in order."""
    from checker.config import Settings
    from checker.findings import IN_FILE_ORDER
    from checker.pipeline import check_bytes
    from checker.rules import builtin_rules_dir, load_rules

    data = BAD.replace("\n", "\n\nThe new law will probably cost taxpayers $2bn a year.\n", 1).encode("utf-8")
    findings = check_bytes(data, "a.txt", load_rules([builtin_rules_dir()]), Settings()).findings
    codes = [f.code for f in findings]
    assert "TS101" in codes and "AT101" in codes and codes.index("TS101") < codes.index("AT101")
    assert findings == sorted(findings, key=IN_FILE_ORDER)
    assert [f.line for f in findings] == sorted(f.line for f in findings)


def test_statistics_and_the_report_order_over_several_files(tmp_path):
    for name in ("b.txt", "a.txt", "c.txt"):
        write(tmp_path, name, BAD)
    lines = run_checker("--exit-zero", "--statistics", tmp_path).stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["3", "AT103"], ["3", "FS101"], ["3", "TS101"]]
    report = run_checker("--exit-zero", tmp_path).stdout.splitlines()[:-1]
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in report] == ["a.txt"] * 3 + ["b.txt"] * 3 + ["c.txt"] * 3


def test_the_command_keeps_the_results_alive_for_its_quick_exit(tmp_path):
    from checker import cli

    bad = write(tmp_path, "bad.txt", BAD)
    kept = []
    out = tmp_path / "report.json"
    assert cli.main(["--exit-zero", "--no-cache", "--format", "json", "-o", str(out), str(bad)], keep_alive=kept) == 0
    results, findings = kept
    assert [r.path for r in results] == [str(bad)] and {f.code for f in findings} == {"TS101", "FS101", "AT103"}
    assert cli.main(["--no-cache", "--format", "json", "-o", str(out), str(bad)]) == 1  # without a list: nothing kept
    # a line format is written as files are checked and holds no finding back: nothing to keep
    kept = []
    assert cli.main(["--no-cache", "-o", str(out), str(bad)], keep_alive=kept) == 1
    assert kept[1] == [] and "FS101" in out.read_text(encoding="utf-8")


def test_help_follows_the_terminal_width():
    narrow = run_checker("--help", env={"COLUMNS": "60"}).stdout.splitlines()
    wide = run_checker("--help", env={"COLUMNS": "120"}).stdout.splitlines()
    assert len(narrow) > len(wide) and 60 < max(map(len, wide)) <= 120


def test_a_run_imports_no_shutil(tmp_path):
    """argparse's own help formatter imports shutil (and with it bz2 and lzma)
    for the terminal width: 5-10 ms of every run, help or not."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from checker.cli import main\n"
        "main(['--no-cache', sys.argv[1]])\n"
        "print('SHUTIL' if 'shutil' in sys.modules else 'NO-SHUTIL', file=sys.stderr)\n"
    )
    story = write(tmp_path, "story.txt", CLEAN)
    result = subprocess.run([sys.executable, "-c", probe, str(story)], capture_output=True, text=True)
    assert "NO-SHUTIL" in result.stderr and "1 file checked" in result.stdout


@pytest.mark.parametrize("cache", ["--no-cache", "--cache-dir"])
def test_a_run_imports_neither_dataclasses_nor_inspect(tmp_path, cache):
    """Importing dataclasses (and inspect, ast, dis and tokenize with it) and building
    the value classes took a quarter of a warm one-file run (checker.records); a warm
    run with nothing to prune imports no shutil either."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from checker.cli import main\n"
        "main(sys.argv[1:])\n"
        "print(sorted({'dataclasses', 'inspect', 'shutil'} & set(sys.modules)), file=sys.stderr)\n"
    )
    story = write(tmp_path, "story.txt", CLEAN)
    options = ["--no-cache"] if cache == "--no-cache" else ["--cache-dir", str(tmp_path / "cache")]
    # the first run with a cache writes it (tempfile imports shutil); the second loads the pickled rule set
    for expected in ("[]", "[]") if cache == "--no-cache" else ("['shutil']", "[]"):
        result = subprocess.run([sys.executable, "-c", probe, *options, str(story)], capture_output=True, text=True)
        assert result.stderr.strip().splitlines()[-1] == expected and "1 file checked" in result.stdout
