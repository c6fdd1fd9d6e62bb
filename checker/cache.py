"""Caches under `.checker_cache/`: the compiled rule set, and findings of unchanged files.

- The rule set: a pickle of the prepared rules (compiled regexes included),
  keyed by the content of every rule file, the data files they read, the
  per-rule overrides and the checker's own code. An unchanged rule set then
  loads without importing PyYAML, parsing or validating anything. A pickle can
  run code when loaded, and a cache folder sits in the user's repository where
  anyone could commit one, so each pickle is signed with a key kept in the
  user's own cache folder (HMAC-SHA256) and an unsigned one is never loaded.
- Findings: JSON (data only), keyed by file path and content hash, under a
  folder named for the rule set and the settings, so that changing any rule
  file or setting starts afresh. Entries are spread over 256 bucket files so
  that a one-file run reads one small bucket.

Any cache problem (unwritable folder, corrupt entry) falls back to the uncached
path silently: a cache may make a run faster, never make it fail.
"""

import hashlib
import hmac
import json
import os
import pickle
import sys
from pathlib import Path

from checker import __version__, yamlio
from checker import rules as rules_module
from checker.files import digest, digest_file, replace_atomically
from checker.findings import Finding, Fix

DEFAULT_DIR = ".checker_cache"
FORMAT = 3  # bump when the layout of cached data changes
_PACKAGE = Path(__file__).resolve().parent
_BUCKETS = 256


