"""Output formats: one module each, with `write(results, stream, summary)` (Parquet:
`write_file(findings, path)`).

A reporter sees findings and file results, never rules or configuration.
"""

import importlib
import os

FORMATS = {
    "concise": "checker.report.concise",
    "full": "checker.report.full",
    "json": "checker.report.json_format",
    "jsonl": "checker.report.jsonl",
    "sarif": "checker.report.sarif",
    "github": "checker.report.github",
    "gitlab": "checker.report.gitlab",
    "junit": "checker.report.junit",
    "html": "checker.report.html",
    "parquet": "checker.report.parquet",  # files in a folder (-o DIR), not a stream
}
FORMAT_NAMES = tuple(FORMATS)  # the one list: the configuration and the command line take it from here
FILE_FORMATS = ("parquet",)  # written as files into the folder -o names, not to a stream
STREAM_FORMATS = tuple(name for name in FORMAT_NAMES if name not in FILE_FORMATS)

# Severity names in each CI system's vocabulary.
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def reporter(name):
    return importlib.import_module(FORMATS[name])


class Streamed:
    """A report in a line format (one with `write_findings`), written as findings come:
    each file's as it is done, a large archive's a range at a time. It counts what it
    wrote, for the summary line (`write_summary`, if the format has one) and the exit code."""

    def __init__(self, module, stream):
        self.module, self.stream = module, stream
        self.counts = {"info": 0, "warning": 0, "error": 0}
        self.paths = set()
        self.worst = -1  # the highest severity rank written (-1: none)

    def write(self, findings):
        from checker.findings import SEVERITY_RANK  # lazy: start-up

        self.module.write_findings(findings, self.stream)
        for finding in findings:
            self.counts[finding.severity] += 1
            self.worst = max(self.worst, SEVERITY_RANK[finding.severity])
            self.paths.add(finding.path)

    def finish(self, summary):
        if hasattr(self.module, "write_summary"):
            self.module.write_summary(self.counts, len(self.paths), self.stream, summary)
        self.stream.flush()

    def close_stream(self):
        import sys  # lazy: start-up

        if self.stream not in (sys.stdout, sys.stderr):
            self.stream.close()


def shown_message(finding):
    """The message as people read it: with the record's id in front for a finding in an
    archive record or an item of a collection (`[record 1234] ...`)."""
    if finding.record is None:
        return finding.message
    return f"[record {finding.record}] {finding.message}"


def summary_for(files_checked, results=(), rules=(), show=True):
    """What reporters may know besides the findings: the files checked, the rules'
    documentation (for SARIF), the text of a file (for snippets), and whether a
    summary line is wanted (not when nothing was checked because a path was missing)."""
    texts = {r.path: r.source.text for r in results if getattr(r, "source", None) is not None}

    def text_of(path):
        if path in texts:
            return texts[path]
        if path == "-":
            return None
        from checker.pipeline import Unreadable, decode  # lazy: start-up

        try:
            with open(path, "rb") as handle:
                return decode(handle.read()).text
        except (OSError, Unreadable):
            return None

    return {
        "files_checked": files_checked,
        "files": [r.path for r in results],
        "rules": [
            {"code": r.code, "name": r.name, "severity": r.severity, "description": r.description, "examples": r.examples}
            for r in rules
        ],
        "text_of": text_of,
        "show": show,
    }


def ci_path(path):
    """A path as CI systems want it: `./copy/a.txt` → `copy/a.txt` (absolute paths stay absolute)."""

    if path == "-" or os.path.isabs(path):
        return path
    return os.path.normpath(path).replace(os.sep, "/")


def fingerprint(finding, occurrence=0):
    """Stable across line moves: path, record, code, matched text and which occurrence of it this is."""
    import hashlib  # lazy: start-up

    where = ci_path(finding.path) if finding.record is None else f"{ci_path(finding.path)}\0{finding.record}"
    key = "\0".join((where, finding.code, finding.matched, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def with_occurrences(findings):
    """(finding, n) where n counts earlier findings with the same path, code and matched text."""
    seen = {}
    for finding in findings:
        key = (finding.path, finding.record, finding.code, finding.matched)
        yield finding, seen.get(key, 0)
        seen[key] = seen.get(key, 0) + 1
