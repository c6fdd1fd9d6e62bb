"""Rules: load and validate the YAML rule files, the registry of check kinds, selection.

A rule file holds the knowledge (lexicons, patterns, messages, examples); the
check kind it names (`kind:`) is the Python that applies it, the way Vale's
`extends:` types work. Data files that several rules share (lexicons,
glossaries) live in a `data/` folder beside the rules and are named by a
relative path.
"""

import gc
import importlib
import os
import re
import string
from pathlib import Path

from checker.errors import RuleError, UsageError
from checker.findings import SEVERITIES, Finding
from checker.records import Record
from checker.yamlio import YamlMap, load_yaml_file

# The check kinds: name -> module. Imported only when a rule uses them.
KINDS = {
    "pattern": "checker.kinds.pattern",
    "substitution": "checker.kinds.substitution",
    "attribution": "checker.kinds.attribution",
    "script": "checker.kinds.script",
    "invisible": "checker.kinds.invisible",
    "homoglyph": "checker.kinds.homoglyph",
    "mojibake": "checker.kinds.mojibake",
    "normalization": "checker.kinds.normalization",
    "timestamp": "checker.kinds.timestamp",
    "dates": "checker.kinds.dates",
    "pipeline": "checker.kinds.pipeline",
}

CODE_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
DATA_FOLDER = "data"
# An example is a string, or a mapping: text, and how to check it.
EXAMPLE_KEYS = {"text", "markdown", "settings", "fixed", "count", "encoding", "path", "with-rule"}

# Keys every rule may carry; anything else must be a parameter of its kind.
COMMON_KEYS = {
    "code": {"type": "str", "required": True, "doc": "Stable code: 2-4 capitals and 3 digits (AT101)."},
    "name": {"type": "str", "required": True, "doc": "Readable kebab-case name (unattributed-statement)."},
    "severity": {"type": "enum", "values": list(SEVERITIES), "required": True, "doc": "error, warning or info."},
    "enabled": {"type": "bool", "default": True, "doc": "On by default (true) or opt-in (false)."},
    "languages": {"type": "list[str]", "default": None, "doc": "Language codes the rule applies to; omitted: any."},
    "message": {"type": "str", "required": True, "doc": "Message template with {named} placeholders."},
    "description": {"type": "str", "required": True, "doc": "Why it matters: shown by --explain."},
    "kind": {"type": "enum", "values": sorted(KINDS), "required": True, "doc": "The check kind that runs the rule."},
    "check": {
        "type": "str",
        "default": None,
        "doc": "The function of the kind that does the rule's work (checker/kinds/<kind>.py, its CHECKS); "
        "needed where the kind has several, optional where it has one.",
    },
    "overrides": {
        "type": "list[str]",
        "default": [],
        "doc": "Codes this rule is more specific than: where both report overlapping spans, only this one does.",
    },
    "allow": {"type": "list[str]", "default": [], "doc": "Matched texts never reported (known names, phrases)."},
    "examples": {"type": "examples", "required": True, "doc": "bad: texts that must be flagged; good: texts that must not."},
}


class Rule(Record):
    FIELDS = (
        "code", "name", "severity", "enabled", "languages", "message", "description", "kind", "check",
        "overrides", "allow", "examples", "params", "path", "prepared", "allow_set",
    )

    def __init__(
        self, code, name, severity, enabled, languages, message, description, kind, check,
        overrides, allow, examples, params, path, prepared=None, allow_set=frozenset(),
    ):
        self.code, self.name, self.severity, self.enabled = code, name, severity, enabled
        self.check = check  # the name of the kind's function that does the work (None: the pipeline reports it)
        self.languages = languages  # None: every language
        self.message, self.description, self.kind = message, description, kind
        self.overrides, self.allow, self.examples, self.params, self.path = overrides, allow, examples, params, path
        self.prepared = prepared  # what the kind's prepare() made of the parameters
        self.allow_set = allow_set

    def applies_to(self, doc):
        return self.languages is None or doc.language in self.languages

    def finding(self, doc, start, end, fix=None, **fields):
        """A finding of this rule over doc.text[start:end]; `fields` fill the message."""
        matched = doc.text[start:end]
        message = self.message
        if "{" in message or "}" in message:  # a message with no placeholder needs no formatting (AT104: thousands)
            fields.setdefault("text", matched)
            message = message.format_map(_Placeholders(fields))
        return Finding(self.code, self.name, self.severity, message, start, end, fix, matched=matched)


