"""A deadline for each read call, kept even when the endpoint trickles.

botocore's ``read_timeout`` bounds each socket read, not an answer: an endpoint
that sends a byte every second never times out. So each call runs on a helper
thread (:class:`Runner`) while the caller waits at most until the call's
:class:`Watch` says time is up; then the caller moves on with an Unavailable
value and the helper is left to finish. The helper sends nothing more after the
deadline (the retry handlers check the watch before every request), so what it
still does is read the one answer in flight.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

T = TypeVar("T")
# Idle helper threads kept for reuse; more are made when calls overlap. An idle helper
# ends after a while, so a process that runs many scans (tests, a service's workers)
# does not keep every scan's helpers.
_KEEP_IDLE = 64
IDLE_SECONDS = 5.0


class CallTimedOut(Exception):
    """The call did not finish before its deadline."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no complete answer within {seconds:g} s")
        self.seconds = seconds


def call_timeout(max_attempts: int, read_timeout: float, connect_timeout: float) -> float:
    """The default deadline of one call: every attempt may wait to connect and to read,
    plus botocore's largest backoff between attempts (1 s doubling per attempt, at most
    20 s: ExponentialBackoff in botocore/retries/standard.py, for throttling errors)."""
    backoff = sum(min(20.0, 2.0**i) for i in range(max(0, max_attempts - 1)))
    return max_attempts * (connect_timeout + read_timeout) + backoff


class Watch:
    """The deadline of one call; :meth:`progress` moves it on (one page arrived)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self.deadline = clock() + seconds
        self.requests = 0

    def left(self) -> float:
        """Seconds left before the deadline (negative once it has passed)."""
        return self.deadline - self._clock()

    def progress(self) -> None:
        """Give the call another full period: it is making progress (a page came)."""
        self.deadline = self._clock() + self.seconds


class _Helper:
    def __init__(self, runner: Runner) -> None:
        self.inbox: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._runner = runner
        # A daemon: a helper left reading a trickle must not keep the process alive.
        threading.Thread(target=self._serve, name="wellsec-call", daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                job = self.inbox.get(timeout=self._runner.idle_seconds)
            except queue.Empty:
                if self._runner.retire(self):
                    return
                continue  # taken for a call just now: its job is on the way
            if job is None:
                return
            work, future = job
            try:
                future.set_result(work())
            except BaseException as exc:
                future.set_exception(exc)
            # Hold nothing of the finished call while idle (its client, its answer).
            del job, work, future
            if not self._runner.rest(self):
                return


class Runner:
    """Runs calls on reusable helper threads; a caller waits no longer than its watch."""

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._idle: list[_Helper] = []
        self._lock = threading.Lock()

    def run(self, work: Callable[[], T], watch: Watch) -> T:
        """The result of ``work()``; :class:`CallTimedOut` once ``watch`` has run out."""
        with self._lock:
            helper = self._idle.pop() if self._idle else None
        if helper is None:
            helper = _Helper(self)
        future: Future[T] = Future()
        helper.inbox.put((work, future))
        while True:
            try:
                return future.result(timeout=max(0.0, watch.left()))
            except FutureTimeout:
                if watch.left() <= 0:
                    raise CallTimedOut(watch.seconds) from None

    def rest(self, helper: _Helper) -> bool:
        """Take a helper back for reuse; False when enough are idle (it should end)."""
        with self._lock:
            if len(self._idle) >= _KEEP_IDLE:
                return False
            self._idle.append(helper)
            return True

    def retire(self, helper: _Helper) -> bool:
        """Let an idle helper end; False when a call has just taken it."""
        with self._lock:
            if helper in self._idle:
                self._idle.remove(helper)
                return True
            return False
