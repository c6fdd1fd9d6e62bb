"""Settings for one run: defaults, then a configuration file, then the command line.

The configuration file is `[tool.checker]` in `pyproject.toml`, or a `checker.toml` /
`.checker.toml` (top-level keys); the nearest one at or above the checked path wins
(in one folder: `.checker.toml`, then `checker.toml`, then `pyproject.toml`, as ruff
does). Every key is validated: an unknown key or a bad value ends the run with a
one-line error naming the file, never silently ignored.
"""

import os
import re
from pathlib import Path

from checker.errors import CheckerError, ConfigError, RuleError, UsageError
from checker.findings import SEVERITIES
from checker.formats import INPUT_FORMATS
from checker.records import Record
from checker.report import FORMAT_NAMES

CONFIG_FILES = (".checker.toml", "checker.toml", "pyproject.toml")
# Files in a news format are read only when their content is one (a package.json is not ninjs).
DEFAULT_INCLUDE = ["*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.json", "*.xml", "*.jsonl", "*.ndjson", "*.csv"]
# Folders no one means to lint (hidden folders are skipped anyway).
DEFAULT_EXCLUDE = ["node_modules", "__pycache__", "venv", "site-packages", "build", "dist"]
# Seconds one rule may spend on one file (a chunk of a large one) before it is
# abandoned there with a CK004 finding: far above what any built-in rule needs.
DEFAULT_RULE_TIMEOUT = 10.0


class Settings(Record):
    FIELDS = (
        "select", "ignore", "extend_select", "rule_dirs", "fail_level", "language", "main_script", "timezone",
        "date_order", "rule_overrides", "include", "exclude", "extend_exclude", "respect_gitignore",
        "per_file_ignores", "format", "force_exclude", "rule_timeout", "input_format", "text_field", "id_field",
        "headline_field", "date_field", "language_field", "root", "config_path", "debug",
    )

    def __init__(
        self, select=None, ignore=None, extend_select=None, rule_dirs=None, fail_level="warning", language=None,
        main_script=None, timezone=None, date_order=None, rule_overrides=None, include=None, exclude=None,
        extend_exclude=None, respect_gitignore=True, per_file_ignores=None, format="concise", force_exclude=False,
        rule_timeout=DEFAULT_RULE_TIMEOUT, input_format="auto", text_field=None, id_field="id", headline_field=None,
        date_field=None, language_field=None, root=None, config_path=None, debug=False,
    ):
        self.select = select  # None: the rules on by default
        self.ignore = [] if ignore is None else ignore
        self.extend_select = [] if extend_select is None else extend_select
        self.rule_dirs = [] if rule_dirs is None else rule_dirs  # user rule folders, added to the built-in ones
        self.fail_level = fail_level
        self.language = language  # None: detect per document
        self.main_script = main_script  # None: detect per document
        self.timezone = timezone  # IANA name, for timestamp fixes
        self.date_order = date_order  # "dmy" or "mdy"; None: ambiguous dates are findings
        self.rule_overrides = {} if rule_overrides is None else rule_overrides  # code or name -> {key: value}
        self.include = list(DEFAULT_INCLUDE) if include is None else include
        self.exclude = list(DEFAULT_EXCLUDE) if exclude is None else exclude
        self.extend_exclude = [] if extend_exclude is None else extend_exclude
        self.respect_gitignore = respect_gitignore
        self.per_file_ignores = {} if per_file_ignores is None else per_file_ignores  # glob -> [codes]
        self.format = format
        self.force_exclude = force_exclude
        self.rule_timeout = rule_timeout  # seconds one rule may spend on one file (0: unbounded)
        self.input_format = input_format  # "auto": by extension and content (checker.formats)
        self.text_field = text_field  # archive records: the article's text (None: `body`, else `text`)
        self.id_field = id_field  # ... its id (the `record` of its findings)
        self.headline_field = headline_field  # ... its headline, publication timestamp and language (None: none)
        self.date_field = date_field
        self.language_field = language_field
        self.root = root  # folder that relative patterns and rule folders are relative to
        self.config_path = config_path  # the configuration file read, if any
        self.debug = debug  # internal errors raise instead of becoming notices (developing a kind)

    def validate(self):
        if self.fail_level not in SEVERITIES:
            raise UsageError(f"fail level must be one of {', '.join(SEVERITIES)}, not {self.fail_level!r}")
        if self.date_order not in (None, "dmy", "mdy"):
            raise UsageError(f"date order must be 'dmy' or 'mdy', not {self.date_order!r}")
        if self.language is not None:
            from checker.language import language_tag  # lazy: start-up

            self.language = language_tag(self.language)
        if self.input_format not in INPUT_FORMATS:
            raise UsageError(f"input format must be one of {', '.join(INPUT_FORMATS)}, not {self.input_format!r}")
        for name in ("text_field", "id_field", "headline_field", "date_field", "language_field"):
            if getattr(self, name) is not None and not getattr(self, name):
                raise UsageError(f"{name.replace('_', '-')} must name a field, not be empty")
        if not isinstance(self.rule_timeout, (int, float)) or isinstance(self.rule_timeout, bool) or self.rule_timeout < 0:
            raise UsageError(f"rule timeout must be a number of seconds (0: none), not {self.rule_timeout!r}")
        if self.main_script is not None:
            self.main_script = _script_name(self.main_script)
        if self.timezone is not None:
            from zoneinfo import ZoneInfo  # lazy: start-up

            try:
                ZoneInfo(self.timezone)
            except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
                raise UsageError(f"unknown time zone {self.timezone!r} (use an IANA name such as Europe/Sofia)") from None
        return self

    @property
    def all_excludes(self):
        return [*self.exclude, *self.extend_exclude]


