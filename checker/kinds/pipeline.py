"""`pipeline`: rules whose findings the pipeline itself reports, not a check of a document.

An unreadable file (CK001), a suppression comment that suppresses nothing
(CK002) or is never closed (CK003), and a rule abandoned past its time bound
(CK004) are not found by reading a document's text: the step of the pipeline
that meets them reports them. The rule file carries the code, severity,
message and documentation, as every rule does, and `reported_by` names the
function that makes the finding, so "where does CK002 come from?" has a
one-hop answer. The name is checked when the rule loads.
"""

import importlib

from checker.errors import RuleError

PARAMETERS = {
    "reported_by": {"type": "str", "required": True, "doc": "The function that reports the rule's findings, as module.function (checker.suppress.unused_suppressions)."},
}

CHECKS = {}  # no per-document check: the pipeline calls the function named by reported_by


def prepare(rule):
    module_name, _, function_name = rule.params["reported_by"].rpartition(".")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError, ValueError):
        function = None
    if not callable(function):
        raise RuleError(rule.path, f"reported_by: {rule.params['reported_by']!r} is not a function of the checker")
    rule.prepared = None