class _Placeholders(dict):
    def __missing__(self, key):
        return "{" + key + "}"


# --- parameter validation -----------------------------------------------------


def _type_ok(value, spec):
    kind = spec["type"]
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "enum":
        return value in spec["values"]
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "map[str,str]":
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    if kind == "map":
        return isinstance(value, dict)
    if kind == "data":  # a relative path to a data file, or the data inline
        return isinstance(value, (str, dict, list))
    if kind == "list[data]":
        return isinstance(value, list) and all(isinstance(v, (str, dict, list)) for v in value)
    if kind == "examples":
        return isinstance(value, dict)
    raise AssertionError(f"unknown parameter type {kind}")


def _describe(spec):
    if spec["type"] == "enum":
        return "one of " + ", ".join(repr(v) for v in spec["values"])
    return {
        "str": "a string",
        "bool": "true or false",
        "int": "a whole number",
        "number": "a number",
        "list[str]": "a list of strings",
        "map[str,str]": "a mapping of strings to strings",
        "map": "a mapping",
        "data": "a data file path or inline data",
        "list[data]": "a list of data file paths or inline data",
        "examples": "a mapping with bad and good lists",
    }[spec["type"]]


def validate_value(path, key, value, spec, where):
    if not _type_ok(value, spec):
        raise RuleError(path, f"'{key}' must be {_describe(spec)}, not {value!r}"[:300], *where)


def _validate_examples(path, examples):
    unknown = set(examples) - {"bad", "good"}
    if unknown:
        raise RuleError(path, f"examples: unknown key {sorted(unknown)[0]!r} (use bad and good)", *examples.where(sorted(unknown)[0]))
    for group in ("bad", "good"):
        items = examples.get(group)
        if not isinstance(items, list) or not items:
            raise RuleError(path, f"examples: '{group}' must be a non-empty list", *examples.where(group if group in examples else None))
        for index, item in enumerate(items):
            ok = isinstance(item, str) or (
                isinstance(item, dict) and isinstance(item.get("text"), str) and set(item) <= EXAMPLE_KEYS
            )
            if not ok:
                raise RuleError(
                    path,
                    f"examples.{group}[{index}] must be a string or a mapping with 'text' (and " + ", ".join(sorted(EXAMPLE_KEYS - {"text"})) + ")",
                    *items.where(index),
                )


def check_message_template(path, message, where):
    """Placeholders are plain names (`{text}`), never `{text.__class__}` or `{text[0]}`:
    a rule file fills in its message, it does not reach into objects; widths stay small."""
    try:
        fields = list(string.Formatter().parse(message))
    except ValueError as exc:
        raise RuleError(path, f"message template: {exc}", *where) from None
    for _literal, name, spec, _conversion in fields:
        if name is not None and not name.isidentifier():
            raise RuleError(path, f"message template: placeholder {{{name}}} must be a plain name such as {{text}}", *where)
        if spec and (not re.fullmatch(r"[<>^]?\d{0,2}", spec)):
            raise RuleError(path, f"message template: format {spec!r} in {{{name}}} is not allowed (only alignment and a width below 100)", *where)


_PLACEHOLDERS = {}


def placeholders(message):
    """The names a message template fills in (`{text}`, `{reason}`...), worked out once per template."""
    names = _PLACEHOLDERS.get(message)
    if names is None:
        names = _PLACEHOLDERS[message] = frozenset(name for _literal, name, _spec, _conversion in string.Formatter().parse(message) if name)
    return names


_KIND_MODULES = {}


def kind_module(name):
    # Looked up for every rule of every file: import_module is too slow for that.
    module = _KIND_MODULES.get(name)
    if module is None:
        module = _KIND_MODULES[name] = importlib.import_module(KINDS[name])
    return module


def _primary_languages(path, tags, where):
    """The primary subtags of a rule's `languages` (BCP 47 tags: `en-GB` is `en`)."""
    from checker.language import primary_language  # lazy: start-up

    try:
        return sorted({primary_language(tag) for tag in tags})
    except UsageError as exc:
        raise RuleError(path, f"languages: {exc}", *where) from None


