"""A fixed pool of checking processes for a server (`checker serve`).

Each worker is a process of its own that runs its jobs in its main thread, so
the rule clock (SIGALRM, checker.rule_clock) bounds every rule as on the
command line. A job that outlives the pool's time bound anyway is ended the
hard way: its worker is killed and a fresh one takes its place. A worker's
address space can be capped (RLIMIT_AS): a job that needs more fails alone.

Jobs are `function(state, *args)` with `state = setup()` made once per worker
(the loaded rules): both must be importable functions, as the workers are
started with `spawn` (no fork of a server with threads and sockets).
The pool is used from an asyncio event loop (`await pool.run(...)`); a thread
per worker waits on its pipe, so the loop never blocks.
"""

import asyncio
import multiprocessing
import os
import signal
from concurrent.futures import ThreadPoolExecutor


class PoolBusy(Exception):
    """Every worker is busy and the waiting line is full."""


class JobTimeout(Exception):
    """A job ran past the pool's time bound; its worker was replaced."""


class WorkerFailed(Exception):
    """The worker died (or ran out of memory) during the job; it was replaced."""


def _serve(connection, setup, setup_args, memory_limit):
    """A worker's life: set up once, then run jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which stops its workers
    if memory_limit:
        import resource  # lazy: POSIX only

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    state = setup(*setup_args)
    connection.send(("ready", None))
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", function(state, *args))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # the job's failure, not the worker's: it goes on
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            connection.send(reply)
        except (EOFError, OSError):
            return


class _Worker:
    def __init__(self, context, setup, setup_args, memory_limit):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, setup, setup_args, memory_limit), daemon=True, name="checker-worker")
        self.process.start()
        child.close()
        self.ready = False

    def call(self, job, timeout):
        """Run `job` here and wait for its reply (in a thread of the pool's)."""
        try:
            if not self.ready:
                self._wait_ready(timeout)
            self.connection.send(job)
            if not self.connection.poll(timeout):
                raise JobTimeout()
            return self.connection.recv()
        except (EOFError, OSError):
            raise WorkerFailed() from None

    def _wait_ready(self, timeout):
        if not self.connection.poll(timeout):
            raise JobTimeout()
        status, _ = self.connection.recv()
        if status != "ready":
            raise WorkerFailed()
        self.ready = True

    def stop(self):
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class ProcessPool:
    """`size` worker processes; `run` waits for a free one (at most `max_waiting`
    jobs wait: PoolBusy past that) and gives the job `timeout` seconds (JobTimeout
    past it). `memory_limit`: bytes of address space a worker may use (None: no cap)."""

    def __init__(self, size, setup, setup_args=(), *, timeout=10.0, max_waiting=64, memory_limit=None):
        self.size, self.timeout, self.max_waiting = size, timeout, max_waiting
        self._context = multiprocessing.get_context("spawn")
        self._start_worker = lambda: _Worker(self._context, setup, setup_args, memory_limit)
        self._workers = [self._start_worker() for _ in range(size)]
        self._live = set(self._workers)  # every worker started and not yet stopped
        self._idle = None  # made in the event loop, by start()
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="checker-pool")
        self.waiting = 0
        self.replaced = 0

    async def start(self, ready_timeout=120):
        """Wait until every worker has set up (loaded its rules); WorkerFailed if one could not."""
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for worker in self._workers:
            await loop.run_in_executor(self._threads, worker._wait_ready, ready_timeout)
            self._idle.put_nowait(worker)

    @property
    def busy(self):
        return self.size - (self._idle.qsize() if self._idle is not None else 0)

    async def run(self, function, *args):
        """function(state, *args) in a worker: its result, or raises PoolBusy,
        JobTimeout, WorkerFailed, or RuntimeError with the job's own error."""
        if self._idle.empty() and self.waiting >= self.max_waiting:
            raise PoolBusy()
        self.waiting += 1
        try:
            worker = await self._idle.get()
        finally:
            self.waiting -= 1
        loop = asyncio.get_running_loop()
        try:
            status, value = await loop.run_in_executor(self._threads, worker.call, (function, args), self.timeout)
        except (JobTimeout, WorkerFailed):
            worker = await loop.run_in_executor(self._threads, self._replace, worker)
            raise
        except asyncio.CancelledError:  # the server is stopping, or the client went away mid-job
            worker = await asyncio.shield(loop.run_in_executor(self._threads, self._replace, worker))
            raise
        finally:
            self._idle.put_nowait(worker)
        if status == "ok":
            return value
        if status == "memory":
            raise WorkerFailed()
        raise RuntimeError(value)

    def _replace(self, worker):
        worker.stop()
        self._live.discard(worker)
        self.replaced += 1
        fresh = self._start_worker()
        self._live.add(fresh)
        return fresh

    def close(self):
        for worker in list(self._live):
            worker.stop()
        self._live.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)


def default_size():
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
