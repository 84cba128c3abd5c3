"""Fetch a range of offsets of one partition with a plain consumer (no group): how agents fill a gap."""

from __future__ import annotations

import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition


async def fetch_range(bootstrap: str, topic: str, partition: int, start: int, stop: int,
                      timeout: float = 30.0) -> list[Any]:
    """Records with offsets in [start, stop), in order. Records the log no longer holds (retention) are
    missing from the result; the caller compares offsets to tell."""
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
                    return out
                out.append(record)
            if await consumer.position(tp) >= stop:
                return out
        return out
    finally:
        await consumer.stop()
