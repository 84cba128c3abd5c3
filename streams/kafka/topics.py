"""Topic names and their creation on the broker (the worker creates them before it subscribes)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from streams.errors import BrokerError, BrokerTimeout
from streams.kafka.clients import max_record_bytes
from streams.kafka.replication import Replication
from streams.kafka.security import connect
from streams.model import ARTICLES, DEAD_LETTER, DECISIONS, NORMALIZED, PARTNER_PREFIX, RAW, partner_topic
from streams.settings import Settings

log = logging.getLogger(__name__)

#: How long topic creation keeps trying while a node is away (a cluster node restarting, a leader moving).
ADMIN_RETRY_SECONDS = 60.0
T = TypeVar("T")

__all__ = [
    "ARTICLES", "DEAD_LETTER", "DECISIONS", "NORMALIZED", "PARTNER_PREFIX", "RAW", "Replication",
    "broker_ids", "ensure_topics", "group_for", "leaders", "partner_topic", "state_topic", "topic_plan",
    "wait_for_broker",
]


#: The worker's loop (consumer group `<app_id>.<stage>`) that reads each logical topic.
STAGES = {"wire.raw": "prepare", "wire.normalized": "decide"}


def group_for(app_id: str, logical_topic: str) -> str:
    """The consumer group of the worker loop that reads `logical_topic` (wire.raw: `<app_id>.prepare`)."""
    return f"{app_id}.{STAGES.get(logical_topic, 'prepare')}"


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
    bootstrap: str, plan: dict[str, int], *, replication: Replication | None = None, compacted: bool = False,
    max_message_bytes: int | None = None, configs: dict[str, str] | None = None,
) -> list[str]:
    """Create the planned topics that do not exist. Replication follows the cluster's own defaults
    (`default.replication.factor`, `min.insync.replicas`: 3 and 2 on `syndicate broker up --nodes 3`, 1 and 1 on
    one node), set on each topic explicitly, unless `replication` is given. `max_message_bytes` sets the largest
    record the topics accept (the broker's default is 1 MB). A node that is down while the client's metadata
    still lists it fails the requests sent there: they are tried again (with a new client) for ADMIN_RETRY_SECONDS."""
    from aiokafka.errors import KafkaError

    deadline = time.monotonic() + ADMIN_RETRY_SECONDS
    while True:
        try:
            created = await _create_missing(bootstrap, plan, replication,
                                            _topic_configs(compacted, max_message_bytes, configs))
            break
        except (KafkaError, BrokerError) as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("creating topics: %s: %s; trying again", type(exc).__name__, exc)
            await asyncio.sleep(1.0)
    await wait_for_partitions(bootstrap, plan)
    return created


def _topic_configs(compacted: bool, max_message_bytes: int | None, configs: dict[str, str] | None) -> dict[str, str]:
    out = dict(configs or {})
    if compacted:
        out["cleanup.policy"] = "compact"
    if max_message_bytes:
        out["max.message.bytes"] = str(max_message_bytes)
    return out


async def _create_missing(bootstrap: str, plan: dict[str, int], replication: Replication | None,
                          configs: dict[str, str]) -> list[str]:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(**connect(bootstrap))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = {name: n for name, n in plan.items() if name not in existing}
        if missing and replication is None:  # asked only when needed: a node may be down while workers restart
            replication = await cluster_replication(admin)
        topic_configs = {"min.insync.replicas": str(replication.min_insync if replication else 1), **configs}
        wanted = [NewTopic(name, n, replication.factor if replication else 1, topic_configs=topic_configs)
                  for name, n in missing.items()]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):  # another worker created it meanwhile
                await admin.create_topics(wanted)
        return [t.name for t in wanted]
    finally:
        await admin.close()


async def wait_for_partitions(bootstrap: str, plan: dict[str, int], timeout: float = 60.0) -> None:
    """Wait until every partition of every planned topic is in the cluster metadata with a leader. A fresh
    KRaft broker answers for new topics before their metadata has settled; a worker that subscribes in that
    window could be handed partitions it then never fetched (reproduced: tests/kafka/test_kafka_state.py)."""
    from aiokafka import AIOKafkaClient, TopicPartition

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
                or any(meta.leader_for_partition(TopicPartition(name, p)) in (None, -1) for p in range(count))
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

    last: Exception | None = None
    for broker in sorted(b.nodeId for b in admin._client.cluster.brokers()):  # metadata may list a node just gone
        try:
            (response,) = await admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, str(broker))])
        except Exception as exc:
            last = exc
            continue
        config = {entry[0]: entry[1] for entry in response.resources[0][4]}
        return Replication(int(config.get("default.replication.factor", 1)),
                           int(config.get("min.insync.replicas", 1)))
    raise BrokerError(f"no broker answered for its configuration: {last}")


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
    from aiokafka import AIOKafkaClient, TopicPartition

    client = AIOKafkaClient(**connect(bootstrap))
    await client.bootstrap()
    try:
        await client.force_metadata_update()
        meta = client.cluster
        return {p: _leader(meta.leader_for_partition(TopicPartition(topic, p)))
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
    largest = max_record_bytes(settings)

    async def both() -> list[str]:
        created = await create_topics(settings.bootstrap_servers, topic_plan(settings, partner_ids),
                                      max_message_bytes=largest)
        return created + await create_topics(settings.bootstrap_servers, {state_topic(settings): 1}, compacted=True,
                                             max_message_bytes=largest)

    return asyncio.run(both())


def with_retries(what: Callable[[], T], timeout: float) -> T:
    """`what()`, tried again while Kafka says a node is away (a cluster node restarting: the client's metadata
    still lists it and a request sent there fails), for up to `timeout` seconds."""
    from aiokafka.errors import KafkaError

    deadline = time.monotonic() + timeout
    while True:
        try:
            return what()
        except (KafkaError, BrokerError, OSError) as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("Kafka not ready (%s: %s); trying again", type(exc).__name__, exc)
            time.sleep(1.0)


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
