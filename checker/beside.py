"""Start-up work done beside the main process, in a forked helper.

A cold run on two CPUs prepares its rules on one while the other idles: a
fifth of the run over BBC's 2,218 files, most of a one-file run. Work that
needs nothing but what is loaded already and returns plain data (marshal's
types: the regex engine's code of the phrase index, a third of the start-up)
is handed to a helper process forked for it, and the main process goes on
preparing the other rules. Each result is taken when `finish` is called, at
the end of loading; if the helper fails, the work is done in place then.

Elsewhere (no fork, one CPU, threads running, or the caller asks for one
process) `call` does the work in place, at once: the same result either way.
"""

import marshal
import os
import sys
from contextlib import contextmanager

_allowed = False
_pending = []  # (function, args, deliver, the helper's pid, the read end of its pipe)


@contextmanager
def helpers(allowed=True):
    """Within the block, `call` may fork helpers (when `allowed` and this system
    can); on leaving it, every result is delivered."""
    global _allowed
    before = _allowed
    _allowed = allowed and _can_fork()
    try:
        yield
        finish()
    finally:
        _allowed = before
        _abandon()


def call(function, args, deliver, to_plain=None):
    """deliver(function(*args)), the call made in a helper process when allowed:
    the delivery then comes at `finish`. The helper sends the result with
    marshal, which takes only its own types (not their subclasses): `to_plain`,
    if given, makes it so there (work the call in place does not need)."""
    if _allowed:
        started = _fork(function, args, to_plain)
        if started is not None:
            _pending.append((function, args, deliver, *started))
            return
    deliver(function(*args))


def finish():
    """Deliver every pending result, in the order of the calls."""
    while _pending:
        function, args, deliver, pid, read_fd = _pending.pop(0)
        result = _receive(pid, read_fd)
        deliver(function(*args) if result is None else result[0])


def _can_fork():
    if not hasattr(os, "fork"):
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    if cpus < 2:
        return False
    # A fork copies one thread: locks other threads hold would stay held in the
    # child. Threads started through `threading` are counted; a run that has not
    # imported it (most) has none (importing it here would cost its import).
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _fork(function, args, to_plain=None):
    """(pid, read end of the pipe) of a child that writes marshal.dumps((function(*args),))
    (through to_plain) and exits; None when no child could be started."""

    def send(write_fd):
        result = function(*args)
        write_all(write_fd, marshal.dumps((result if to_plain is None else to_plain(result),)))

    return fork_writer(send)


def fork_writer(write):
    """(pid, read end of a pipe) of a forked child that runs write(the pipe's write
    end) and leaves at once, with status 0 when it returned and 1 when it raised
    (an error, Ctrl-C: the parent does without its work); it never runs the
    parent's exit handlers nor flushes its buffers. None when no child could be
    started. Serves the helper here and the workers of checker.runner."""
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


def _receive(pid, read_fd):
    """(the result,) the helper sent, or None when it failed."""
    chunks = []
    try:
        while chunk := os.read(read_fd, 1 << 20):
            chunks.append(chunk)
    except OSError:
        chunks = []
    finally:
        os.close(read_fd)
    try:
        _pid, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = 1
    if status != 0 or not chunks:
        return None
    try:
        return marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):
        return None


def _abandon():
    """After an error while loading: stop and reap the helpers still at work."""
    if not _pending:
        return
    import signal

    while _pending:
        _function, _args, _deliver, pid, read_fd = _pending.pop()
        os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
