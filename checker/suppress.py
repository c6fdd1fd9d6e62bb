"""Suppression comments in Markdown and HTML (invisible HTML comments, as markdownlint's),
also in NewsML-G2 (XML comments) and in the HTML of a ninjs body:

    <!-- checker-disable-next-line AT101 reason -->   the next line
    <!-- checker-disable-line FS101 reason -->        the comment's own line
    <!-- checker-disable AT101 reason --> ... <!-- checker-enable AT101 -->
    <!-- checker-disable-file TS206 reason -->        the whole file

Codes are required (no blanket disable); words after the codes are the reason.
A directive (or one of its codes) that suppresses nothing is reported as CK002,
a disable range never closed as CK003 (it then runs to the end of the file).
Directives inside fenced code blocks and code spans are examples, not directives.
"""

import json
import os
import re
from fnmatch import fnmatch

from checker.errors import ConfigError
from checker.files import write_new_atomically
from checker.records import Record
from checker.rules import CODE_RE

UNUSED, UNTERMINATED = "CK002", "CK003"
_DIRECTIVE = re.compile(r"<!--[ \t]*checker-(disable-next-line|disable-line|disable-file|disable|enable)\b(.*?)-->", re.S)
_FENCE = re.compile(r"(?m)^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S)
_CODE_SPAN = re.compile(r"`[^`\n]+`")


class Directive(Record):
    FIELDS = ("action", "codes", "start", "end", "line", "end_line", "used")

    def __init__(self, action, codes, start, end, line, end_line, used=None):
        self.action = action
        self.codes = codes
        self.start = start  # offsets of the whole comment
        self.end = end
        self.line = line
        self.end_line = end_line
        self.used = set() if used is None else used


def parse_directives(text, position, markdown=True):
    """Every suppression comment outside code (in Markdown: fenced blocks and code spans), in order."""
    if "checker-" not in text:
        return []
    code_ranges = [m.span() for m in _FENCE.finditer(text)] + [m.span() for m in _CODE_SPAN.finditer(text)] if markdown else []
    directives = []
    for m in _DIRECTIVE.finditer(text):
        if any(s <= m.start() < e for s, e in code_ranges):
            continue
        codes = []
        for token in re.split(r"[\s,]+", m.group(2).strip()):
            if not CODE_RE.match(token):
                break  # the reason starts here
            codes.append(token)
        line = position(m.start())[0]
        end_line = position(m.end())[0]
        directives.append(Directive(m.group(1), codes, m.start(), m.end(), line, end_line))
    return directives


def apply_suppressions(doc, findings, rules, markdown=True):
    """Drop suppressed findings; add CK002/CK003 findings when those rules are active.
    `doc`: the Document (Markdown), or the stored text of an HTML, XML or JSON file
    (checker.pipeline.StoredText), with findings in its offsets."""
    directives = parse_directives(doc.text, doc.position, markdown)
    if not directives:
        return findings
    by_code = {rule.code: rule for rule in rules}
    active = set(by_code)
    ranges, problems = _ranges(directives, len(doc.text))
    kept = []
    for finding in findings:
        line = doc.position(finding.start)[0]
        covering = None
        for directive, start, end in ranges:
            if finding.code not in directive.codes:
                continue
            if directive.action == "disable-line":
                hit = line == directive.line
            elif directive.action == "disable-next-line":
                hit = line == directive.end_line + 1
            else:  # disable (range) and disable-file
                hit = start <= finding.start < end
            if hit:
                covering = directive
                break
        if covering is None:
            kept.append(finding)
        else:
            covering.used.add(finding.code)
    if UNUSED in by_code:
        kept.extend(unused_suppressions(doc, directives, by_code[UNUSED], active))
    if UNTERMINATED in by_code:
        kept.extend(unterminated_suppressions(doc, problems, by_code[UNTERMINATED]))
    return kept


def unterminated_suppressions(doc, openers, rule):
    """CK003: each `checker-disable` with no matching `checker-enable` (its range runs to the end of the file)."""
    for directive in openers:
        yield rule.finding(doc, directive.start, directive.end, codes=", ".join(directive.codes))


def _ranges(directives, text_end):
    """(directive, start, end) for every disabling directive, and the unterminated ranges."""
    ranges, open_ranges, problems = [], {}, []
    for directive in directives:
        if directive.action == "disable":
            for code in directive.codes:
                open_ranges.setdefault(code, (directive, directive.end))
        elif directive.action == "enable":
            closed = [code for code in directive.codes if code in open_ranges]
            for code in closed:
                opener, start = open_ranges.pop(code)
                ranges.append((Directive(opener.action, [code], opener.start, opener.end, opener.line, opener.end_line, opener.used), start, directive.start))
            directive.used.update(closed)  # an enable that closes a range is doing its job
        elif directive.action == "disable-file":
            ranges.append((directive, 0, text_end))
        else:
            ranges.append((directive, directive.start, directive.end))
    for code, (opener, start) in open_ranges.items():
        ranges.append((Directive(opener.action, [code], opener.start, opener.end, opener.line, opener.end_line, opener.used), start, text_end))
        if opener not in problems:
            problems.append(opener)
    return ranges, problems


_WHERE = {
    "disable-next-line": "no {codes} finding on the next line",
    "disable-line": "no {codes} finding on this line",
    "disable": "no {codes} finding in its range",
    "disable-file": "no {codes} finding in this file",
    "enable": "no {codes} range is open here",
}


def unused_suppressions(doc, directives, rule, active):
    """CK002: each directive, or each of its codes, that suppressed nothing; a directive naming no code."""
    found = []
    for directive in directives:
        if not directive.codes:
            found.append(rule.finding(doc, directive.start, directive.end, detail="it names no rule code (blanket disables are not allowed)"))
            continue
        # A code whose rule did not run this time (not selected) may well be needed: not reported.
        unused = [code for code in directive.codes if code in active and code not in directive.used]
        if unused:
            detail = _WHERE[directive.action].format(codes=", ".join(unused))
            found.append(rule.finding(doc, directive.start, directive.end, detail=detail))
    return found


# --- per-file ignores and baselines (for plain text, which has no comments) ------


def matches_selector(finding, token):
    """A code, a code prefix, a rule name, or ALL (as --select reads them)."""
    return token in ("ALL", finding.code, finding.name) or (token[:1].isupper() and finding.code.startswith(token))


def without_per_file_ignores(path, findings, settings):
    """The findings that the file's configuration does not ignore for it (`per-file-ignores`)."""
    ignored = per_file_ignored(path, settings.per_file_ignores, settings.root)
    if not ignored:
        return findings
    return [f for f in findings if not any(matches_selector(f, token) for token in ignored)]


def per_file_ignored(path, per_file_ignores, root):
    """The selectors that `per-file-ignores` (glob -> codes) sets for `path`."""

    if not per_file_ignores:
        return []
    relative = os.path.relpath(os.path.abspath(path), root or os.getcwd()).replace(os.sep, "/")
    name = relative.rsplit("/", 1)[-1]
    selectors = []
    for pattern, codes in per_file_ignores.items():
        pattern = pattern.lstrip("./") if pattern.startswith("./") else pattern
        if fnmatch(relative, pattern) or ("/" not in pattern and fnmatch(name, pattern)):
            selectors.extend(codes)
    return selectors


BASELINE_VERSION = 1


def baseline_key(finding, folder):
    """(path relative to the baseline's folder, record, code, matched text): no line numbers,
    so edits above do not matter; the record (of an archive) so that each record keeps its own."""

    path = finding.path if finding.path == "-" else os.path.relpath(os.path.abspath(finding.path), folder)
    return (path.replace(os.sep, "/"), finding.record, finding.code, finding.matched)


def write_baseline(path, findings):
    """Record `findings` in a JSON baseline file (a multiset: identical findings are counted);
    a finding in an archive record is recorded with the record's id."""


    folder = os.path.dirname(os.path.abspath(path))
    counts = {}
    for finding in findings:
        key = baseline_key(finding, folder)
        counts[key] = counts.get(key, 0) + 1
    entries = [
        {"path": p, **({"record": r} if r is not None else {}), "code": c, "matched": m, "count": n}
        for (p, r, c, m), n in sorted(counts.items(), key=lambda entry: (entry[0][0], entry[0][1] or "", *entry[0][2:]))
    ]
    data = {"checker-baseline": BASELINE_VERSION, "findings": entries}
    write_new_atomically(path, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return len(findings)


def read_baseline(path):
    """The counted keys of a baseline file; ConfigError naming the file when it is not one."""


    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline file not found (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: not a checker baseline ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        if data.get("checker-baseline") != BASELINE_VERSION:
            raise ValueError
        counts = {(e["path"], e.get("record"), e["code"], e["matched"]): int(e.get("count", 1)) for e in data["findings"]}
    except (AttributeError, KeyError, TypeError, ValueError):
        raise ConfigError(f"{path}: not a checker baseline (expected {{\"checker-baseline\": 1, \"findings\": [...]}})") from None
    return os.path.dirname(os.path.abspath(path)), counts


class Baseline:
    """Findings recorded earlier; `new(findings)` leaves out as many of each as were recorded."""

    def __init__(self, path):
        self.folder, self.counts = read_baseline(path)

    def new(self, findings):
        remaining = dict(self.counts)
        kept = []
        for finding in findings:
            key = baseline_key(finding, self.folder)
            if remaining.get(key, 0) > 0:
                remaining[key] -= 1
            else:
                kept.append(finding)
        return kept