def _check_name(path, kind, name, where):
    """The name of the kind's function the rule runs: `check:`, or the kind's only one."""
    checks = kind_module(kind).CHECKS
    if name is None:
        if len(checks) > 1:
            raise RuleError(path, f"kind '{kind}' does several checks; name one with check: ({', '.join(checks)})", *where)
        return next(iter(checks), None)
    if name not in checks:
        known = ", ".join(checks) or "none: the pipeline reports its rules"
        raise RuleError(path, f"kind '{kind}' has no check {name!r} (known: {known})", *where)
    return name


def where_it_lives(rule):
    """`checker/kinds/dates.py: ambiguous()`: the function that does the rule's work."""
    if rule.check is None:
        return f"reported by {rule.params.get('reported_by')}()"
    function = check_function(rule)
    kind = kind_module(rule.kind)
    module = kind.__name__.replace(".", "/") + ("/__init__.py" if hasattr(kind, "__path__") else ".py")  # a package or a module
    return f"{module}: {function.__name__}()"


def check_function(rule):
    """The function that does the rule's work (None for rules the pipeline reports)."""
    return kind_module(rule.kind).CHECKS.get(rule.check) if rule.check is not None else None


def parse_rule(data, path):
    """Validate one rule file's mapping and build its Rule (not yet prepared)."""
    if not isinstance(data, YamlMap):
        raise RuleError(path, "a rule file must be a mapping of keys (code, name, severity, ...)", 1, 1)
    for key, spec in COMMON_KEYS.items():
        if spec.get("required") and key not in data:
            raise RuleError(path, f"missing required key '{key}'", *data.where())
    kind = data["kind"]
    validate_value(path, "kind", kind, COMMON_KEYS["kind"], data.where("kind"))
    parameters = kind_module(kind).PARAMETERS
    values = {}
    for key, value in data.items():
        spec = COMMON_KEYS.get(key) or parameters.get(key)
        if spec is None:
            known = sorted(set(COMMON_KEYS) | set(parameters))
            raise RuleError(path, f"unknown key '{key}' for kind '{kind}' (known: {', '.join(known)})", *data.where(key))
        validate_value(path, key, value, spec, data.where(key))
        values[key] = value
    if not CODE_RE.match(values["code"]):
        raise RuleError(path, f"code {values['code']!r} must be 2-4 capital letters and 3 digits", *data.where("code"))
    if not NAME_RE.match(values["name"]):
        raise RuleError(path, f"name {values['name']!r} must be kebab-case", *data.where("name"))
    check_message_template(path, values["message"], data.where("message"))
    check = _check_name(path, kind, values.get("check"), data.where("check" if "check" in data else None))
    languages = values.get("languages")
    if languages is not None:
        languages = _primary_languages(path, languages, data.where("languages"))
    _validate_examples(path, values["examples"])
    params = {key: spec.get("default") for key, spec in parameters.items()}
    for key, spec in parameters.items():
        if spec.get("required") and key not in values:
            raise RuleError(path, f"kind '{kind}' needs the key '{key}'", *data.where())
    params.update({k: v for k, v in values.items() if k in parameters})
    return Rule(
        code=values["code"],
        name=values["name"],
        severity=values["severity"],
        enabled=values.get("enabled", True),
        languages=languages,
        message=values["message"],
        description=values["description"],
        kind=kind,
        check=check,
        overrides=list(values.get("overrides", [])),
        allow=list(values.get("allow", [])),
        examples=values["examples"],
        params=params,
        path=str(path),
        allow_set=frozenset(values.get("allow", [])),
    )


# --- data files ---------------------------------------------------------------


def load_data(rule, value, key):
    """Resolve a `data` parameter: inline data, or a YAML file under the rule's folder tree."""
    if not isinstance(value, str):
        return value
    base = Path(rule.path).parent
    root = base.parent  # the family folder's parent: data may be shared across families
    candidate = Path(os.path.normpath(base / value))
    if Path(value).is_absolute() or not _is_within(candidate, root):
        raise RuleError(rule.path, f"'{key}': data path {value!r} must stay inside the rule folder")
    if not candidate.is_file():
        raise RuleError(rule.path, f"'{key}': data file {value!r} not found")
    return load_yaml_file(candidate)


