"""`pattern`: regular expressions (Python `re` syntax) or tokens that must not occur.

Vale's `existence`: every match is a finding unless an exception matches it.
"""

import re

from checker.errors import RuleError

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


def _where(values, index):
    """(line, column) of a list item in its rule file, when the list came from YAML."""
    where = getattr(values, "where", None)
    return where(index) if where else (None, None)


def checked_regex(rule, values, index, flags, what="regular expression"):
    """Compile values[index], refusing invalid and catastrophic patterns with path:line:col."""
    from checker.regex_safety import catastrophic_reason

    source = values[index]
    try:
        compiled = re.compile(source, flags)
        reason = catastrophic_reason(source, flags)
    except (re.error, OverflowError, RecursionError) as exc:
        raise RuleError(rule.path, f"invalid {what} {source!r}: {exc}"[:300], *_where(values, index)) from None
    if reason:
        raise RuleError(
            rule.path,
            f"{what} {source!r} can take exponential time: {reason}; make the repeated parts "
            "distinct, or use an atomic group (?>...) or a possessive quantifier (a++)"[:400],
            *_where(values, index),
        )
    return compiled


def compile_alternatives(rule, patterns, tokens, ignorecase):
    flags = re.IGNORECASE if ignorecase else 0
    parts = [f"(?:{p})" for p in patterns]
    parts += [r"(?<!\w)" + re.escape(t) + r"(?!\w)" for t in sorted(tokens, key=len, reverse=True)]
    if not parts:
        raise RuleError(rule.path, "a pattern rule needs 'patterns' or 'tokens'")
    for index in range(len(patterns)):
        checked_regex(rule, patterns, index, flags)
    try:
        return re.compile("|".join(parts), flags)
    except (re.error, OverflowError, RecursionError) as exc:
        # each pattern compiles alone: they clash together (a group name used twice, inline flags)
        raise RuleError(rule.path, f"the patterns cannot be combined: {exc}"[:300], *_where(patterns, 0)) from None


def prepare(rule):
    p = rule.params
    regex = compile_alternatives(rule, p["patterns"], p["tokens"], p["ignorecase"])
    if p["group"] > regex.groups or p["group"] < 0:
        raise RuleError(rule.path, f"'group' is {p['group']} but the patterns have {regex.groups} groups")
    flags = re.IGNORECASE if p["ignorecase"] else 0
    exceptions = [checked_regex(rule, p["exceptions"], i, flags, "exception") for i in range(len(p["exceptions"]))]
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
