"""Find the files to check: paths as given, folders walked recursively.

In folders only files matching `include` are checked; hidden files and folders,
`exclude`/`extend-exclude` matches and (in a git work tree) git-ignored files are
skipped. A file named on the command line is checked whatever its name, unless
`force-exclude` is on and an exclude pattern matches it (pre-commit passes every
staged file explicitly, so the hook needs that).

Patterns follow ruff: a pattern without `/` matches any path component
(`drafts`, `*.draft.md`); one with `/` matches the path relative to the
configuration file's folder (`archive/2019/*`).
"""

import os
import re
from fnmatch import translate
from functools import lru_cache


class Missing(Exception):
    pass


class Excluded(Exception):
    """A path named on the command line that an exclude pattern matches (with force-exclude)."""

    def __init__(self, path, pattern, source):
        super().__init__(path)
        self.path, self.pattern, self.source = path, pattern, source

    def __str__(self):
        where = f" in {self.source}" if self.source else ""
        return f"{self.path}: excluded by the pattern '{self.pattern}' (exclude{where}); not checked"


def discover(given, profiles):
    """Yield (display_path, filesystem_path, profile) for one path from the command
    line, in a stable order ('-' is standard input, its profile found by the caller).

    Each folder's files are judged by the configuration nearest that folder
    (`profiles.for_folder`). Raises Missing for a path that does not exist, and
    Excluded for one that force-exclude leaves out."""
    if given == "-":
        yield "-", "-", None
    elif os.path.isdir(given):
        profile = profiles.for_folder(given)
        refuse_excluded(given, profile.settings)
        found = list(_walk(given, profiles))
        if profile.settings.respect_gitignore:
            found = _drop_git_ignored(found, given)
        yield from found
    elif os.path.exists(given) or os.path.islink(given):
        profile = profiles.for_file(given)
        refuse_excluded(given, profile.settings)
        yield given, given, profile
    else:
        raise Missing(given)


def refuse_excluded(path, settings):
    if settings.force_exclude:
        pattern = excluding_pattern(path, settings.all_excludes, settings.root)
        if pattern is not None:
            raise Excluded(path, pattern, settings.config_path)


def is_excluded(path, patterns, root):
    """Does an exclude pattern match `path` (a component of it, or its path under `root`)?"""
    if not patterns:
        return False
    return _excluded_relative(_relative(path, root), patterns)


def excluding_pattern(path, patterns, root):
    """The first of `patterns` that excludes `path`, or None."""
    relative = _relative(path, root)
    for pattern in patterns:
        if _excluded_relative(relative, (pattern,)):
            return pattern
    return None


def _relative(path, root):
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def _excluded_relative(relative, patterns, components=None):
    """is_excluded for a path already made relative; `components`: the ones to
    check (default: all of them)."""
    whole_path, component = _exclude_matchers(tuple(patterns))
    if whole_path is not None and whole_path.match(relative):
        return True
    if component is not None:
        parts = relative.split("/") if components is None else components
        return any(component.match(part) for part in parts if part not in ("", ".", ".."))
    return False


@lru_cache(maxsize=8)
def _exclude_matchers(patterns):
    """One regular expression for the patterns with a '/' (matched against the
    whole relative path, or as a folder prefix of it), one for those without
    (matched against each component): checked for every file of a large tree."""
    whole_path, component = [], []
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            pattern = pattern.lstrip("./")
            whole_path += [translate(pattern), translate(pattern + "/*")]
        else:
            component.append(translate(pattern))
    return tuple(re.compile("|".join(f"(?:{p})" for p in group)) if group else None for group in (whole_path, component))


@lru_cache(maxsize=8)
def _include_matcher(patterns):
    """`fnmatch(name, pattern)` for any of the patterns, as one regular expression:
    asked for every file of a tree, where fnmatch on each pattern would be tried in turn."""
    return re.compile("|".join(f"(?:{translate(os.path.normcase(p))})" for p in patterns)).match if patterns else (lambda name: None)


def _walk(folder, profiles):
    """(path, path, profile) of every file to check under `folder`, sorted by path."""
    found = []
    for here, dirs, files in os.walk(folder):
        profile = profiles.for_folder(here)  # the configuration nearest this folder
        settings = profile.settings
        excludes, root = settings.all_excludes, settings.root
        included = _include_matcher(tuple(settings.include))
        whole_path, component = _exclude_matchers(tuple(excludes)) if excludes else (None, None)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not is_excluded(os.path.join(here, d), excludes, root))
        # A file's path is its folder's plus its name: the folder's part is worked
        # out once, not for each of its (maybe thousands of) files, and each test
        # runs over the whole folder's names at once.
        names = [name for name in files if not name.startswith(".") and included(os.path.normcase(name))]
        if excludes and names:
            folder_relative = _relative(here, root)
            if _excluded_relative(folder_relative, excludes):
                continue
            if component is not None:  # a pattern without `/`: the folders' names are tested already
                names = [name for name in names if not component.match(name)]
            if whole_path is not None:
                prefix = "" if folder_relative == "." else folder_relative + "/"
                names = [name for name in names if not whole_path.match(prefix + name)]
        prefix = os.path.join(here, "")  # os.path.join(here, name) is prefix + name
        found.extend((prefix + name, prefix + name, profile) for name in names)
    return sorted(found, key=lambda item: item[0])


def _drop_git_ignored(files, folder):
    """Leave out files git ignores; unchanged when git is absent or `folder` is not in a work tree."""
    if not files or not _maybe_in_git_work_tree(folder):
        return files
    import subprocess  # lazy: start-up; only for folders: a hook's list of files needs no git

    absolute = {os.path.abspath(f[1]): f for f in files}
    try:
        result = subprocess.run(
            ["git", "check-ignore", "-z", "--stdin"],
            input="\0".join(absolute).encode("utf-8", "surrogateescape"),
            capture_output=True,
            cwd=folder,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return files
    if result.returncode not in (0, 1):  # 128: not a git repository
        return files
    ignored = set(result.stdout.decode("utf-8", "surrogateescape").split("\0"))
    return [f for a, f in absolute.items() if a not in ignored]


def _maybe_in_git_work_tree(folder):
    """False when no folder from `folder` up holds a `.git` (and no GIT_DIR says
    where one is): then git would find no work tree, and is not started."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    here = os.path.abspath(folder)
    while True:
        if os.path.lexists(os.path.join(here, ".git")):
            return True
        parent = os.path.dirname(here)
        if parent == here:
            return False
        here = parent
