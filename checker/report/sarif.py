"""`sarif`: SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.

Columns are Unicode code points (`columnKind: unicodeCodePoints`), as everywhere
in the checker; `endColumn` is exclusive, as SARIF defines it. A finding in a
record of an archive (or an item of a collection) names it as a logical location. Rules are listed
in `tool.driver.rules` with their YAML documentation. Severity: error → error,
warning → warning, info → note. Safe fixes are included as SARIF fixes.
"""

import json
from urllib.parse import quote

from checker import __version__
from checker.report import SARIF_LEVEL, ci_path, fingerprint, with_occurrences

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path):
    return quote(ci_path(path).replace("\\", "/"), safe="/:@!$&'()*+,;=-._~")


def _first_sentence(text):
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _rule_descriptor(rule):
    examples = []
    for group, label in (("bad", "Flagged"), ("good", "Not flagged")):
        for example in rule["examples"].get(group, [])[:3]:
            text = example["text"] if isinstance(example, dict) else example
            examples.append(f"{label}: {text}")
    help_text = rule["description"].strip() + ("\n\n" + "\n".join(examples) if examples else "")
    return {
        "id": rule["code"],
        "name": rule["name"],
        "shortDescription": {"text": _first_sentence(rule["description"]) or rule["name"]},
        "fullDescription": {"text": rule["description"].strip() or rule["name"]},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule["severity"]]},
    }


def _region(line, column, end_line, end_column):
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": max(end_column, 1)}


def write(findings, stream, summary):
    rules = [_rule_descriptor(r) for r in summary.get("rules", [])]
    index = {r["id"]: i for i, r in enumerate(rules)}
    for f in findings:  # a finding from a rule the summary does not describe still needs an entry
        if f.code not in index:
            index[f.code] = len(rules)
            rules.append({"id": f.code, "name": f.name, "shortDescription": {"text": f.name}})
    results = []
    for f, occurrence in with_occurrences(findings):
        result = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path)},
                        "region": _region(f.line, f.column, f.end_line, f.end_column),
                    }
                }
            ],
            "partialFingerprints": {"checkerFinding/v1": fingerprint(f, occurrence)},
        }
        if f.record is not None:  # a record of an archive, an item of a collection
            result["locations"][0]["logicalLocations"] = [{"name": f.record, "fullyQualifiedName": f"{ci_path(f.path)}#{f.record}", "kind": "object"}]
        if f.fix is not None and f.fix.safe and f.fix_position is not None:
            line, column, end_line, end_column = f.fix_position
            result["fixes"] = [
                {
                    "description": {"text": f"Replace with {f.fix.replacement!r}"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": _uri(f.path)},
                            "replacements": [
                                {
                                    "deletedRegion": _region(line, column, end_line, end_column),
                                    "insertedContent": {"text": f.fix.replacement},
                                }
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "checker",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    json.dump(log, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
