"""Pickling compiled regular expressions as the regex engine's own code.

A pattern pickles as its source and is compiled again when loaded, which for
the rule set's patterns costs most of a warm one-file run. The cached rule set
(checker.cache) stores them compiled instead: the code `re.compile` would pass
to `_sre.compile`, rebuilt with it on load. The cache key holds the exact
Python version, so the code always matches the engine; anything unexpected
falls back to compiling from source.
"""

import io
import pickle
import re

from checker.matching.parse import COMPILER, P


def dumps_with_compiled_patterns(value):
    """pickle.dumps(value), every re.Pattern inside as its compiled code."""

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj):
            return _reduce_pattern(obj)

    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _reduce_pattern(obj):
    if not isinstance(obj, re.Pattern):
        return NotImplemented
    try:
        parsed = P.parse(obj.pattern, obj.flags)
        code = COMPILER._code(parsed, obj.flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        compiled = (obj.flags | parsed.state.flags, [int(c) for c in code], parsed.state.groups - 1, groupindex, tuple(indexgroup))
        if _rebuild_pattern(obj.pattern, obj.flags, compiled).pattern != obj.pattern:
            raise ValueError("rebuilt pattern differs")
        return (_rebuild_pattern, (obj.pattern, obj.flags, compiled))
    except Exception:  # an engine that differs: pickle the source
        return (re.compile, (obj.pattern, obj.flags))


def _rebuild_pattern(pattern, flags, compiled):
    try:
        import _sre  # lazy: start-up

        return _sre.compile(pattern, *compiled)
    except Exception:
        return re.compile(pattern, flags)
