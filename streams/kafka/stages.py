"""The two stages as the loops run them: `prepare` (stateless) and `decide` (state in a `StateStore`).

A stage turns one input record into outputs (the pipeline's steps), says which changelog records a batch
leaves behind, forgets its state when it may be stale, and restores it before it processes a partition it
was given. No Kafka client here: the changelog is read through the `Restore` function it is given
(streams/kafka/changelog.py on workers, a list in the wiring tests).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from streams.kafka.records import Encoded, Inbound, json_or_none, raw_bytes
from streams.kafka.state import StateStore
from streams.pipeline import Output, Pipeline

log = logging.getLogger(__name__)

#: Reads a changelog topic from the beginning to its end, calling the function on each record's key and value;
#: returns how many records it read.
Restore = Callable[[str, Callable[[bytes | None, bytes | None], Any]], Awaitable[int]]


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

    def decode(self, value: bytes | None) -> Any:
        return json_or_none(value)

    def process(self, record: Inbound) -> list[Output]:
        return self.pipeline.decide(record.value, record.original, timestamp=record.timestamp)

    def changes(self) -> list[Encoded]:
        topic = self.changelog
        return [(topic, key, value) for key, value in self.store.changes()]  # type: ignore[misc]

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
        remembered = self.pipeline.deduper.rebuild_index()
        self.restored = True
        took = time.monotonic() - started
        self.last_restore = {"records": records, "seconds": took, "stories": remembered}
        log.info("decide state restored from %s: %d changelog records, dedupe index rebuilt from %d remembered "
                 "stories in %.2f s", self.changelog, records, remembered, took)
