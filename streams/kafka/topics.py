"""Topic names and their creation on the broker (the worker creates them before it subscribes)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from typing import Any

from aiokafka.structs import TopicPartition as TopicPartitionT

from streams.errors import BrokerTimeout
from streams.kafka.broker import Replication
from streams.kafka.security import connect
from streams.model import ARTICLES, DEAD_LETTER, DECISIONS, NORMALIZED, PARTNER_PREFIX, RAW, partner_topic
from streams.settings import Settings

__all__ = [
    "ARTICLES", "DEAD_LETTER", "DECISIONS", "NORMALIZED", "PARTNER_PREFIX", "RAW", "Replication",
    "broker_ids", "ensure_topics", "leaders", "partner_topic", "state_topic", "topic_plan", "wait_for_broker",
]


def state_topic(settings: Settings) -> str:
    """The decide step's state changelog: `<prefix><app_id>.decide-state`, compacted, one partition (a
    sandbox's app id already starts with its prefix, `sandbox.NAME.`: it is not added twice)."""
    name = f"{settings.app_id}.decide-state"
    return name if settings.topic_prefix and name.startswith(settings.topic_prefix) else settings.topic(name)


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


async def create_topics(
    bootstrap: str, plan: dict[str, int], replication: Replication | None = None, compacted: bool = False
) -> list[str]:
    """Create the planned topics that do not exist. Replication follows the cluster's own defaults
    (`default.replication.factor`, `min.insync.replicas`: 3 and 2 on `syndicate broker up --nodes 3`, 1 and 1 on
    one node), set on each topic explicitly, unless `replication` is given."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(**connect(bootstrap))
    await admin.start()
    try:
        if replication is None:
            replication = await cluster_replication(admin)
        configs = {"min.insync.replicas": str(replication.min_insync)}
        if compacted:
            configs["cleanup.policy"] = "compact"
        existing = set(await admin.list_topics())
        wanted = [NewTopic(name, n, replication.factor, topic_configs=configs)
                  for name, n in plan.items() if name not in existing]
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

    client = AIOKafkaClient(**connect(bootstrap))
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


async def cluster_replication(admin: Any) -> Replication:
    """The replication factor and min ISR the cluster gives new topics by default, read from a live broker's
    configuration (counting live brokers would give a degraded cluster's topics too few replicas for good)."""
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    broker = min(b.nodeId for b in admin._client.cluster.brokers())
    (response,) = await admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, str(broker))])
    config = {entry[0]: entry[1] for entry in response.resources[0][4]}
    return Replication(int(config.get("default.replication.factor", 1)), int(config.get("min.insync.replicas", 1)))


async def _broker_ids(bootstrap: str) -> set[int]:
    from aiokafka import AIOKafkaClient

    client = AIOKafkaClient(**connect(bootstrap))
    await client.bootstrap()
    try:
        await client.force_metadata_update()
        return {b.nodeId for b in client.cluster.brokers()}
    finally:
        await client.close()


def broker_ids(bootstrap: str) -> set[int]:
    """The node ids of the brokers the cluster's metadata lists as live."""
    return asyncio.run(_broker_ids(bootstrap))


async def _leaders(bootstrap: str, topic: str) -> dict[int, int | None]:
    from aiokafka import AIOKafkaClient

    client = AIOKafkaClient(**connect(bootstrap))
    await client.bootstrap()
    try:
        await client.force_metadata_update()
        meta = client.cluster
        return {p: _leader(meta.leader_for_partition(TopicPartitionT(topic, p)))
                for p in sorted(meta.partitions_for_topic(topic) or ())}
    finally:
        await client.close()


def _leader(node: int | None) -> int | None:
    return None if node is None or node < 0 else node


def leaders(bootstrap: str, topic: str) -> dict[int, int | None]:
    """Partition -> the node id leading it now (None while it has no leader)."""
    return asyncio.run(_leaders(bootstrap, topic))


def ensure_topics(settings: Settings, partner_ids: Iterable[str]) -> list[str]:
    """Create the topics that do not exist yet, and the decide step's compacted state changelog; return the names
    created."""

    async def both() -> list[str]:
        created = await create_topics(settings.bootstrap_servers, topic_plan(settings, partner_ids))
        return created + await create_topics(settings.bootstrap_servers, {state_topic(settings): 1}, compacted=True)

    return asyncio.run(both())


async def _probe(bootstrap: str) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(request_timeout_ms=3000, **connect(bootstrap))
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
