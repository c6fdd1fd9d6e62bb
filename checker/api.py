"""The Python API: check texts, records and paths from Python, the way the command line does.

    from checker.api import Linter
    linter = Linter(select=["FS", "TS"], timezone="Europe/Sofia")
    for finding in linter.lint(text, doc_id="a1", published="2024-07-05"):
        print(finding.code, finding.line, finding.column, finding.message)

The public names are those in `__all__`: `Linter`, `Finding` and `CheckerError`.
Everything else in the package is private and may change.

A Linter holds only its options: it pickles small and travels to Dask or Spark
workers as it is. The rules are loaded and compiled on first use in each
process, once for each set of options (`_PROCESS_PROFILES`), through the same
compiled-rule cache the command line uses; a Linter never starts a process
except in `lint_paths(jobs=N)`. The command line is a client of this module:
`checker PATHS` is `Linter._for_command_line(...)._check_paths(...)`.
"""

import datetime
import logging
import os
from collections import OrderedDict

from checker.errors import CheckerError
from checker.findings import Finding

__all__ = ["Linter", "Finding", "CheckerError"]

_DEFAULT_CACHE_DIR = ".checker_cache"  # checker.cache.DEFAULT_DIR, without importing the cache
_LOG = logging.getLogger("checker")

# Per process: the Profiles (settings and compiled rules) of each set of options, the
# most recently used kept: a long-lived process (the HTTP service, a notebook) that
# sees ever new options holds a bounded number of rule sets.
_PROCESS_PROFILES = OrderedDict()
_PROFILES_KEPT = 16


def _rule_sets_loaded():
    """How many rule sets this process has loaded (the tests ask each Dask worker)."""
    return sum(profiles.loads for profiles in _PROCESS_PROFILES.values())


