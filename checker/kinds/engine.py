"""Findings the engine itself reports (unreadable files, suppressions, timeouts).

Rules of this kind carry the code, message and documentation; the engine decides
when they fire, so `check` has nothing to do.
"""

PARAMETERS = {}


def prepare(rule):
    rule.prepared = None


def check(doc, rule, settings):
    return ()
