"""A time budget per input: a stage still running when its input's budget is spent is stopped (`too-slow`).

One hostile input (a page built to make a regular expression backtrack, a parse that never ends) must not
hold a worker: `Deadline.run` arms a one-shot `SIGALRM` timer (`setitimer(ITIMER_REAL)`, wall clock) for the
budget and calls the stage code; if the timer fires first, its handler raises `Overrun` in the middle of
whatever Python code is running, and the caller dead-letters the input as `too-slow`.

What it can and cannot stop (measured in tests/test_deadline.py):
- Python code, and CPython's regular-expression engine: `_sre` checks for signals while it backtracks, so
  a catastrophic pattern is stopped within a few milliseconds of the budget.
- Not C code that never returns to the interpreter: one call into selectolax (Lexbor), lxml, nh3 or orjson
  runs to its end, and the handler runs after it. Those are bounded by the input's size instead
  (`SYNDICATE_MAX_INPUT_BYTES`; orjson also refuses nesting deeper than 1024); the flood bench measures
  the slowest of them on the largest inputs allowed.

`Overrun` derives from `BaseException`, so a stage's own `except Exception` cannot swallow it, and the timer
keeps firing every 10 ms until the stage has stopped: an `Overrun` raised inside a garbage-collector callback
or a `__del__` is discarded by Python (found by the property tests), the next one is not. Signals are
delivered to the main thread only: `run` off the main thread (an executor) calls the stage without a
budget, and says so once in the log. Pure: no Kafka, used by `streams.pipeline` online and offline alike.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

#: The default budget per input and step (prepare: envelope + normalise + tag), in milliseconds. A story
#: takes about 1 ms to prepare (the HTML pages about 5 ms). The timer fires at 800 ms, not 1 s, because a stage
#: inside one C call when it fires stops only when the call returns: the longest such tail on inputs within the
#: limits was about 150 ms (`syndicate bench flood`, a page of 100,000 unclosed <p>), so no input holds a worker
#: past about 1 s.
DEFAULT_BUDGET_MS = 800
#: After the budget, the timer fires again this often until the stage has stopped.
REPEAT_SECONDS = 0.01


class Overrun(BaseException):
    """The input's budget was spent while `stage` was running."""

    def __init__(self, stage: str, budget_ms: int, elapsed_ms: float) -> None:
        super().__init__(f"{stage}: stopped after {elapsed_ms:.0f} ms (the budget per input is {budget_ms} ms)")
        self.stage = stage
        self.budget_ms = budget_ms
        self.elapsed_ms = elapsed_ms


class Deadline:
    """Runs stage code within a per-input budget (`budget_ms`; 0 turns the budget off).

    Use: `deadline.run(work)`, where `work` names the stage it is in with `deadline.stage = "normalize"`
    as it goes; `run` raises `Overrun` (naming that stage) if the budget is spent first."""

    def __init__(self, budget_ms: int = DEFAULT_BUDGET_MS) -> None:
        self.budget_ms = budget_ms
        self.stage = "?"
        self._armed = False
        self._started = 0.0
        self._warned = False

    @property
    def enforced(self) -> bool:
        """A budget is set and this is the main thread (the only one a signal handler runs in)."""
        if self.budget_ms <= 0:
            return False
        if threading.current_thread() is threading.main_thread():
            return True
        if not self._warned:
            self._warned = True
            log.warning("the per-input budget (%d ms) is not enforced off the main thread", self.budget_ms)
        return False

    def run(self, work: Callable[[], T]) -> T:
        """`work()`, stopped with `Overrun` if it is still running after the budget."""
        if not self.enforced:
            return work()
        self.stage = "?"
        previous = signal.signal(signal.SIGALRM, self._fire)
        self._started = time.perf_counter()
        self._armed = True
        try:
            # Fired again every REPEAT_SECONDS until disarmed: an Overrun raised where Python cannot pass it on
            # (a garbage-collector callback, a __del__, a C library calling back) is lost, so one is not enough.
            signal.setitimer(signal.ITIMER_REAL, self.budget_ms / 1000, REPEAT_SECONDS)
            return work()
        finally:
            try:
                # Disarm first: a signal already on its way then finds the handler disarmed and does nothing
                # (and if it ran just before, it raised Overrun here; the timer is still stopped below).
                self._armed = False
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)

    def _fire(self, signum: int, frame: Any) -> None:
        if self._armed:
            raise Overrun(self.stage, self.budget_ms, (time.perf_counter() - self._started) * 1000)
