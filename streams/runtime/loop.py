"""One consume-transform-produce loop on aiokafka: a consumer group on the stage's input topic, batches from
`getmany`, the stage's step per record, then the outputs, the stage's changelog records and the input offsets
written together.

exactly_once: one transactional producer per input partition (`<app_id>.<stage>.<partition>`; aiokafka's
`send_offsets_to_transaction` takes a group id, the pre-KIP-447 fencing model, so the id follows the input
partition). Each batch is one transaction per partition: begin, the outputs and changelog records, the next
input offset, commit. A worker that is given the partition starts a producer with the same id first, which
fences a zombie and waits for its open transaction to end; only then does it read the state and the committed
offset. at_least_once: one idempotent producer; outputs, then changelog records, then the offset commit.

A batch that fails to commit is undone in memory too: positions go back to the committed offsets and a
stateful stage reads its changelog again. See docs/architecture.md, "Delivery guarantees" and "Rebalances".

The internal-error policy (streams/guard/breaker.py): the batch in which it trips is dropped whole, in either guarantee:
none of its outputs or dead letters are written, its input offsets are not committed (nor sent to a
transaction), and the loop stops taking input. Earlier batches were committed as usual, their `internal-error`
dead letters with them (fewer than the limit: more would have tripped). See docs/architecture.md, "A broken stage
stops the line".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError, ProducerFenced
from aiokafka.structs import OffsetAndMetadata

from streams.kafka.clients import consumer_options, producer_options
from streams.runtime.records import Encoded, Encoder, Inbound, internal_error_stage
from streams.runtime.stages import Stage
from streams.runtime.stats import LoopStats
from streams.settings import Settings

log = logging.getLogger(__name__)

#: How long an idle `getmany` waits before the loop looks again (ticks, stop requests, fenced partitions).
POLL_MS = 200

#: After a fenced commit the loop waits this long for the rebalance that explains it before it takes the
#: partition up again itself.
FENCED_WAIT_SECONDS = 10.0

#: Back-off after a batch failed to commit (a broker unreachable, a leader moving).
RETRY_SECONDS = 1.0


@dataclass
class Work:
    """What a batch produced for one input partition, not yet written."""

    records: list[Encoded] = field(default_factory=list)
    next_offset: int | None = None
    inputs: int = 0


class _Listener(ConsumerRebalanceListener):
    def __init__(self, loop: StageLoop) -> None:
        self.loop = loop

    async def on_partitions_revoked(self, revoked: Any) -> None:
        await self.loop.revoked(set(revoked))
        self._holds()

    async def on_partitions_assigned(self, assigned: Any) -> None:
        await self.loop.assigned(set(assigned))
        self._holds()

    def _holds(self) -> None:
        """What this worker's loop holds after each change (the rebalance test reads it from the log)."""
        log.info("%s loop: holds partitions %s of %s", self.loop.stage.name, self.loop.stats.assigned, self.loop.topic)


