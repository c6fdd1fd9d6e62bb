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


def test_plain_strings_taken_from_their_nodes_equal_what_pyyaml_constructs(monkeypatch):
    """The loader's shortcut for plain strings gives what construct_object gives:
    quoted, tagged, anchored and aliased strings, beside numbers, booleans, nulls and nesting."""
    from checker import yamlio

    text = (
        "a: plain\nb: 'quoted: yes'\nc: !!str 5\nd: 5\ne: true\nf: ~\ng: &anchor shared\nh: *anchor\n"
        "i: [x, 'y', !!str 1.5, 2, null, [nested, {k: v}]]\nj: {m: [1, two], n: '2024-07-05 06:15:31'}\n"
        "'k': |\n  block\n  text\nl: 2024-07-05\n"
    )
    fast = yamlio.load_yaml(text, "x.yaml")
    monkeypatch.setattr(yamlio, "_construct", lambda loader, node: loader.construct_object(node, deep=True))
    slow = yamlio.load_yaml(text, "x.yaml")
    assert fast == slow
    assert fast["c"] == "5" and fast["d"] == 5 and fast["e"] is True and fast["f"] is None and fast["h"] == "shared"
    assert fast["i"][2] == "1.5" and fast["l"] == "2024-07-05" and fast.where("j") == slow.where("j") == (10, 1)
