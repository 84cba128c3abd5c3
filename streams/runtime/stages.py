"""The two stages as the loops run them: `prepare` (stateless) and `decide` (state in a `StateStore`).

A stage turns one input record into outputs (the pipeline's steps), says which changelog records a batch
leaves behind, forgets its state when it may be stale, and restores it before it processes a partition it
was given. No Kafka client here: the changelog is read through the `Restore` function it is given
(streams/runtime/changelog.py on workers, a list in the wiring tests).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from streams.pipeline import Output, Pipeline
from streams.runtime.records import Encoded, Inbound, json_or_none, raw_bytes
from streams.runtime.state import StateStore

log = logging.getLogger(__name__)

#: Reads a changelog topic from the beginning to its end, calling the function on each record's key and value;
#: returns how many records it read.
Restore = Callable[[str, Callable[[bytes | None, bytes | None], Any]], Awaitable[int]]


def settle_heap() -> None:
    """Collect, then exclude every object alive now from later garbage collections (`gc.freeze`). A worker's
    long-lived objects (the tagger's tables, the restored state, the dedupe index's lists) made each full
    collection take 50 ms and more, in the middle of a batch; the p99 latency showed it."""
    gc.collect()
    gc.freeze()


class Stage(Protocol):
    """What a loop needs of a stage."""

    name: str
    stateful: bool

    def decode(self, value: bytes | None) -> Any: ...

    def process(self, record: Inbound) -> list[Output]: ...

    def changes(self) -> list[Encoded]: ...

    def tick(self) -> list[Output]: ...

    def forget(self) -> None: ...

    async def restore(self) -> None: ...


class PrepareStage:
    """wire.raw -> wire.normalized: envelope, normalise, tag. Nothing to restore, nothing to write but outputs."""

    name = "prepare"
    stateful = False

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def decode(self, value: bytes | None) -> Any:
        return raw_bytes(value)

    def process(self, record: Inbound) -> list[Output]:
        return self.pipeline.prepare(record.value, record.input_id, record.source, timestamp=record.timestamp)

    def changes(self) -> list[Encoded]:
        return []

    def tick(self) -> list[Output]:
        return []

    def forget(self) -> None:
        pass

    async def restore(self) -> None:
        pass


class DecideStage:
    """wire.normalized -> decisions, articles, partner copies: dedupe and route over the state store, whose
    changes go to the changelog topic `changelog` with each batch."""

    name = "decide"
    stateful = True

    def __init__(self, pipeline: Pipeline, store: StateStore, *, changelog: str, restore: Restore,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.pipeline = pipeline
        self.store = store
        self.changelog = changelog
        self._restore = restore
        self._clock = clock
        self.restored = False
        self.last_restore: dict[str, Any] = {}
        #: In a worker process: after a restore, move the state into the collector's permanent generation
        #: (`settle_heap`). Left off in tests, which build many stages in one process.
        self.freeze_gc = False

    def decode(self, value: bytes | None) -> Any:
        return json_or_none(value)

    def process(self, record: Inbound) -> list[Output]:
        return self.pipeline.decide(record.value, record.original, timestamp=record.timestamp)

    def changes(self) -> list[Encoded]:
        topic = self.changelog
        return [(topic, key, value, 0) for key, value in self.store.changes()]  # type: ignore[misc]

    def tick(self) -> list[Output]:
        """Releases the pipeline has due (held deliveries: embargo, windows, rates); they join the batch."""
        return self.pipeline.tick(self._clock() if self._clock else None)

    def forget(self) -> None:
        """The state may be stale (the partition was revoked, or a batch failed after it changed the state)."""
        self.store.reset()
        self.pipeline.deduper.rebuild_index()  # over the emptied stories: the derived index is cleared too
        self.restored = False

    async def restore(self) -> None:
        """Read the changelog to its end into an empty store, then rebuild what is derived from it."""
        self.forget()
        started = time.monotonic()
        records = await self._restore(self.changelog, self.store.apply)
        self.store.discard_changes()
        # In a thread: rebuilding the index of 100,000 stories takes seconds of CPU, and the event loop must
        # go on heartbeating meanwhile or the group takes the partition away. Nothing else touches the state
        # until the restore is done (the loop holds its lock).
        remembered = await asyncio.to_thread(self.pipeline.deduper.rebuild_index)
        if self.freeze_gc:
            settle_heap()
        self.restored = True
        took = time.monotonic() - started
        self.last_restore = {"records": records, "seconds": took, "stories": remembered}
        log.info("decide state restored from %s: %d changelog records, dedupe index rebuilt from %d remembered "
                 "stories in %.2f s", self.changelog, records, remembered, took)
