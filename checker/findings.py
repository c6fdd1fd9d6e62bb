"""What checks produce: findings with offsets, and the fixes they carry.

`Finding` is public (`checker.api` re-exports it): its fields and `as_dict()`,
which is the JSON output's object for one finding, are a stable surface.
"""

from operator import attrgetter

from checker.records import FrozenRecord, Record

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


class Fix(FrozenRecord):
    """Replace text[start:end] with `replacement`. `safe` fixes apply with --fix."""

    FIELDS = ("start", "end", "replacement", "safe")

    def __init__(self, start, end, replacement, safe=True):
        self._set(start=start, end=end, replacement=replacement, safe=safe)


class Finding(Record):
    """One defect: the rule (code, name, severity), the message, where (`start`,
    `end`: code-point offsets into the document text; 1-based `line`, `column`,
    `end_line`, `end_column`), the `matched` text, the `fix` (or None), the `path`
    reported and `record` (the id of the archive record, collection item or document it is in, or None)."""

    # slots: a large file has a hundred thousand findings, and a __dict__ each would add much memory
    __slots__ = FIELDS = (
        "code", "name", "severity", "message",
        "start", "end",  # character offsets into the document text (the stored file's, once placed)
        "fix",
        "path",
        "line", "column", "end_line", "end_column",  # filled in from the document when the file is done
        "fix_position",  # (line, column, end_line, end_column) of the fix span, or None
        "matched",  # the text of the span: baselines key on it
        "record",  # the id of the archive record or item it is in (None: a file of one article)
    )

    def __init__(
        self, code, name, severity, message, start, end, fix=None, path="",
        line=1, column=1, end_line=1, end_column=1, fix_position=None, matched="", record=None,
    ):
        self.code, self.name, self.severity, self.message = code, name, severity, message
        self.start, self.end, self.fix, self.path = start, end, fix, path
        self.line, self.column, self.end_line, self.end_column = line, column, end_line, end_column
        self.fix_position, self.matched, self.record = fix_position, matched, record

    def as_dict(self):
        """The finding as the JSON output writes it (`--format json` / `jsonl`): plain
        values only. Offsets count code points; `fix` is None or a dict with the
        replacement, its span (offsets and positions) and whether it is safe."""
        fix = None
        if self.fix is not None:
            line, column, end_line, end_column = self.fix_position or (None, None, None, None)
            fix = {
                "replacement": self.fix.replacement, "start": self.fix.start, "end": self.fix.end,
                "line": line, "column": column, "end_line": end_line, "end_column": end_column, "safe": self.fix.safe,
            }
        return {
            "path": self.path, "record": self.record,
            "line": self.line, "column": self.column, "end_line": self.end_line, "end_column": self.end_column,
            "start": self.start, "end": self.end,
            "code": self.code, "name": self.name, "severity": self.severity, "message": self.message,
            "matched": self.matched, "fix": fix,
        }

    def __reduce__(self):
        # Workers send findings by the thousand: the values alone, in field order.
        return (Finding, _FIELD_VALUES(self))


# attrgetter builds the tuples in C: runs sort and send findings by the ten thousand
REPORT_ORDER = attrgetter("path", "line", "column", "code")
IN_FILE_ORDER = attrgetter("line", "column", "code")  # the same, within one file
_FIELD_VALUES = attrgetter(*Finding.__slots__)
