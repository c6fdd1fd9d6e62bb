"""Spark: check a DataFrame of records with `mapInArrow` (the `spark` extra).

    from checker.api import Linter
    from checker.spark import lint_arrow_batches, SCHEMA
    findings = articles.mapInArrow(lint_arrow_batches(Linter(), text_field="body", id_field="id"), SCHEMA)

The function receives Arrow record batches of the DataFrame's rows and yields
batches of findings in the fixed schema of checker.table (dictionary columns as
plain strings: Spark has no dictionary type). The Linter travels with the
function (its options alone); each Python worker loads the rules once. The
workers' Python must have checker installed: see docs/api.md (PYSPARK_PYTHON).
"""

from checker.table import COLUMNS, arrow_table

_SPARK_TYPES = {"string": "string", "dictionary": "string", "int32": "int", "bool": "boolean"}
# The findings' schema as Spark's DDL string: the second argument of mapInArrow.
SCHEMA = ", ".join(f"`{name}` {_SPARK_TYPES[kind]}" for name, kind, _nullable in COLUMNS)


def lint_arrow_batches(linter, text_field="body", id_field="id", *, published_field=None, language_field=None, path="<record>"):
    """The function to give `DataFrame.mapInArrow` (with SCHEMA): an iterator of
    pyarrow.RecordBatch of records in, of findings out."""
    options = dict(text_field=text_field, id_field=id_field, published_field=published_field, language_field=language_field, path=path)
    columns = [c for c in (text_field, id_field, published_field, language_field) if c is not None]

    def lint_batches(batches):
        for batch in batches:
            present = [c for c in columns if c in batch.schema.names]
            table = arrow_table(linter.lint_records(batch.select(present).to_pylist(), **options))
            yield from _plain(table).to_batches()

    return lint_batches


def _plain(table):
    """The table with its dictionary columns decoded: Spark reads plain strings."""
    import pyarrow  # lazy: an optional extra

    return table.cast(pyarrow.schema([
        field.with_type(field.type.value_type) if pyarrow.types.is_dictionary(field.type) else field for field in table.schema
    ]))
