"""The pre-commit hook, end to end: `pre-commit try-repo` this repository in a scratch git repo.

Runs against the committed HEAD (what a user's `rev:` would fetch), in a fresh
pre-commit home, so pre-commit builds the hook's environment from scratch
(about a minute; it needs the package index for PyYAML and friends).
"""

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT


def _pre_commit():
    executable = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    if executable is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]' installs it)")
    return executable


def test_hook_definition():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = {h["id"]: h for h in hooks}["checker"]
    assert hook["entry"] == "checker --force-exclude"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["plain-text", "markdown"]
    assert hook["require_serial"] is True
    formats = {h["id"]: h for h in hooks}["checker-formats"]  # opt-in: a repository's other JSON or XML is no news
    assert formats["entry"] == hook["entry"] and formats["require_serial"] is True
    pattern = re.compile(formats["files"])
    assert all(pattern.search(name) for name in ("a.json", "b.xml", "c.html", "d.jsonl", "e.ndjson", "f.csv", "g.tsv", "h.htm"))
    assert not any(pattern.search(name) for name in ("a.txt", "b.md", "c.py", "d.json.bak"))


def _documented_revision():
    """The `rev:` of the README's pre-commit snippet: a commit of this repository."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("```yaml\nrepos:", 1)[1].split("```", 1)[0]
    config = yaml.safe_load("repos:" + snippet)
    return config["repos"][0]["rev"], re


def _git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def test_documented_revision_is_a_commit_of_this_repository_that_installs():
    """The README and both CI templates pin a commit SHA, not a tag a clone may lack; the
    commit exists here, and its package has the distribution name the docs install."""
    rev, re = _documented_revision()
    assert re.fullmatch(r"[0-9a-f]{40}", rev), rev
    if _git("rev-parse", "HEAD").returncode != 0:
        pytest.skip("this checkout is not a git repository")
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        pytest.skip("a shallow clone may not hold the documented commit")
    assert _git("cat-file", "-e", f"{rev}^{{commit}}").returncode == 0, f"{rev} is not a commit here"
    pyproject = _git("show", f"{rev}:pyproject.toml").stdout
    assert 'name = "news-provenance-checker"' in pyproject
    assert _git("show", f"{rev}:.pre-commit-hooks.yaml").stdout == (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for name in ("github-actions-checker.yml", "gitlab-ci-checker.yml"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert f'"news-provenance-checker @ git+https://github.com/OWNER/checker@{rev}"' in text, name


@pytest.mark.slow
def test_try_repo_blocks_the_bad_file_and_passes_the_good_one(tmp_path):
    """The documented snippet's commit, through `pre-commit try-repo`, as a user's config would fetch it."""
    pre_commit = _pre_commit()
    if _git("rev-parse", "HEAD").returncode != 0:
        pytest.skip("this checkout is not a git repository")
    rev, _re = _documented_revision()
    if _git("cat-file", "-e", f"{rev}^{{commit}}").returncode != 0:
        pytest.skip(f"the documented commit {rev} is not in this clone (shallow?)")
    scratch = tmp_path / "newsroom"
    scratch.mkdir()
    git = lambda *args: subprocess.run(["git", *args], cwd=scratch, check=True, capture_output=True)
    git("init", "-q")
    (scratch / "bad.txt").write_text("2024-07-05 06:15:31\nThe president of the [САЩ] spoke, sources said.\n", encoding="utf-8")
    (scratch / "good.md").write_text("The minister said the talks would go on.\n", encoding="utf-8")
    (scratch / "notes.csv").write_text("not,news,copy\n", encoding="utf-8")
    git("add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def try_repo(*files, hook="checker"):
        return subprocess.run(
            [pre_commit, "try-repo", str(ROOT), hook, "--ref", rev, "--files", *files],
            cwd=scratch,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    blocked = try_repo("bad.txt", "good.md", "notes.csv")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "bad.txt:2:23: FS101" in blocked.stdout and "bad.txt:1:1: TS101" in blocked.stdout
    assert "good.md:" not in blocked.stdout and "notes.csv" not in blocked.stdout
    passed = try_repo("good.md", "notes.csv")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
    # the opt-in hook reads an archive: the finding is at its line and column in the file as stored
    (scratch / "wire.jsonl").write_text('{"id": "a1", "body": "The president of the [САЩ] spoke."}\n', encoding="utf-8")
    git("add", ".")
    archive = try_repo("wire.jsonl", "bad.txt", hook="checker-formats")
    assert archive.returncode == 1 and "wire.jsonl:1:45: FS101 [record a1]" in archive.stdout, archive.stdout + archive.stderr
    assert "bad.txt" not in archive.stdout


# --- the CI examples in docs/ -------------------------------------------------------


def _commands(steps):
    return " ".join(str(step.get("run", "")) for step in steps)


def test_github_actions_workflow_is_valid_and_gates_and_uploads_sarif():
    workflow = yaml.safe_load((ROOT / "docs" / "github-actions-checker.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    steps = workflow["jobs"]["checker"]["steps"]
    assert all(("uses" in step) != ("run" in step) for step in steps)
    commands = _commands(steps)
    assert "--format sarif --output-file checker.sarif" in commands and "--format github" in commands
    upload = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["with"]["sarif_file"] == "checker.sarif"
    gate = steps[-1]
    assert "exit 1" in gate["run"] and "steps.check.outcome" in gate["if"]


def test_gitlab_snippet_is_valid_and_produces_a_code_quality_report():
    config = yaml.safe_load((ROOT / "docs" / "gitlab-ci-checker.yml").read_text(encoding="utf-8"))
    job = config["checker"]
    script = " ".join(job["script"])
    report = job["artifacts"]["reports"]["codequality"]
    assert f"--format gitlab --exit-zero --output-file {report}" in script
    assert job["artifacts"]["when"] == "always"
    assert job["script"][-1] == "checker ."  # the gate


def test_documented_commands_use_real_options():
    """Every option the CI examples pass is one the checker accepts."""
    import re

    from checker.cli import build_parser

    known = {option for action in build_parser()._actions for option in action.option_strings}
    used = set()
    for name in ("github-actions-checker.yml", "gitlab-ci-checker.yml"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        for line in re.findall(r"\bchecker (--[^\n]*)", text):
            for option in re.findall(r"(?<!\S)(--[a-z-]+)", line):
                assert option in known, f"{name}: unknown option {option}"
                used.add(option)
    assert {"--format", "--exit-zero", "--output-file"} <= used
