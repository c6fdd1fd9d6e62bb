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


class Pattern:
    """A compiled pattern and what its parse tells, worked out once: the characters
    its matches start with, and the strings one of which every match holds.

    The layer's speed tricks live here, so that a kind writes what it means
    (`finditer`, `might_match`, `covers`) and stays domain logic:

    - `finditer` jumps to the characters a match can start with before trying
      the pattern. Python's `re` skips ahead by itself only when a pattern
      starts with a literal or one set; an alternation of groups is tried at
      every position.
    - `might_match` says no, cheaply, for a window that holds none of the
      required literals (Vale's MightMatch).
    """

    # Up to this many required strings are looked for one by one with `in`: a
    # search for their alternation tests every character against the class of
    # their first characters, which costs more for a short list.
    FEW_LITERALS = 16

    def __init__(self, regex):
        from checker.matching.parse import (  # lazy: start-up
            ascii_exact_class,
            max_width,
            required_literals,
            start_class,
        )

        self.regex = regex
        first = start_class(regex.pattern, regex.flags)
        # the ASCII characters a match starts with, and every non-ASCII one (fast to
        # search for; each candidate is confirmed by the pattern itself)
        self.starts = re.compile(ascii_exact_class(first, regex.flags)) if first else None
        self.width = max_width(regex.pattern, regex.flags)  # None: unbounded
        self._literals = _RequiredLiterals.of(regex, required_literals(regex.pattern, regex.flags))

    # the pattern's own API, for callers that need no trick
    def match(self, text, pos=0, endpos=None):
        return self.regex.match(text, pos, len(text) if endpos is None else endpos)

    def search(self, text, pos=0, endpos=None):
        return self.regex.search(text, pos, len(text) if endpos is None else endpos)

    def finditer(self, text, start=0, end=None):
        """The matches `re.finditer(text, start, end)` gives, found by trying the
        pattern only where a match can start."""
        end = len(text) if end is None else end
        if self.starts is None:
            yield from self.regex.finditer(text, start, end)
            return
        position = start
        while True:
            candidate = self.starts.search(text, position, end)
            if candidate is None:
                return
            at = candidate.start()
            found = self.regex.match(text, at, end)
            if found is None:
                position = at + 1
            elif found.end() > at:
                yield found
                position = found.end()
            else:  # an empty match (start_class rules these out): finditer knows its rules
                yield from (m for m in self.regex.finditer(text, at, end) if m.start() >= at)
                return

    def might_match(self, text, lower, start, end):
        """False only when no match can lie in text[start:end]: the window holds
        none of the strings every match holds. `lower` is text lowercased with the
        same offsets (for a pattern that ignores case)."""
        return self._literals is None or self._literals.in_window(text, lower, start, end)


    def covers(self, text, lower, position, reach, ends):
        """Does a match that starts at a word start at most `reach` characters before
        `position` (the first word counts even where the window cuts it) end after
        `position`? `ends` memoises {word offset: its match's end, or -1} across the
        calls on one text, whose windows overlap."""
        first = max(0, position - reach)
        # a match spans at most `width` characters: one starting further back ends before position
        window_end = len(text) if self.width is None else position + self.width
        if not self.might_match(text, lower, first, window_end):
            return False
        narrower = reach if self.width is None else min(reach, self.width - 1)
        if position - narrower > first:  # only whole words start in the narrower window
            words = _WORD_START.finditer(text, position - narrower, position + 1)
        else:  # the first run of word characters counts, even cut by the window
            words = _WORD.finditer(text, first, position + 1)
        for word in words:
            offset = word.start()
            end = ends.get(offset)
            if end is None:
                found = self.regex.match(text, offset)
                end = ends[offset] = found.end() if found else -1
            if end > position:
                return True
        return False


_WORD = re.compile(r"\w+")
_WORD_START = re.compile(r"(?<!\w)\w")


class _RequiredLiterals:
    """Strings one of which every match holds, looked for in a window."""

    def __init__(self, literals, folded):
        literals = sorted(literals, key=len, reverse=True)
        self.literals = tuple(literals) if len(literals) <= Pattern.FEW_LITERALS else None
        self.regex = None if self.literals else re.compile("|".join(map(re.escape, literals)))
        # A pattern that ignores case is looked for in lowercase in the folded
        # text: exact where the window is ASCII (Unicode case folding has
        # exceptions, such as "ſ" for "s"), so other windows are always tried.
        self.folded = folded

    @classmethod
    def of(cls, regex, literals):
        if not literals:
            return None
        if not regex.flags & re.IGNORECASE:
            return cls(literals, folded=False)
        if not all(s.isascii() for s in literals):
            return None
        return cls({s.lower() for s in literals}, folded=True)

    def in_window(self, text, lower, start, end):
        if self.folded:
            if not text.isascii() and not text[start:end].isascii():
                return True
            text = lower
        if self.literals is None:
            return self.regex.search(text, start, end) is not None
        window = text[start:end]
        return any(literal in window for literal in self.literals)


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
