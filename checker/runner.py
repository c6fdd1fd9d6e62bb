"""Run the checks over many paths: discovery, reading, one result per file.

Files are checked in worker processes when there are many (`jobs`), served
from the findings cache when unchanged (`cache`), and reported in the same
order whatever the number of workers. Knows nothing of output formats;
notices for stderr are printed as they come, in file order.
"""

import gc
import os
import signal
import sys
import time

from checker.discover import Excluded, Missing, discover, refuse_excluded
from checker.files import digest, digest_file, read_path
from checker.formats import ARCHIVES, format_of, is_compressed
from checker.pipeline import (
    CHUNK_CHARS,
    FileResult,
    Unreadable,
    check_bytes,
    check_chunk,
    check_range,
    chunk_plan,
    decode,
    merge_chunk,
)
from checker.records import Record
from checker.terminal import columns

# Starting workers costs a few milliseconds (fork) to hundreds (spawn), and each
# new process builds its own trie nodes as it goes: a handful of files is faster serial.
PARALLEL_MIN_FILES = 64
# A file this large (some ten chunks) is shared among the workers chunk by chunk.
SPLIT_BYTES = 1_000_000
# Progress is worth drawing only for runs that take a while.
PROGRESS_MIN_FILES = 200


def default_jobs():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Run(Record):
    """What checking the paths gave: a result per file and the Profile that checked
    it (aligned), the files checked, and the paths that were missing or excluded."""

    FIELDS = ("results", "profiles", "files_checked", "missing", "excluded", "keep")

    def __init__(self, results, profiles, files_checked, missing, excluded, keep=None):
        self.results, self.profiles = results, profiles
        self.files_checked, self.missing, self.excluded = files_checked, missing, excluded
        self.keep = keep  # the filter the caller applied: keep(path, findings) (per-file ignores, baseline)


