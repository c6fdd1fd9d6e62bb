"""Configuration files: where they are found, precedence, every key, per-rule overrides, errors."""

import os
import subprocess

import pytest
from conftest import run_checker, write_house_rule

BAD = "2024-07-05 06:15:31\nThe president of the [САЩ] spoke, sources said. He said that the talks with the delegation would go on for the rest of the week.\n"


def codes(result):
    return {line.split()[1] for line in result.stdout.splitlines() if ": " in line and not line.startswith(("Found", "All clear"))}


@pytest.fixture
def project(tmp_path):
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "bad.txt").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_no_configuration_means_defaults(project):
    assert codes(run_checker("copy", cwd=project)) == {"TS101", "FS101", "AT103"}


def test_pyproject_tool_table(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.checker]\nignore = ["TS"]\n', encoding="utf-8")
    assert codes(run_checker("copy", cwd=project)) == {"FS101", "AT103"}


def test_pyproject_without_a_tool_table_is_not_a_configuration(project):
    (project / "copy" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (project / "checker.toml").write_text('ignore = ["AT"]\n', encoding="utf-8")
    assert codes(run_checker("copy", cwd=project)) == {"TS101", "FS101"}


def test_nearest_configuration_wins_and_dot_file_beats_plain_name(project):
    (project / "checker.toml").write_text('ignore = ["AT"]\n', encoding="utf-8")
    (project / "copy" / "checker.toml").write_text('ignore = ["TS"]\n', encoding="utf-8")
    assert codes(run_checker("copy/bad.txt", cwd=project)) == {"FS101", "AT103"}
    (project / "copy" / ".checker.toml").write_text('ignore = ["FS"]\n', encoding="utf-8")
    assert codes(run_checker("copy/bad.txt", cwd=project)) == {"TS101", "AT103"}


def test_config_flag_overrides_discovery(project):
    (project / "checker.toml").write_text('ignore = ["AT"]\n', encoding="utf-8")
    other = project / "other.toml"
    other.write_text('select = ["TS"]\n', encoding="utf-8")
    assert codes(run_checker("--config", other, "copy", cwd=project)) == {"TS101"}


def test_command_line_overrides_the_file(project):
    (project / "checker.toml").write_text('select = ["TS"]\nfail-level = "error"\n', encoding="utf-8")
    assert run_checker("copy", cwd=project).returncode == 0  # TS101 is a warning, below the file's fail level
    result = run_checker("copy", "--select", "FS", "--fail-level", "warning", cwd=project)
    assert codes(result) == {"FS101"} and result.returncode == 1
    # --ignore and --extend-select add to the file's lists.
    (project / "checker.toml").write_text('ignore = ["TS"]\n', encoding="utf-8")
    assert codes(run_checker("copy", "--ignore", "AT", cwd=project)) == {"FS101"}


def test_every_setting_key_is_read(project):
    (project / "checker.toml").write_text(
        'select = ["TS", "FS"]\nignore = ["AT"]\nextend-select = ["AT104"]\nrules = ["house"]\ninclude = ["*.txt", "*.text"]\n'
        'exclude = ["drafts"]\nextend-exclude = ["*.old.txt"]\nrespect-gitignore = false\nforce-exclude = true\n'
        'fail-level = "error"\nlanguage = "en"\nmain-script = "Latin"\ntimezone = "Europe/Sofia"\ndate-order = "dmy"\n'
        'format = "jsonl"\n\n[per-file-ignores]\n"copy/*.txt" = ["TS101"]\n\n[rule.FS101]\nseverity = "error"\n',
        encoding="utf-8",
    )
    (project / "house").mkdir()
    shown = run_checker("--show-settings", "copy", cwd=project)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    for expected in (
        'select = ["TS", "FS"]',
        'ignore = ["AT"]',
        'extend-select = ["AT104"]',
        f'rules = ["{project / "house"}"]',
        'include = ["*.txt", "*.text"]',
        'exclude = ["drafts"]',
        'extend-exclude = ["*.old.txt"]',
        "respect-gitignore = false",
        "force-exclude = true",
        'per-file-ignores = { "copy/*.txt" = ["TS101"] }',
        'fail-level = "error"',
        'language = "en"',
        'main-script = "Latin"',
        'timezone = "Europe/Sofia"',
        'date-order = "dmy"',
        'format = "jsonl"',
        "[rule.FS101]",
        'severity = "error"',
        f"# configuration file: {project / 'checker.toml'}",
    ):
        assert expected in text, expected


def test_per_rule_override_changes_severity_and_kind_parameters(project):
    (project / "checker.toml").write_text('[rule.FS101]\nseverity = "error"\n', encoding="utf-8")
    result = run_checker("copy", "--fail-level", "error", "--format", "json", cwd=project)
    assert result.returncode == 1 and '"severity": "error"' in result.stdout
    story = project / "copy" / "para.txt"
    story.write_text("The new law will probably cost taxpayers $2bn a year. Officials met in Geneva on Monday, the ministry said.\n", encoding="utf-8")
    at101 = lambda: "AT101" in run_checker("copy/para.txt", "--select", "AT101", "--language", "en", "--no-cache", cwd=project).stdout  # noqa: E731
    (project / "checker.toml").write_text("[rule.AT101]\nthreshold = 0.01\n", encoding="utf-8")
    assert at101()  # every unattributed sentence scores above 0.01
    (project / "checker.toml").write_text('[rule.unattributed-statement]\nthreshold = 0.01\nscope = "paragraph"\n', encoding="utf-8")
    assert not at101()  # the paragraph's attribution covers it


def test_allow_lists_from_configuration(project):
    (project / "checker.toml").write_text('[rule.AT103]\nextend-allow = ["sources said"]\n', encoding="utf-8")
    assert codes(run_checker("copy", cwd=project)) == {"TS101", "FS101"}


@pytest.mark.parametrize(
    "content, message",
    [
        ('selct = ["TS"]\n', "checker.toml:1:1: unknown key 'selct'"),
        ('\nfail-level = "fatal"\n', "checker.toml:2:1: 'fail-level' must be one of 'info', 'warning', 'error', not 'fatal'"),
        ('select = "TS"\n', "checker.toml:1:1: 'select' must be a list of strings"),
        ("respect-gitignore = 1\n", "'respect-gitignore' must be true or false"),
        ('timezone = "Mars/Olympus"\n', "checker.toml: unknown time zone 'Mars/Olympus'"),
        ('format = "xml"\n', "'format' must be one of"),
        ("select = [\n", "checker.toml: not valid TOML"),
        ('[rule.ZZ999]\nseverity = "error"\n', "[rule.ZZ999]: no rule with that code or name"),
        ('[rule.FS101]\nseverity = "fatal"\n', "[rule.FS101]: 'severity' must be one of"),
        ('[rule.FS101]\ncolour = "red"\n', "[rule.FS101]: rule FS101: unknown setting 'colour'"),
        ('[per-file-ignores]\n"*.txt" = "TS101"\n', "'per-file-ignores' must be a table of glob = [codes]"),
    ],
)
def test_bad_configuration_is_a_one_line_error(project, content, message):
    (project / "checker.toml").write_text(content, encoding="utf-8")
    result = run_checker("copy", "--no-cache", cwd=project)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr


def test_missing_config_file_named_on_the_command_line(project):
    result = run_checker("--config", "nope.toml", "copy", cwd=project)
    assert result.returncode == 2 and "nope.toml: configuration file not found" in result.stderr


def test_rule_folders_are_relative_to_the_configuration_file(project):
    house = project / "house"
    house.mkdir()
    write_house_rule(house)
    (project / "copy" / "checker.toml").write_text('rules = ["../house"]\nselect = ["HS"]\n', encoding="utf-8")
    (project / "copy" / "kiev.txt").write_text("Then Kiev rejected it, the ministry said.\n", encoding="utf-8")
    assert codes(run_checker("kiev.txt", cwd=project / "copy")) == {"HS001"}


def test_per_file_ignores(project):
    (project / "copy" / "wire").mkdir()
    (project / "copy" / "wire" / "w.txt").write_text(BAD, encoding="utf-8")
    (project / "checker.toml").write_text('[per-file-ignores]\n"copy/wire/*" = ["TS101", "vague-source"]\n', encoding="utf-8")
    out = run_checker("copy", cwd=project).stdout
    assert "wire/w.txt:2:23: FS101" in out and "wire/w.txt:1:1: TS101" not in out and "wire/w.txt:2:36: AT103" not in out
    assert "copy/bad.txt:1:1: TS101" in out


def test_include_exclude_and_extend_exclude(project):
    copy = project / "copy"
    (copy / "story.text").write_text(BAD, encoding="utf-8")
    (copy / "drafts").mkdir()
    (copy / "drafts" / "d.txt").write_text(BAD, encoding="utf-8")
    (copy / "a.old.txt").write_text(BAD, encoding="utf-8")
    (project / "checker.toml").write_text('include = ["*.txt", "*.text"]\nextend-exclude = ["drafts", "*.old.txt"]\n', encoding="utf-8")
    out = run_checker("copy", cwd=project).stdout
    assert "story.text:1:1" in out and "copy/bad.txt:1:1" in out
    assert "drafts" not in out and "a.old.txt" not in out
    # A file named on the command line is checked anyway, unless --force-exclude.
    assert "a.old.txt:1:1" in run_checker("copy/a.old.txt", cwd=project).stdout
    forced = run_checker("--force-exclude", "copy/a.old.txt", "copy/bad.txt", cwd=project)
    assert "a.old.txt" not in forced.stdout and "copy/bad.txt:1:1" in forced.stdout
    # `exclude` replaces the defaults: node_modules is skipped by default only.
    (copy / "node_modules").mkdir()
    (copy / "node_modules" / "n.txt").write_text(BAD, encoding="utf-8")
    assert "node_modules" not in run_checker("copy", cwd=project).stdout
    (project / "checker.toml").write_text('exclude = []\n', encoding="utf-8")
    assert "node_modules/n.txt:1:1" in run_checker("copy", cwd=project).stdout


def test_respect_gitignore(project):
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".gitignore").write_text("copy/ignored.txt\n", encoding="utf-8")
    (project / "copy" / "ignored.txt").write_text(BAD, encoding="utf-8")
    out = run_checker("copy", cwd=project).stdout
    assert "copy/bad.txt:1:1" in out and "ignored.txt" not in out
    (project / "checker.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    assert "ignored.txt:1:1" in run_checker("copy", cwd=project).stdout


def test_git_is_asked_only_inside_a_work_tree(tmp_path, monkeypatch):
    """Outside a work tree git is not started (a process saved on every run over an archive)."""
    from checker.discover import _maybe_in_git_work_tree

    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    any_git_above = any((parent / ".git").exists() for parent in [folder, *folder.parents])
    assert _maybe_in_git_work_tree(folder) == any_git_above
    (tmp_path / "a" / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a linked work tree's .git is a file
    assert _maybe_in_git_work_tree(folder)
    (tmp_path / "a" / ".git").unlink()
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "repo.git"))
    assert _maybe_in_git_work_tree(folder)


