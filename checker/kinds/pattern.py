"""`pattern`: regular expressions (Python `re` syntax) or tokens that must not occur.

Vale's `existence`: every match is a finding unless an exception matches it.
"""

import re

from checker.errors import RuleError
from checker.matching import compile_rule_alternatives, compile_rule_regex

PARAMETERS = {
    "patterns": {"type": "list[str]", "default": [], "doc": "Regular expressions (Python re syntax); every match is reported."},
    "tokens": {"type": "list[str]", "default": [], "doc": "Words or phrases that must not occur (matched as whole words)."},
    "ignorecase": {"type": "bool", "default": False, "doc": "Match without regard to case."},
    "exceptions": {"type": "list[str]", "default": [], "doc": "Regular expressions: a match that fully matches one is not reported."},
    "scope": {
        "type": "enum",
        "values": ["text", "prose", "body"],
        "default": "prose",
        "doc": "text: the whole file; prose: without Markdown code, comments and link targets; body: prose paragraphs only (no header).",
    },
    "group": {"type": "int", "default": 0, "doc": "Which capture group is the reported span."},
}


def where_in_file(values):
    """index -> (line, column) of a list item in its rule file (None, None when not from YAML)."""
    where = getattr(values, "where", None)
    return (lambda index: where(index)) if where else (lambda index: (None, None))


def compile_alternatives(rule, patterns, tokens, ignorecase):
    flags = re.IGNORECASE if ignorecase else 0
    if not patterns and not tokens:
        raise RuleError(rule.path, "a pattern rule needs 'patterns' or 'tokens'")
    literal = [r"(?<!\w)" + re.escape(t) + r"(?!\w)" for t in sorted(tokens, key=len, reverse=True)]
    return compile_rule_alternatives(patterns, flags, path=rule.path, where=where_in_file(patterns), extra=literal)


def prepare(rule):
    p = rule.params
    regex = compile_alternatives(rule, p["patterns"], p["tokens"], p["ignorecase"])
    if p["group"] > regex.groups or p["group"] < 0:
        raise RuleError(rule.path, f"'group' is {p['group']} but the patterns have {regex.groups} groups")
    flags = re.IGNORECASE if p["ignorecase"] else 0
    where = where_in_file(p["exceptions"])
    exceptions = [
        compile_rule_regex(source, flags, path=rule.path, where=where(i), what="exception") for i, source in enumerate(p["exceptions"])
    ]
    rule.prepared = (regex, exceptions)


def scoped_ranges(doc, scope):
    if scope == "body":
        return doc.body_text_ranges, doc.prose
    if scope == "prose":
        return [(0, len(doc.prose))], doc.prose
    return [(0, len(doc.text))], doc.text


def check(doc, rule, settings):
    regex, exceptions = rule.prepared
    group = rule.params["group"]
    ranges, text = scoped_ranges(doc, rule.params["scope"])
    for start, end in ranges:
        for match in regex.finditer(text, start, end):
            s, e = match.span(group)
            if s < 0 or e <= s or any(x.fullmatch(match.group(0)) for x in exceptions):
                continue
            yield rule.finding(doc, s, e, **{k: v for k, v in match.groupdict().items() if v is not None})


CHECKS = {"pattern": check}  # the kind does one thing: a rule needs no `check:`
