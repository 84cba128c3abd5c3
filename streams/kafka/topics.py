"""Topic names and their creation on the broker (the worker creates them before it subscribes)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable

from aiokafka.structs import TopicPartition as TopicPartitionT

from streams.errors import BrokerTimeout
from streams.model import ARTICLES, DEAD_LETTER, DECISIONS, NORMALIZED, PARTNER_PREFIX, RAW, partner_topic
from streams.settings import Settings

__all__ = [
    "ARTICLES", "DEAD_LETTER", "DECISIONS", "NORMALIZED", "PARTNER_PREFIX", "RAW",
    "ensure_topics", "partner_topic", "topic_plan", "wait_for_broker",
]


def topic_plan(settings: Settings, partner_ids: Iterable[str]) -> dict[str, int]:
    """Full topic name -> partition count, for every topic the pipeline reads or writes."""
    plan = {
        settings.topic(RAW): settings.raw_partitions,
        settings.topic(NORMALIZED): 1,
        settings.topic(ARTICLES): settings.raw_partitions,
        settings.topic(DECISIONS): 1,
        settings.topic(DEAD_LETTER): 1,
    }
    for pid in partner_ids:
        plan[settings.topic(partner_topic(pid))] = 1
    return plan


async def create_topics(bootstrap: str, plan: dict[str, int]) -> list[str]:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [NewTopic(name, n, 1) for name, n in plan.items() if name not in existing]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):  # another worker created it meanwhile
                await admin.create_topics(wanted)
    finally:
        await admin.close()
    await wait_for_partitions(bootstrap, plan)
    return [t.name for t in wanted]


async def wait_for_partitions(bootstrap: str, plan: dict[str, int], timeout: float = 60.0) -> None:
    """Wait until every partition of every planned topic is in the cluster metadata with a leader. A fresh
    KRaft broker answers for new topics before their metadata has settled; a worker that subscribes in that
    window could be handed partitions it then never fetched (reproduced: tests/test_kafka_state.py)."""
    from aiokafka import AIOKafkaClient

    client = AIOKafkaClient(bootstrap_servers=bootstrap)
    await client.bootstrap()
    try:
        deadline = time.monotonic() + timeout
        while True:
            await client.force_metadata_update()
            meta = client.cluster
            missing = [
                name for name, count in plan.items()
                if len(meta.partitions_for_topic(name) or ()) < count
                or any(meta.leader_for_partition(TopicPartitionT(name, p)) in (None, -1) for p in range(count))
            ]
            if not missing:
                return
            if time.monotonic() > deadline:
                raise BrokerTimeout(f"topics without full metadata after {timeout:.0f}s: {missing}")
            await asyncio.sleep(0.2)
    finally:
        await client.close()


def ensure_topics(settings: Settings, partner_ids: Iterable[str]) -> list[str]:
    """Create the topics that do not exist yet; return the names created."""
    return asyncio.run(create_topics(settings.bootstrap_servers, topic_plan(settings, partner_ids)))


async def _probe(bootstrap: str) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    await admin.start()
    try:
        await admin.list_topics()
    finally:
        await admin.close()


def wait_for_broker(bootstrap: str, timeout: float = 60.0) -> None:
    """Block until the broker answers a metadata request (a readiness wait, not a sleep)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            asyncio.run(_probe(bootstrap))
            return
        except Exception as exc:
            last = exc
            time.sleep(0.5)
    raise BrokerTimeout(f"Kafka at {bootstrap} did not answer within {timeout:.0f}s: {last}")
