"""`full`: each finding as in `concise`, then its line with a caret under the span.

Long lines (a paragraph is often one line) are cut to a window around the span.
Invisible and control characters are shown as <U+XXXX> so the caret stays true
and nothing reorders the terminal. Colour only on a terminal and never when
NO_COLOR is set (https://no-color.org).
"""

import os
import re
import unicodedata

from checker.report import shown_message
from checker.report.concise import summary_line

WINDOW_BEFORE, WINDOW_WIDTH = 40, 100
_COLOURS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def use_colour(stream):
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def write(findings, stream, summary):
    colour = use_colour(stream)
    paint = (lambda code, text: f"{code}{text}{_RESET}") if colour else (lambda code, text: text)
    text_of = summary.get("text_of", lambda path: None)
    lines_cache = {}
    for f in findings:
        head = f"{paint(_BOLD, f'{f.path}:{f.line}:{f.column}:')} {paint(_COLOURS.get(f.severity, ''), f.code)} {shown_message(f)}"
        stream.write(head + "\n")
        if f.path not in lines_cache:
            text = text_of(f.path)
            lines_cache[f.path] = _split_lines(text) if text is not None else None
        lines = lines_cache[f.path]
        if lines is None or not 1 <= f.line <= len(lines):
            continue
        shown, caret = snippet(lines[f.line - 1], f.column, f.end_column if f.end_line == f.line else None)
        gutter = " " * len(str(f.line))
        stream.write(paint(_DIM, f"{gutter} |") + "\n")
        stream.write(paint(_DIM, f"{f.line} |") + f" {shown}\n")
        stream.write(paint(_DIM, f"{gutter} |") + f" {paint(_COLOURS.get(f.severity, ''), caret)}\n")
        if f.fix is not None:
            kind = "fix" if f.fix.safe else "unsafe fix (--unsafe-fixes)"
            stream.write(paint(_DIM, f"{gutter} = {kind}: replace with {f.fix.replacement!r}") + "\n")
    if summary.get("show", True):
        stream.write(summary_line(findings, summary["files_checked"]) + "\n")


def _split_lines(text):

    return re.split(r"\r\n|\r|\n", text)


def snippet(line, column, end_column=None):
    """(the line as shown, the caret line under it); columns are 1-based code points, end exclusive."""
    start = max(column - 1, 0)
    end = len(line) if end_column is None else max(min(end_column - 1, len(line)), start)
    first = max(0, start - WINDOW_BEFORE)
    last = min(len(line), max(end, first + WINDOW_WIDTH))
    before = _render(line[first:start])
    span = _render(line[start:end])
    after = _render(line[end:last])
    lead, trail = ("…" if first > 0 else ""), ("…" if last < len(line) else "")
    shown = lead + before + span + after + trail
    caret = " " * (_width(lead) + _width(before)) + "^" * max(1, _width(span))
    return shown, caret


def _render(text):
    out = []
    for ch in text:
        if ch == "\t":
            out.append("    ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def _width(text):
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
