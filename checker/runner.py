"""Run the checks over many paths: discovery, reading, one result per file.

Knows nothing of output formats; notices for stderr are printed as they come.
"""

import sys

from checker.discover import Missing, discover
from checker.engine import FileResult, check_bytes, read_path


def check_paths(paths, rules, settings, stdin_filename=None):
    """Check every file under `paths`; returns (results, files checked, missing paths)."""
    results, missing, files_checked = [], [], 0
    for given in paths:
        try:
            files = list(discover([given], settings=settings))
        except Missing:
            print(f"checker: {given}: no such file or folder", file=sys.stderr)
            missing.append(given)
            continue
        if not files:
            print(f"checker: {given}: no files to check (.txt, .md, .markdown)", file=sys.stderr)
        for display, path in files:
            if path == "-" and stdin_filename:
                display = stdin_filename
            try:
                data = read_path(path)
            except OSError as exc:
                print(f"checker: {display}: cannot read ({exc.strerror or exc})", file=sys.stderr)
                results.append(FileResult(display, internal_errors=1))
                continue
            markdown = display.lower().endswith((".md", ".markdown")) if path == "-" else None
            result = check_bytes(data, display, rules, settings, markdown)
            for notice in result.notices:
                print(f"checker: {notice}", file=sys.stderr)
            results.append(result)
            files_checked += 1
    return results, files_checked, missing
