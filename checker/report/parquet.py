"""`parquet`: the findings as one Parquet file per shard, in the fixed schema of checker.table.

Not a stream format: `checker --format parquet -o DIR` writes
`DIR/part-<shard>-of-<shards>.parquet` (part-00000-of-00001 when not sharded),
atomically. Needs pyarrow (the `parquet` extra).
"""

from checker.table import arrow_table, require_pyarrow


def write_file(findings, path):
    require_pyarrow("--format parquet")
    import pyarrow.parquet as pq  # lazy: an optional extra

    from checker.files import write_new_atomically

    def write_table(temporary):
        pq.write_table(arrow_table(f.as_dict() for f in findings), temporary, compression="zstd")

    write_new_atomically(path, b"", prepare=write_table)


def write(findings, stream, summary):
    raise TypeError("--format parquet writes files into a folder (-o DIR): see write_file")


__all__ = ["write_file", "require_pyarrow"]
