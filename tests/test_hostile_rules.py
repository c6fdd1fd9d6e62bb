"""Rule files are data, not code: hostile or broken ones end in one line naming the file, exit 2.

(tests/test_rule_errors.py has the basic malformed cases; these are the hostile ones.)
"""

import os
import re

import pytest
from conftest import run_checker

VALID = (
    "code: HS001\nname: house\nseverity: warning\nkind: pattern\ntokens: [foo]\n"
    "message: m\ndescription: d\nexamples: {bad: [foo], good: [bar]}\n"
)
LOCATED = re.compile(r":\d+:\d+: ")


def run_rules(folder, *args):
    return run_checker("--no-cache", "--rules", folder, *(args or ("--list-rules",)))


def assert_one_line_error(result, path, expected, located=True):
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert expected in lines[0]
    if located:
        assert LOCATED.search(lines[0].split(str(path), 1)[1]), lines[0]


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/object:os.system d",
        "!!python/object/apply:os.system ['touch pwned']",
        "!!python/object/new:os.system ['touch pwned']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!custom d",
        "!<tag:example.com,2024:thing> d",
    ],
)
def test_tags_other_than_plain_data_are_rejected(tmp_path, tagged):
    path = tmp_path / "rule.yaml"
    path.write_text(VALID.replace("description: d", f"description: {tagged}"), encoding="utf-8")
    result = run_rules(tmp_path)
    assert_one_line_error(result, path, "is not allowed")
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned")


