"""Find the files to check: paths as given, folders walked recursively."""

import os
from fnmatch import fnmatch

DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown")


class Missing(Exception):
    pass


def discover(paths, include=DEFAULT_INCLUDE):
    """Yield (display_path, filesystem_path) in a stable order; '-' is standard input.

    A named file is checked whatever its name; in folders only files matching
    `include` are, and hidden folders and files are skipped. Raises Missing for
    a path that does not exist (after yielding the ones before it).
    """
    for given in paths:
        if given == "-":
            yield "-", "-"
        elif os.path.isdir(given):
            yield from _walk(given, include)
        elif os.path.exists(given) or os.path.islink(given):
            yield given, given
        else:
            raise Missing(given)


def _walk(folder, include):
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and any(fnmatch(name, pattern) for pattern in include):
                full = os.path.join(root, name)
                found.append(full)
    for full in sorted(found):
        yield full, full
