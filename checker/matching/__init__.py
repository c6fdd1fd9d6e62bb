"""The matching layer: every regular expression a rule file supplies is compiled here.

Check kinds never call `re.compile` on text from a rule or data file: they call
`compile_rule_regex`, which refuses patterns that do not parse or that can
backtrack catastrophically (checker.matching.safety), with the file and, where
known, the line and column of the offending value.
"""

from checker.matching.regex import compile_rule_alternatives, compile_rule_regex

__all__ = ["compile_rule_regex", "compile_rule_alternatives"]
