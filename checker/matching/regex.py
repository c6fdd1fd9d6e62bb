"""Compiling regular expressions that come from rule and data files."""

import re

from checker.errors import RuleError


def compile_rule_regex(source, flags=0, *, path, where=(None, None), what="regular expression"):
    """re.compile(source, flags) for a pattern from a rule or data file.

    Raises RuleError naming `path` (and `where`, a (line, column) pair) when the
    pattern does not parse, or when it can take exponential time on some input
    (checker.matching.safety). Every kind compiles rule-supplied patterns here,
    so a new kind gets the same protection without code of its own."""
    from checker.matching.safety import catastrophic_reason

    try:
        compiled = re.compile(source, flags)
        reason = catastrophic_reason(source, flags)
    except (re.error, OverflowError, RecursionError) as exc:
        raise RuleError(path, f"invalid {what} {source!r}: {exc}"[:300], *where) from None
    if reason:
        raise RuleError(
            path,
            f"{what} {source!r} can take exponential time: {reason}; make the repeated parts "
            "distinct, or use an atomic group (?>...) or a possessive quantifier (a++)"[:400],
            *where,
        )
    return compiled


def compile_rule_alternatives(sources, flags=0, *, path, where=lambda index: (None, None), what="regular expression", extra=()):
    """One regex matching any of `sources` (each checked alone first, so an error
    names the culprit), followed by the already-safe `extra` alternatives (escaped
    literals). None when there is nothing to match."""
    for index, source in enumerate(sources):
        compile_rule_regex(source, flags, path=path, where=where(index), what=what)
    parts = [f"(?:{source})" for source in sources] + list(extra)
    if not parts:
        return None
    try:
        return re.compile("|".join(parts), flags)
    except (re.error, OverflowError, RecursionError) as exc:
        # each compiles alone: they clash together (a group name used twice, inline flags)
        raise RuleError(path, f"the {what}s cannot be combined: {exc}"[:300], *where(0)) from None
