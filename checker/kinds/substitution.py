"""`substitution`: wrong → right forms (Vale's `substitution`); each finding carries a fix."""

import re

from checker.findings import Fix
from checker.kinds.pattern import scoped_ranges
from checker.matching import compile_rule_regex

PARAMETERS = {
    "swap": {"type": "map[str,str]", "required": True, "doc": "Wrong form → right form. Keys are literal unless `regex` is true."},
    "regex": {"type": "bool", "default": False, "doc": "Treat the keys of `swap` as regular expressions."},
    "ignorecase": {"type": "bool", "default": False, "doc": "Match without regard to case."},
    "fix": {"type": "enum", "values": ["safe", "unsafe", "none"], "default": "safe", "doc": "Whether the replacement is applied by --fix (safe), only with --unsafe-fixes, or never."},
    "scope": {"type": "enum", "values": ["text", "prose", "body"], "default": "prose", "doc": "As for `pattern`."},
}


def prepare(rule):
    p = rule.params
    flags = re.IGNORECASE if p["ignorecase"] else 0
    entries = []
    where = getattr(p["swap"], "where", lambda key: (None, None))
    for wrong, right in p["swap"].items():
        if p["regex"]:
            regex = compile_rule_regex(wrong, flags, path=rule.path, where=where(wrong), what="'swap' regular expression")
        else:
            regex = re.compile(r"(?<!\w)" + re.escape(wrong) + r"(?!\w)", flags)
        entries.append((regex, right))
    rule.prepared = entries


def check(doc, rule, settings):
    fix_mode = rule.params["fix"]
    ranges, text = scoped_ranges(doc, rule.params["scope"])
    for start, end in ranges:
        for regex, right in rule.prepared:
            for match in regex.finditer(text, start, end):
                s, e = match.span()
                if e <= s:
                    continue
                replacement = match.expand(right) if rule.params["regex"] else right
                fix = None if fix_mode == "none" else Fix(s, e, replacement, safe=fix_mode == "safe")
                yield rule.finding(doc, s, e, fix=fix, suggestion=replacement)


CHECKS = {"substitution": check}  # the kind does one thing: a rule needs no `check:`