def check_paths(
    paths, profiles, stdin_filename=None, jobs=None, cache_dir=None, progress=None, keep_source=True, keep=None, deliver=None, shard=None, notify=None
):
    """Check every file under `paths`, each with its own Profile (checker.profiles); returns a Run.

    jobs: worker processes (None: the CPUs when there are many files, else 1).
    cache_dir: where findings of unchanged files are cached (None: no cache).
    progress: None decides from the terminal and the environment. keep_source:
    keep each file's decoded text on its result (for --fix); cached results carry none.
    keep(path, findings, settings): the findings to keep (per-file ignores, baseline).
    deliver(findings): called with each file's findings as soon as it and every
    file before it in report order (by path) are done, a large archive's a range at a
    time; the results then keep none (a streamed report holds no more than it must).
    shard: (index, count): check only that shard of the input (checker.shards).
    notify(message): where notices go (default: standard error, `checker: ` first).
    """
    notify = notify or _print_notice
    tasks, task_profiles, missing, excluded = _tasks(paths, profiles, stdin_filename, notify)
    byte_ranges = {}  # task index -> the bytes of an archive this shard reads (records that start there)
    if shard is not None:
        from checker.shards import select  # lazy: start-up

        splittable = {task[1] for task, profile in zip(tasks, task_profiles) if _splittable(task[1], profile.settings)}
        chosen = select([task[1] for task in tasks], shard, splittable.__contains__)
        kept = sorted(chosen)
        tasks, task_profiles = [tasks[i] for i in kept], [task_profiles[i] for i in kept]
        byte_ranges = {new: chosen[old] for new, old in enumerate(kept) if chosen[old] is not None}
    # Every rule set is loaded now. They live as long as the process: moved out of the
    # garbage collector's sight, they are not traversed again and again as documents
    # come and go, nor copied into each worker by the traversal.

    gc.freeze()
    index_of = {}  # Profile (by identity) -> its index in `used`, which the workers share
    used = []
    for profile in task_profiles:
        if id(profile) not in index_of:
            index_of[id(profile)] = len(used)
            used.append(profile)
    tasks = [(*task, index_of[id(profile)]) for task, profile in zip(tasks, task_profiles)]
    caches = _result_caches(used, cache_dir)

    bar = _Progress(len(tasks)) if _want_progress(progress, len(tasks)) else None
    results = [None] * len(tasks)
    emitter = _Emitter([task[0] for task in tasks], deliver)
    settled = 0
    next_to_print = 0

    def settle(index, result):
        """A file is done: filter its findings, report it (in order), print its notices."""
        nonlocal settled, next_to_print
        results[index] = result
        if keep is not None:
            result.findings = keep(result.path, result.findings, used[tasks[index][3]].settings)
        emitter.done(index, result)
        settled += 1
        next_to_print = _print_notices(results, next_to_print, bar, notify)
        if bar:
            bar.update(settled)

    # a compressed archive and a shard's part of one are read a range of records at a
    # time, never whole: never cached, always checked as a large file is
    by_ranges = {i for i, task in enumerate(tasks) if i in byte_ranges or is_compressed(task[1])}
    pending = []  # indexes of tasks to check
    digests = {}
    for index, (display, path, source_format, profile_index) in enumerate(tasks):
        if path == "-":
            settle(index, _check_stdin(display, used[profile_index], source_format))
            continue
        if index in by_ranges:
            pending.append(index)
            continue
        cache = caches[profile_index]
        if cache is not None:
            content_digest = digest_file(path)
            if content_digest is not None:
                cached = cache.get(display, content_digest)
                if cached is not None:
                    settle(index, FileResult(display, findings=cached[0], language=cached[1]))
                    continue
                digests[index] = content_digest
        pending.append(index)

    # A file too large for one worker to check in good time is split into its
    # chunks, which the workers share; it is checked after the others, one at
    # a time, so that memory holds one such file. A large archive is always read
    # a range of records at a time, by one worker or several.
    sizes = {i: _size(tasks[i][1]) for i in pending}
    large = [i for i in pending if sizes[i] >= SPLIT_BYTES or i in by_ranges]
    units = len(pending) - len(large) + sum(-(-sizes[i] // CHUNK_CHARS) for i in large)
    jobs = _decide_jobs(jobs, len(pending), units, bool(large))
    archives = {i for i in large if _source_format(tasks[i], used) in ARCHIVES}
    split = set(large) if jobs > 1 else archives

    def finish(index, result, content_digest):
        cache = caches[tasks[index][3]]
        if cache is not None and content_digest is not None and not result.notices and not result.internal_errors and not result.skipped:
            if digests.get(index, content_digest) == content_digest:
                cache.put(result.path, content_digest, result.findings, result.language)
        settle(index, result)

    whole = [i for i in pending if i not in split]
    with _Workers(jobs, used, keep_source, with_digest=any(caches)) as workers:
        workers.check_files([tasks[i] for i in whole], lambda position, outcome: finish(whole[position], *outcome))
        for index in sorted(split, key=lambda i: tasks[i][0]):  # in report order: an archive's ranges are reported as they come
            if index in archives:

                def part(findings, index=index):
                    """Report a range's findings now if it can be; False: the result keeps them."""
                    if not emitter.is_next(index):
                        return False
                    if keep is not None:
                        findings = keep(tasks[index][0], findings, used[tasks[index][3]].settings)
                    emitter.part(findings)
                    return True

                settle(index, _check_archive(tasks[index], workers, used, keep_source, part, byte_ranges.get(index)))
            else:
                finish(index, *_check_split(tasks[index], workers, used, keep_source))
    _print_notices(results, next_to_print, bar, notify)
    if bar:
        bar.close()
    for cache in caches:
        if cache is not None:
            cache.save()
    files_checked = sum(1 for r in results if not r.unread and not r.skipped)
    return Run(results, [used[task[3]] for task in tasks], files_checked, missing, excluded)


def _splittable(path, settings):
    """Can a shard take part of this file (records that start in its bytes)? An
    uncompressed JSON Lines archive: a line break outside a record ends it."""
    if path == "-" or is_compressed(path):
        return False
    return format_of(path, None, settings.input_format) == "jsonl"


def _print_notice(message):
    print(f"checker: {message}", file=sys.stderr)


def _source_format(task, profiles):
    """The format a task's file is read in, as far as its name tells (checker.formats)."""
    display, _path, source_format, profile_index = task
    return source_format or format_of(display, None, profiles[profile_index].settings.input_format)


class _Emitter:
    """Hands each file's findings to `deliver` in report order (by path), as soon as
    that file and every one before it are done, and a large archive's a range at a
    time; a result delivered keeps no findings. Without `deliver`, does nothing."""

    def __init__(self, paths, deliver):
        self.deliver = deliver
        self.order = sorted(range(len(paths)), key=paths.__getitem__)
        self.position = 0  # into order: the next file to report
        self.finished = {}

    def done(self, index, result):
        if self.deliver is None:
            return
        self.finished[index] = result
        while self.position < len(self.order) and self.order[self.position] in self.finished:
            result = self.finished.pop(self.order[self.position])
            if result.findings:
                self.deliver(result.findings)
            result.findings = []
            self.position += 1

    def is_next(self, index):
        """Does file `index` come next in report order (so its findings can go out as they come)?"""
        return self.deliver is not None and self.position < len(self.order) and self.order[self.position] == index

    def part(self, findings):
        """Some findings of the next file (a range of an archive)."""
        if findings:
            self.deliver(findings)


def _tasks(paths, profiles, stdin_filename, notify):
    """([(display, path, source format or None)], [their Profiles], missing paths, excluded paths).

    A file reached by two paths (a symbolic link beside its target, a path given
    twice) is checked once, under the first path in walk order."""
    tasks, task_profiles, missing, excluded = [], [], [], []
    seen = set()
    for given in paths:
        found = 0
        try:
            for display, path, profile in discover(given, profiles):
                if path == "-":
                    display = stdin_filename or "-"
                    profile = profiles.for_file(stdin_filename) if stdin_filename else profiles.for_run()
                    if stdin_filename:
                        refuse_excluded(stdin_filename, profile.settings)  # editors pipe excluded drafts too
                else:
                    identity = _identity(path)
                    if identity in seen:
                        continue
                    seen.add(identity)
                # the format is decided with the content, by the pipeline (checker.formats.format_of)
                tasks.append((display, path, None))
                task_profiles.append(profile)
                found += 1
        except Missing:
            notify(f"{given}: no such file or folder")
            missing.append(given)
            continue
        except Excluded as exc:
            notify(str(exc))
            excluded.append(given)
            continue
        if not found and not os.path.isfile(given):
            include = ", ".join(profiles.for_folder(given).settings.include)
            notify(f"{given}: no files to check (none matches include: {include})")
    return tasks, task_profiles, missing, excluded


def _identity(path):
    """What makes two paths the same file: device and inode (the real path where stat fails)."""
    try:
        status = os.stat(path)
        return (status.st_dev, status.st_ino)
    except OSError:
        return os.path.realpath(path)


def _result_caches(profiles, cache_dir):
    """A findings cache for each profile (None where there is no cache)."""
    if cache_dir is None:
        return [None] * len(profiles)
    from checker.cache import ResultCache  # lazy: start-up

    return [ResultCache(cache_dir, p.rules, p.settings, p.rule_set_key) for p in profiles]


def _decide_jobs(jobs, count, units, has_large):
    """Worker processes for `count` files that make `units` pieces of work (large files count by chunk)."""
    if units < 2:
        return 1
    if jobs is None or jobs == 0:
        return min(default_jobs(), units) if count >= PARALLEL_MIN_FILES or has_large else 1
    return max(1, min(jobs, units))


def _size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # the check reports it


def _print_notices(results, start, bar, notify):
    """Print the notices of finished results in file order; returns the next index to print."""
    index = start
    while index < len(results) and results[index] is not None:
        for notice in results[index].notices:
            if bar:
                bar.clear()
            notify(notice)
        index += 1
    return index


def _check_stdin(display, profile, source_format):
    try:
        data = read_path("-")
    except OSError as exc:
        return _unread(display, exc)
    result = _guarded_check(data, display, profile, source_format)
    return _trim(result, keep_source=True)  # standard input cannot be read again for a snippet


def _read_file(display, path):
    """(the file's bytes, None), or (None, the result that says why they cannot be had)."""
    try:
        return read_path(path), None
    except OSError as exc:
        return None, _unread(display, exc)
    except MemoryError:
        return None, _failed(display, "too large to read into memory")


def _check_file(task, profiles, keep_source, with_digest=True):
    """Check one file: (FileResult, content digest or None). Never raises for the file's sake.
    with_digest: hash the content, for the findings cache (not without one)."""
    display, path, source_format, profile_index = task
    data, failure = _read_file(display, path)
    if failure is not None:
        return failure, None
    result = _guarded_check(data, display, profiles[profile_index], source_format)
    if not with_digest:
        return _trim(result, keep_source), None
    return _trim(result, keep_source), digest(data)


def _check_split(task, workers, profiles, keep_source):
    """Check a large file chunk by chunk in the workers: (FileResult, digest), as _check_file gives.
    A large file in a stored format (ninjs, NewsML-G2, HTML) is checked whole, here."""
    display, path, source_format, profile_index = task
    data, failure = _read_file(display, path)
    if failure is not None:
        return failure, None
    content_digest = digest(data)
    try:
        source = decode(data)
    except Unreadable:
        return _trim(_guarded_check(data, display, profiles[profile_index], source_format), keep_source), content_digest
    source_format = source_format or format_of(display, source.text, profiles[profile_index].settings.input_format)
    if source_format not in ("text", "markdown"):
        return _trim(_guarded_check(data, display, profiles[profile_index], source_format), keep_source), content_digest
    del data  # the text is all that is needed now
    markdown = source_format == "markdown"
    result = FileResult(display, source=source)
    plan = chunk_plan(source.text, display, markdown)
    parts = workers.check_chunks(source.text, plan, display, markdown, profile_index)
    for (start, _end, line_offset), part in zip(plan, parts):
        if isinstance(part, str):
            return _failed(display, part), content_digest
        merge_chunk(result, part, start, line_offset)
    return _trim(result, keep_source), content_digest


def _check_archive(task, workers, profiles, keep_source, part, byte_range=None):
    """Check a large archive (JSON Lines, CSV) a range of records at a time, the workers
    sharing the ranges: memory holds a few ranges whatever the file's size. Each range's
    findings go to part(findings) as soon as they are known (False: the result keeps them).
    byte_range: (start, end) to check only the records that start there (a shard's part)."""
    import itertools  # lazy: start-up

    from checker.formats import Malformed
    from checker.formats.archive import CsvHeader, is_wide, iter_ranges, read_range

    display, path, _given, profile_index = task
    source_format = _source_format(task, profiles)
    try:
        if is_wide(path):  # UTF-16 or UTF-32: read whole
            return _check_file(task, profiles, keep_source, with_digest=False)[0]
        ranges = iter_ranges(path, source_format, within=byte_range)  # planned as the file is read: checking starts at once
        header = None
        if source_format == "csv":
            first = next(ranges)
            try:
                header = CsvHeader.read(read_range(path, first).decode("utf-8", "replace"))[0]
            except Malformed:
                ranges = iter(())  # the first range reports the bad header; nothing after it can be read
            ranges = itertools.chain([first], ranges)
    except OSError as exc:
        return _unread(display, exc)
    result = FileResult(display, records=0)
    waiting, next_range = {}, 0  # ranges done before an earlier one, and the next to report

    def deliver(index, outcome):
        nonlocal next_range
        waiting[index] = outcome
        while next_range in waiting:
            outcome = waiting.pop(next_range)
            next_range += 1
            if isinstance(outcome, str):  # the file fails (its later ranges are still checked, and dropped)
                result.internal_errors += 1
                result.notices.append(f"{display}: {outcome}")
                continue
            result.notices += outcome.notices
            result.internal_errors += outcome.internal_errors
            result.language = result.language or outcome.language
            result.records += outcome.records or 0
            if not part(outcome.findings):
                result.findings += outcome.findings

    try:
        workers.check_ranges(path, ranges, source_format, header, display, profile_index, deliver)
    except OSError as exc:  # a compressed archive that is not gzip, or ends early
        return _unread(display, exc)
    except EOFError:
        return _failed(display, "the compressed archive ends early")
    return result


def _guarded_range(unit, profiles):
    path, piece, source_format, header, display, profile_index = unit
    profile = profiles[profile_index]
    try:
        from checker.formats.archive import read_range

        data = read_range(path, piece)
        return check_range(data, piece, display, profile.rules, profile.settings, source_format, header)
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})"
    except (Exception, RecursionError, MemoryError) as exc:  # as _guarded_check: the file fails, not the run
        if profile.settings.debug:
            raise
        return f"internal error ({type(exc).__name__}: {str(exc)[:200]})"


