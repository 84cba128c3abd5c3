"""Reading a topic from its beginning (tests, benches, `syndicate summary`): records decoded, to a count or idle."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import orjson

from streams.kafka.clients import partitions_of
from streams.kafka.security import connect

__all__ = ["Until", "read_records", "read_topic"]

Until = int | Callable[[list[Any]], bool] | None


def _value(data: bytes | None) -> Any:
    """A record's value decoded as JSON; one that is not JSON (a NewsML-G2 partner's XML) stays bytes."""
    try:
        return orjson.loads(data) if data is not None else None
    except orjson.JSONDecodeError:
        return data


async def read_records(bootstrap: str, topic: str, until: Until = None, timeout: float = 60.0, idle: float = 1.0,
                       *, isolation: str = "read_uncommitted") -> list[Any]:
    """`read_topic` for code already in an event loop."""
    from aiokafka import AIOKafkaConsumer  # kept off the CLI's fast path (`syndicate summary` imports this module)

    consumer = AIOKafkaConsumer(**connect(bootstrap), enable_auto_commit=False, isolation_level=isolation)
    await consumer.start()
    try:
        tps = await partitions_of(consumer, topic)
        if not tps:
            return []
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        out: list[Any] = []
        deadline = time.monotonic() + timeout
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            got = [m for msgs in batch.values() for m in msgs]
            if got:
                quiet_since = time.monotonic()
                out.extend({"key": m.key, "value": _value(m.value), "partition": m.partition, "offset": m.offset,
                            "timestamp": m.timestamp} for m in got)
            enough = until(out) if callable(until) else until is not None and len(out) >= until
            if enough and time.monotonic() - quiet_since > idle:
                break
            if until is None and time.monotonic() - quiet_since > idle:
                break
        return out
    finally:
        await consumer.stop()


def read_topic(bootstrap: str, topic: str, until: Until = None, timeout: float = 60.0,
               idle: float = 1.0, *, isolation: str = "read_uncommitted") -> list[Any]:
    """Every record of `topic` from the beginning. With `until` (a count, or a test on the records read so
    far), waits up to `timeout` for it to hold; without, reads until the topic has been idle for `idle` s.
    `isolation="read_committed"` reads as a partner does: records of aborted transactions are left out."""
    return asyncio.run(read_records(bootstrap, topic, until, timeout, idle, isolation=isolation))
