"""Files: reading a path or standard input, a content digest, and atomic replacement.

One home for what the runner, the fixer, the baseline and the caches all do
with files.
"""

import hashlib
import os
import sys


def read_path(path):
    """Bytes of a file or of standard input ('-')."""
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb", buffering=0) as handle:  # unbuffered: one read of the whole file, no copy
        return handle.readall()


def digest(data):
    """A short hash of the content (the caches key on it)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_file(path):
    """digest() of the file's bytes, or None when it cannot be read (the check reports that)."""
    try:
        return digest(read_path(path))
    except OSError:
        return None


def replace_atomically(target, data, prepare=None, durable=True):
    """Write `data` to a temporary file beside `target`, `prepare(temporary)` it, and
    rename it over `target`: an interruption at any moment leaves the old file or
    the new one, never a mix, and no temporary file behind. `data`: bytes, or a
    function that writes them to the binary file it is given (a large archive's
    fixed ranges, one at a time). `durable`: fsync the file and its folder, so that
    a crash cannot lose the new content either (a user's file needs it; a cache
    entry does not)."""
    import tempfile  # lazy: start-up (a warm run writes nothing)

    folder, name = os.path.split(target)
    temporary = None
    try:
        # mkstemp creates the file before it returns: a Ctrl-C or SIGTERM raised in
        # between would leave it behind, so they wait until its name is known here.
        with _signals_held():
            descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".checker-tmp", dir=folder or ".")
        with os.fdopen(descriptor, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if prepare is not None:
            prepare(temporary)
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        raise
    if durable:
        _fsync_folder(folder or ".")


def write_new_atomically(path, data, prepare=None):
    """Write a file the checker owns (a baseline, a shard's report and marker)
    atomically, whether or not it exists, with the permissions a new file gets.
    prepare(temporary): fills the temporary file, when `data` is not all of it."""

    def default_mode(temporary):
        if prepare is not None:
            prepare(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)

    replace_atomically(os.path.abspath(path), data, default_mode)


class _signals_held:
    """Hold SIGINT and SIGTERM back for the length of a `with` block; one that came
    meanwhile is handled after it, as it would have been. In the main thread the
    handlers are swapped for ones that only note the signal: that holds whichever
    thread the system delivers it to (a Dask or Arrow thread may be the one). In
    another thread, where handlers cannot be set, the thread's signal mask holds them."""

    _SIGNALS = ("SIGINT", "SIGTERM")

    def __enter__(self):
        import signal  # lazy: start-up
        import threading  # lazy: start-up

        self.saved, self.masked, self.pending = {}, None, []
        numbers = [getattr(signal, name) for name in self._SIGNALS]
        if threading.current_thread() is threading.main_thread():
            for number in numbers:
                self.saved[number] = signal.signal(number, self._note)
        elif hasattr(signal, "pthread_sigmask"):
            self.masked = signal.pthread_sigmask(signal.SIG_BLOCK, numbers)
        return self

    def _note(self, number, frame):
        self.pending.append(number)

    def __exit__(self, *exc_info):
        import signal  # lazy: start-up

        if self.masked is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.masked)
        for number, handler in self.saved.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(self.pending):
            handler = self.saved[number]
            if callable(handler):
                handler(number, None)  # Python's own SIGINT handler raises KeyboardInterrupt here
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), number)  # the system's default: end the process
        return False


def _fsync_folder(folder):
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
