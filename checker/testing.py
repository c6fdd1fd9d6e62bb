"""Run a rule's own examples (semgrep-style): every bad one is flagged, no good one is.

Used by the test suite and by `checker --test-rules` for people writing rules.
"""

from checker.config import Settings
from checker.fix import apply_fixes
from checker.pipeline import check_bytes
from checker.rules import kind_module, parse_rule


def example_fields(example):
    return example if isinstance(example, dict) else {"text": example}


def run_example(rule, rules, example):
    """Findings of `rule` on one example, and the example's text after its safe fixes."""
    fields = example_fields(example)
    values = {k.replace("-", "_"): v for k, v in (fields.get("settings") or {}).items()}
    if rule.languages and "language" not in values:
        values["language"] = rule.languages[0]  # an example is in the rule's language: short texts are not guessed at
    settings = Settings(**values).validate()
    text = fields["text"]
    data = text.encode(fields.get("encoding", "utf-8"))
    path = fields.get("path") or ("example.md" if fields.get("markdown") else "example.txt")
    active = rules if rule in rules else [*rules, rule]
    if fields.get("with-rule") is not None:  # a helper rule the example needs (CK004: a slow one)
        active = [*active, _helper_rule(rule, fields["with-rule"])]
    result = check_bytes(data, path, active, settings)
    own = [f for f in result.findings if f.code == rule.code]
    fixed = None
    if result.source is not None:
        fixed, _ = apply_fixes(result.source.text, [f.fix for f in own if f.fix and f.fix.safe])
    return own, fixed


def _helper_rule(rule, data):

    helper = parse_rule(data, rule.path)
    kind_module(helper.kind).prepare(helper)
    return helper


def check_rule_examples(rule, rules):
    """A list of failure messages (empty when every example behaves)."""
    failures = []
    for group in ("bad", "good"):
        for index, example in enumerate(rule.examples[group]):
            fields = example_fields(example)
            own, fixed = run_example(rule, rules, example)
            label = f"{rule.path}: {rule.code} examples.{group}[{index}] {fields['text'][:50]!r}"
            if group == "bad" and not own:
                failures.append(f"{label}: expected a {rule.code} finding, got none")
            if group == "good" and own:
                failures.append(f"{label}: expected no {rule.code} finding, got: {own[0].message}")
            if "count" in fields and len(own) != fields["count"]:
                failures.append(f"{label}: expected {fields['count']} findings, got {len(own)}")
            if "fixed" in fields and fixed != fields["fixed"]:
                failures.append(f"{label}: after fixes expected {fields['fixed']!r}, got {fixed!r}")
    return failures
