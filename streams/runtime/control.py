"""The live partner registry on Kafka: the compacted control topic `syndicate.partners` (one partition, keyed by
partner id), read from the beginning by every worker in offset order, so all apply the same changes in the same
order; seeded once from config/partners.yaml. The pure part (records, apply, plan) is streams/route/control.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import yaml

from streams.contracts import Contracts
from streams.kafka.clients import max_record_bytes
from streams.kafka.security import client_options
from streams.kafka.topics import create_topics
from streams.model import partner_topic
from streams.route.control import CONTROL_TOPIC, Registry, apply, partners_of, seed_changes
from streams.route.registry import Partner, load_partners
from streams.settings import Settings

log = logging.getLogger(__name__)

#: Compaction keeps the latest record per partner forever; older records (the audit history) stay at least this
#: long before the log cleaner may drop them.
MIN_COMPACTION_LAG_MS = 90 * 24 * 3600 * 1000
#: How often a running worker looks for registry changes (the issue asks for a change applied within 5 s).
POLL_MS = 500


def control_topic(settings: Settings) -> str:
    return settings.topic(CONTROL_TOPIC)


@dataclass(frozen=True, slots=True)
class Change:
    """One record of the control topic as read back: where it is and what it says (an audit record)."""

    offset: int
    timestamp: int
    record: Any


async def ensure_topics(settings: Settings, names: dict[str, dict[str, str]]) -> list[str]:
    """Create the topics `names` (name -> configs, one partition each) that do not exist; returns those created.
    Replicated as the cluster replicates new topics (3 times, 2 in sync, on `syndicate broker up --nodes 3`)."""
    created: list[str] = []
    for name, configs in names.items():
        created += await create_topics(settings.bootstrap_servers, {name: 1}, configs=configs,
                                       max_message_bytes=max_record_bytes(settings))
    return created


async def ensure_control_topic(settings: Settings) -> None:
    configs = {"cleanup.policy": "compact", "min.compaction.lag.ms": str(MIN_COMPACTION_LAG_MS)}
    await ensure_topics(settings, {control_topic(settings): configs})


async def read_changes(settings: Settings) -> list[Change]:
    """Every record of the control topic, in offset order, up to its end when asked."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(enable_auto_commit=False, isolation_level="read_committed", **client_options(settings))
    await consumer.start()
    try:
        tp = TopicPartition(control_topic(settings), 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        end = (await consumer.end_offsets([tp]))[tp]
        out: list[Change] = []
        while await consumer.position(tp) < end:
            batch = await consumer.getmany(tp, timeout_ms=1000)
            out.extend(Change(m.offset, m.timestamp, _decode(m.value)) for m in batch.get(tp, ()))
        return out
    finally:
        await consumer.stop()


def _decode(value: bytes | None) -> Any:
    try:
        return orjson.loads(value) if value is not None else None
    except orjson.JSONDecodeError:
        return None  # apply() ignores it, with a reason in the log


async def write_changes(settings: Settings, records: Sequence[dict[str, Any]]) -> None:
    """Append control records (acks=all, idempotent), each keyed by its partner id, in order."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(acks="all", enable_idempotence=True, **client_options(settings))
    await producer.start()
    try:
        for record in records:
            await producer.send_and_wait(control_topic(settings), orjson.dumps(record), key=record["id"].encode())
    finally:
        await producer.stop()


def registry_of(changes: Sequence[Change], contracts: Contracts, registry: Registry | None = None) -> Registry:
    """The registry after `changes` (from empty, or from `registry`); a bad record is logged and ignored."""
    registry = dict(registry or {})
    for change in changes:
        registry, error = apply(registry, change.record, contracts)
        if error:
            log.warning("partner control record at offset %d ignored: %s", change.offset, error)
    return registry


def seed_definitions(path: Path, contracts: Contracts) -> list[dict[str, Any]]:
    """The partners of config/partners.yaml (validated) as plain definitions."""
    load_partners(path, contracts)  # refuses a bad file, naming the field
    data = yaml.safe_load(path.read_text())
    return [dict(d) for d in data["partners"]]


async def load_registry(settings: Settings, contracts: Contracts) -> tuple[Registry, list[Change]]:
    """The registry on the control topic, seeding it from SYNDICATE_PARTNERS when the topic is empty."""
    await ensure_control_topic(settings)
    changes = await read_changes(settings)
    if not changes:
        definitions = seed_definitions(settings.partners_path, contracts)
        await write_changes(settings, seed_changes(definitions, who=str(settings.partners_path),
                                                   when=datetime.now(UTC)))
        changes = await read_changes(settings)
    return registry_of(changes, contracts), changes


def live_partner_ids(settings: Settings) -> list[str]:
    """The ids of the live registry's partners (each one is topic partner.<id>)."""
    registry, _ = asyncio.run(load_registry(settings, Contracts()))
    return list(registry)


async def ensure_partner_topics(settings: Settings, partner_ids: Sequence[str]) -> list[str]:
    return await ensure_topics(settings, {settings.topic(partner_topic(p)): {} for p in partner_ids})


@dataclass
class RegistryFollower:
    """Keeps a worker's partners in step with the control topic: `on_change(partners)` is called with the new
    registry after each batch of changes (partner topics created first), in offset order."""

    settings: Settings
    contracts: Contracts
    on_change: Callable[[list[Partner]], None]
    registry: Registry = field(default_factory=dict)
    position: int = 0

    @classmethod
    def loaded(cls, settings: Settings, contracts: Contracts,
               on_change: Callable[[list[Partner]], None]) -> RegistryFollower:
        """Read the registry to the end now (seeding it if empty), hand it to `on_change`, and return the follower
        that continues from there (call before the worker's event loop starts)."""
        registry, changes = asyncio.run(load_registry(settings, contracts))
        on_change(partners_of(registry, contracts))
        return cls(settings, contracts, on_change, registry, changes[-1].offset + 1 if changes else 0)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        from aiokafka import AIOKafkaConsumer, TopicPartition

        consumer = AIOKafkaConsumer(enable_auto_commit=False, isolation_level="read_committed",
                                    **client_options(self.settings))
        await consumer.start()
        try:
            tp = TopicPartition(control_topic(self.settings), 0)
            consumer.assign([tp])
            consumer.seek(tp, self.position)
            while stop is None or not stop.is_set():
                batch = await consumer.getmany(tp, timeout_ms=POLL_MS)
                messages = batch.get(tp, [])
                if messages:
                    await self.apply([Change(m.offset, m.timestamp, _decode(m.value)) for m in messages])
        finally:
            await consumer.stop()

    async def apply(self, changes: Sequence[Change]) -> None:
        before = self.registry
        self.registry = registry_of(changes, self.contracts, before)
        self.position = changes[-1].offset + 1 if changes else self.position
        if self.registry != before:
            await ensure_partner_topics(self.settings, list(self.registry))
            self.on_change(partners_of(self.registry, self.contracts))
            log.info("partner registry changed: %d partners (%s)", len(self.registry), ", ".join(self.registry))

