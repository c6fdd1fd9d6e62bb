"""`--shard i/N`: the i-th of N deterministic shards of the input, for job arrays.

The input is laid end to end as one sequence of bytes: every file found, in the
order a run finds them (paths as given, folders sorted). Shard i takes the bytes
[ceil(i*T/N), ceil((i+1)*T/N)) of the T in all, and with them every unit of work
that *starts* there: a file (by its first byte), a record of an uncompressed
archive (by the first byte of its line), and a compressed archive whole (gzip
cannot be read from the middle, as Hadoop and Spark treat it). Each unit starts
at exactly one byte, so the shards never overlap and their union is the full
run; the shards are balanced by bytes, and a shard reads only its own part of
an archive.
"""

import os

from checker.errors import UsageError


def parse_shard(value):
    """(index, count) from `i/N` (0 <= i < N)."""
    try:
        index_text, count_text = value.split("/")
        index, count = int(index_text), int(count_text)
    except ValueError:
        raise UsageError(f"--shard takes i/N (such as 0/8), not {value!r}") from None
    if count < 1 or not 0 <= index < count:
        raise UsageError(f"--shard {value}: needs 0 <= i < N")
    return index, count


def select(paths, shard, splittable):
    """{position in `paths`: byte range or None} for the units of `shard` (index,
    count). A byte range (start, end) in a splittable archive: the records that
    start in it; None: the whole file."""
    index, count = shard
    sizes = [_size(path) for path in paths]
    total = sum(sizes)
    low, high = -(-index * total // count), -(-(index + 1) * total // count)
    chosen, offset = {}, 0
    for position, (path, size) in enumerate(zip(paths, sizes)):
        if path != "-" and splittable(path) and size:
            start, end = max(low - offset, 0), min(high - offset, size)
            if start < end:
                chosen[position] = (start, end) if (start, end) != (0, size) else None
        elif low <= offset < high or (offset >= total and index == count - 1):
            chosen[position] = None
        offset += size
    return chosen


def _size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # the check reports it
