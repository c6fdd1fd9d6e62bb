"""What a regular expression's parse tells: the characters its matches can
start with, how long a match can be, and literal text every match holds.

This module is the one place outside the engine that reads `re`'s private
parser (`re._parser`, `sre_parse` before Python 3.11); checker.matching.safety
and checker.matching.pickling take it from here.

Python's `re` skips ahead fast only when a pattern starts with a literal or a
single character set; an alternation of groups (`(?:[$£]\\d)|(?:\\d+%)`) is tried
at every position. `start_class` gives a character class that every match
starts with, so that a caller can first ask "is any such character here?" (one
fast search) and skip the costly pattern where the answer is no;
`ascii_exact_class` makes that search cheaper still.

`required_literals` serves the same end for a pattern tried at many places:
strings one of which every match contains, so that a window of text holding
none of them needs no try.

The class is a superset: look-arounds and anchors are passed over as if they
were not there. Where it cannot be told (`.`, a negated set, a back-reference,
a pattern that can match the empty string, a change of flags inside), the
answer is None and the caller searches as before. Parsed with `re._parser`
(`sre_parse` before Python 3.11).
"""

import re

try:  # Python 3.11+
    from re import _compiler as COMPILER  # noqa: F401 (for checker.matching.pickling)
    from re import _constants as C
    from re import _parser as P
except ImportError:  # Python 3.10
    import sre_compile as COMPILER  # noqa: F401
    import sre_constants as C
    import sre_parse as P

_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_CATEGORY = {getattr(C, name): text for name, text in _CATEGORIES.items() if hasattr(C, name)}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)} - {None}
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}


class _Unknown(Exception):
    pass


def max_width(pattern, flags=0):
    """The most characters a match of `pattern` can span (look-arounds peek
    further but span nothing); None when unbounded or unknown."""
    try:
        _low, high = P.parse(pattern, flags).getwidth()
    except (re.error, RecursionError, TypeError, ValueError, OverflowError):
        return None
    return high if high < C.MAXREPEAT else None


def start_class(pattern, flags=0):
    """A character class (`[...]`, to be compiled with the same `flags`) that
    every match of `pattern` starts with; None when that cannot be told."""
    try:
        parts, can_be_empty = _sequence(P.parse(pattern, flags))
    except (_Unknown, re.error, RecursionError, TypeError, ValueError):
        return None
    if can_be_empty or not parts:
        return None
    return "[" + "".join(sorted(parts)) + "]"


def ascii_exact_class(class_source, flags=0):
    """A class (to compile without flags) holding the ASCII characters of
    `class_source` compiled with `flags`, and every other character.

    A superset, for a search that the full pattern then confirms: a negated set
    of ASCII ranges is tested with one bitmap lookup, where `\\d` or `\\w` look
    each character up in the Unicode tables, and IGNORECASE folds its case first
    (most of the cost of scanning English copy)."""
    members = re.compile(class_source, flags)
    outside = [code for code in range(128) if not members.match(chr(code))]
    if not outside:
        return r"[\x00-\U0010ffff]"
    ranges = []
    for code in outside:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[^" + "".join(f"\\x{low:02x}" + (f"-\\x{high:02x}" if high > low else "") for low, high in ranges) + "]"


def _sequence(items):
    """(class parts the sequence can start with, whether it can match nothing)."""
    parts = set()
    for op, av in items:
        first, can_be_empty = _item(op, av)
        parts |= first
        if not can_be_empty:
            return parts, False
    return parts, True


def _item(op, av):
    if op is C.LITERAL:
        return {_escape(av)}, False
    if op is C.IN:
        parts = set()
        for set_op, set_av in av:
            if set_op is C.LITERAL:
                parts.add(_escape(set_av))
            elif set_op is C.RANGE:
                parts.add(_escape(set_av[0]) + "-" + _escape(set_av[1]))
            elif set_op is C.CATEGORY and set_av in _CATEGORY:
                parts.add(_CATEGORY[set_av])
            else:
                raise _Unknown  # NEGATE, locale categories...
        return parts, False
    if op is C.BRANCH:
        parts, can_be_empty = set(), False
        for branch in av[1]:
            first, empty = _sequence(branch)
            parts |= first
            can_be_empty = can_be_empty or empty
        return parts, can_be_empty
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if add_flags or del_flags:
            raise _Unknown  # (?i:...) inside: the class would need other flags
        return _sequence(body)
    if op in _REPEATS:
        low, _high, body = av
        first, empty = _sequence(body)
        return first, empty or low == 0
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op in _ZERO_WIDTH:
        return set(), True  # matches no character: what follows starts the match
    raise _Unknown  # ANY, NOT_LITERAL, GROUPREF, ...


def _escape(code):
    return re.escape(chr(code))


def required_literals(pattern, flags=0):
    """Strings, spelt as in the pattern, one of which every match of `pattern`
    contains (under the pattern's flags: with IGNORECASE, in any case); None
    when that cannot be told. The most selective set found: its shortest string
    is the longest."""
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError, TypeError, ValueError, OverflowError):
        return None
    if parsed.state.flags & re.LOCALE:
        return None
    found = _required(parsed)
    if found is None:
        return None
    # a string that holds another of the set adds nothing: the other is in any text that holds it
    return frozenset(s for s in found if not any(t != s and t in s for t in found))


def _required(items):
    """The best required set of a sequence: a run of literals, or the set of one of its items."""
    best, run = None, []

    def consider(found):
        nonlocal best
        if found and (best is None or _more_selective(found, best)):
            best = found

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:  # any other item ends the run, even a zero-width one: a shorter string is still required
            consider(frozenset(["".join(run)]))
            run = []
        consider(_item_required(op, av))
    if run:
        consider(frozenset(["".join(run)]))
    return best


def _more_selective(found, best):
    shortest, best_shortest = min(map(len, found)), min(map(len, best))
    return shortest > best_shortest or (shortest == best_shortest and len(found) < len(best))


def _item_required(op, av):
    if op is C.BRANCH:
        union = set()
        for branch in av[1]:
            found = _required(branch)
            if found is None:
                return None  # this branch needs no literal: neither does the alternation
            union |= found
        return frozenset(union)
    if op is C.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        return None if add_flags or del_flags else _required(body)
    if op in _REPEATS:
        low, _high, body = av
        return _required(body) if low >= 1 else None
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _required(av)
    return None  # sets, any character, anchors, look-arounds, back-references
