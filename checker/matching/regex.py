"""Compiling regular expressions that come from rule and data files."""

import re

from checker.errors import RuleError


def compile_rule_regex(source, flags=0, *, path, where=(None, None), what="regular expression"):
    """re.compile(source, flags) for a pattern from a rule or data file.

    Raises RuleError naming `path` (and `where`, a (line, column) pair) when the
    pattern does not parse, or when it can take exponential time on some input
    (checker.matching.safety). Every kind compiles rule-supplied patterns here,
    so a new kind gets the same protection without code of its own."""
    from checker.matching.safety import catastrophic_reason  # lazy: start-up

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


class LazyRegex:
    """A regular expression compiled when first used: for patterns most documents
    never need (the timestamp forms: most copy has no timestamp), so that a run
    does not compile them before its first file."""

    __slots__ = ("_source", "_regex")

    def __init__(self, source):
        self._source, self._regex = source, None

    def __getattr__(self, name):  # match, search...: the compiled pattern's
        if name in LazyRegex.__slots__:  # unset (a copy made without __init__): no recursion
            raise AttributeError(name)
        if self._regex is None:
            self._regex = re.compile(self._source)
        return getattr(self._regex, name)


def matches_after(regex, text, openers, gap=2):
    """The matches of `regex` that start right after one of the `openers` (single
    characters), or after an opener and up to `gap` white-space characters, left to
    right and not overlapping. Each opener is found with `str.find`, so a text with
    few openers costs little whatever its length."""
    starts = set()
    for opener in openers:
        at = text.find(opener)
        while at >= 0:
            start = at + 1
            starts.add(start)
            for _ in range(gap):
                if start < len(text) and text[start].isspace():
                    start += 1
                    starts.add(start)
                else:
                    break
            at = text.find(opener, at + 1)
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        found = regex.match(text, start)
        if found is not None:
            end = found.end()
            yield found


def finds_every_match_after(names, openers):
    """Does matches_after find every match `finditer` would find after an opener, for a
    pattern of these literal names? Not where a name holds an opener after which another
    name may start (a match of the first hides the second from finditer), nor with `*`."""
    names = [" ".join(name.split()) for name in names]
    for name in names:
        if "*" in name:
            return False
        for index, char in enumerate(name):
            if char in openers:
                tail = name[index + 1 :].lstrip()
                if any(tail.startswith(other) or other.startswith(tail) for other in names):
                    return False
    return True
