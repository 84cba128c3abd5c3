"""The read-progress guard's logic with small fakes for Faust's app and consumer and for the range fetch (no broker)."""

# What Kafka and Faust really do (skip records, commit past them) is proven on the broker by
# tests/kafka/test_kafka_state.py; these tests pin down what the guard does with what it is given.

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka.structs import ConsumerRecord
from faust.types import TP, Message

from streams.kafka.feed import Feed, Inbound, json_or_none
from streams.kafka.guard import Guard
from streams.kafka.progress import Progress
from streams.kafka.refetch import Fetched
from streams.pipeline import Output

TOPIC = "t.wire.normalized"
TP0 = TP(TOPIC, 0)


@dataclass
class FakeConsumer:
    """Faust's consumer, as far as the guard uses it: acks, the assignment, partition ends and seeks."""

    assigned: set[TP] = field(default_factory=set)
    ends: dict[TP, int] = field(default_factory=dict)
    acked: list[Message] = field(default_factory=list)
    seeks: list[tuple[TP, int]] = field(default_factory=list)
    highwater_calls: int = 0

    def ack(self, message: Message) -> bool:
        self.acked.append(message)
        return True

    def assignment(self) -> set[TP]:
        return self.assigned

    async def highwaters(self, *partitions: TP) -> dict[TP, int]:
        self.highwater_calls += 1
        return {tp: self.ends[tp] for tp in partitions if tp in self.ends}

    async def seek(self, partition: TP, offset: int) -> None:
        self.seeks.append((partition, offset))


@dataclass
class FakeFlow:
    active: bool = True

    def is_active(self) -> bool:
        return self.active


@dataclass
class FakeApp:
    consumer: FakeConsumer = field(default_factory=FakeConsumer)
    consumer_generation_id: int = 7
    rebalancing: bool = False
    flow_control: FakeFlow = field(default_factory=FakeFlow)


def on_log(offset: int, key: bytes | None = None, value: bytes | None = None) -> ConsumerRecord:
    """A record as a plain aiokafka consumer returns it from the log."""
    value = value if value is not None else b'{"n": %d}' % offset
    key = key if key is not None else f"k{offset}".encode()
    return ConsumerRecord(TOPIC, 0, offset, 1_700_000_000_000 + offset, 0, key, value, None, len(key), len(value), [])


class FakeFetch:
    """The range fetch: answers from `log`, records each call, and can fail or come back short."""

    def __init__(self, log: dict[int, ConsumerRecord] | None = None, complete: bool = True,
                 error: Exception | None = None) -> None:
        self.log = log or {}
        self.complete = complete
        self.error = error
        self.calls: list[tuple[str, int, int, int]] = []

    async def __call__(self, *, topic: str, partition: int, start: int, stop: int) -> Fetched:
        self.calls.append((topic, partition, start, stop))
        if self.error:
            raise self.error
        return Fetched([self.log[o] for o in range(start, stop) if o in self.log], self.complete)


def event(offset: int, partition: int = 0, key: bytes | None = None) -> Any:
    """An event as Faust's stream delivers it: the decoded value and the message it came in."""
    key = key if key is not None else f"k{offset}".encode()
    message = Message(TOPIC, partition, offset, 1.0, 0, [], key, b'{"n": %d}' % offset, None)
    return SimpleNamespace(message=message, value={"n": offset})


class FakeStream:
    def __init__(self, events: Sequence[Any]) -> None:
        self._events = list(events)

    async def events(self) -> AsyncIterator[Any]:
        for e in self._events:
            yield e


class Harness:
    """A guard over one feed whose step records every Inbound it sees and answers one output per record."""

    def __init__(self, fetch: FakeFetch | None = None) -> None:
        self.app = FakeApp()
        self.table: dict[int, int] = {}
        self.seen: list[Inbound] = []
        self.busy_during_step: list[bool] = []
        self.sent: list[Output] = []
        self.feed = Feed("dedupe", TOPIC, self.step, json_or_none, Progress(self.table))
        self.fetch = fetch or FakeFetch()
        self.guard = Guard(self.app, [self.feed], send=self.send, fetch=self.fetch)

    def step(self, record: Inbound) -> list[Output]:
        self.seen.append(record)
        self.busy_during_step.append(self.feed.busy)
        return [Output("wire.decisions", record.input_id, {"offset": record.offset})]

    async def send(self, batch: Sequence[Output]) -> None:
        self.sent.extend(batch)

    async def run(self, *offsets: int) -> list[list[Output]]:
        return [batch async for batch in self.guard.consume(self.feed, FakeStream([event(o) for o in offsets]))]

    def offsets_seen(self) -> list[int]:
        return [r.offset for r in self.seen]

    async def checks(self, n: int) -> None:
        for _ in range(n):
            await self.guard.check_tails()


