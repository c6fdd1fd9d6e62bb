"""Build the JSON Schema for rule files from the kinds' declared parameters.

`python -m checker.schema_gen` rewrites checker/schema/rule.schema.json; a test
checks the committed file is current. Editors use it through the
`# yaml-language-server: $schema=...` line at the top of each rule file.
"""

import json
import sys
from pathlib import Path

from checker.rules import COMMON_KEYS, KINDS, kind_module

SCHEMA_PATH = Path(__file__).parent / "schema" / "rule.schema.json"

_DATA = {"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]}
_EXAMPLE = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "required": ["text"],
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string"},
                "markdown": {"type": "boolean"},
                "settings": {"type": "object"},
                "fixed": {"type": "string"},
                "count": {"type": "integer"},
                "encoding": {"type": "string"},
                "path": {"type": "string"},
                "with-rule": {"type": "object", "description": "A helper rule (a whole rule mapping) loaded for this example only."},
            },
        },
    ]
}


def _json_type(spec):
    kind = spec["type"]
    schema = {
        "str": {"type": "string"},
        "bool": {"type": "boolean"},
        "int": {"type": "integer"},
        "number": {"type": "number"},
        "list[str]": {"type": "array", "items": {"type": "string"}},
        "map[str,str]": {"type": "object", "additionalProperties": {"type": "string"}},
        "map": {"type": "object"},
        "data": _DATA,
        "list[data]": {"type": "array", "items": _DATA},
        "enum": {"enum": spec.get("values")},
        "examples": {
            "type": "object",
            "required": ["bad", "good"],
            "additionalProperties": False,
            "properties": {g: {"type": "array", "minItems": 1, "items": _EXAMPLE} for g in ("bad", "good")},
        },
    }[kind]
    return dict(schema, description=spec.get("doc", ""))


def build_schema():
    common = {key: _json_type(spec) for key, spec in COMMON_KEYS.items()}
    common["code"]["pattern"] = "^[A-Z]{2,4}[0-9]{3}$"
    common["name"]["pattern"] = "^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
    branches = []
    for name in sorted(KINDS):
        parameters = kind_module(name).PARAMETERS
        properties = dict(common)
        properties.update({key: _json_type(spec) for key, spec in parameters.items()})
        branches.append(
            {
                "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                "then": {
                    "properties": properties,
                    "required": sorted(k for k, s in {**COMMON_KEYS, **parameters}.items() if s.get("required")),
                    "additionalProperties": False,
                },
            }
        )
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://checker.invalid/schema/rule.schema.json",
        "title": "checker rule file",
        "type": "object",
        "required": sorted(k for k, s in COMMON_KEYS.items() if s.get("required")),
        "properties": common,
        "allOf": branches,
    }


def render():
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
