"""`jsonl`: one JSON object a finding, one a line (no summary): easy to stream and grep."""

import json


def write(findings, stream, summary):
    for f in findings:
        stream.write(json.dumps(f.as_dict(), ensure_ascii=False) + "\n")
