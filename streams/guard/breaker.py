"""The internal-error policy: a stage that fails on too many of its recent inputs is broken, not fed bad input.

One poisoned story that makes a stage raise is dead-lettered as `internal-error` and the stream goes on.
But a code bug or a broken dependency makes the same stage raise on *every* input, and dead-lettering
them all would look healthy while partners receive nothing. So each stage keeps a sliding window of its
last `window` inputs; when `limit` of them failed with an internal error, the policy trips. Whoever runs
the pipeline then stops taking input and reports the first traceback of the window (offline:
`syndicate process` exits 3; on Kafka the worker stops and does not commit past the failures).

Pure: no I/O, no clock, no logging. The defaults, 20 of the last 50, are settings
(SYNDICATE_INTERNAL_ERROR_LIMIT, SYNDICATE_INTERNAL_ERROR_WINDOW): 20 is far above what one bad story
(or a burst of a few copies of it) can cause, and low enough that a broken stage stops within 20 inputs.
"""

from __future__ import annotations

import traceback as tb
from collections import deque
from dataclasses import dataclass

DEFAULT_LIMIT = 20
DEFAULT_WINDOW = 50


@dataclass(frozen=True, slots=True)
class Trip:
    """Why the policy tripped: the stage, its failures among the inputs in its window, the first traceback."""

    stage: str
    failures: int
    seen: int
    limit: int
    window: int
    first_traceback: str

    def describe(self) -> str:
        return (
            f"stage {self.stage} is broken: {self.failures} of its last {self.seen} inputs failed with "
            f"internal-error (the policy trips at {self.limit} of the last {self.window}: "
            f"SYNDICATE_INTERNAL_ERROR_LIMIT, SYNDICATE_INTERNAL_ERROR_WINDOW)"
        )


class InternalErrorPolicy:
    """Counts each stage's internal errors over its last `window` inputs; trips (for good) at `limit`."""

    def __init__(self, limit: int = DEFAULT_LIMIT, window: int = DEFAULT_WINDOW) -> None:
        if not 1 <= limit <= window:
            raise ValueError(f"internal-error policy: need 1 <= limit <= window, got limit={limit}, window={window}")
        self.limit = limit
        self.window = window
        # Per stage: one entry per input, None for a success, the traceback text ("" if none) for a failure.
        self._recent: dict[str, deque[str | None]] = {}
        self._failures: dict[str, int] = {}
        self._trip: Trip | None = None

    def record(self, stage: str, failed: bool, error: BaseException | str | None = None) -> bool:
        """One input went through `stage`; `failed` means it was dead-lettered `internal-error` there.
        `error` (the exception, or its formatted traceback) is kept while the input is in the window.
        Returns True once the policy has tripped (on this input or before): stop taking input."""
        recent = self._recent.setdefault(stage, deque(maxlen=self.window))
        failures = self._failures.get(stage, 0)
        if len(recent) == self.window and recent[0] is not None:
            failures -= 1  # the oldest failure slides out of the window
        if failed:
            recent.append(_text(error))
            failures += 1
        else:
            recent.append(None)
        self._failures[stage] = failures
        if self._trip is None and failed and failures >= self.limit:
            first = next(t for t in recent if t is not None)
            self._trip = Trip(stage, failures, len(recent), self.limit, self.window, first)
        return self._trip is not None

    @property
    def tripped(self) -> Trip | None:
        """The first trip (it never resets: a restart after the fix starts a new policy)."""
        return self._trip

    @property
    def first_traceback(self) -> str | None:
        """The first traceback in the tripped stage's window when it tripped; None while healthy."""
        return self._trip.first_traceback if self._trip else None

    def failures(self, stage: str) -> tuple[int, int]:
        """(internal errors, inputs) in `stage`'s current window: for health checks and metrics."""
        return self._failures.get(stage, 0), len(self._recent.get(stage, ()))


def _text(error: BaseException | str | None) -> str:
    if error is None:
        return ""
    if isinstance(error, str):
        return error
    return "".join(tb.format_exception(error))
