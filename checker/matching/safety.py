"""Refuse regular expressions that can backtrack catastrophically, before they run.

Python's `re` has no time limit, so a user rule such as `(a+)+$` would hang
the run on a long line of `a`s. Rather than time matching out (which needs the
third-party `regex` module or a watchdog process, and makes findings depend on
machine speed), rule loading rejects the shapes that cause exponential or
high-polynomial backtracking:

- a repeated group whose body can match the empty string: `(a*)*`, `(a?)+`;
- a repeat nested in a repeat with nothing in the outer body that separates
  one round from the next: `(a+)+`, `(\\w+\\s?)+`, `(.*a){20}` (whereas
  `([A-Z][a-z]+ )+` and `(\\d{1,3}\\.){3}` are fine: the space and the dot
  are characters the inner repeat cannot take);
- alternatives that can start with the same character, or match the same
  text, inside a repeat: `(a|a)+`, `(x|xy|xyz)+` (Python's parser merges
  simple cases such as `(a|ab)+` and `(\\w|\\d)+` into safe forms first).

Atomic groups `(?>...)` and possessive quantifiers `a++` never backtrack and
are always accepted. The analysis is on the parsed pattern (re's parser, through
checker.matching.parse); character sets are compared over a sample
alphabet (Latin-1, Latin Extended, and a few letters, digits and spaces of
other scripts), which is exact for the classes rule authors write.
"""

import re

from checker.matching.parse import C, P

_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT}
_POSSESSIVE = {getattr(C, "POSSESSIVE_REPEAT", None)} - {None}
_ATOMIC = {getattr(C, "ATOMIC_GROUP", None)} - {None}
_SAMPLE = "".join(chr(c) for c in range(0x250)) + "ДдЖжΑαΩω中文٣۴\u0966\u00a0\u2003\u3000\u2019\u201c\u201d«»—€"


def _category_chars():
    tests = {
        "DIGIT": r"\d",
        "NOT_DIGIT": r"\D",
        "SPACE": r"\s",
        "NOT_SPACE": r"\S",
        "WORD": r"\w",
        "NOT_WORD": r"\W",
        "LINEBREAK": r"\n",
        "NOT_LINEBREAK": r"[^\n]",
    }
    table = {}
    for name, pattern in tests.items():
        chars = frozenset(c for c in _SAMPLE if re.fullmatch(pattern, c))
        for prefix in ("CATEGORY_", "CATEGORY_LOC_", "CATEGORY_UNI_"):
            opcode = getattr(C, prefix + name, None)
            if opcode is not None:
                table[opcode] = chars
    return table


_CATEGORIES = _category_chars()
_ALL = frozenset(_SAMPLE)


def catastrophic_reason(pattern, flags=0):
    """Why `pattern` can backtrack catastrophically, or None. Raises re.error if it does not parse."""
    tree = P.parse(pattern, flags)
    ignorecase = bool(tree.state.flags & re.IGNORECASE) if hasattr(tree, "state") else bool(flags & re.IGNORECASE)
    return _Analyser(ignorecase).walk(list(tree))