def _script_name(value):
    """A Unicode script's long name from its long name or ISO 15924 code, any case (cyrillic, Cyrl)."""
    import unicodedataplus  # lazy: start-up

    for name, aliases in unicodedataplus.property_value_aliases["script"].items():
        if value.lower() in (name.lower(), *(alias.lower() for alias in aliases)):
            return name
    raise UsageError(f"unknown main script {value!r} (use a Unicode script name such as Latin or Cyrillic)")


# --- the configuration file -----------------------------------------------------

# key in the file -> (Settings field, expected type, allowed values or None)
_KEYS = {
    "select": ("select", "list[str]", None),
    "ignore": ("ignore", "list[str]", None),
    "extend-select": ("extend_select", "list[str]", None),
    "rules": ("rule_dirs", "list[str]", None),
    "include": ("include", "list[str]", None),
    "exclude": ("exclude", "list[str]", None),
    "extend-exclude": ("extend_exclude", "list[str]", None),
    "respect-gitignore": ("respect_gitignore", "bool", None),
    "force-exclude": ("force_exclude", "bool", None),
    "per-file-ignores": ("per_file_ignores", "map[str,list[str]]", None),
    "fail-level": ("fail_level", "str", SEVERITIES),
    "language": ("language", "str", None),
    "main-script": ("main_script", "str", None),
    "timezone": ("timezone", "str", None),
    "date-order": ("date_order", "str", ("dmy", "mdy")),
    "format": ("format", "str", FORMAT_NAMES),
    "rule-timeout": ("rule_timeout", "number", None),
    "input-format": ("input_format", "str", INPUT_FORMATS),
    "text-field": ("text_field", "str", None),
    "id-field": ("id_field", "str", None),
    "headline-field": ("headline_field", "str", None),
    "date-field": ("date_field", "str", None),
    "language-field": ("language_field", "str", None),
}
RULE_TABLE = "rule"  # [tool.checker.rule.AT101]


def find_config(start):
    """The nearest configuration file at or above `start` (a file or folder), or None."""
    folder = Path(start).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        found = find_config_in(candidate)
        if found is not None:
            return found
    return None


def find_config_in(folder):
    """The configuration file in `folder` itself, or None."""
    for name in CONFIG_FILES:
        path = Path(folder) / name
        if path.is_file() and (name != "pyproject.toml" or _has_tool_table(path)):
            return path
    return None


def _has_tool_table(path):
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"(?m)^\s*\[\s*tool\.checker[\].]", text) is not None


def read_config(path):
    """The checker table of a configuration file, as a dict; ConfigError when it is not valid TOML."""
    import tomllib  # lazy: start-up

    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    # [tool.checker] in pyproject.toml, and in any file named with --config
    # (a shared pyproject-style file); top-level keys elsewhere
    tool = data.get("tool")
    if path.name == "pyproject.toml" or (isinstance(tool, dict) and "checker" in tool):
        table = tool.get("checker", {}) if isinstance(tool, dict) else {}
        if path.name != "pyproject.toml" and set(data) - {"tool"}:
            extra = sorted(set(data) - {"tool"})[0]
            raise _error(path, _safe_text(path), extra, f"'{extra}' outside [tool.checker]: put every key in that table, or none")
        return table if isinstance(table, dict) else {}
    return data


