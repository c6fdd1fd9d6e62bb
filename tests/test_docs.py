"""The engineers' docs stay true: docs/architecture.md points at each rule's code."""

import re

from conftest import ROOT

from checker.rules import builtin_rules_dir, load_rules, where_it_lives


def test_architecture_table_names_every_rules_file_and_function():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([A-Z]{2}[0-9]{3}) \| (.+?) \|$", text, re.M))
    rules = load_rules([builtin_rules_dir()])
    assert set(rows) == {rule.code for rule in rules}
    for rule in rules:
        rule_file, code = [cell.strip().strip("`") for cell in rows[rule.code].split(" | ")]
        assert rule_file == "rules/" + rule.path.split("/rules/", 1)[1]
        expected = where_it_lives(rule)
        assert code.replace("`", "") == expected, (rule.code, code, expected)


def test_every_module_of_the_package_is_in_the_architecture():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for path in (ROOT / "checker").rglob("*.py"):
        name = path.name
        if name in ("__init__.py", "__main__.py"):
            continue
        assert f"`{name}`" in text or f"`{path.parent.name}/`" in text or f"/{name}" in text, name