def test_stdin_filename_matches_configuration(project):
    (project / "checker.toml").write_text('[per-file-ignores]\n"copy/*" = ["TS"]\n', encoding="utf-8")
    result = run_checker("--stdin-filename", "copy/piped.txt", "-", input=BAD, cwd=project)
    assert "copy/piped.txt:2:23: FS101" in result.stdout and "TS101" not in result.stdout


@pytest.mark.parametrize(
    "excludes",
    [[], ["drafts"], ["*.old.txt", "node_modules"], ["archive/2019/*"], ["copy/a.txt", "./copy/sub"], ["copy"], ["a*"]],
)
def test_the_walk_leaves_out_what_is_excluded_exactly_as_is_excluded_tells(tmp_path, excludes):
    """The walk tests a folder's names at once; each file is left out when, and only
    when, is_excluded (the test for one path) says so of it or of a folder above it."""
    from checker.config import Settings
    from checker.discover import _walk, is_excluded
    from checker.profiles import Profile

    for relative in (
        "copy/a.txt", "copy/b.old.txt", "copy/sub/c.txt", "copy/drafts/d.txt", "archive/2019/e.txt",
        "archive/2019/deeper/f.txt", "archive/2020/g.txt", "drafts/h.txt", "top.txt", "copy/sub/a1.md", "notes.rst",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x", encoding="utf-8")
    root = str(tmp_path)

    class OneConfiguration:  # every folder's files judged by the same settings
        profile = Profile(Settings(include=["*.txt", "*.md"], exclude=excludes, root=root), [], [])

        def for_folder(self, folder):
            return self.profile

    found = [path for path, _, _ in _walk(root, OneConfiguration())]
    expected = []
    for path in sorted(str(p) for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".txt", ".md")):
        parts = os.path.relpath(path, root).split(os.sep)
        folders = [os.path.join(root, *parts[:i]) for i in range(1, len(parts))]
        if not any(is_excluded(p, excludes, root) for p in [*folders, path]):
            expected.append(path)
    assert found == expected
    assert excludes or len(found) == 10
