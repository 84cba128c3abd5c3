"""The dashboard's feed: reads our topics into the Hub (no consumer group), and polls the broker for lag and health."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from streams import model
from streams.kafka.security import client_options
from streams.kafka.topics import group_for
from streams.route.registry import Partner
from streams.settings import Settings
from streams.watch.hub import Hub
from streams.watch.metrics import Metrics

log = logging.getLogger(__name__)

#: Records read back from each output partition when the feed starts, so a fresh page is not empty.
BACKFILL = 200
#: How often the broker is asked for the worker's lag and partner groups' lag.
POLL_SECONDS = 3.0
#: At most this many consumer groups are asked for their offsets per poll (partner lag).
MAX_GROUPS = 50


class Watcher:
    """Runs in the worker (a Faust app task): reads wire.raw (counted only), wire.decisions, wire.articles,
    wire.dead-letter and every partner topic without a consumer group, feeds the Hub, and keeps the lag
    gauges and health current."""

    def __init__(self, settings: Settings, hub: Hub, metrics: Metrics, partner_ids: Iterable[str], *,
                 health: Callable[[], tuple[bool, str]] | None = None,
                 backfill: int = BACKFILL, poll_seconds: float = POLL_SECONDS) -> None:
        self.settings = settings
        self.hub = hub
        self.metrics = metrics
        self.partner_ids = list(partner_ids)
        self.health = health
        self.backfill = backfill
        self.poll_seconds = poll_seconds
        logical = [model.RAW, model.DECISIONS, model.ARTICLES, model.DEAD_LETTER,
                   *(model.partner_topic(p) for p in self.partner_ids)]
        self.logical = {settings.topic(name): name for name in logical}
        self.stopped = asyncio.Event()
        self.assigned = False
        self.topics_changed = False  # a partner was added since the consumer's assignment: assign its topic too
        hub.partners = self.partner_ids

    def set_partners(self, partners: Iterable[Partner]) -> None:
        """The live registry changed (the worker's follower calls this): the hub lists these partners, and the
        topic of a partner added since is read from its start (one removed is still read: its topic stays)."""
        partners = list(partners)
        self.hub.set_partners((p.id, p.policy.paused) for p in partners)
        for p in partners:
            topic = self.settings.topic(model.partner_topic(p.id))
            if topic not in self.logical:
                self.logical[topic] = model.partner_topic(p.id)
                self.partner_ids.append(p.id)
                self.topics_changed = True

    async def run(self) -> None:
        consumer = AIOKafkaConsumer(**client_options(self.settings), enable_auto_commit=False,
                                    isolation_level="read_committed",  # the loops write in transactions
                                    max_partition_fetch_bytes=self.settings.max_input_bytes + 100_000)
        admin = AIOKafkaAdminClient(**client_options(self.settings))
        await consumer.start()
        await admin.start()
        try:
            await self._assign(consumer)
            next_poll = 0.0
            while not self.stopped.is_set():
                if self.topics_changed:
                    await self._assign(consumer)
                batch = await consumer.getmany(timeout_ms=300)
                for tp, messages in batch.items():
                    for m in messages:
                        self._feed(tp.topic, m.value, m.timestamp)
                if time.monotonic() >= next_poll:
                    next_poll = time.monotonic() + self.poll_seconds
                    try:
                        await self.poll(consumer, admin)
                    except Exception as exc:  # the broker away for a moment: the page shows stale figures
                        log.warning("dashboard poll failed: %s: %s", type(exc).__name__, exc)
        finally:
            self.stopped.set()
            await admin.close()
            await consumer.stop()

    def _feed(self, topic: str, raw: bytes | None, at_ms: int) -> None:
        if self.logical.get(topic) == model.RAW:  # stories in: counted by their time, never parsed here
            self.hub.inputs(1, at_ms)
            return
        logical = self.logical.get(topic, topic)
        try:
            value = orjson.loads(raw) if raw is not None else None
        except orjson.JSONDecodeError:
            if not logical.startswith(model.PARTNER_PREFIX):
                return
            value = raw  # a NewsML-G2 partner's XML: the hub reads its guid and version
        self.hub.record(logical, value, at_ms)

    async def _assign(self, consumer: Any) -> None:
        """Assign every topic in `logical`: at start `backfill` records back; when called again (a partner was
        added), partitions read so far go on where they were and new ones start at their beginning."""
        normalized = self.settings.topic(model.NORMALIZED)
        # once assigned, the client's metadata covers only the assigned topics: a partner topic added since is
        # named to it, or it would never learn its partitions
        await consumer._client.set_topics([*self.logical, normalized])
        await consumer._client.force_metadata_update()
        tps = [TopicPartition(t, p) for t in self.logical for p in sorted(consumer.partitions_for_topic(t) or ())]
        # wire.normalized is assigned too, but paused: only its end offsets are read (poll), and being assigned
        # keeps it in the consumer's metadata.
        paused = [TopicPartition(normalized, p) for p in sorted(consumer.partitions_for_topic(normalized) or ())]
        # a partner topic created a moment ago may not be in the metadata yet: asked again on the next round
        self.topics_changed = any(name.startswith(model.PARTNER_PREFIX) and not consumer.partitions_for_topic(t)
                                  for t, name in self.logical.items())
        if not tps:
            return
        held = {tp: await consumer.position(tp) for tp in consumer.assignment() if tp in tps}
        consumer.assign(tps + paused)
        consumer.pause(*paused)
        low, high = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
        for tp in tps:
            if tp in held:
                consumer.seek(tp, held[tp])
            else:
                consumer.seek(tp, low[tp] if self.assigned else max(low[tp], high[tp] - self.backfill))
        self.assigned = True

    async def poll(self, consumer: Any, admin: Any) -> None:
        """The worker group's lag on its inputs, partner groups' lag, and health."""
        raw, normalized = self.settings.topic(model.RAW), self.settings.topic(model.NORMALIZED)
        inputs = [TopicPartition(t, p) for t in (raw, normalized) for p in sorted(consumer.partitions_for_topic(t)
                                                                                  or ())]
        partner_tps = [TopicPartition(t, p) for t, name in self.logical.items() if name.startswith("partner.")
                       for p in sorted(consumer.partitions_for_topic(t) or ())]
        ends = await consumer.end_offsets(inputs + partner_tps) if inputs or partner_tps else {}
        committed = {}
        for logical in (model.RAW, model.NORMALIZED):  # each input topic is read by its own loop's group
            committed.update(await admin.list_consumer_group_offsets(group_for(self.settings.app_id, logical)))
        lag = {(tp.topic, tp.partition): max(0, ends[tp] - (committed[tp].offset if tp in committed else 0))
               for tp in inputs}
        self.hub.set_worker_lag(lag)
        self.metrics.set_lag(lag)
        partner_lag = await self._partner_lag(admin, {tp: ends[tp] for tp in partner_tps})
        self.hub.set_partner_lag(partner_lag)
        self.metrics.set_partner_lag(partner_lag)
        if self.health is not None:
            self.hub.set_health(*self.health())

    async def _partner_lag(self, admin: Any, ends: dict[Any, int]) -> dict[tuple[str, str], int]:
        """(partner, group) -> records of the partner's topic the group has not committed past."""
        lag: dict[tuple[str, str], int] = {}
        groups = [str(g) for g, *_ in await admin.list_consumer_groups() if not str(g).startswith(self.settings.app_id)]
        # partners' groups first (`<prefix>partner.<id>.*` is what their ACLs allow), then the rest of our prefix,
        # so that MAX_GROUPS is not spent on other deployments' and tools' groups on a shared broker
        mine = self.settings.topic_prefix

        def rank(group: str) -> tuple[int, str]:
            return (0 if group.startswith(f"{mine}{model.PARTNER_PREFIX}") else 1 if mine and group.startswith(mine)
                    else 2, group)

        for group in sorted(groups, key=rank)[:MAX_GROUPS]:
            try:
                offsets = await admin.list_consumer_group_offsets(group)
            except Exception as exc:  # one group's error (say, a deleted topic) must not hide the others
                log.debug("offsets of group %s: %s", group, exc)
                continue
            for tp, meta in offsets.items():
                if tp in ends:
                    partner = self.logical[tp.topic].removeprefix(model.PARTNER_PREFIX)
                    lag[(partner, group)] = lag.get((partner, group), 0) + max(0, ends[tp] - meta.offset)
        return lag