def _is_within(path, folder):
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


# --- discovery and the rule set ---------------------------------------------------


def builtin_rules_dir():
    here = Path(__file__).resolve().parent
    for candidate in (here / "builtin_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleError(here, "the built-in rules are missing from this installation")


def rule_files(folder):
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleError(folder, "rule folder not found")
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != DATA_FOLDER and not d.startswith((".", "_")))
        found.extend(Path(root) / f for f in sorted(files) if f.endswith((".yaml", ".yml")))
    return found


def load_rules(folders, overrides=None):
    """Load, validate and prepare every rule under `folders`; raise RuleError on the first problem."""
    # Loading makes hundreds of thousands of small objects and frees few of
    # them: the garbage collector's passes over them would find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load_rules(folders, overrides)
    finally:
        if collecting:
            gc.enable()


def _load_rules(folders, overrides):
    rules = []
    seen_codes, seen_names = {}, {}
    for folder in folders:
        for path in rule_files(folder):
            rule = parse_rule(load_yaml_file(path), path)
            for registry, key in ((seen_codes, rule.code), (seen_names, rule.name)):
                if key in registry:
                    raise RuleError(path, f"'{key}' is already defined in {registry[key]}", 1, 1)
                registry[key] = path
            if not apply_overrides(rule, (overrides or {}).get(rule.code) or (overrides or {}).get(rule.name) or {}):
                kind_module(rule.kind).prepare(rule)
            rules.append(rule)
    rules.sort(key=lambda r: r.code)
    return rules


def apply_overrides(rule, values):
    """Per-rule settings from configuration: severity, enabled, allow or a kind parameter.
    Returns True when a kind parameter changed, and the rule was prepared again."""
    parameters = kind_module(rule.kind).PARAMETERS
    for key, value in values.items():
        if key in ("severity", "enabled", "allow", "languages", "message"):
            validate_value(rule.path, key, value, COMMON_KEYS[key], (None, None))
            if key == "languages":
                value = _primary_languages(rule.path, value, (None, None))
            if key == "message":
                check_message_template(rule.path, value, (None, None))
            setattr(rule, key, value)
            if key == "allow":
                rule.allow_set = frozenset(value)
        elif key == "extend-allow":  # configuration adds names to the rule's own allow-list
            validate_value(rule.path, key, value, COMMON_KEYS["allow"], (None, None))
            rule.allow = [*rule.allow, *value]
            rule.allow_set = frozenset(rule.allow)
        elif key in parameters:
            validate_value(rule.path, key, value, parameters[key], (None, None))
            rule.params[key] = value
        else:
            raise UsageError(f"rule {rule.code}: unknown setting '{key}'")
    if any(key in parameters for key in values):
        kind_module(rule.kind).prepare(rule)  # what the kind compiled from its parameters is stale
        return True
    return False


# --- selection ----------------------------------------------------------------


def _matches(rule, token):
    return token in ("ALL", rule.code, rule.name) or (re.fullmatch(r"[A-Z]{1,4}[0-9]{0,3}", token) and rule.code.startswith(token))


def selector_matches_any(rules, token):
    return any(_matches(rule, token) for rule in rules)


def select_rules(rules, select=None, ignore=(), extend_select=()):
    """Ruff-style selection by code, code prefix or name; `select` also turns on opt-in rules."""
    for token in list(select or ()) + list(ignore) + list(extend_select):
        if not any(_matches(rule, token) for rule in rules):
            raise UsageError(f"unknown rule selector '{token}' (use a code, a code prefix or a rule name)")
    if select:
        active = [r for r in rules if any(_matches(r, t) for t in select)]
    else:
        active = [r for r in rules if r.enabled]
    if extend_select:  # by identity: rules compare by every field, and `in` would compare them all
        chosen = set(map(id, active))
        active += [r for r in rules if id(r) not in chosen and any(_matches(r, t) for t in extend_select)]
    return sorted((r for r in active if not any(_matches(r, t) for t in ignore)), key=lambda r: r.code)
