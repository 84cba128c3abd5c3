"""Read a changelog (or control) topic from the beginning to its end, committed records only, with a plain consumer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer

from streams.kafka.clients import partitions_of


async def read_to_end(bootstrap: str, topic: str, apply: Callable[[bytes | None, bytes | None], Any], *,
                      timeout: float = 600.0, options: dict[str, Any] | None = None) -> int:
    """Call `apply(key, value)` on every committed record of every partition of `topic`, in offset order per
    partition, up to the end the topic had when the read started (its last stable offset). Returns the count."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest",
        isolation_level="read_committed", max_partition_fetch_bytes=8 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024, **(options or {}),
    )
    await consumer.start()
    try:
        tps = await partitions_of(consumer, topic)
        if not tps:
            raise RuntimeError(f"changelog topic {topic} does not exist")
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)  # read_committed: the last stable offset
        await consumer.seek_to_beginning(*tps)
        todo = {tp for tp in tps if ends[tp] > 0}
        count = 0
        deadline = time.monotonic() + timeout
        while todo:
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading {topic} to its end took more than {timeout:.0f} s")
            batch = await consumer.getmany(*todo, timeout_ms=500, max_records=10_000)
            for tp, records in batch.items():
                for r in records:
                    if r.offset < ends[tp]:
                        apply(r.key, r.value)
                        count += 1
            for tp in list(todo):
                if await consumer.position(tp) >= ends[tp]:
                    todo.discard(tp)
        return count
    finally:
        await consumer.stop()
