"""`jsonl`: one JSON object a finding, one a line (no summary): easy to stream and grep."""

import json

from checker.report import finding_dict


def write(findings, stream, summary):
    for f in findings:
        stream.write(json.dumps(finding_dict(f), ensure_ascii=False) + "\n")