def test_binary_tag_is_data_and_fails_validation(tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text(VALID.replace("description: d", "description: !!binary aGVsbG8="), encoding="utf-8")
    assert_one_line_error(run_rules(tmp_path), path, "'description' must be a string")


@pytest.mark.parametrize(
    "content, expected",
    [
        (VALID.replace("severity: warning", "severity: 3"), "'severity' must be one of"),
        (VALID.replace("tokens: [foo]", "tokens: [foo, 3]"), "'tokens' must be a list of strings"),
        (VALID.replace("tokens: [foo]", "tokens: [foo]\nignorecase: yes please"), "'ignorecase' must be true or false"),
        (VALID.replace("tokens: [foo]", "tokens: [foo]\ngroup: one"), "'group' must be a whole number"),
        (VALID.replace("message: m", "message: [m]"), "'message' must be a string"),
        (VALID.replace("examples: {bad: [foo], good: [bar]}", "examples: [foo]"), "'examples' must be"),
        (VALID.replace("examples: {bad: [foo], good: [bar]}", "examples: {bad: [foo], good: [[bar]]}"), "examples.good[0]"),
        (VALID.replace("tokens: [foo]", "tokens: [foo]\n__class__: x"), "unknown key '__class__'"),
        (VALID.replace("tokens: [foo]", "tokens: [foo]\nprepared: x"), "unknown key 'prepared'"),
        (VALID.replace("kind: pattern", "kind: os.system"), "'kind' must be one of"),
        (VALID.replace("kind: pattern", "kind: ../../etc/passwd"), "'kind' must be one of"),
        (VALID.replace("code: HS001\n", ""), "missing required key 'code'"),
        (VALID.replace("kind: pattern\ntokens: [foo]\n", ""), "missing required key 'kind'"),
        (VALID.replace("message: m", "message: '{text.__class__.__mro__}'"), "must be a plain name"),
        (VALID.replace("message: m", "message: '{text[0]}'"), "must be a plain name"),
        (VALID.replace("message: m", "message: '{text:>999999999}'"), "is not allowed"),
        (VALID.replace("message: m", "message: 'unclosed {text'"), "message template"),
        (VALID.replace("tokens: [foo]", "patterns: ['(?P<x>a)', '(?P<x>b)']"), "cannot be combined"),
        (VALID.replace("tokens: [foo]", "patterns: ['a', '(?i)b']"), "cannot be combined"),
        (VALID.replace("tokens: [foo]", "patterns: ['a{99999999999}']"), "invalid regular expression"),
        (VALID.replace("tokens: [foo]", "tokens: [foo]\nexceptions: ['[z-a]']"), "invalid exception"),
        ("- just\n- a list\n", "must be a mapping"),
        ("", "must be a mapping"),
        ("code: HS001\ncode: HS002\n", "duplicate key 'code'"),
        ("? [a, b]\n: c\n", "a mapping key must be a plain value"),
        ("a: &x [*x]\n", ""),  # a self-referencing alias: rejected as a rule, not a hang
        ("[" * 5000 + "]" * 5000 + "\n", ""),
    ],
)
def test_wrong_shapes_are_one_line_errors(tmp_path, content, expected):
    path = tmp_path / "rule.yaml"
    path.write_text(content, encoding="utf-8")
    result = run_rules(tmp_path)
    assert_one_line_error(result, path, expected, located=bool(expected) and "cannot be combined" not in expected)


def test_not_utf8_rule_file(tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_bytes(VALID.encode("utf-8").replace(b"description: d", b"description: \xff\xfe"))
    assert_one_line_error(run_rules(tmp_path), path, "not UTF-8", located=False)


def test_billion_laughs_does_not_expand(tmp_path):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "rule.yaml"
    path.write_text("\n".join(lines) + "\n" + VALID, encoding="utf-8")
    result = run_rules(tmp_path)
    assert_one_line_error(result, path, "unknown key 'a0'")


def test_duplicate_code_in_two_folders(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "rule.yaml").write_text(VALID.replace("name: house", f"name: house-{name}"), encoding="utf-8")
    result = run_checker("--no-cache", "--rules", tmp_path / "one", "--rules", tmp_path / "two", "--list-rules")
    assert_one_line_error(result, tmp_path / "two" / "rule.yaml", "'HS001' is already defined")


def test_duplicate_of_a_builtin_code(tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text(VALID.replace("code: HS001", "code: AT101"), encoding="utf-8")
    assert_one_line_error(run_rules(tmp_path), path, "'AT101' is already defined")


def test_data_path_through_a_symlink_cannot_escape(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("[САЩ]: US\n", encoding="utf-8")
    family = tmp_path / "rules" / "family"
    (family / "data").mkdir(parents=True)
    (family / "data" / "link.yaml").symlink_to(outside)
    path = family / "r.yaml"
    path.write_text(VALID.replace("kind: pattern\ntokens: [foo]", "kind: script\nglossary: [data/link.yaml]"), encoding="utf-8")
    result = run_rules(tmp_path / "rules")
    assert result.returncode == 2 and "must stay inside the rule folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_absolute_data_path_is_refused(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(VALID.replace("kind: pattern\ntokens: [foo]", "kind: script\nglossary: [/etc/hostname]"), encoding="utf-8")
    result = run_rules(tmp_path)
    assert result.returncode == 2 and "must stay inside the rule folder" in result.stderr


# --- catastrophic regular expressions -------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+$", r"(a*)*b", r"(a?)+$", r"(\w+\s?)+$", r"(.*a){20}", r"(?:a|a)+$", r"^(a+|b)+$", r"(x+x+)+y", r"((a+))+$"],
)
def test_catastrophic_pattern_is_refused_at_load(tmp_path, pattern):
    path = tmp_path / "rule.yaml"
    quoted = pattern.replace("'", "''")
    path.write_text(VALID.replace("tokens: [foo]", f"patterns:\n  - 'foo'\n  - '{quoted}'"), encoding="utf-8")
    result = run_rules(tmp_path)
    assert_one_line_error(result, path, "can take exponential time")
    assert ":7:5: " in result.stderr  # the pattern's own line and column in the rule file


@pytest.mark.parametrize("pattern", [r"([A-Z][a-z]+ )+said", r"(\d{1,3}\.){3}\d{1,3}", r"(?:ab)+c"])
def test_safe_nested_pattern_runs_over_a_long_line_of_as(tmp_path, pattern):
    rules = tmp_path / "rules"
    rules.mkdir()
    quoted = pattern.replace("'", "''")
    (rules / "rule.yaml").write_text(
        VALID.replace("tokens: [foo]", f"patterns: ['{quoted}']").replace("examples: {bad: [foo], good: [bar]}", "examples: {bad: [x], good: [y]}"),
        encoding="utf-8",
    )
    story = tmp_path / "story.txt"
    story.write_text("Headline\n\n" + "a" * 100_000 + "!\n", encoding="utf-8")
    # The bound is the subprocess timeout (a hang fails the test), not a timing assertion.
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "checker", "--no-cache", "--rules", rules, "--select", "HS001", story],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr


def test_analysis_accepts_every_builtin_pattern():
    """The guard must not refuse the shipped rules' own patterns (they all load)."""
    result = run_checker("--no-cache", "--list-rules")
    assert result.returncode == 0, result.stderr


SUBSTITUTION = (
    "code: HS002\nname: swap-rule\nseverity: warning\nkind: substitution\nregex: true\n"
    "swap:\n  'colou?r': colour\n  '(a+)+$': b\n"
    "message: m\ndescription: d\nexamples: {bad: [color], good: [tint]}\n"
)


def test_catastrophic_substitution_regex_is_refused_at_load(tmp_path):
    """`swap` keys with `regex: true` go through the same guard as `pattern` rules."""
    path = tmp_path / "rule.yaml"
    path.write_text(SUBSTITUTION, encoding="utf-8")
    result = run_rules(tmp_path)
    assert_one_line_error(result, path, "can take exponential time")
    assert ":8:3: " in result.stderr  # the key's own line and column


def test_literal_substitution_keys_are_not_analysed_as_regexes(tmp_path):
    path = tmp_path / "rule.yaml"
    path.write_text(SUBSTITUTION.replace("regex: true\n", ""), encoding="utf-8")
    assert run_rules(tmp_path).returncode == 0


@pytest.mark.parametrize(
    "kind_block",
    [
        # every kind that reads regular expressions from a rule or data file
        "kind: script\nskip: ['(a+)+$']\n",
        "kind: homoglyph\nlookalikes: {а: a}\nskip: ['(\\w+\\s?)+$']\n",
        "kind: attribution\ncheck: unattributed-statement\nlexicon: [{speech_verbs: [say], back_references: ['(a|a)+$']}]\n",
        "kind: attribution\ncheck: unattributed-statement\nlexicon: [{speech_verbs: [say], continues: ['(x+x+)+y']}]\n",
    ],
)
def test_every_kind_refuses_catastrophic_regexes(tmp_path, kind_block):
    path = tmp_path / "rule.yaml"
    path.write_text(VALID.replace("kind: pattern\ntokens: [foo]\n", kind_block), encoding="utf-8")
    assert_one_line_error(run_rules(tmp_path), path, "can take exponential time", located=False)


def test_slow_rule_is_abandoned_per_file_with_ck004(tmp_path):
    """A pattern the static check lets through (polynomial, not exponential) but that is
    hopeless on a long line: the rule is abandoned on that file only, CK004 names it,
    and the other rules and files are still checked."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.yaml").write_text(
        VALID.replace("tokens: [foo]", "patterns: ['a*a*a*a*a*b']").replace("examples: {bad: [foo], good: [bar]}", "examples: {bad: [ab], good: [c]}"),
        encoding="utf-8",
    )
    slow = tmp_path / "slow.txt"
    slow.write_text("Headline\n\nThe president of the [САЩ] spoke. " + "a" * 3000 + "!\n", encoding="utf-8")
    fine = tmp_path / "fine.txt"
    fine.write_text("Headline\n\nShe wrote ab on the page.\n", encoding="utf-8")
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "checker", "--no-cache", "--rules", rules, "--rule-timeout", "0.5", "--format", "json", slow, fine],
        capture_output=True, text=True, timeout=120,
    )
    import json

    findings = json.loads(result.stdout)
    by_file = {}
    for finding in findings:
        by_file.setdefault(finding["path"].rsplit("/", 1)[1], []).append(finding)
    timeouts = [f for f in by_file["slow.txt"] if f["code"] == "CK004"]
    assert len(timeouts) == 1 and "HS001" in timeouts[0]["message"] and "0.5 s" in timeouts[0]["message"]
    assert any(f["code"] == "FS101" for f in by_file["slow.txt"])  # the other rules ran on the slow file
    assert [f["code"] for f in by_file["fine.txt"]] == ["HS001"]  # and the slow rule on the other file
    assert "Traceback" not in result.stderr