async def test_records_that_follow_on_are_stepped_sent_and_noted() -> None:
    h = Harness()
    batches = await h.run(0, 1, 2)
    assert h.offsets_seen() == [0, 1, 2]
    assert [b[0].value for b in batches] == [{"offset": 0}, {"offset": 1}, {"offset": 2}]
    assert [o.value["offset"] for o in h.sent] == [0, 1, 2]
    assert h.table == {0: 3}
    assert h.fetch.calls == []
    assert h.busy_during_step == [True, True, True] and not h.feed.busy
    assert h.app.consumer.acked == []  # records Faust delivered are Faust's to ack


async def test_the_step_sees_the_decoded_value_the_bytes_and_where_the_record_was_read() -> None:
    h = Harness()
    await h.run(4)
    assert h.seen == [Inbound({"n": 4}, b'{"n": 4}', b"k4", TOPIC, 0, 4, 1000)]  # Faust's 1.0 s timestamp, in ms


async def test_a_gap_is_fetched_and_processed_in_order_before_the_record_that_revealed_it(
        caplog: pytest.LogCaptureFixture) -> None:
    h = Harness(FakeFetch({o: on_log(o) for o in range(10)}))
    with caplog.at_level(logging.WARNING):
        await h.run(0, 1, 2, 6, 7)
    assert h.fetch.calls == [(TOPIC, 0, 3, 6)]
    assert h.offsets_seen() == [0, 1, 2, 3, 4, 5, 6, 7]
    assert [o.value["offset"] for o in h.sent] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert h.table == {0: 8}
    assert f"{TOPIC}[0]: offsets 3-5 were skipped by the consumer; processing 3 of them now" in caplog.text


async def test_fetched_records_are_decoded_by_the_feed_and_keep_their_bytes() -> None:
    junk = b"\xff\xfe not json"
    h = Harness(FakeFetch({1: on_log(1, key=b"junk", value=junk)}))
    await h.run(0, 2)
    # None: the step dead-letters it with its bytes; the timestamp is the log's, in ms
    assert h.seen[1] == Inbound(None, junk, b"junk", TOPIC, 0, 1, 1_700_000_000_001)


async def test_fetched_records_are_acked_to_faust_in_order_with_the_current_generation() -> None:
    h = Harness(FakeFetch({o: on_log(o) for o in range(10)}))
    await h.run(0, 4)
    acked = h.app.consumer.acked
    assert [(m.tp, m.offset) for m in acked] == [(TP0, 1), (TP0, 2), (TP0, 3)]
    assert {m.generation_id for m in acked} == {7}
    assert (acked[0].key, acked[0].value, acked[0].timestamp) == (b"k1", b'{"n": 1}', 1_700_000_000.001)


async def test_no_fetch_for_the_first_record_of_a_partition_or_for_a_replay() -> None:
    h = Harness()
    await h.run(5, 6, 2, 7)  # 5: nothing known yet; 2: a replay behind the progress
    assert h.fetch.calls == []
    assert h.offsets_seen() == [5, 6, 2, 7]
    assert h.table == {0: 8}


async def test_a_failed_fetch_is_logged_with_the_offsets_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    h = Harness(FakeFetch(error=ConnectionError("broker gone")))
    with caplog.at_level(logging.WARNING):
        batches = await h.run(0, 1, 2, 6, 7)
    assert h.offsets_seen() == [0, 1, 2, 6, 7]  # the record that revealed the gap, and the next, still go through
    assert len(batches) == 5
    assert h.table == {0: 8}
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [f"{TOPIC}[0]: offsets 3-5 were skipped by the consumer and could not be fetched "
                      "(ConnectionError: broker gone); they are NOT processed: replay them with `syndicate rewind`"]


async def test_a_fetch_that_ran_out_of_time_names_each_offset_it_could_not_process(
        caplog: pytest.LogCaptureFixture) -> None:
    h = Harness(FakeFetch({3: on_log(3)}, complete=False))
    with caplog.at_level(logging.WARNING):
        await h.run(2, 7)
    assert h.offsets_seen() == [2, 3, 7]
    assert "processing 1 of them now" in caplog.text
    assert "offsets [4, 5, 6] could not be fetched in time and are NOT processed" in caplog.text


