"""Findings as a table: one fixed schema for Parquet (`--format parquet`), Dask and Spark.

The columns are the JSON output's fields (`Finding.as_dict()`) with the fix
flattened into `fix_*` columns, so that every engine reads the same columns
with the same types; `record` is a string. `code`, `name` and `severity` are
dictionary-encoded: a hundred million findings hold a few dozen distinct values.
pyarrow is imported only here, and only when a table is made.
"""

# (column, Arrow type name, nullable)
COLUMNS = (
    ("path", "string", False),
    ("record", "string", True),
    ("line", "int32", False),
    ("column", "int32", False),
    ("end_line", "int32", False),
    ("end_column", "int32", False),
    ("start", "int32", False),
    ("end", "int32", False),
    ("code", "dictionary", False),
    ("name", "dictionary", False),
    ("severity", "dictionary", False),
    ("message", "string", False),
    ("matched", "string", False),
    ("fix_replacement", "string", True),
    ("fix_start", "int32", True),
    ("fix_end", "int32", True),
    ("fix_line", "int32", True),
    ("fix_column", "int32", True),
    ("fix_end_line", "int32", True),
    ("fix_end_column", "int32", True),
    ("fix_safe", "bool", True),
)
COLUMN_NAMES = tuple(name for name, _type, _nullable in COLUMNS)
_FIX_KEYS = ("replacement", "start", "end", "line", "column", "end_line", "end_column", "safe")


def require_pyarrow(what="this"):
    """Import pyarrow, or raise a one-line error saying which extra brings it."""
    try:
        import pyarrow  # noqa: F401  (lazy: an optional extra)
    except ImportError:
        from checker.errors import UsageError

        raise UsageError(f"{what} needs pyarrow: pip install 'news-provenance-checker[parquet]'") from None
    import pyarrow

    return pyarrow


def arrow_schema():
    pa = require_pyarrow()
    types = {"string": pa.string(), "int32": pa.int32(), "bool": pa.bool_(), "dictionary": pa.dictionary(pa.int32(), pa.string())}
    return pa.schema([pa.field(name, types[kind], nullable=nullable) for name, kind, nullable in COLUMNS])


def row(finding):
    """A finding's dict (`Finding.as_dict()`) as a row of the table."""
    flat = {name: finding[name] for name in COLUMN_NAMES[:13]}
    record = flat["record"]
    flat["record"] = None if record is None else str(record)
    fix = finding["fix"] or {}
    for key in _FIX_KEYS:
        flat["fix_" + key] = fix.get(key)
    return flat


def arrow_table(findings):
    """An Arrow table of finding dicts (`Finding.as_dict()`), in the fixed schema."""
    pa = require_pyarrow()
    rows = [row(f) for f in findings]
    columns = {name: [r[name] for r in rows] for name in COLUMN_NAMES}
    return pa.Table.from_pydict(columns, schema=arrow_schema())
