"""A malformed rule file is `path:line:col: message`, exit 2, never a traceback."""

import pytest

from conftest import run_checker

VALID = (
    "code: HS001\nname: house\nseverity: warning\nkind: pattern\ntokens: [foo]\n"
    "message: m\ndescription: d\nexamples: {bad: [foo], good: [bar]}\n"
)


@pytest.mark.parametrize(
    "content, expected",
    [
        ("code: [unclosed\n", ":2:1: "),
        (VALID.replace("severity: warning", "severity: loud"), ":3:1: 'severity' must be one of"),
        (VALID.replace("tokens: [foo]", "tokens: [foo]\ncolour: red"), ":6:1: unknown key 'colour'"),
        (VALID.replace("code: HS001", "code: hs1"), ":1:1: code 'hs1'"),
        (VALID.replace("kind: pattern", "kind: magic"), ":4:1: 'kind' must be one of"),
        (VALID.replace("tokens: [foo]", "patterns: ['(unclosed']"), "invalid regular expression"),
        (VALID.replace("message: m\n", ""), "missing required key 'message'"),
        (VALID + "code: HS002\n", ":9:1: duplicate key 'code'"),
        (VALID.replace("description: d", "description: !!python/object:os.system d"), ":7:14: tag"),
        (VALID.replace("tokens: [foo]", "tokens: foo"), ":5:1: 'tokens' must be a list of strings"),
    ],
)
def test_bad_rule_file(tmp_path, content, expected):
    (tmp_path / "rule.yaml").write_text(content, encoding="utf-8")
    result = run_checker("--rules", tmp_path, "--list-rules")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(tmp_path / "rule.yaml") in result.stderr
    assert expected in result.stderr


def test_duplicate_code_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID.replace("name: house", "name: other"), encoding="utf-8")
    result = run_checker("--rules", tmp_path, "--list-rules")
    assert result.returncode == 2 and "'HS001' is already defined" in result.stderr


def test_data_path_cannot_escape_rule_folder(tmp_path):
    rules = tmp_path / "rules" / "family"
    rules.mkdir(parents=True)
    (rules / "r.yaml").write_text(
        VALID.replace("kind: pattern\ntokens: [foo]", "kind: script\nglossary: [../../../etc/passwd]"), encoding="utf-8"
    )
    result = run_checker("--rules", tmp_path / "rules", "--list-rules")
    assert result.returncode == 2 and "must stay inside the rule folder" in result.stderr
