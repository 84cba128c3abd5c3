"""How the loops' Kafka clients are configured: one place for producer and consumer options."""

from __future__ import annotations

from typing import Any

from streams.kafka.security import client_options
from streams.settings import Settings

#: Producer batching window: none. A loop appends a whole batch's records (and, exactly-once, commits right after)
#: before it yields to the event loop, so the sender finds them all at once and sends one request per broker
#: anyway; a linger would only add its length to every hop (5 ms measured as 5 ms more p50 per hop).
LINGER_MS = 0

#: Back-off before a producer retries a request. A transaction that starts right after the previous one committed
#: is told CONCURRENT_TRANSACTIONS until the broker has written the last one's markers; aiokafka then waits
#: retry_backoff_ms (100 ms by default; the Java client waits 20 ms in this case). Back-to-back transactions
#: measured 18.5 ms p50 with 100 and 2.2 ms with 10; on a quiet machine, exactly-once latency at 50 stories/s
#: (`bench e2e --phases latency`) p99 50.4-113 ms with 10 (3 runs), 25.9-50.8 ms, median 30 ms, with 2 (6 runs).
RETRY_BACKOFF_MS = 2

#: Largest producer batch per partition: a batch of normalised stories (5-20 kB each) fits in a few.
MAX_BATCH_BYTES = 1024 * 1024


def max_record_bytes(settings: Settings) -> int:
    """The largest record a worker writes, and what every pipeline topic accepts (`max.message.bytes`): three
    times the largest input (a dead letter carries the input in base64, 4/3 of it; a normalised story its text
    and HTML bodies), at least 4 MiB. The broker's default, 1 MB, would refuse the dead letter of a 1 MB input."""
    return max(settings.max_input_bytes * 3, 4 * 1024 * 1024)


def connection(settings: Settings) -> dict[str, Any]:
    """Bootstrap servers and, where a broker needs them, security options (streams/kafka/security.py)."""
    return client_options(settings)


def producer_options(settings: Settings, transactional_id: str | None = None) -> dict[str, Any]:
    """acks=all and idempotence always; a transactional id for exactly-once."""
    options: dict[str, Any] = {
        **connection(settings),
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": LINGER_MS,
        "max_batch_size": MAX_BATCH_BYTES,
        "max_request_size": max_record_bytes(settings),
        "retry_backoff_ms": RETRY_BACKOFF_MS,
    }
    if transactional_id:
        options["transactional_id"] = transactional_id
    return options


def consumer_options(settings: Settings, group_id: str) -> dict[str, Any]:
    """A group member that commits by hand and sees committed records only."""
    return {
        **connection(settings),
        "group_id": group_id,
        "enable_auto_commit": False,
        "auto_offset_reset": "earliest",
        "isolation_level": "read_committed",
        "max_partition_fetch_bytes": 8 * 1024 * 1024,
        "fetch_max_bytes": 64 * 1024 * 1024,
        "session_timeout_ms": settings.session_timeout_ms,
        "heartbeat_interval_ms": max(1_000, settings.session_timeout_ms // 3),
    }


async def partitions_of(consumer: Any, topic: str) -> list[Any]:
    """Every TopicPartition of `topic` as a started consumer sees it (metadata refreshed once if it has none);
    empty when the topic does not exist."""
    from aiokafka import TopicPartition

    parts = consumer.partitions_for_topic(topic)
    if not parts:
        await consumer._client.force_metadata_update()
        parts = consumer.partitions_for_topic(topic)
    return [TopicPartition(topic, p) for p in sorted(parts or ())]
