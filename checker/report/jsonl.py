"""`jsonl`: one JSON object a finding, one a line (no summary): easy to stream and grep."""

import json


def write(findings, stream, summary):
    write_findings(findings, stream)


def write_findings(findings, stream):
    """The findings' lines (the report streams them as files are checked)."""
    stream.write("".join(json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in findings))