def _guarded_chunk(unit, profiles):
    part_text, first, display, markdown, profile_index = unit
    profile = profiles[profile_index]
    try:
        return check_chunk(part_text, first, display, profile.rules, profile.settings, markdown)
    except (Exception, RecursionError, MemoryError) as exc:  # as _guarded_check: the file fails, not the run
        if profile.settings.debug:
            raise
        return f"internal error ({type(exc).__name__}: {str(exc)[:200]})"


def _guarded_check(data, display, profile, source_format):
    try:
        return check_bytes(data, display, profile.rules, profile.settings, source_format)
    except (Exception, RecursionError, MemoryError) as exc:  # a bug must not stop the other files
        if profile.settings.debug:
            raise
        return _failed(display, f"internal error ({type(exc).__name__}: {str(exc)[:200]})")


def _unread(display, exc):
    result = FileResult(display, internal_errors=1, unread=True)
    result.notices.append(f"{display}: cannot read ({exc.strerror or exc})")
    return result


def _failed(display, reason):
    result = FileResult(display, internal_errors=1)
    result.notices.append(f"{display}: {reason}".replace("\n", " "))
    return result


def _trim(result, keep_source):
    """Drop the text unless the caller needs it, to save memory and IPC."""
    if not keep_source:
        result.source = None
    return result


