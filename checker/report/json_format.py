"""`json`: a JSON array of findings (no summary)."""

import json


def write(findings, stream, summary):
    json.dump([f.as_dict() for f in findings], stream, ensure_ascii=False, indent=2)
    stream.write("\n")