def _code_fingerprint():
    """The checker's own code (version, Python, the package's source files' size and mtime)."""
    parts = [__version__, str(FORMAT), sys.version]
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(root, name))
                parts.append(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def _rule_folder_contents(folders):
    """(path, bytes) of every YAML file under the rule folders, data folders included."""
    found = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(dirs)
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")):
                    path = os.path.join(root, name)
                    with open(path, "rb") as handle:
                        found.append((path, handle.read()))
    return found


def stable_json(value):
    def default(obj):
        if isinstance(obj, (set, frozenset)):
            return sorted(map(str, obj))
        return repr(obj)

    return json.dumps(value, sort_keys=True, default=default, ensure_ascii=False)


# --- the signing key ------------------------------------------------------------


def _key_path():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "checker" / "cache-key"


def _signing_key():
    """This user's secret key, created on first use; None when it cannot be had."""
    path = _key_path()
    try:
        with open(path, "rb") as handle:
            key = handle.read()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = os.urandom(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
    except FileExistsError:  # another run created it first
        try:
            return path.read_bytes() or None
        except OSError:
            return None
    except OSError:
        return None


def _write_atomic(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(str(path), data, durable=False)  # a lost entry is only re-computed


# --- the compiled rule set ----------------------------------------------------

def load_rules_cached(folders, overrides=None, cache_dir=None):
    """(`rules.load_rules(folders, overrides)`, the rule set's key), the rules
    from the cache when nothing changed. The key says what they were loaded from
    (rule files, data files, overrides, code): the findings cache keys on it.

    `cache_dir` None: no cache (and no key). Errors in rule files are never
    cached: a bad rule set is parsed (and reported) on every run.
    """

    if cache_dir is None:
        return rules_module.load_rules(folders, overrides), None
    try:
        contents = _rule_folder_contents(folders)
        key_material = stable_json(
            {"code": _code_fingerprint(), "folders": [str(f) for f in folders], "overrides": overrides or {}}
        ).encode("utf-8")
        hasher = hashlib.blake2b(key_material, digest_size=16)
        for path, data in contents:
            hasher.update(path.encode("utf-8", "surrogateescape") + b"\0" + digest(data).encode())
        path = Path(cache_dir) / f"rules-{hasher.hexdigest()}.pickle"
        signing_key = _signing_key()
    except OSError:
        return rules_module.load_rules(folders, overrides), None
    if signing_key is None:
        return rules_module.load_rules(folders, overrides), None
    cached = _read_signed(path, signing_key)
    if cached is not None:
        data_files, loaded = cached
        if all(digest_file(p) == d for p, d in data_files.items()):
            try:
                os.utime(path)  # pruning keeps the recently used
            except OSError:
                pass
            return loaded, stable_json([hasher.hexdigest(), data_files])

    yamlio.files_read = []
    try:
        loaded = rules_module.load_rules(folders, overrides)
        rule_paths = {p for p, _ in contents}
        data_files = {p: digest(raw) for p, raw in yamlio.files_read if p not in rule_paths}
    finally:
        yamlio.files_read = None
    try:
        from checker.matching.pickling import dumps_with_compiled_patterns  # lazy: start-up

        payload = dumps_with_compiled_patterns((data_files, loaded))
        _write_atomic(path, hmac.new(signing_key, payload, hashlib.sha256).digest() + payload)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a kind whose prepared form cannot be pickled: parse every time
    return loaded, stable_json([hasher.hexdigest(), data_files])


def _read_signed(path, signing_key):
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    signature, payload = blob[:32], blob[32:]
    if not hmac.compare_digest(signature, hmac.new(signing_key, payload, hashlib.sha256).digest()):
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # stale classes after an upgrade, truncated file: parse instead
        return None


# --- findings of unchanged files ------------------------------------------------


class ResultCache:
    """Findings per (path, content hash) for one rule set and one set of settings."""

    def __init__(self, cache_dir, rules, settings, rule_set_key=None):
        identity = stable_json(
            {
                "format": FORMAT,
                "code": _code_fingerprint(),
                "rule_set": rule_set_key or _rule_files_key(rules),
                "rules": [(r.path, r.code, r.severity, r.enabled, r.message, r.languages, stable_json(r.params)) for r in rules],
                "settings": settings.as_dict(),
            }
        )
        self.folder = Path(cache_dir) / f"results-{digest(identity.encode('utf-8'))}"
        self._buckets = {}  # bucket name -> {path: [content digest, findings]}
        self._dirty = set()

    @staticmethod
    def _bucket_of(path):
        return hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=1).hexdigest()

    def _bucket(self, name):
        if name not in self._buckets:
            try:
                with open(self.folder / f"{name}.json", encoding="utf-8") as handle:
                    entries = json.load(handle)
                if not isinstance(entries, dict):
                    entries = {}
            except (OSError, ValueError):
                entries = {}
            self._buckets[name] = entries
        return self._buckets[name]

    def get(self, path, content_digest):
        """(the cached findings, the document's language), or None."""
        entry = self._bucket(self._bucket_of(path)).get(path)
        if not isinstance(entry, list) or len(entry) != 3 or entry[0] != content_digest:
            return None
        try:
            return [_finding_from_dict(d) for d in entry[1]], entry[2]
        except (TypeError, KeyError, ValueError):
            return None

    def put(self, path, content_digest, findings, language=None):
        rows = [_finding_to_dict(f) for f in findings]
        name = self._bucket_of(path)
        self._bucket(name)[path] = [content_digest, rows, language]
        self._dirty.add(name)

    def save(self):
        try:
            for name in sorted(self._dirty):
                try:
                    data = json.dumps(self._buckets[name], ensure_ascii=False, separators=(",", ":"))
                except (TypeError, ValueError):
                    continue  # a finding field JSON cannot hold: those files are simply re-checked
                _write_atomic(self.folder / f"{name}.json", data.encode("utf-8"))
            _write_readme(self.folder.parent)
            if self.folder.is_dir():
                os.utime(self.folder)  # pruning keeps the recently used
            _prune(self.folder.parent, keep=self.folder.name)
        except OSError:
            pass
        self._dirty.clear()


def _rule_files_key(rules):
    """Without a key from load_rules_cached: the rule files and the data folders beside them."""
    folders = set()
    for rule in rules:
        family = Path(rule.path).parent
        folders.update(f for f in (family / "data", family.parent / "data") if f.is_dir())
    parts = [(r.path, digest(_read_or_empty(r.path))) for r in rules]
    parts += [(p, digest(data)) for p, data in _rule_folder_contents(sorted(folders))]
    return parts


KEEP_ENTRIES = 8  # rule sets and settings remembered: older cache entries are deleted


def _prune(folder, keep):
    """Delete all but the newest KEEP_ENTRIES result folders and rule pickles."""
    for prefix in ("results-", "rules-"):
        entries = sorted(
            (p for p in folder.iterdir() if p.name.startswith(prefix) and p.name != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for stale in entries[KEEP_ENTRIES - 1 :]:
            if stale.is_dir():
                import shutil  # lazy: start-up; only when there is something to delete

                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink()


def _read_or_empty(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _write_readme(folder):
    marker = folder / "CACHEDIR.TAG"
    if not marker.exists():
        marker.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# checker's cache: safe to delete; see `checker --no-cache`.\n",
            encoding="utf-8",
        )
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def _finding_to_dict(finding):
    row = finding.fields()
    if row.get("fix") is not None:
        row["fix"] = row["fix"].as_dict()
    return row  # a field JSON cannot hold makes save() skip that bucket


def _finding_from_dict(row):

    row = dict(row)
    if row.get("fix") is not None:
        row["fix"] = Fix(**row["fix"])
    if row.get("fix_position") is not None:
        row["fix_position"] = tuple(row["fix_position"])
    return Finding(**row)