def apply_config(settings, table, path):
    """Set `settings` fields from a configuration table; ConfigError on any unknown key or bad value."""
    path = Path(path)
    text = _safe_text(path)
    for key, value in table.items():
        if key == RULE_TABLE:
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise _error(path, text, key, "'rule' must hold one table per rule, e.g. [tool.checker.rule.AT101]")
            settings.rule_overrides = {code: dict(values) for code, values in value.items()}
            continue
        if key not in _KEYS:
            known = ", ".join(sorted([*_KEYS, RULE_TABLE]))
            raise _error(path, text, key, f"unknown key '{key}' (known: {known})")
        name, kind, allowed = _KEYS[key]
        if not _type_ok(value, kind) or (allowed is not None and value not in allowed):
            expected = "one of " + ", ".join(repr(a) for a in allowed) if allowed else _DESCRIBE[kind]
            raise _error(path, text, key, f"'{key}' must be {expected}, not {value!r}"[:300])
        if key == "rules":
            value = [str((path.parent / folder).resolve()) if not os.path.isabs(folder) else folder for folder in value]
        setattr(settings, name, value)
    settings.config_path = str(path)
    settings.root = str(path.parent.resolve())
    try:
        settings.validate()
    except UsageError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return settings


_DESCRIBE = {"list[str]": "a list of strings", "bool": "true or false", "str": "a string", "number": "a number of seconds (0 or more)", "map[str,list[str]]": "a table of glob = [codes]"}


def _type_ok(value, kind):
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    if kind == "map[str,list[str]]":
        return isinstance(value, dict) and all(_type_ok(v, "list[str]") for v in value.values())
    raise AssertionError(kind)


def _safe_text(path):
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _error(path, text, key, message):
    """`path:line:col: message`, pointing at the key when it can be found in the file."""
    match = re.search(rf"(?m)^([ \t]*)[\"']?{re.escape(key)}[\"']?[ \t]*[=.\]]", text)
    if match is None:
        match = re.search(rf"(?m)^([ \t]*)\[[^\]\n]*\b{re.escape(key)}\b", text)
    if match is None:
        return ConfigError(f"{path}: {message}")
    line = text.count("\n", 0, match.start()) + 1
    return ConfigError(f"{path}:{line}:{len(match.group(1)) + 1}: {message}")


def config_error_at(path, value, message):
    """ConfigError `path:line:col: message`, at the first place `value` is written in
    the file as a quoted string (a selector in a list), else naming the file alone."""
    text = _safe_text(Path(path))
    match = re.search(rf"[\"']{re.escape(value)}[\"']", text)
    if match is None:
        return ConfigError(f"{path}: {message}")
    line_start = text.rfind("\n", 0, match.start()) + 1
    return ConfigError(f"{path}:{text.count(chr(10), 0, match.start()) + 1}:{match.start() - line_start + 1}: {message}")


def check_override_targets(rules, settings):
    """Every [rule.X] table must name a loaded rule (never silently ignored)."""
    known = {rule.code for rule in rules} | {rule.name for rule in rules}
    for key in settings.rule_overrides:
        if key not in known:
            raise ConfigError(f"{settings.config_path or 'configuration'}: [rule.{key}]: no rule with that code or name (see --list-rules)")


def explain_override_error(settings, folders):
    """When loading rules with overrides failed, the ConfigError naming the bad override (None if none is bad)."""
    if not settings.rule_overrides:
        return None
    from checker.rules import apply_overrides, kind_module, load_rules  # lazy: start-up

    try:
        rules = load_rules(folders)
    except CheckerError:
        return None  # the rule files themselves are at fault; their own error says where
    check_override_targets(rules, settings)
    by_key = {}
    for rule in rules:
        by_key[rule.code] = by_key[rule.name] = rule
    source = settings.config_path or "configuration"
    for key, values in settings.rule_overrides.items():
        rule = by_key[key]
        try:
            apply_overrides(rule, values)
            kind_module(rule.kind).prepare(rule)
        except RuleError as exc:
            return ConfigError(f"{source}: [rule.{key}]: {exc.message}")
        except CheckerError as exc:
            return ConfigError(f"{source}: [rule.{key}]: {exc}")
    return None


def show_settings(settings):
    """The resolved settings as TOML-like lines (for --show-settings)."""
    names = {name: key for key, (name, _, _) in _KEYS.items()}
    lines = [f"# configuration file: {settings.config_path or '(none; defaults and command line)'}"]
    for name in settings.FIELDS:
        if name in ("rule_overrides", "config_path", "debug"):
            continue
        lines.append(f"{names.get(name, name.replace('_', '-'))} = {_toml_value(getattr(settings, name))}")
    for code, values in sorted(settings.rule_overrides.items()):
        lines.append(f"[rule.{code}]")
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in values.items())
    return "\n".join(lines) + "\n"


def _toml_value(value):
    import json  # lazy: start-up

    if value is None:
        return '""  # unset'
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)
