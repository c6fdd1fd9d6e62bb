"""Output formats: one module each, with `write(results, stream, summary)`.

A reporter sees findings and file results, never rules or configuration.
"""

import importlib

FORMATS = {
    "concise": "checker.report.concise",
    "json": "checker.report.json_format",
}


def reporter(name):
    return importlib.import_module(FORMATS[name])


def finding_dict(finding):
    """The stable machine form of one finding (JSON, JSON lines)."""
    fix = None
    if finding.fix is not None:
        line, column, end_line, end_column = finding.fix_position
        fix = {
            "replacement": finding.fix.replacement,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "safe": finding.fix.safe,
        }
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "fix": fix,
    }
