"""Suppression: Markdown comments (each form, CK002, CK003) and baselines for plain text."""

import json

from conftest import run_checker

FIGURE = "The new law will probably cost taxpayers $2bn a year."  # AT101: a prediction with no source


def findings(tmp_path, text, *args, name="story.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    # every FIGURE is an AT101 whatever the model scores it: these tests are about suppression
    (tmp_path / "pyproject.toml").write_text("[tool.checker.rule.AT101]\nthreshold = 0.05\n", encoding="utf-8")
    result = run_checker("--select", "AT101,CK", "--language", "en", *args, path)
    assert "Traceback" not in result.stderr
    return [line.split(":", 1)[1] for line in result.stdout.splitlines()[:-1]]


def test_unsuppressed_finding_is_reported(tmp_path):
    assert [f.split()[1] for f in findings(tmp_path, FIGURE + "\n")] == ["AT101"]


def test_disable_next_line(tmp_path):
    text = f"<!-- checker-disable-next-line AT101 figure sourced in the lead -->\n{FIGURE}\n\n{FIGURE}\n"
    assert [f.split(" ", 2)[:2] for f in findings(tmp_path, text)] == [["4:1:", "AT101"]]


def test_disable_line(tmp_path):
    text = f"{FIGURE} <!-- checker-disable-line AT101 sourced above -->\n\n{FIGURE}\n"
    assert [f.split()[0] for f in findings(tmp_path, text)] == ["3:1:"]


def test_disable_enable_range(tmp_path):
    text = f"{FIGURE}\n\n<!-- checker-disable AT101 -->\n{FIGURE}\n\n{FIGURE}\n<!-- checker-enable AT101 -->\n\n{FIGURE}\n"
    assert [f.split()[0] for f in findings(tmp_path, text)] == ["1:1:", "9:1:"]


def test_disable_file(tmp_path):
    text = f"{FIGURE}\n\n<!-- checker-disable-file AT101 the desk signed it off -->\n\n{FIGURE}\n"
    assert findings(tmp_path, text) == []


def test_codes_are_required_and_other_codes_are_not_suppressed(tmp_path):
    text = f"<!-- checker-disable-next-line because I say so -->\n{FIGURE}\n"
    found = findings(tmp_path, text)
    assert [f.split()[1] for f in found] == ["CK002", "AT101"]
    assert "names no rule code" in found[0]
    other = f"<!-- checker-disable-next-line TX101 -->\n{FIGURE}\n"
    assert [f.split()[1] for f in findings(tmp_path, other, "--extend-select", "TX101")] == ["CK002", "AT101"]


def test_unused_suppression_is_reported(tmp_path):
    text = "<!-- checker-disable-next-line AT101 -->\nThe minister said the talks would go on.\n"
    assert findings(tmp_path, text) == ["1:1: CK002 Unused suppression: no AT101 finding on the next line; remove it"]


def test_suppression_of_a_rule_that_did_not_run_is_not_reported(tmp_path):
    text = "<!-- checker-disable-next-line TX102 -->\nThe minister said the talks would go on.\n"
    assert findings(tmp_path, text) == []  # TX102 is not selected in this run


def test_unterminated_range_is_reported_and_runs_to_the_end(tmp_path):
    text = f"<!-- checker-disable AT101 -->\n{FIGURE}\n\n{FIGURE}\n"
    found = findings(tmp_path, text)
    assert [f.split()[:2] for f in found] == [["1:1:", "CK003"]]


def test_directives_in_code_are_examples_not_directives(tmp_path):
    text = f"```\n<!-- checker-disable-file AT101 -->\n```\n\n{FIGURE}\n"
    assert [f.split()[1] for f in findings(tmp_path, text)] == ["AT101"]


def test_plain_text_has_no_comment_syntax(tmp_path):
    text = f"<!-- checker-disable-file AT101 -->\n\n{FIGURE}\n"
    assert "AT101" in " ".join(findings(tmp_path, text, name="story.txt"))


# --- baselines ---------------------------------------------------------------------------

ARTICLE = "2024-07-05 06:15:31\nThe president of the [САЩ] spoke, sources said. He said that the talks with the delegation would go on for the rest of the week.\n"


def test_baseline_round_trip_survives_edits_above(tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    story = copy / "story.txt"
    story.write_text(ARTICLE, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    written = run_checker("--language", "en", "--write-baseline", baseline, copy)
    assert written.returncode == 0 and "wrote 3 findings" in written.stderr
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert {(e["path"], e["code"]) for e in data["findings"]} == {("copy/story.txt", c) for c in ("TS101", "FS101", "AT103")}
    clean = run_checker("--language", "en", "--baseline", baseline, copy)
    assert clean.returncode == 0 and clean.stdout.startswith("All clear")
    # Lines added above move every finding; the baseline still matches (path, code, matched text).
    story.write_text("2024-07-05 06:15:31\nA new first paragraph.\n\n" + ARTICLE.split("\n", 1)[1], encoding="utf-8")
    assert run_checker("--language", "en", "--baseline", baseline, copy).returncode == 0
    # A new finding is reported; so is a second copy of a recorded one.
    story.write_text(ARTICLE + "Officials in [Киев] said so, sources said.\n", encoding="utf-8")
    out = run_checker("--language", "en", "--baseline", baseline, copy).stdout
    assert "story.txt:3:15: FS101" in out and "story.txt:3:30: AT103" in out
    assert "2:23: FS101" not in out and "TS101" not in out


def test_baseline_paths_do_not_depend_on_how_the_checker_was_called(tmp_path):
    (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
    run_checker("--write-baseline", tmp_path / "b.json", tmp_path)
    assert run_checker("--baseline", "b.json", "story.txt", cwd=tmp_path).returncode == 0


def test_bad_baseline_is_a_one_line_error(tmp_path):
    (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.json").write_text("[1, 2]", encoding="utf-8")
    for name in ("b.json", "missing.json"):
        result = run_checker("--baseline", tmp_path / name, tmp_path)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and name in result.stderr
