"""`gitlab`: a GitLab Code Quality report (JSON array), shown in merge requests.

Severity: error → major, warning → minor, info → info. The fingerprint hashes the
path, code and matched text (and which occurrence of them), not the line, so a
finding keeps its identity when lines above it move.
"""

import json

from checker.report import GITLAB_SEVERITY, ci_path, fingerprint, shown_message, with_occurrences


def write(findings, stream, summary):
    issues = [
        {
            "description": f"{f.code} {shown_message(f)}",
            "check_name": f"{f.code} {f.name}",
            "fingerprint": fingerprint(f, n),
            "severity": GITLAB_SEVERITY[f.severity],
            "location": {"path": ci_path(f.path), "lines": {"begin": f.line, "end": f.end_line}},
        }
        for f, n in with_occurrences(findings)
    ]
    json.dump(issues, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
