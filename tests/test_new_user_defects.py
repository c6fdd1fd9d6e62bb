"""Defects a new user met (issue 19): each test fails without its fix."""

import json

import pytest
from conftest import run_checker

BAD = "2024-07-05 06:15:31\nThe president of the [САЩ] spoke, sources said. He said that the talks with the delegation would go on for the rest of the week.\n"


def one_line_error(result, *expected):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


# --- errors that ended in a traceback or the wrong exit code -----------------------


@pytest.mark.parametrize("flag", ["-o", "--write-baseline"])
def test_output_into_a_missing_folder_is_a_usage_error(tmp_path, flag):
    target = tmp_path / "no" / "such" / "r.txt"
    one_line_error(run_checker(flag, target, "seeds/"), str(target), "no such folder")


def test_output_onto_a_folder_is_a_usage_error(tmp_path):
    one_line_error(run_checker("-o", tmp_path, "seeds/"), str(tmp_path), "is a folder")


def test_a_missing_path_prints_only_the_error():
    result = run_checker("nope.txt")
    one_line_error(result, "nope.txt: no such file or folder")
    assert result.stdout == ""


def test_an_excluded_file_says_it_was_excluded_and_by_which_pattern(tmp_path):
    (tmp_path / "checker.toml").write_text('extend-exclude = ["drafts"]\n', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text(BAD, encoding="utf-8")
    result = run_checker("--force-exclude", "drafts/a.txt", cwd=tmp_path)
    assert result.returncode == 0 and "no files to check" not in result.stderr
    assert "drafts/a.txt: excluded by the pattern 'drafts'" in result.stderr
    assert str(tmp_path / "checker.toml") in result.stderr


def test_unknown_selector_in_a_configuration_file_names_the_file_and_line(tmp_path):
    config = tmp_path / "checker.toml"
    config.write_text('# desk settings\nselect = ["FS", "XX999"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    one_line_error(run_checker("a.txt", cwd=tmp_path), f"{config}:2:17: unknown rule selector 'XX999'")


def test_unknown_selector_on_the_command_line_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    one_line_error(run_checker("--select", "XX999", "a.txt", cwd=tmp_path), "unknown rule selector 'XX999'")


def test_config_flag_accepts_a_tool_checker_table_in_any_file(tmp_path):
    shared = tmp_path / "desk-settings.toml"
    shared.write_text('[tool.checker]\nselect = ["FS"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    result = run_checker("--config", shared, "a.txt", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [line.split()[1] for line in result.stdout.splitlines()[:-1]] == ["FS101"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_statistics_in_json_keep_the_stream_json(fmt):
    result = run_checker("--statistics", "--format", fmt, "seeds/")
    rows = json.loads(result.stdout) if fmt == "json" else [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["code"] for row in rows} == {"TS101", "AT103", "AT104", "FS101", "TS206"}
    assert all(row["count"] == 1 and row["name"] and row["severity"] for row in rows)


def test_statistics_with_a_format_that_cannot_hold_them_is_a_usage_error():
    one_line_error(run_checker("--statistics", "--format", "sarif", "seeds/"), "--statistics")


def test_summary_counts_files_checked_and_files_with_findings(tmp_path):
    (tmp_path / "bad.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "good.txt").write_text("Headline\n\nWho will vote on Monday?\n", encoding="utf-8")
    last = run_checker(tmp_path).stdout.splitlines()[-1]
    assert last == "Found 3 findings (3 warnings): 2 files checked, 1 with findings."
    (tmp_path / "bad.txt").unlink()
    assert run_checker(tmp_path).stdout.splitlines()[-1] == "All clear: 1 file checked, none with findings."


# --- paths and files ------------------------------------------------------------


@pytest.fixture
def desks(tmp_path):
    for desk in ("deskA", "deskB"):
        (tmp_path / desk).mkdir()
        (tmp_path / desk / "story.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "deskB" / "checker.toml").write_text('select = ["FS"]\n', encoding="utf-8")
    return tmp_path


def _by_file(result):
    found = {}
    for line in result.stdout.splitlines()[:-1]:
        path, code = line.split(":")[0], line.split()[1]
        found.setdefault(path, []).append(code)
    return {path: sorted(codes) for path, codes in found.items()}


def test_each_file_is_checked_with_the_configuration_nearest_it(desks):
    forward = run_checker("deskA", "deskB", cwd=desks)
    backward = run_checker("deskB", "deskA", cwd=desks)
    assert _by_file(forward) == _by_file(backward) == {
        "deskA/story.txt": ["AT103", "FS101", "TS101"],
        "deskB/story.txt": ["FS101"],
    }
    # pre-commit passes files, in no set order
    assert _by_file(run_checker("deskB/story.txt", "deskA/story.txt", cwd=desks)) == _by_file(forward)


def test_config_flag_still_serves_every_file(desks):
    other = desks / "only-ts.toml"
    other.write_text('select = ["TS"]\n', encoding="utf-8")
    found = _by_file(run_checker("--config", other, "deskA", "deskB", cwd=desks))
    assert found == {"deskA/story.txt": ["TS101"], "deskB/story.txt": ["TS101"]}


def test_a_nested_configuration_changes_what_a_walk_includes(desks):
    (desks / "deskB" / "checker.toml").write_text('include = ["*.text"]\n', encoding="utf-8")
    (desks / "deskB" / "notes.text").write_text(BAD, encoding="utf-8")
    found = _by_file(run_checker(".", cwd=desks))
    assert set(found) == {"./deskA/story.txt", "./deskB/notes.text"}


def test_force_exclude_applies_to_standard_input_with_a_stdin_filename(tmp_path):
    (tmp_path / "checker.toml").write_text('extend-exclude = ["drafts"]\nforce-exclude = true\n', encoding="utf-8")
    result = run_checker("--stdin-filename", "drafts/a.txt", "-", input=BAD, cwd=tmp_path)
    assert result.returncode == 0 and "FS101" not in result.stdout
    # with --fix an editor gets its buffer back unchanged
    fixed = run_checker("--fix", "--stdin-filename", "drafts/a.txt", "-", input=BAD, cwd=tmp_path)
    assert fixed.returncode == 0 and fixed.stdout == BAD
    kept = run_checker("--stdin-filename", "copy/a.txt", "-", input=BAD, cwd=tmp_path)
    assert "FS101" in kept.stdout


def test_a_file_reached_through_a_symlink_and_its_target_is_checked_once(tmp_path):
    (tmp_path / "b-story.txt").write_text(BAD, encoding="utf-8")
    (tmp_path / "a-link.txt").symlink_to("b-story.txt")
    result = run_checker("--format", "json", tmp_path)
    paths = {f["path"] for f in json.loads(result.stdout)}
    assert paths == {str(tmp_path / "a-link.txt")}  # the first path in walk order
    fixed = run_checker("--fix", "--timezone", "UTC", tmp_path)
    assert "changed on disk" not in fixed.stderr and "fixed 2 findings in 1 file" in fixed.stderr
    assert (tmp_path / "a-link.txt").is_symlink()
    assert (tmp_path / "b-story.txt").read_text(encoding="utf-8").startswith("2024-07-05 06:15:31+00:00\n")


@pytest.mark.parametrize("width", [40, 20, 12, 200])
def test_the_progress_bar_fits_the_terminal(width):
    from checker.runner import _Progress

    bar = _Progress(2217, width=width)
    for done in (0, 1, 999, 2217):
        assert len(bar.line(done)) < width
    assert bar.line(2217).endswith("2217/2217 files") or width < 20


def test_progress_width_follows_columns(monkeypatch):
    from checker.runner import _Progress

    monkeypatch.setenv("COLUMNS", "40")
    assert _Progress(2217).width == 39


# --- packaging ------------------------------------------------------------------


def test_every_format_name_is_listed_once_in_the_code():
    from checker import config, report
    from checker.cli import build_parser

    assert config.FORMAT_NAMES is report.FORMAT_NAMES
    choices = next(a.choices for a in build_parser()._actions if a.dest == "format")
    assert list(choices) == list(report.FORMAT_NAMES)


# --- wrong or missing findings ------------------------------------------------------


@pytest.mark.parametrize("name", ["story.txt", "story.md"])
def test_a_leftover_right_after_a_url_inside_markup_is_found(tmp_path, name):
    story = tmp_path / name
    story.write_text('Headline\n\nThe president of the <a href="https://example.com/a">[САЩ]</a> spoke.\n', encoding="utf-8")
    found = [line for line in run_checker("--select", "FS101", story).stdout.splitlines() if "FS101" in line]
    assert len(found) == 1 and f"{name}:3:55: FS101" in found[0]
