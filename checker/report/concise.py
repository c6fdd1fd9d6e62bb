"""`concise`: one finding a line, `path:line:col: CODE message`, then a summary line."""

from checker.findings import SEVERITIES

_PLURAL = {"error": "errors", "warning": "warnings", "info": "info"}


def write(findings, stream, summary):
    stream.write("".join([f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in findings]))  # one write, not one a line
    if summary.get("show", True):
        stream.write(summary_line(findings, summary["files_checked"]) + "\n")


def summary_line(findings, files_checked):
    """`Found 5 findings (3 warnings, 2 info): 4 files checked, 1 with findings.`"""
    checked = f"{files_checked} {'file' if files_checked == 1 else 'files'} checked"
    if not findings:
        return f"All clear: {checked}, none with findings."
    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    parts = [f"{counts[s]} {_PLURAL[s] if counts[s] != 1 else s}" for s in reversed(SEVERITIES) if counts[s]]
    noun = "finding" if len(findings) == 1 else "findings"
    with_findings = len({f.path for f in findings})
    return f"Found {len(findings)} {noun} ({', '.join(parts)}): {checked}, {with_findings} with findings."
