"""`concise`: one finding a line, `path:line:col: CODE message`, then a summary line."""

from checker.findings import SEVERITIES
from checker.report import shown_message

_PLURAL = {"error": "errors", "warning": "warnings", "info": "info"}


def write(findings, stream, summary):
    write_findings(findings, stream)
    write_summary(severity_counts(findings), len({f.path for f in findings}), stream, summary)


def write_findings(findings, stream):
    """The findings' lines (the report streams them as files are checked)."""
    stream.write("".join([f"{f.path}:{f.line}:{f.column}: {f.code} {shown_message(f)}\n" for f in findings]))  # one write, not one a line


def write_summary(counts, files_with_findings, stream, summary):
    if summary.get("show", True):
        stream.write(summary_text(counts, summary["files_checked"], files_with_findings) + "\n")


def severity_counts(findings):
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    return counts


def summary_line(findings, files_checked):
    """`Found 5 findings (3 warnings, 2 info): 4 files checked, 1 with findings.`"""
    return summary_text(severity_counts(findings), files_checked, len({f.path for f in findings}))


def summary_text(counts, files_checked, files_with_findings):
    """The summary line from a count per severity."""
    checked = f"{files_checked} {'file' if files_checked == 1 else 'files'} checked"
    total = sum(counts.values())
    if not total:
        return f"All clear: {checked}, none with findings."
    parts = [f"{counts[s]} {_PLURAL[s] if counts[s] != 1 else s}" for s in reversed(SEVERITIES) if counts[s]]
    noun = "finding" if total == 1 else "findings"
    return f"Found {total} {noun} ({', '.join(parts)}): {checked}, {files_with_findings} with findings."
