"""Dask: check a bag or a data frame of records on any Dask cluster (the `dask` extra).

    import dask.bag as db, json
    from checker.api import Linter
    from checker.dask import lint_bag
    records = db.read_text("archive/*.jsonl.gz").map(json.loads)
    findings = lint_bag(records, Linter(), text_field="body", id_field="id")

Each task receives the Linter pickled (its options alone, a few hundred bytes);
each worker process loads the rules once, on its first partition, and keeps them
(checker.api). Nothing here starts a process or a thread.
"""

from checker.table import COLUMN_NAMES, arrow_table


def lint_bag(bag, linter, text_field="body", id_field="id", *, published_field=None, language_field=None, path="<record>"):
    """A bag of finding dicts (`Finding.as_dict()`, with `record` from `id_field`)
    from a bag of records (dicts), as `Linter.lint_records` gives them."""
    options = dict(text_field=text_field, id_field=id_field, published_field=published_field, language_field=language_field, path=path)
    return bag.map_partitions(_lint_partition, linter, options)


def lint_dataframe(frame, linter, text_field="body", id_field="id", *, published_field=None, language_field=None, path="<record>"):
    """A Dask DataFrame of findings, one row a finding, in the fixed schema of
    checker.table (the columns of `--format parquet`; see empty_findings_frame), from a
    Dask DataFrame with a text column (and optionally id, date and language columns)."""
    options = dict(text_field=text_field, id_field=id_field, published_field=published_field, language_field=language_field, path=path)
    wanted = [c for c in (text_field, id_field, published_field, language_field) if c is not None and c in frame.columns]
    if text_field not in frame.columns:
        raise KeyError(f"the data frame has no text column {text_field!r} (its columns: {', '.join(map(str, frame.columns))})")
    from dask.dataframe.utils import clear_known_categories  # lazy: an optional extra

    # each partition has the categories it found: the frame's are unknown until computed
    return frame[wanted].map_partitions(_lint_frame, linter, options, meta=clear_known_categories(empty_findings_frame()))


def empty_findings_frame():
    """A pandas DataFrame with the findings' columns and dtypes, and no row: pyarrow-backed
    dtypes, and pandas categoricals for the dictionary-encoded `code`, `name` and
    `severity` (they go to Parquet as dictionaries and come back as categoricals)."""
    return _to_pandas(arrow_table([]))


def _lint_partition(records, linter, options):
    return list(linter.lint_records(records, **options))


def _lint_frame(frame, linter, options):
    records = frame.to_dict("records")
    return _to_pandas(arrow_table(linter.lint_records(records, **options)))


def _to_pandas(table):
    import pandas  # lazy: an optional extra (dask[dataframe] brings it)
    import pyarrow  # lazy: an optional extra

    def dtype(arrow_type):
        return None if pyarrow.types.is_dictionary(arrow_type) else pandas.ArrowDtype(arrow_type)

    frame = table.to_pandas(types_mapper=dtype)
    assert tuple(frame.columns) == COLUMN_NAMES
    return frame
