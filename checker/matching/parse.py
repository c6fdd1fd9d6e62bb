"""The one place outside the engine that reads `re`'s private parser and compiler
(`re._parser` and `re._compiler`, `sre_parse` and `sre_compile` before Python
3.11): checker.matching.safety reads a pattern's parse to refuse catastrophic
backtracking, and checker.matching.pickling rebuilds compiled patterns.
"""

try:  # Python 3.11+
    from re import _compiler as COMPILER
    from re import _constants as C
    from re import _parser as P
except ImportError:  # Python 3.10
    import sre_compile as COMPILER
    import sre_constants as C
    import sre_parse as P

__all__ = ["C", "P", "COMPILER"]
