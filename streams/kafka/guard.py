"""The read-progress guard: each agent's loop, which fills the gaps Faust leaves, and the check of partition tails."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Mapping, Sequence, Set
from typing import Any, Protocol

from faust.types import TP, Message

from streams.kafka.feed import Feed, Inbound
from streams.kafka.refetch import Fetched
from streams.pipeline import Output

log = logging.getLogger(__name__)

#: Writes a step's outputs (to Kafka on workers; the agent-wiring tests collect them).
Sink = Callable[[Sequence[Output]], Awaitable[None]]


class Fetch(Protocol):
    """Reads the records [start, stop) of one partition outside Faust (`refetch.fetch_range` on workers)."""

    def __call__(self, *, topic: str, partition: int, start: int, stop: int) -> Awaitable[Fetched]: ...


class Consumer(Protocol):
    """What the guard uses of Faust's consumer."""

    def ack(self, message: Message) -> bool: ...

    def assignment(self) -> Set[TP]: ...

    async def highwaters(self, *partitions: TP) -> Mapping[TP, int]: ...

    async def seek(self, partition: TP, offset: int) -> None: ...


class FlowControl(Protocol):
    """Faust's flow control: inactive while the app holds its streams (during a rebalance)."""

    def is_active(self) -> bool: ...


class Worker(Protocol):
    """What the guard uses of the Faust app. The consumer is read when needed: Faust creates it late."""

    @property
    def consumer(self) -> Consumer: ...

    @property
    def consumer_generation_id(self) -> int: ...

    @property
    def rebalancing(self) -> bool: ...

    @property
    def flow_control(self) -> FlowControl: ...


class Stream(Protocol):
    """An agent's stream; each event has the decoded `value` and the `message` it came in."""

    def events(self) -> AsyncIterable[Any]: ...


class Guard:
    """Owns the agents' feeds and runs the guard described in streams/kafka/progress.py: every record is
    checked against its feed's progress, a gap before it is fetched and processed first, and `check_tails`
    seeks the consumer back to records at the end of a partition that nothing else would reveal."""

    def __init__(self, app: Worker, feeds: Sequence[Feed], *, send: Sink, fetch: Fetch) -> None:
        self.app = app
        self.feeds = list(feeds)
        self.send = send
        self.fetch = fetch
        #: Partitions that looked stuck on the last tail check, with the progress they were stuck at.
        self.stalled: dict[TP, int] = {}

    def forget(self) -> None:
        """On a rebalance: every feed re-reads its progress from the table (another worker may have moved on)."""
        for feed in self.feeds:
            feed.progress.forget()

    def ack(self, record: Any) -> None:
        """Tell Faust's offset bookkeeping that a record we fetched ourselves is done, so commits move on."""
        message = Message(
            record.topic, record.partition, record.offset, record.timestamp / 1000, record.timestamp_type,
            record.headers, record.key, record.value, None, tp=TP(record.topic, record.partition),
            generation_id=self.app.consumer_generation_id,
        )
        self.app.consumer.ack(message)

    async def fill_gap(self, feed: Feed, record: Inbound) -> None:
        """Process the records Faust skipped before `record` (see streams/kafka/progress.py), in order. A failed
        fetch is logged, naming the offsets left to replay, and the agent goes on."""
        gap = feed.progress.gap(record.partition, record.offset)
        if gap is None:
            return
        start, stop = gap
        topic, partition = record.topic, record.partition
        try:
            fetched = await self.fetch(topic=topic, partition=partition, start=start, stop=stop)
        except Exception as exc:  # the agent must go on; the error names what is left to replay
            log.error("%s[%d]: offsets %d-%d were skipped by the consumer and could not be fetched (%s: %s); they "
                      "are NOT processed: replay them with `syndicate rewind`", topic, partition,
                      start, stop - 1, type(exc).__name__, exc)
            return
        missing = stop - start - len(fetched.records)
        log.warning("%s[%d]: offsets %d-%d were skipped by the consumer; processing %d of them now",
                    topic, partition, start, stop - 1, len(fetched.records))
        if missing and fetched.complete:
            log.warning("%s[%d]: %d of them are no longer in the log (retention)", topic, partition, missing)
        elif missing:
            got = {r.offset for r in fetched.records}
            log.error("%s[%d]: offsets %s could not be fetched in time and are NOT processed; replay them with "
                      "`syndicate rewind`", topic, partition, [o for o in range(start, stop) if o not in got])
        for skipped in fetched.records:
            await self.send(feed.step(Inbound.from_fetched(skipped, feed.decode)))
            feed.progress.done(skipped.partition, skipped.offset)
            self.ack(skipped)

    async def consume(self, feed: Feed, stream: Stream) -> AsyncIterator[list[Output]]:
        """An agent's loop: fill any gap before the record, run the step, send its outputs, note progress."""
        async for event in stream.events():
            feed.busy = True
            try:
                record = Inbound.from_event(event)
                await self.fill_gap(feed, record)
                batch = feed.step(record)
                await self.send(batch)
                feed.progress.done(record.partition, record.offset)
            finally:
                feed.busy = False
            yield batch

    async def check_tails(self) -> None:
        """Records at the end of a partition that Faust skipped have no later record to reveal the gap: if an
        idle agent's progress stays behind the end of an assigned partition on two checks in a row, seek the
        consumer back to it. Nothing is checked while the group rebalances or the flow is paused."""
        if self.app.rebalancing or not self.app.flow_control.is_active():
            self.stalled.clear()
            return
        consumer = self.app.consumer
        assigned = consumer.assignment()
        for feed in self.feeds:
            tps = [tp for tp in assigned if tp.topic == feed.topic]
            if not tps or feed.busy:
                continue
            ends = await consumer.highwaters(*tps)
            for tp in tps:
                expected, end = feed.progress.next_offset(tp.partition), ends.get(tp)
                if expected is None or end is None or end <= expected:
                    self.stalled.pop(tp, None)
                elif self.stalled.get(tp) != expected:
                    self.stalled[tp] = expected  # look again on the next check
                else:
                    self.stalled.pop(tp, None)
                    log.warning("%s[%d]: offsets %d-%d are in the log but were never processed; seeking back",
                                tp.topic, tp.partition, expected, end - 1)
                    await consumer.seek(tp, expected)
