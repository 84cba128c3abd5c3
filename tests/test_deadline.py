"""The per-input budget: what SIGALRM can stop (Python, backtracking regular expressions) and what it leaves."""

from __future__ import annotations

import re
import signal
import threading
import time

import pytest

from streams.guard.deadline import Deadline, Overrun


def spin(seconds: float) -> str:
    """Python that runs `seconds` unless stopped."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "finished"


def test_python_that_overruns_is_stopped_and_the_stage_named() -> None:
    deadline = Deadline(50)

    def work() -> str:
        deadline.stage = "normalize"
        return spin(30)

    with pytest.raises(Overrun) as stopped:
        deadline.run(work)
    assert stopped.value.stage == "normalize"
    assert stopped.value.budget_ms == 50
    assert "normalize: stopped after" in str(stopped.value)


def test_a_backtracking_regular_expression_is_stopped() -> None:
    """CPython's _sre checks for signals where it backtracks through groups: (a+)+$ on 40 a's and a ! would
    take longer than the universe has left."""
    with pytest.raises(Overrun):
        Deadline(50).run(lambda: re.match(r"(a+)+$", "a" * 40 + "!"))


def test_a_stage_cannot_swallow_it_with_except_exception() -> None:
    def stubborn() -> str:
        try:
            return spin(30)
        except Exception:
            return "swallowed"

    with pytest.raises(Overrun):
        Deadline(50).run(stubborn)


def test_work_within_budget_returns_and_leaves_no_timer_behind() -> None:
    before = signal.getsignal(signal.SIGALRM)
    assert Deadline(1000).run(lambda: 42) == 42
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert spin(0.2) == "finished"  # nothing fires later


def test_zero_means_no_budget_and_off_the_main_thread_there_is_none() -> None:
    assert Deadline(0).run(lambda: spin(0.1)) == "finished"
    got: list[str] = []
    thread = threading.Thread(target=lambda: got.append(Deadline(10).run(lambda: spin(0.1))))
    thread.start()
    thread.join()
    assert got == ["finished"]


def test_an_overrun_lost_in_a_callback_is_followed_by_another() -> None:
    """Python discards an exception raised in a garbage-collector callback or a __del__; the timer fires
    again until the stage has stopped."""
    swallowed: list[str] = []

    def loses_the_first() -> str:
        try:
            spin(30)
        except Overrun:
            swallowed.append("first")  # as an unraisable-exception hook would
        return spin(30)

    with pytest.raises(Overrun):
        Deadline(50).run(loses_the_first)
    assert swallowed == ["first"]
