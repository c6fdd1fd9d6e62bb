"""`github`: GitHub Actions workflow commands, which annotate the pull request's diff.

    ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message

Severity: error → error, warning → warning, info → notice. Values are escaped as
the runner expects (% CR LF everywhere, and : , in properties).
"""

from checker.report import GITHUB_LEVEL, ci_path, shown_message


def _data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text):
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def write(findings, stream, summary):
    write_findings(findings, stream)


def write_findings(findings, stream):
    """The findings' lines (the report streams them as files are checked)."""
    for f in findings:
        properties = {
            "file": ci_path(f.path),
            "line": f.line,
            "col": f.column,
            "endLine": f.end_line,
            "endColumn": f.end_column,
            "title": f"{f.code} {f.name}",
        }
        joined = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items())
        stream.write(f"::{GITHUB_LEVEL[f.severity]} {joined}::{_data(shown_message(f))}\n")