class Linter:
    """The checker with a set of options; `lint`, `lint_records` and `lint_paths` check with them.

    select, ignore, extend_select: rule codes, code prefixes or names (as `--select`,
    `--ignore`, `--extend-select`). config: a configuration file for every text and
    path (as `--config`); None: texts and records get the defaults, and
    `lint_paths` the configuration nearest each file, as the command line does.
    rules: more folders of rule files. timezone, language, main_script, date_order,
    rule_timeout: as the settings of those names. cache_dir: where compiled rules
    (and, for `lint_paths`, findings of unchanged files) are cached, relative to
    each process's current folder; None: no cache.
    """

    __slots__ = ("_options",)

    def __init__(
        self, select=None, ignore=None, config=None, timezone=None, rules=None, *,
        extend_select=None, language=None, main_script=None, date_order=None, rule_timeout=None,
        cache_dir=_DEFAULT_CACHE_DIR,
    ):
        overrides = {
            "select": _codes("select", select), "ignore": _codes("ignore", ignore) or (),
            "extend_select": _codes("extend_select", extend_select) or (),
            "rule_dirs": tuple(os.path.abspath(os.fspath(d)) for d in _strings("rules", rules)),
            "timezone": timezone, "language": language, "main_script": main_script,
            "date_order": date_order, "rule_timeout": rule_timeout,
        }
        config = os.path.abspath(os.fspath(config)) if config is not None else None
        self._options = _freeze(overrides, config, None if cache_dir is None else os.fspath(cache_dir))

    @classmethod
    def _for_command_line(cls, overrides, config, cache_dir):
        """The Linter of a command line: its settings as `checker.cli.command_line_settings`
        gives them (paths as typed, run-wide settings such as `format` included)."""
        linter = cls.__new__(cls)
        linter._options = _freeze(overrides, config, cache_dir)
        return linter

    # --- pickling and identity: the options alone ---------------------------------
    def __getstate__(self):
        return self._options

    def __setstate__(self, state):
        self._options = state

    def __eq__(self, other):
        return isinstance(other, Linter) and other._options == self._options

    def __hash__(self):
        return hash(self._options)

    def __repr__(self):
        overrides, config, cache_dir = self._options
        shown = [f"{name}={value!r}" for name, value in overrides if value not in (None, ())]
        shown += [f"config={config!r}"] if config else []
        return f"Linter({', '.join(shown)})"

    # --- checking -----------------------------------------------------------------
    def lint(self, text, *, path="<text>", doc_id=None, published=None, language=None, markdown=False):
        """The findings in `text` (a str), in order: a list of Finding.

        path: the path findings report. doc_id: your id of the document, carried by
        each finding as its `record`. published: when it was published (a date, a datetime or an
        ISO 8601 / RFC 3339 string): the date the TS rules read relative and
        past dates against, as they would a header timestamp. language: the BCP 47
        tag the document declares (a `language` option or setting comes first, as
        for files). markdown: read it as Markdown (suppression comments, code).
        """
        if not isinstance(text, str):
            raise TypeError(f"lint() takes the text as a str, not {type(text).__name__}")
        from checker.pipeline import About, check_record  # lazy: start-up

        profile = self._profile_for_text()
        about = About(publication_date(published), language) if published is not None or language else None
        return check_record(text, path, profile.rules, profile.settings, markdown, doc_id, about).findings

    def lint_records(
        self, records, text_field="body", id_field="id", *, published_field=None, language_field=None,
        path="<record>", markdown=False,
    ):
        """Yield the findings of each record (a mapping) as dicts (`Finding.as_dict()`).

        The text is `record[text_field]`, the id `record[id_field]` (each finding's `record`;
        None when absent), the publication date `record[published_field]` and the declared
        language `record[language_field]` when those fields are named. A record
        without a text (the field missing, null or not a string) gives one CK001
        finding, and the others go on. A publication date that cannot be read
        raises ValueError naming the record."""
        from checker.pipeline import About, check_record, unreadable_file  # lazy: start-up

        profile = self._profile_for_text()
        rules, settings = profile.rules, profile.settings
        unreadable = next((rule for rule in rules if rule.code == "CK001"), None)
        for record in records:
            doc_id = _present(record.get(id_field))
            text = record.get(text_field)
            if not isinstance(text, str):
                if unreadable is not None:
                    reason = f"no text field {text_field!r}" if _present(text) is None else f"field {text_field!r} is not a string"
                    finding = unreadable_file(unreadable, path, reason)
                    finding.record = doc_id
                    yield finding.as_dict()
                continue
            published = _present(record.get(published_field)) if published_field else None
            language = _present(record.get(language_field)) if language_field else None
            try:
                about = About(publication_date(published), language) if published is not None or language else None
            except ValueError as exc:
                raise ValueError(f"record {doc_id!r}: {exc}") from None
            for finding in check_record(text, path, rules, settings, markdown, doc_id, about).findings:
                yield finding.as_dict()

    def lint_paths(self, paths, *, jobs=1, force_exclude=False):
        """The findings in the files and folders under `paths`, in report order: what
        `checker PATHS` reports with the same options (each file with the
        configuration nearest it unless `config` is set; per-file ignores applied).
        jobs: worker processes (1: none; 0: one per CPU). A path that does not exist
        raises FileNotFoundError before anything is checked; notices (a file that
        cannot be read) go to the `checker` logger."""
        paths = [os.fspath(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
        missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
        if missing:
            raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
        linter = self
        if force_exclude:
            overrides, config, cache_dir = self._options
            linter = Linter._for_command_line({**dict(overrides), "force_exclude": True}, config, cache_dir)
        run = linter._check_paths(paths, jobs=jobs, notify=_LOG.warning, progress=False)
        return in_report_order(run.results)

    # --- the one path from options to findings (the command line's too) ----------------
    def _profiles(self):
        """This process's Profiles for these options: made (and the rules loaded) once."""
        key = (self._options, os.getcwd())  # relative folders (the cache) are the process's own
        profiles = _PROCESS_PROFILES.get(key)
        if profiles is None:
            from checker.profiles import Profiles  # lazy: start-up

            overrides, config, cache_dir = self._options
            profiles = Profiles({name: _thaw(value) for name, value in overrides}, config, cache_dir)
            _PROCESS_PROFILES[key] = profiles
            if len(_PROCESS_PROFILES) > _PROFILES_KEPT:
                _PROCESS_PROFILES.popitem(last=False)
        else:
            _PROCESS_PROFILES.move_to_end(key)
        return profiles

    def _profile_for_text(self):
        return self._profiles().for_text()

    def _check_paths(
        self, paths, *, stdin_filename=None, jobs=None, keep_source=False, result_cache=True, shard=None, notify=None,
        progress=None, baseline=None, deliver=None,
    ):
        """Check the files under `paths` (checker.runner), keeping what `findings_filter`
        keeps (per-file ignores, then the baseline): a runner.Run whose `keep` is that
        filter. keep_source: keep each file's text on its result (fixes, snippets).
        result_cache: serve unchanged files from the findings cache. shard: (index,
        count) to check one shard of the input (checker.shards). baseline: a
        checker.suppress.Baseline, or None. notify, progress, deliver: as
        checker.runner.check_paths takes them."""
        from checker.runner import check_paths  # lazy: start-up

        profiles = self._profiles()
        keep = findings_filter(baseline)
        run = check_paths(
            paths, profiles, stdin_filename, jobs=jobs, cache_dir=profiles.cache_dir if result_cache else None,
            keep_source=keep_source, keep=keep, deliver=deliver, shard=shard, notify=notify, progress=progress,
        )
        run.keep = keep
        return run


def in_report_order(results):
    """The findings of the results by path, then by line, column and code within a
    file (an archive's by record first, in the archive's order)."""
    from checker.findings import IN_FILE_ORDER  # lazy: start-up

    ordered = []
    for result in sorted(results, key=_path_of):
        # each file's findings come sorted from the pipeline: the sort only confirms it
        ordered += result.findings if result.records is not None else sorted(result.findings, key=IN_FILE_ORDER)
    return ordered


def _path_of(result):
    return result.path


def findings_filter(baseline=None):
    """keep(path, findings, settings): drops what the file's configuration ignores for it
    (`per-file-ignores`), then what the baseline (if any) holds."""

    def keep(path, findings, settings):
        if settings.per_file_ignores:
            from checker.suppress import without_per_file_ignores  # lazy: start-up (only with such settings)

            findings = without_per_file_ignores(path, findings, settings)
        if baseline is not None:
            findings = baseline.new(findings)
        return findings

    return keep


def publication_date(value):
    """A datetime.date from a date, a datetime or an ISO 8601 / RFC 3339 string (read
    as leniently as a header timestamp is); ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        from checker.kinds.timestamp import parse  # lazy: start-up

        found = parse(value.strip()).calendar_date
        if found is None:
            raise ValueError(f"published {value!r} is not a date (ISO 8601 / RFC 3339)")
        return found
    raise ValueError(f"published must be a date, a datetime or an ISO 8601 string, not {type(value).__name__}")


def _present(value):
    """None for a missing value, as a data frame writes it (None, NaN, NaT), else the value."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value


def _codes(name, value):
    if value is None:
        return None
    return _strings(name, [value] if isinstance(value, str) else value)


def _strings(name, value):
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        value = [value]
    value = tuple(value)
    if not all(isinstance(v, (str, os.PathLike)) for v in value):
        raise TypeError(f"{name} takes strings, not {value!r}")
    return value


def _freeze(overrides, config, cache_dir):
    """The options as a hashable, picklable tuple: ((name, value), ...), config, cache_dir."""
    frozen = tuple(sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in overrides.items()))
    return frozen, config, cache_dir


def _thaw(value):
    return list(value) if isinstance(value, tuple) else value

