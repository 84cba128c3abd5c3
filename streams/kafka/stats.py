"""Counters and timings per loop, and the worker's health flag: what /metrics and the dashboard read."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class LoopStats:
    """One loop's running totals (since the worker started) and its last batch. Plain numbers, read anywhere."""

    stage: str
    inputs: int = 0
    outputs: int = 0
    batches: int = 0
    failed_batches: int = 0
    restores: int = 0
    internal_errors: int = 0
    process_seconds: float = 0.0
    commit_seconds: float = 0.0
    last_batch_inputs: int = 0
    last_batch_at: float | None = None
    assigned: list[int] = field(default_factory=list)
    #: False once the internal-error policy tripped (the loop stopped); `failure` says why.
    healthy: bool = True
    failure: str | None = None

    def batch(self, *, inputs: int, outputs: int, seconds: float) -> None:
        self.inputs += inputs
        self.outputs += outputs
        if inputs or outputs:
            self.batches += 1
            self.last_batch_inputs = inputs
            self.last_batch_at = time.time()

    def snapshot(self) -> dict[str, Any]:
        return asdict(self)
