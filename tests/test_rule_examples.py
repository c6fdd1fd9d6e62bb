"""Every rule file validates, and its own examples behave: bad flagged, good not."""

import json

import pytest

from checker.rules import builtin_rules_dir, load_rules, rule_files
from checker.schema_gen import SCHEMA_PATH, render
from checker.testing import check_rule_examples
from checker.yamlio import load_yaml_file

RULES = load_rules([builtin_rules_dir()])
DEFAULT = [r for r in RULES if r.enabled]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_examples(rule):
    assert check_rule_examples(rule, DEFAULT) == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_bad_and_good_examples(rule):
    assert rule.examples["bad"] and rule.examples["good"]


def test_schema_is_current():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render(), "run: python -m checker.schema_gen"


@pytest.mark.parametrize("path", rule_files(builtin_rules_dir()), ids=lambda p: p.name)
def test_rule_file_matches_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    jsonschema.validate(json.loads(json.dumps(load_yaml_file(path))), schema)


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def test_families_present():
    families = {r.code[:2] for r in RULES}
    assert {"AT", "FS", "TX", "TS", "CK"} <= families


def test_readme_lists_every_rule():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| {rule.code} | {rule.name} |" in readme, f"README rules table lacks {rule.code}"
