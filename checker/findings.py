"""What checks produce: findings with offsets, and the fixes they carry."""

from dataclasses import dataclass
from operator import attrgetter

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Fix:
    """Replace text[start:end] with `replacement`. `safe` fixes apply with --fix."""

    start: int
    end: int
    replacement: str
    safe: bool = True


@dataclass(slots=True)  # a large file has a hundred thousand: a third of the memory without a __dict__
class Finding:
    code: str
    name: str
    severity: str
    message: str
    start: int  # character offsets into the document text
    end: int
    fix: Fix | None = None
    path: str = ""
    line: int = 1  # filled in from the document when the file is done
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    fix_position: tuple | None = None  # (line, column, end_line, end_column) of the fix span
    matched: str = ""  # the text of the span: baselines key on it

    def __reduce__(self):
        # Workers send findings by the thousand: the values alone, in field order.
        # (A slotted dataclass would otherwise pickle every field's name with its value.)
        return (Finding, _FIELD_VALUES(self))


# attrgetter builds the tuples in C: runs sort and send findings by the ten thousand
REPORT_ORDER = attrgetter("path", "line", "column", "code")
_FIELD_VALUES = attrgetter(*Finding.__slots__)