async def test_offsets_gone_from_the_log_are_reported_as_retention(caplog: pytest.LogCaptureFixture) -> None:
    h = Harness(FakeFetch({5: on_log(5)}, complete=True))
    with caplog.at_level(logging.WARNING):
        await h.run(2, 7)
    assert h.offsets_seen() == [2, 5, 7]
    assert f"{TOPIC}[0]: 3 of them are no longer in the log (retention)" in caplog.text
    assert not [r for r in caplog.records if r.levelno == logging.ERROR]


async def test_a_failing_send_stops_the_loop_and_leaves_the_feed_idle_and_the_progress_unmoved() -> None:
    h = Harness()

    async def failing(batch: Sequence[Output]) -> None:
        raise RuntimeError("producer down")

    h.guard.send = failing
    with pytest.raises(RuntimeError):
        await h.run(0)
    assert not h.feed.busy
    assert h.table == {}


async def test_forget_makes_every_feed_read_its_progress_from_the_table_again() -> None:
    h = Harness(FakeFetch({o: on_log(o) for o in range(20)}))
    await h.run(0)
    h.table[0] = 10  # another worker moved the partition on while this one did not hold it
    h.guard.forget()
    await h.run(10)
    assert h.fetch.calls == []
    assert h.offsets_seen() == [0, 10]


def stuck(h: Harness, progress: int | None, end: int | None) -> None:
    """The feed's partition 0 is assigned, its progress is `progress` and the log ends at `end` (None: unknown)."""
    if progress is not None:
        h.table[0] = progress
    h.app.consumer.assigned = {TP0, TP("t.wire.raw", 0)}
    h.app.consumer.ends = {TP0: end} if end is not None else {}


async def test_the_tail_check_seeks_back_only_when_a_partition_looks_stuck_twice_in_a_row(
        caplog: pytest.LogCaptureFixture) -> None:
    h = Harness()
    stuck(h, progress=5, end=8)
    await h.guard.check_tails()
    assert h.app.consumer.seeks == []  # once could be a record on its way
    with caplog.at_level(logging.WARNING):
        await h.guard.check_tails()
    assert h.app.consumer.seeks == [(TP0, 5)]
    assert f"{TOPIC}[0]: offsets 5-7 are in the log but were never processed; seeking back" in caplog.text
    await h.guard.check_tails()
    assert h.app.consumer.seeks == [(TP0, 5)]  # after a seek it takes two stuck checks again


async def test_the_tail_check_leaves_a_partition_that_moved_between_checks() -> None:
    h = Harness()
    stuck(h, progress=5, end=9)
    await h.guard.check_tails()
    h.table[0] = 6
    h.guard.forget()
    await h.guard.check_tails()
    assert h.app.consumer.seeks == []
    await h.guard.check_tails()
    assert h.app.consumer.seeks == [(TP0, 6)]


@pytest.mark.parametrize(("progress", "end"), [(8, 8), (9, 8), (None, 8), (5, None)],
                         ids=["at the end", "past the end", "no record processed", "end unknown"])
async def test_the_tail_check_leaves_a_partition_with_nothing_known_to_be_left(progress: int | None,
                                                                              end: int | None) -> None:
    h = Harness()
    stuck(h, progress=progress, end=end)
    await h.checks(3)
    assert h.app.consumer.seeks == []


async def test_the_tail_check_skips_a_busy_feed_and_an_unassigned_topic() -> None:
    h = Harness()
    stuck(h, progress=5, end=8)
    h.feed.busy = True
    await h.checks(3)
    assert (h.app.consumer.seeks, h.app.consumer.highwater_calls) == ([], 0)
    h.feed.busy = False
    h.app.consumer.assigned = {TP("t.wire.raw", 0)}
    await h.checks(3)
    assert (h.app.consumer.seeks, h.app.consumer.highwater_calls) == ([], 0)


@pytest.mark.parametrize("pause", ["rebalancing", "flow paused"])
async def test_a_rebalance_or_a_paused_flow_between_checks_starts_the_count_again(pause: str) -> None:
    h = Harness()
    stuck(h, progress=5, end=8)
    await h.guard.check_tails()
    if pause == "rebalancing":
        h.app.rebalancing = True
    else:
        h.app.flow_control.active = False
    await h.guard.check_tails()
    assert h.app.consumer.highwater_calls == 1  # nothing is looked at meanwhile
    h.app.rebalancing, h.app.flow_control.active = False, True
    await h.guard.check_tails()
    assert h.app.consumer.seeks == []
    await h.guard.check_tails()
    assert h.app.consumer.seeks == [(TP0, 5)]