class StageLoop:
    """Runs one stage over its input topic until stopped (see the module docstring)."""

    def __init__(self, stage: Stage, settings: Settings, *, topic: str, encoder: Encoder,
                 stats: LoopStats | None = None, policy: Any = None, max_records: int = 500) -> None:
        self.stage = stage
        self.settings = settings
        self.topic = topic
        self.group = f"{settings.app_id}.{stage.name}"
        self.exactly_once = settings.processing_guarantee == "exactly_once"
        self.encoder = encoder
        self.stats = stats or LoopStats(stage.name)
        self.policy = policy
        self.max_records = max_records
        self.consumer: AIOKafkaConsumer | None = None
        self.producer: AIOKafkaProducer | None = None  # at_least_once
        self.transactional: dict[int, AIOKafkaProducer] = {}  # exactly_once, per input partition
        self.ready: set[TopicPartition] = set()
        self.fenced: dict[TopicPartition, float] = {}
        #: Next offset to process per ready partition. A `getmany` that returned records fetched before a seek
        #: (a partition taken up, a batch undone) hands them over again after it: those are skipped.
        self.expected: dict[TopicPartition, int] = {}
        #: Bumped each time a partition is taken up (and its position set): records a `getmany` fetched under an
        #: older epoch are dropped, the consumer fetches them again from the new position.
        self.epoch = 0
        self.lock = asyncio.Lock()
        self.on_fatal: Callable[[str], Awaitable[None]] | None = None
        self._stopping = False
        #: (committed input offset, changelog end) when the stateful partition was revoked: if both are the same
        #: when it comes back, nobody else wrote in between and the state in memory is still current.
        self._left_at: tuple[int | None, int | None] | None = None

    # -- life cycle -------------------------------------------------------------------------------------
    async def start(self) -> None:
        self.consumer = AIOKafkaConsumer(**consumer_options(self.settings, self.group))
        await self.consumer.start()
        if not self.exactly_once:
            self.producer = AIOKafkaProducer(**producer_options(self.settings))
            await self.producer.start()
        self.consumer.subscribe([self.topic], listener=_Listener(self))
        log.info("%s loop: group %s on %s (%s)", self.stage.name, self.group, self.topic,
                 self.settings.processing_guarantee)

    async def run(self) -> None:
        """Batches until `stop()`; a tripped internal-error policy ends the loop through `on_fatal`."""
        assert self.consumer is not None
        while not self._stopping:
            epoch = self.epoch
            batch = await self.consumer.getmany(timeout_ms=POLL_MS, max_records=self.max_records)
            if self._stopping:
                break
            async with self.lock:
                await self._retake_fenced()
                if epoch != self.epoch:
                    batch = self._refetch(batch)
                # where the consumer stands after what it returned: past transaction markers that followed the
                # last record (committing only last offset + 1 would leave every partition looking 1 behind)
                positions = {tp: await self.consumer.position(tp) for tp in batch if tp in self.ready}
                work = self._process(batch, positions)
                if work is None:  # tripped: stop taking input
                    if self.on_fatal is not None:
                        await self.on_fatal(self.stats.failure or "stage broken")
                    return
                await self._commit(work)

    async def stop(self) -> None:
        """Finish the batch in hand, leave the group (revoking commits nothing new), close the producers."""
        self._stopping = True
        async with self.lock:  # the batch in hand is committed first
            self.ready.clear()
        log.info("%s", self.stats.summary())
        if self.consumer is not None:
            with contextlib.suppress(Exception):
                await self.consumer.stop()
        for producer in [*self.transactional.values(), *([self.producer] if self.producer else [])]:
            with contextlib.suppress(Exception):
                await producer.stop()
        self.transactional.clear()

    # -- assignment -------------------------------------------------------------------------------------
    async def revoked(self, revoked: set[TopicPartition]) -> None:
        async with self.lock:
            for tp in revoked:
                self.ready.discard(tp)
                self.fenced.pop(tp, None)
                await self._stop_transactional(tp.partition)
            if self.stage.stateful and revoked:
                try:
                    self._left_at = await self._positions()
                except Exception:  # leaving the group on stop, or the broker away: restore when it comes back
                    self._left_at = None
            self.stats.assigned = sorted(tp.partition for tp in self.ready)

    async def assigned(self, assigned: set[TopicPartition]) -> None:
        async with self.lock:
            if assigned:
                await self._take(sorted(assigned))
            self.stats.assigned = sorted(tp.partition for tp in self.ready)

    async def _take(self, tps: list[TopicPartition]) -> None:
        """Make `tps` ready: fence zombies (exactly-once), restore the state if it may be stale, seek to the
        committed offsets."""
        consumer = self.consumer
        assert consumer is not None
        self.epoch += 1
        if self.exactly_once:
            await asyncio.gather(*(self._start_transactional(tp.partition) for tp in tps))
        if self.stage.stateful:
            now = await self._positions()
            if self._left_at is None or now != self._left_at or not getattr(self.stage, "restored", True):
                await self.stage.restore()
                self.stats.restores += 1
            self._left_at = None
        committed = {tp: await consumer.committed(tp) for tp in tps}
        fresh = [tp for tp, offset in committed.items() if offset is None]
        beginning = await consumer.beginning_offsets(fresh) if fresh else {}
        for tp in tps:
            offset = committed[tp]
            self.expected[tp] = beginning[tp] if offset is None else offset
            consumer.seek(tp, self.expected[tp])
            consumer.resume(tp)
            self.fenced.pop(tp, None)
            self.ready.add(tp)
        where = [f"partition {tp.partition} at {'the start' if o is None else f'offset {o}'}"
                 for tp, o in committed.items()]
        log.info("%s loop: ready on %s", self.stage.name, ", ".join(where))

    async def _start_transactional(self, partition: int) -> None:
        await self._stop_transactional(partition)
        producer = AIOKafkaProducer(**producer_options(
            self.settings, transactional_id=f"{self.group}.{partition}"))
        await producer.start()  # InitProducerId: fences the previous owner, ends its open transaction
        self.transactional[partition] = producer

    async def _positions(self) -> tuple[int | None, int | None]:
        """The committed input offset and the changelog's end, for the stateful stage's partition 0."""
        assert self.consumer is not None
        committed = await self.consumer.committed(TopicPartition(self.topic, 0))
        changelog = getattr(self.stage, "changelog", None)
        end = None
        if changelog:
            tp = TopicPartition(changelog, 0)
            end = (await self.consumer.end_offsets([tp])).get(tp)
        return committed, end

    async def _stop_transactional(self, partition: int) -> None:
        producer = self.transactional.pop(partition, None)
        if producer is not None:
            with contextlib.suppress(Exception):
                await producer.stop()

    async def _retake_fenced(self) -> None:
        for tp, since in list(self.fenced.items()):
            if time.monotonic() - since > FENCED_WAIT_SECONDS and self.consumer is not None \
                    and tp in self.consumer.assignment():
                log.warning("%s loop: no rebalance followed the fencing of partition %d; taking it up again",
                            self.stage.name, tp.partition)
                await self._take([tp])

    # -- one batch --------------------------------------------------------------------------------------
    def _refetch(self, batch: dict[TopicPartition, list[Any]]) -> dict[TopicPartition, list[Any]]:
        """A partition was taken up while `getmany` waited: what it returned may predate the seek. Drop it and
        seek back to the next offset to process; the consumer fetches the records again."""
        assert self.consumer is not None
        for tp in batch:
            if tp in self.ready:
                self.consumer.seek(tp, self.expected[tp])
        return {}

    def _process(self, batch: dict[TopicPartition, list[Any]],
                 positions: dict[TopicPartition, int]) -> dict[int, Work] | None:
        """Run the step on every record of partitions that are ready; None when the internal-error policy trips
        (then nothing of this batch is written or committed)."""
        started = time.perf_counter()
        work: dict[int, Work] = {}
        stage, encode, decode = self.stage, self.encoder.encode, self.stage.decode
        # where each partition of the batch starts (its committed offset), for the log should the policy trip
        starts = {tp.partition: self.expected[tp] for tp in batch if tp in self.ready}
        for tp, records in batch.items():
            if tp not in self.ready:
                continue  # revoked since it was fetched: its next owner reads it
            w = work.setdefault(tp.partition, Work())
            expected = self.expected[tp]
            for record in records:
                if record.offset < expected:
                    continue  # fetched before a seek back to an earlier offset, and processed since
                expected = record.offset + 1
                self.expected[tp] = expected
                outputs = stage.process(Inbound.of(record, decode))
                w.records.extend(encode(outputs))
                w.next_offset = record.offset + 1
                w.inputs += 1
                failed = internal_error_stage(outputs)
                if failed is not None:
                    self.stats.internal_errors += 1
                    trip = self.policy.tripped if self.policy is not None else None
                    if trip is not None and trip.stage == failed:  # another loop's stage: that loop stops
                        self._trip(starts)
                        return None
            if w.next_offset is not None and positions.get(tp, 0) > w.next_offset:
                w.next_offset = self.expected[tp] = positions[tp]
        if stage.stateful and self.ready:
            released = stage.tick()
            if released:
                work.setdefault(0, Work()).records.extend(encode(released))
        self.stats.process_seconds += time.perf_counter() - started
        return work

    def _trip(self, starts: dict[int, int]) -> None:
        """The policy tripped on this batch: mark the loop unhealthy, log why once with the first traceback, drop
        the batch (a stateful stage forgets what it changed) and stop. Its inputs stay uncommitted."""
        trip = self.policy.tripped
        self.stats.healthy = False
        self.stats.failure = trip.describe()
        where = ", ".join(f"partition {p} from offset {o}" for p, o in sorted(starts.items()))
        log.error("%s loop stopped: %s. Nothing of the batch in hand is written or committed (%s: %s): a worker "
                  "started after the fix processes those inputs again. The first failure in that window:\n%s",
                  self.stage.name, trip.describe(), self.topic, where, trip.first_traceback)
        if self.stage.stateful:
            self.stage.forget()
        self._stopping = True

    async def _commit(self, work: dict[int, Work]) -> None:
        work = {p: w for p, w in work.items() if w.records or w.next_offset is not None}
        changes = self.stage.changes()
        if not work and not changes:
            return
        started = time.perf_counter()
        if self.exactly_once:
            if changes:
                work.setdefault(0, Work()).records.extend(changes)
            results = await asyncio.gather(*(self._commit_transaction(p, w) for p, w in work.items()),
                                           return_exceptions=True)
            failed = [(p, r) for p, r in zip(work, results, strict=True) if isinstance(r, BaseException)]
        else:
            try:
                await self._commit_at_least_once(work, changes)
                failed = []
            except Exception as exc:
                failed = [(p, exc) for p in work] or [(0, exc)]
        took = time.perf_counter() - started
        self.stats.commit_seconds += took
        ok = [w for p, w in work.items() if p not in dict(failed)]
        self.stats.batch(inputs=sum(w.inputs for w in ok), outputs=sum(len(w.records) for w in ok), seconds=took)
        if failed:
            await self._undo(failed)

    async def _commit_transaction(self, partition: int, w: Work) -> None:
        producer = self.transactional.get(partition)
        if producer is None:
            raise KafkaError(f"no transactional producer for partition {partition}")
        offsets = {} if w.next_offset is None else {TopicPartition(self.topic, partition): w.next_offset}
        self.stats.transaction(*await _in_transaction(producer, w.records, offsets, self.group))

    async def _commit_at_least_once(self, work: dict[int, Work], changes: list[Encoded]) -> None:
        assert self.producer is not None and self.consumer is not None
        producer = self.producer
        send = producer.send
        await asyncio.gather(*[await send(t, v, key=k, partition=p) for w in work.values() for t, k, v, p in w.records])
        if changes:  # after the outputs: a crash in between replays the batch, it does not lose it
            await asyncio.gather(*[await send(t, v, key=k, partition=p) for t, k, v, p in changes])
        offsets = {TopicPartition(self.topic, p): OffsetAndMetadata(w.next_offset, "")
                   for p, w in work.items() if w.next_offset is not None}
        if offsets:
            await self.consumer.commit(offsets)

    async def _undo(self, failed: list[tuple[int, BaseException]]) -> None:
        """A batch did not commit: go back to the committed offsets, and read a stateful stage's state again."""
        assert self.consumer is not None
        self.stats.failed_batches += 1
        for partition, exc in failed:
            tp = TopicPartition(self.topic, partition)
            if isinstance(exc, ProducerFenced):
                log.warning("%s loop: partition %d was fenced (another worker has it now); waiting for the "
                            "rebalance", self.stage.name, partition)
                self.ready.discard(tp)
                self.fenced[tp] = time.monotonic()
                await self._stop_transactional(partition)
                self.consumer.pause(tp)
                if self.stage.stateful:
                    self.stage.forget()
                continue
            log.warning("%s loop: a batch on partition %d did not commit (%s: %s); going back to the committed "
                        "offset", self.stage.name, partition, type(exc).__name__, exc)
            if tp in self.ready:
                self.ready.discard(tp)
                await asyncio.sleep(RETRY_SECONDS)
                try:
                    await self._take([tp])
                except Exception as again:  # the broker is still away: try again on the next batch
                    log.warning("%s loop: partition %d not ready yet (%s: %s)", self.stage.name, partition,
                                type(again).__name__, again)
                    self.fenced[tp] = time.monotonic() - FENCED_WAIT_SECONDS + RETRY_SECONDS
                    self.consumer.pause(tp)


async def _in_transaction(producer: Any, records: list[Encoded], offsets: dict[TopicPartition, int],
                          group: str) -> tuple[float, float, float]:
    """One transaction: the records, then the input offsets. Returns the seconds in the sends, in
    send_offsets_to_transaction and in the commit."""
    t0 = time.perf_counter()
    async with producer.transaction():
        send = producer.send
        futures = [await send(topic, value, key=key, partition=p) for topic, key, value, p in records]
        t1 = time.perf_counter()
        if offsets:
            await producer.send_offsets_to_transaction(offsets, group)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    for fut in futures:
        fut.result()
    return t1 - t0, t2 - t1, t3 - t2
