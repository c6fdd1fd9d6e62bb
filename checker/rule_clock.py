"""A time bound on each rule's work on one document: the second line of defence
behind checker.matching.safety, for slow patterns the static check lets through
(`a*a*a*a*b` is polynomial, not exponential, and still hopeless on a long line).

A periodic SIGALRM (ITIMER_REAL) ticks while a document is checked; the
handler raises RuleTimeout inside the running rule once that rule has had its
bound. Python's regex engine checks for signals while it matches, so a
runaway match is interrupted too. Setting which rule runs costs no system
call; arming the timer costs two per document, not per rule.

Signals reach only the main thread: elsewhere (a checker used from a worker
thread) rules run unbounded, and `available` says so.
"""

import signal
import time


class RuleTimeout(BaseException):
    """Raised inside a rule's check when it has run past its bound. A BaseException,
    as KeyboardInterrupt is, so that a kind's `except Exception` does not swallow it."""


class RuleClock:
    """`with RuleClock(seconds) as clock:` around one document's checks, and
    `clock.start()` / `clock.stop()` around each rule's. seconds None or 0: no bound."""

    def __init__(self, seconds):
        self.seconds = seconds or None
        self.started = None  # when the running rule started (None: no rule runs)
        self.available = False
        self._previous = None

    def __enter__(self):
        if self.seconds is None or not hasattr(signal, "setitimer"):
            return self
        try:
            self._previous = signal.signal(signal.SIGALRM, self._tick)
        except ValueError:  # not the main thread
            return self
        tick = max(0.05, min(1.0, self.seconds / 4))
        signal.setitimer(signal.ITIMER_REAL, tick, tick)
        self.available = True
        return self

    def __exit__(self, *exc_info):
        if self.available:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous if self._previous is not None else signal.SIG_DFL)
            self.available = False
        return False

    def start(self):
        if self.available:
            self.started = time.monotonic()

    def stop(self):
        self.started = None

    def _tick(self, signum, frame):
        started = self.started
        if started is not None and time.monotonic() - started > self.seconds:
            self.started = None  # one raise per rule
            raise RuleTimeout()
