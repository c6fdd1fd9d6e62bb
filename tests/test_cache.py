"""The cache: same output warm as cold, invalidated by any rule-file or setting change,
never trusted when tampered with, and never a reason for a run to fail."""

import os
import pickle

import pytest
from conftest import ROOT, run_checker

STORY = "Headline\n\nThe president of the [САЩ] spoke on Monday.\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "clean.txt").write_text("Headline\n\nThe minister resigned, the ministry said.\n", encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "home-cache")}  # the signing key, away from the user's own
    return tmp_path, env


def run(project, *args):
    folder, env = project
    # short English copy: declared, not guessed at (checker.language)
    return run_checker("--cache-dir", folder / "cache", "--language", "en", *args, folder / "story.txt", folder / "clean.txt", env=env)


def test_warm_output_equals_cold_and_uncached(project):
    cold = run(project)
    assert (project[0] / "cache").is_dir()
    warm = run(project)
    uncached = run_checker("--no-cache", "--language", "en", project[0] / "story.txt", project[0] / "clean.txt")
    assert cold.stdout == warm.stdout == uncached.stdout
    assert cold.returncode == warm.returncode == uncached.returncode == 1
    assert "FS101" in warm.stdout


def test_warm_run_reads_findings_from_the_cache(project):
    run(project)
    results = next((project[0] / "cache").glob("results-*"))
    buckets = list(results.glob("*.json"))
    assert buckets
    # Plant a different message in the cached entry: the warm run must show it (it did not re-check).
    for bucket in buckets:
        text = bucket.read_text(encoding="utf-8")
        if "FS101" in text:
            bucket.write_text(text.replace("Cyrillic", "CACHED-Cyrillic"), encoding="utf-8")
    assert "CACHED-Cyrillic" in run(project).stdout


def test_changed_file_is_checked_again(project):
    run(project)
    (project[0] / "story.txt").write_text(STORY.replace("[САЩ]", "[ЕС]"), encoding="utf-8")
    assert '"ЕС"' in run(project).stdout


def test_setting_change_invalidates(project):
    first = run(project)
    other = run(project, "--select", "TX")
    assert "FS101" in first.stdout and "FS101" not in other.stdout
    assert len(list((project[0] / "cache").glob("results-*"))) == 2


def test_rule_file_change_invalidates(project, tmp_path):
    rules = tmp_path / "house"
    rules.mkdir()
    rule = rules / "rule.yaml"
    body = (
        "code: HS001\nname: house\nseverity: warning\nkind: pattern\ntokens: [{token}]\n"
        "message: 'House style: {{text}}'\ndescription: d\nexamples: {{bad: [{token}], good: [bar]}}\n"
    )
    rule.write_text(body.format(token="Monday"), encoding="utf-8")
    assert "HS001 House style: Monday" in run(project, "--rules", rules).stdout
    rule.write_text(body.format(token="president"), encoding="utf-8")
    second = run(project, "--rules", rules).stdout
    assert "HS001 House style: president" in second and "House style: Monday" not in second


def test_data_file_change_invalidates(project, tmp_path):
    """A glossary beside a rule is part of the rule set: editing it changes the findings."""
    family = tmp_path / "house" / "fs"
    (family / "data").mkdir(parents=True)
    glossary = family / "data" / "glossary.yaml"
    glossary.write_text("terms:\n  САЩ: United States\n", encoding="utf-8")
    (family / "r.yaml").write_text(
        "code: HS002\nname: house-glossary\nseverity: warning\nkind: script\nglossary: [data/glossary.yaml]\n"
        "message: 'fragment {text}{suggestion}'\ndescription: d\nexamples: {bad: ['The [САЩ] said so.'], good: [bar]}\n",
        encoding="utf-8",
    )
    first = run(project, "--rules", tmp_path / "house", "--select", "HS002")
    assert "United States" in first.stdout, first.stdout + first.stderr
    glossary.write_text("terms:\n  САЩ: the USA\n", encoding="utf-8")
    second = run(project, "--rules", tmp_path / "house", "--select", "HS002")
    assert "the USA" in second.stdout and "United States" not in second.stdout


def test_tampered_rule_pickle_is_not_loaded(project):
    """A pickle planted in a repository's cache folder must never run: it is signed with the user's key."""
    folder, env = project
    run(project)
    marker = folder / "pwned"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    for cached in (folder / "cache").glob("rules-*.pickle"):
        cached.write_bytes(b"\0" * 32 + pickle.dumps(Exploit()))
    result = run(project)
    assert not marker.exists()
    assert "FS101" in result.stdout and "Traceback" not in result.stderr


def test_corrupt_cache_files_are_ignored(project):
    run(project)
    for path in (project[0] / "cache").rglob("*"):
        if path.is_file() and path.suffix in (".json", ".pickle"):
            path.write_bytes(b"\xff{not json")
    result = run(project)
    assert result.returncode == 1 and "FS101" in result.stdout and "Traceback" not in result.stderr


def test_unwritable_cache_folder_does_not_fail_the_run(project):
    folder, env = project
    blocker = folder / "cache"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    result = run(project)
    assert result.returncode == 1 and "FS101" in result.stdout and result.stderr == ""


def test_no_cache_writes_nothing(project):
    folder, env = project
    run_checker("--no-cache", folder / "story.txt", cwd=folder, env=env)
    assert not (folder / ".checker_cache").exists()


def test_default_cache_folder_is_in_the_current_folder(project):
    folder, env = project
    run_checker(folder / "story.txt", cwd=folder, env=env)
    assert (folder / ".checker_cache" / "CACHEDIR.TAG").exists()


def test_warm_rule_set_does_not_import_yaml(project):
    """An unchanged rule set loads from its compiled form: PyYAML is never imported."""
    folder, env = project
    probe = (
        "import sys\n"
        "from checker.cli import main\n"  # the command itself leaves with os._exit, before any probe
        "main(['--cache-dir', sys.argv[1], sys.argv[2]])\n"
        "print('YAML-IMPORTED' if 'yaml' in sys.modules else 'YAML-NOT-IMPORTED', file=sys.stderr)\n"
        "print('JSONSCHEMA-IMPORTED' if 'jsonschema' in sys.modules else 'NO-JSONSCHEMA', file=sys.stderr)\n"
    )
    import subprocess
    import sys

    command = [sys.executable, "-c", probe, str(folder / "cache"), str(folder / "story.txt")]
    environment = {**os.environ, **env}
    cold = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment)
    warm = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment)
    assert "YAML-IMPORTED" in cold.stderr
    assert "YAML-NOT-IMPORTED" in warm.stderr and "NO-JSONSCHEMA" in warm.stderr
    assert cold.stdout == warm.stdout and "FS101" in warm.stdout
