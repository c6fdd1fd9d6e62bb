"""Check kinds: one module each. A kind module provides

- PARAMETERS: the rule-file keys it reads, with type, default and doc;
- prepare(rule): compile patterns and load data once, into rule.prepared;
- check(doc, rule, settings): yield Findings (via rule.finding) for one document.

Kinds know nothing of output formats, configuration files or suppressions.
"""
