"""Fetch a range of offsets of one partition with a plain consumer (no group): how agents fill a gap."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a range fetch got: the records, and whether the consumer reached the end of the range in time
    (if it did, offsets missing from `records` are ones the log no longer holds)."""

    records: list[Any]
    complete: bool


async def fetch_range(*, bootstrap: str, topic: str, partition: int, start: int, stop: int,
                      timeout: float = 30.0) -> Fetched:
    """Records with offsets in [start, stop), in order, read by a consumer in no group."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        tp = TopicPartition(topic, partition)
        consumer.assign([tp])
        consumer.seek(tp, start)
        out: list[Any] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(tp, timeout_ms=500)
            for record in batch.get(tp, []):
                if record.offset >= stop:
                    return Fetched(out, True)
                out.append(record)
            if await consumer.position(tp) >= stop:
                return Fetched(out, True)
        return Fetched(out, False)
    finally:
        await consumer.stop()