# --- worker processes -------------------------------------------------------------

_worker_state = None


def _init_worker(profiles, keep_source, with_digest):
    global _worker_state
    _worker_state = (profiles, keep_source, with_digest)


def _work(task):
    profiles, keep_source, with_digest = _worker_state
    return _check_file(task, profiles, keep_source, with_digest)


def _work_chunk(unit):
    return _guarded_chunk(unit, _worker_state[0])


def _work_range(unit):
    return _guarded_range(unit, _worker_state[0])


class _Workers:
    """`jobs` processes check the files and chunks (this one alone when 1).

    Where the system can fork, this process works too, beside jobs - 1 forked
    children that inherit the compiled rules of every profile (see `_shared_map`).
    Elsewhere a pool of spawned processes does the work, and this one waits for it."""

    def __init__(self, jobs, profiles, keep_source, with_digest=True):
        self.jobs, self.profiles, self.keep_source, self.with_digest = jobs, profiles, keep_source, with_digest
        self.pool = None

    def __enter__(self):
        if self.jobs > 1 and not _CAN_FORK:
            import multiprocessing  # lazy: start-up

            context = multiprocessing.get_context()
            self.pool = context.Pool(self.jobs, initializer=_init_worker, initargs=(self.profiles, self.keep_source, self.with_digest))
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
        return False

    def check_files(self, tasks, deliver):
        """Check each task; deliver(index of the task, (result, digest)) in this
        process, in the order the checks end (task order when serial)."""

        def check(task):
            return _check_file(task, self.profiles, self.keep_source, self.with_digest)

        if self.pool is not None:
            chunksize = max(1, min(32, len(tasks) // (self.jobs * 8)))
            for index, outcome in enumerate(self.pool.imap(_work, tasks, chunksize)):
                deliver(index, outcome)
        else:
            _shared_map(check, tasks, self.jobs, deliver)

    def check_chunks(self, text, plan, display, markdown, profile_index):
        """Yield the FileResult (or the reason it failed) of each chunk of `plan`
        (checker.pipeline.chunk_plan), in order."""

        def unit(piece):
            start, end, _lines = piece
            return (text[start:end], start == 0, display, markdown, profile_index)

        if self.pool is not None:
            # a few chunks per worker at a time: the rest of the file is not copied ahead
            batch = self.jobs * 4
            for first in range(0, len(plan), batch):
                yield from self.pool.map(_work_chunk, [unit(piece) for piece in plan[first : first + batch]], 1)
            return

        def check(piece):
            return _guarded_chunk(unit(piece), self.profiles)

        # forked children read their chunks from the text they inherit: nothing is copied
        results = [None] * len(plan)
        _shared_map(check, plan, self.jobs, results.__setitem__)
        yield from results

    def check_ranges(self, path, ranges, source_format, header, display, profile_index, deliver):
        """deliver(index, FileResult or the reason it failed) for each range of an archive
        (an iterable of checker.formats.archive.Range, planned as it is read), as each is
        done. Each worker reads its own range from the file; the ranges are handed out a
        window at a time, so that few results wait for an earlier range."""
        import itertools  # lazy: start-up

        window = max(1, self.jobs * 8)
        ranges = iter(ranges)
        start = 0  # the index of the window's first range
        while batch := [(path, piece, source_format, header, display, profile_index) for piece in itertools.islice(ranges, window)]:
            if self.pool is not None:
                for index, outcome in enumerate(self.pool.imap(_work_range, batch, 1)):
                    deliver(start + index, outcome)
            else:
                _shared_map(lambda unit: _guarded_range(unit, self.profiles), batch, self.jobs, lambda index, outcome, start=start: deliver(start + index, outcome))
            start += len(batch)


_CAN_FORK = hasattr(os, "fork")


def fork_writer(write):
    """(pid, read end of a pipe) of a forked child that runs write(the pipe's write
    end) and leaves at once, with status 0 when it returned and 1 when it raised
    (an error, Ctrl-C: the parent does without its work); it never runs the
    parent's exit handlers nor flushes its buffers. None when no child could be
    started."""
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the child: it never returns from here
        status = 1
        try:
            os.close(read_fd)
            write(write_fd)
            status = 0
        except BaseException:
            pass
        finally:
            os._exit(status)
    os.close(write_fd)
    return pid, read_fd


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _shared_map(function, items, jobs, deliver):
    """deliver(index, function(item)) for every item, worked out by this process
    and jobs - 1 forked children (by this process alone, in order, when jobs < 2).

    Each process claims the next few items from a counter in shared memory, so
    none sits idle while another has work left; the children send their values
    back pickled, through a pipe each, and this process takes them in between
    its own items. Its own values need no pickling, nor does the function (the
    children inherit it), and no pool's threads compete with the work (the one
    thread per child here only waits on its pipe). An item a child never sent (it was killed) is worked out here at the
    end; a child killed while it holds the lock, a window of two system calls,
    would leave the others waiting.
    """
    count = len(items)
    jobs = min(jobs, count)
    if jobs < 2:
        for index, item in enumerate(items):
            deliver(index, function(item))
        return
    import mmap  # lazy: start-up

    batch = max(1, min(8, count // (jobs * 8)))
    counter = mmap.mmap(-1, 8)  # anonymous and shared: the children see the same counter
    # The lock is a pipe holding one byte: whoever reads it holds the lock, and
    # writes it back to let go (multiprocessing's lock would cost its import before
    # any work starts).
    lock_read, lock_write = os.pipe()
    os.write(lock_write, b"\0")

    def claim():
        os.read(lock_read, 1)
        try:
            start = int.from_bytes(counter[:8], "little")
            counter[:8] = (start + batch).to_bytes(8, "little")
        finally:
            os.write(lock_write, b"\0")
        return range(start, min(start + batch, count)) if start < count else None

    delivered = [False] * count

    def accept(index, value):
        delivered[index] = True
        deliver(index, value)

    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()  # a child must not inherit output waiting in a buffer
    children = []
    try:
        for _ in range(jobs - 1):
            child = _Child.fork(claim, function, items, [c.fd for c in children])
            if child is None:
                break  # no more processes to be had: fewer do the work
            children.append(child)
        for child in children:  # threads only once every child is forked
            child.start_reading()
        while (claimed := claim()) is not None:
            for index in claimed:
                accept(index, function(items[index]))
            for child in children:
                child.receive(accept)
        for child in children:
            child.receive(accept, wait=True)
    finally:
        for child in children:
            child.close()
        os.close(lock_read)
        os.close(lock_write)
        counter.close()
    for index in range(count):
        if not delivered[index]:
            accept(index, function(items[index]))


class _Child:
    """A forked process that works out claimed items and writes each batch of
    (index, value) pairs to its pipe as a length-prefixed pickle.

    A thread of this process reads the pipe as the child writes: a child whose
    values are large (a chunk of a big file) would otherwise wait, with its pipe
    full, until this process is done with its own item. The thread spends its
    time blocked in the read, which lets go of the interpreter lock."""

    def __init__(self, pid, fd):
        self.pid, self.fd = pid, fd
        self.blocks = None  # what the reader thread has read and this process not yet taken
        self.buffer = bytearray()
        self.reader = None

    @classmethod
    def fork(cls, claim, function, items, inherited):
        import pickle  # lazy: start-up

        def work(write_end):
            for fd in inherited:
                os.close(fd)  # the pipes of the children forked before
            while (claimed := claim()) is not None:
                data = pickle.dumps([(index, function(items[index])) for index in claimed], pickle.HIGHEST_PROTOCOL)
                write_all(write_end, len(data).to_bytes(8, "little") + data)

        started = fork_writer(work)
        return None if started is None else cls(*started)

    def start_reading(self):
        import threading  # lazy: start-up
        from collections import deque  # lazy: start-up

        self.blocks = deque()  # appended by the thread, taken by this one: deque is safe for that
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        try:
            while data := os.read(self.fd, 1 << 20):
                self.blocks.append(data)
        except OSError:
            pass  # what came before is kept; what is missing is worked out again

    def receive(self, accept, wait=False):
        """Pass on every whole batch read so far; with `wait`, all the child sends until it ends."""
        import pickle  # lazy: start-up

        if wait:
            self.reader.join()
        while self.blocks:
            self.buffer += self.blocks.popleft()
        while len(self.buffer) >= 8:
            size = int.from_bytes(self.buffer[:8], "little")
            if len(self.buffer) < 8 + size:
                break
            for index, value in pickle.loads(self.buffer[8 : 8 + size]):
                accept(index, value)
            del self.buffer[: 8 + size]

    def close(self):
        if self.reader is None or self.reader.is_alive():  # leaving early (an error here)

            try:
                os.kill(self.pid, signal.SIGTERM)  # its work is not wanted
            except OSError:
                pass
        if self.reader is not None:
            self.reader.join()  # the pipe ends with the child
        os.close(self.fd)
        os.waitpid(self.pid, 0)


# --- progress -----------------------------------------------------------------------


def _want_progress(progress, count):
    if progress is not None:
        return progress
    if count < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return False
    # Never in CI or under pre-commit, even with a terminal attached.
    return not any(os.environ.get(name) for name in ("CI", "PRE_COMMIT", "CHECKER_NO_PROGRESS"))


class _Progress:
    """`[#####     ] 1234/2217 files` on one stderr line, redrawn at most 10 times a
    second, never wider than the terminal (a wrapped line would fill the scrollback
    with every redraw): the bar shrinks, and in a very narrow pane only the count shows."""

    BAR = 30

    def __init__(self, total, width=None):

        self.total = total
        self.last = 0.0
        self.shown = False
        # one column is left free: a line that fills the last column wraps on some terminals
        self.width = max(1, (width or columns(sys.stderr)) - 1)

    def line(self, done):
        count = f"{done}/{self.total} files"
        bar = min(self.BAR, self.width - len(count) - 3)
        if bar < 5:
            return count[: self.width]
        filled = bar * done // max(1, self.total)
        return f"[{'#' * filled}{' ' * (bar - filled)}] {count}"

    def update(self, done):
        now = time.monotonic()
        if now - self.last < 0.1 and done < self.total:
            return
        self.last = now
        sys.stderr.write("\r" + self.line(done))
        sys.stderr.flush()
        self.shown = True

    def clear(self):
        if self.shown:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.shown = False

    def close(self):
        self.clear()