class _Analyser:
    def __init__(self, ignorecase):
        self.ignorecase = ignorecase

    # character sets over the sample alphabet
    def _fold(self, chars):
        if not self.ignorecase:
            return chars
        return frozenset(chars) | frozenset(c.lower() for c in chars) | frozenset(c.upper() for c in chars if len(c.upper()) == 1)

    def single(self, op, av):
        """Characters one single-character item can match, or None if it is not one."""
        if op is C.LITERAL:
            return self._fold({chr(av)})
        if op is C.NOT_LITERAL:
            return _ALL - self._fold({chr(av)})
        if op is C.ANY:
            return _ALL
        if op is C.IN:
            chars, negate = set(), False
            for item_op, item_av in av:
                if item_op is C.NEGATE:
                    negate = True
                elif item_op is C.LITERAL:
                    chars.add(chr(item_av))
                elif item_op is C.RANGE:
                    low, high = item_av
                    chars.update(c for c in _SAMPLE if low <= ord(c) <= high)
                elif item_op is C.CATEGORY:
                    chars.update(_CATEGORIES.get(item_av, _ALL))
                else:  # unknown member: assume it can match anything
                    chars.update(_ALL)
            chars = self._fold(chars)
            return _ALL - chars if negate else frozenset(chars)
        return None

    def first(self, seq):
        """Characters that can start a match of the sequence (empty if it matches only empty text)."""
        result = set()
        for op, av in seq:
            chars = self.single(op, av)
            if chars is not None:
                return frozenset(result | chars)
            if op in _REPEATS or op in _POSSESSIVE:
                low, _high, body = av
                result |= self.first(body)
                if low > 0 and _min_width(body) > 0:
                    return frozenset(result)
            elif op is C.SUBPATTERN or op in _ATOMIC:
                body = av[-1] if op is C.SUBPATTERN else av
                result |= self.first(body)
                if _min_width(body) > 0:
                    return frozenset(result)
            elif op is C.BRANCH:
                alternatives = av[1]
                for alternative in alternatives:
                    result |= self.first(alternative)
                if all(_min_width(a) > 0 for a in alternatives):
                    return frozenset(result)
            elif op in (C.GROUPREF, getattr(C, "GROUPREF_IGNORE", None)):
                return frozenset(result | _ALL)
            # assertions and anchors take no character: look further
        return frozenset(result)

    def every(self, seq):
        """Every character any part of the sequence can match."""
        result = set()
        for op, av in seq:
            chars = self.single(op, av)
            if chars is not None:
                result |= chars
            elif op in _REPEATS or op in _POSSESSIVE:
                result |= self.every(av[2])
            elif op is C.SUBPATTERN:
                result |= self.every(av[-1])
            elif op in _ATOMIC:
                result |= self.every(av)
            elif op is C.BRANCH:
                for alternative in av[1]:
                    result |= self.every(alternative)
            elif op in (C.GROUPREF, getattr(C, "GROUPREF_IGNORE", None)):
                result |= _ALL
        return frozenset(result)

    # the walk
    def walk(self, seq):
        for op, av in seq:
            reason = None
            if op in _REPEATS:
                low, high, body = av
                body = list(body)
                if high > 1:
                    reason = self.repeated_body(body)
                reason = reason or self.walk(body)
            elif op in _POSSESSIVE:
                reason = self.walk(list(av[2]))
            elif op is C.SUBPATTERN:
                reason = self.walk(list(av[-1]))
            elif op in _ATOMIC:
                reason = self.walk(list(av))
            elif op is C.BRANCH:
                for alternative in av[1]:
                    reason = reason or self.walk(list(alternative))
            elif op in (C.ASSERT, C.ASSERT_NOT):
                reason = self.walk(list(av[1]))
            elif op is C.GROUPREF_EXISTS:
                for part in av[1:]:
                    if part is not None:
                        reason = reason or self.walk(list(part))
            if reason:
                return reason
        return None

    def repeated_body(self, body):
        """Why repeating `body` (more than once) backtracks badly, or None."""
        if _min_width(body) == 0:
            return "a repeated group can match empty text (as in (a*)*)"
        items = _unwrap(body)
        for index, (op, av) in enumerate(items):
            for inner in self._variable_repeats([(op, av)]):
                inner_chars = self.every(inner)
                separators = [
                    item
                    for other, item in enumerate(items)
                    if other != index and _min_width([item]) > 0 and not (self.first([item]) & inner_chars)
                ]
                if not separators:
                    return "a repeat inside a repeat with nothing that separates the rounds (as in (a+)+)"
        for branch in self._branches(items):
            alternatives = branch[1]
            if sum(1 for a in alternatives if _min_width(a) == 0) > 1:
                return "alternatives that match the same text inside a repeat (as in (a|a)+)"
            starts = [self.first(list(a)) for a in alternatives]
            for i in range(len(starts)):
                for j in range(i + 1, len(starts)):
                    if starts[i] & starts[j]:
                        return "alternatives that can start with the same character inside a repeat (as in (a|ab)+)"
        return None

    def _variable_repeats(self, seq):
        """Bodies of the variable-width repeats in seq (not inside atomic groups or possessive repeats)."""
        found = []
        for op, av in seq:
            if op in _REPEATS:
                low, high, body = av
                if low != high:
                    found.append(list(body))
                else:
                    found.extend(self._variable_repeats(body))
            elif op is C.SUBPATTERN:
                found.extend(self._variable_repeats(av[-1]))
            elif op is C.BRANCH:
                for alternative in av[1]:
                    found.extend(self._variable_repeats(alternative))
        return found

    def _branches(self, seq):
        found = []
        for op, av in seq:
            if op is C.BRANCH:
                found.append(av)
                for alternative in av[1]:
                    found.extend(self._branches(alternative))
            elif op is C.SUBPATTERN:
                found.extend(self._branches(av[-1]))
        return found


def _unwrap(body):
    """A body that is one capturing or non-capturing group: its contents."""
    while len(body) == 1 and body[0][0] is C.SUBPATTERN:
        body = list(body[0][1][-1])
    return body


def _min_width(seq):
    if not isinstance(seq, P.SubPattern):
        seq = P.SubPattern(P.State() if hasattr(P, "State") else P.Pattern(), list(seq))
    return seq.getwidth()[0]
