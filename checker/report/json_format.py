"""`json`: a JSON array of findings (no summary)."""

import json

from checker.report import finding_dict


def write(findings, stream, summary):
    json.dump([finding_dict(f) for f in findings], stream, ensure_ascii=False, indent=2)
    stream.write("\n")
