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
    #: exactly-once: seconds in the transactions' sends, send_offsets_to_transaction and commit, in total
    txn_seconds: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
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

    def transaction(self, sends: float, offsets: float, commit: float) -> None:
        """Add one transaction's seconds in its sends, send_offsets_to_transaction and commit."""
        self.txn_seconds = [a + b for a, b in zip(self.txn_seconds, (sends, offsets, commit), strict=True)]

    def summary(self) -> str:
        """One line for the log when the loop stops (`bench e2e` reads it from the workers' logs)."""
        return (f"{self.stage} loop stopped: {self.inputs} inputs in {self.batches} batches, "
                f"{self.process_seconds:.2f} s processing, {self.commit_seconds:.2f} s writing and committing "
                "(transactions: sends {:.2f} s, offsets {:.2f} s, commit {:.2f} s), ".format(*self.txn_seconds)
                + f"{self.failed_batches} failed batches, {self.restores} restores")

    def snapshot(self) -> dict[str, Any]:
        return asdict(self)
