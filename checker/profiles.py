"""Which settings and rules check each file: those of the nearest configuration
file at or above it, with the command line's on top (as ruff and
markdownlint-cli2 do). `--config FILE` makes one configuration serve every file.

A Profile is what one configuration makes of a run: its Settings, the rules it
selects and the key of its rule set (for the findings cache). Files under the
same configuration share one Profile, and configurations naming the same rule
folders and per-rule overrides share one loaded rule set.

Settings that belong to the whole run rather than to a file (`format`,
`fail-level`) come from the configuration nearest the current folder (or
`--stdin-filename`'s folder), as ruff takes them.
"""

import os
from pathlib import Path

from checker.config import (
    Settings,
    apply_config,
    check_override_targets,
    config_error_at,
    explain_override_error,
    find_config_in,
    read_config,
)
from checker.errors import CheckerError, UsageError
from checker.records import Record
from checker.rules import (
    builtin_rules_dir,
    load_rules,
    select_rules,
    selector_matches_any,
)

# Command-line values that replace the configuration's, and lists that add to it.
REPLACING = (
    "select", "fail_level", "language", "main_script", "timezone", "date_order", "format", "force_exclude", "rule_timeout",
    "input_format", "text_field", "id_field", "headline_field", "date_field", "language_field",
)
EXTENDING = ("ignore", "extend_select", "rule_dirs")
SELECTORS = ("select", "ignore", "extend_select")


class Profile(Record):
    FIELDS = ("settings", "rules", "all_rules", "rule_set_key")

    def __init__(self, settings, rules, all_rules, rule_set_key=None):
        self.settings = settings
        self.rules = rules  # the rules this configuration selects, by code
        self.all_rules = all_rules  # every rule its folders hold (for --list-rules, --explain)
        self.rule_set_key = rule_set_key  # what the rule set was loaded from (checker.cache)


class Profiles:
    """The Profile of each file and folder, worked out once per configuration file.

    overrides: {Settings field: value} from the command line (None values are
    left out). config: a configuration file for every path (`--config`), or
    None to look for the nearest. cache_dir: where compiled rule sets are
    cached (None: not cached)."""

    def __init__(self, overrides=None, config=None, cache_dir=None):
        self.overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        self.fixed_config = str(Path(config).resolve()) if config else None
        self.cache_dir = cache_dir
        self._config_of_folder = {}  # folder -> its nearest configuration file (or None)
        self._by_config = {}  # configuration file (or None) -> Profile
        self._rule_sets = {}  # (rule folders, overrides) -> (every rule, key)
        self._builtin_checked = False
        self.loads = 0  # rule sets loaded (from the files or the compiled-rule cache)

    # --- which configuration ----------------------------------------------------
    def config_of_folder(self, folder):
        """The configuration file nearest `folder` (at it or above), or None."""
        if self.fixed_config is not None:
            return self.fixed_config
        folder = os.path.abspath(folder)
        known = self._config_of_folder.get(folder)
        if known is None and folder not in self._config_of_folder:
            here = find_config_in(folder)
            parent = os.path.dirname(folder)
            known = str(here) if here is not None else (self.config_of_folder(parent) if parent != folder else None)
            self._config_of_folder[folder] = known
        return known

    def for_folder(self, folder):
        """The Profile of the files directly in `folder`."""
        return self._profile(self.config_of_folder(folder))

    def for_file(self, path):
        """The Profile of the file at `path` (it need not exist: --stdin-filename)."""
        return self.for_folder(os.path.dirname(os.path.abspath(path)))

    def for_text(self):
        """The Profile of a text that is no file (checker.api): the fixed configuration
        (`--config`), or else none at all: the defaults and the overrides."""
        return self._profile(self.fixed_config)

    def for_run(self, start="."):
        """The Profile whose settings hold for the whole run: nearest `start` (the current folder)."""
        return self.for_folder(start)

    def every(self):
        """The Profiles made so far."""
        return list(self._by_config.values())

    # --- making a profile -----------------------------------------------------
    def _profile(self, config_path):
        profile = self._by_config.get(config_path)
        if profile is None:
            profile = self._by_config[config_path] = self._make(config_path)
        return profile

    def _make(self, config_path):
        settings = Settings()
        if config_path is not None:
            apply_config(settings, read_config(config_path), config_path)
        else:
            settings.root = os.getcwd()
        from_file = {name: list(getattr(settings, name) or ()) for name in SELECTORS}
        for name, value in self.overrides.items():
            if name in EXTENDING:
                setattr(settings, name, [*getattr(settings, name), *value])
            else:
                setattr(settings, name, value)
        try:
            settings.validate()
        except UsageError as exc:
            if config_path is None or not any(name in self.overrides for name in REPLACING):
                raise
            raise UsageError(f"{exc} (with {config_path})") from None
        all_rules, key = self._rule_set(settings)
        if config_path is not None:
            _check_selectors(all_rules, from_file, config_path)
        _check_selectors(all_rules, {name: self.overrides.get(name) or () for name in SELECTORS}, None)

        rules = select_rules(all_rules, settings.select, settings.ignore, settings.extend_select)
        return Profile(settings, rules, all_rules, key)

    def _rule_set(self, settings):
        """(every rule, the rule set's key) for the settings' rule folders and overrides."""
        from checker.cache import (
            stable_json,  # lazy: start-up (--no-cache never imports the cache)
        )

        folders = [builtin_rules_dir(), *settings.rule_dirs]
        identity = (tuple(map(str, folders)), stable_json(settings.rule_overrides))
        found = self._rule_sets.get(identity)
        if found is None:
            found = self._rule_sets[identity] = self._load(folders, settings)
        return found

    def _load(self, folders, settings):
        self.loads += 1
        try:
            if self.cache_dir is None:
                loaded = load_rules(folders, settings.rule_overrides), None
            else:
                from checker import (
                    cache,  # lazy: start-up (--no-cache never imports the cache)
                )

                loaded = cache.load_rules_cached(folders, settings.rule_overrides, self.cache_dir)
        except CheckerError as exc:

            raise explain_override_error(settings, folders) or exc from None
        if settings.rule_overrides:

            check_override_targets(loaded[0], settings)
        return loaded


def _check_selectors(rules, lists, config_path):
    """Every selector names a rule, a code prefix or a name; the error names the
    configuration file and line where the selector came from one."""

    for name, tokens in lists.items():
        for token in tokens:
            if not selector_matches_any(rules, token):
                message = f"unknown rule selector '{token}' in '{name.replace('_', '-')}' (use a code, a code prefix or a rule name)"
                if config_path is None:
                    raise UsageError(message.replace(f" in '{name.replace('_', '-')}'", ""))
                raise config_error_at(config_path, token, message)
