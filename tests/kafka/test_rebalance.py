"""Two live workers share the stream; one is stopped mid-stream (SIGTERM, and in a second test SIGKILL) while a
paced replay is still sending. Every input ends with exactly one committed decision, no read_committed partner sees
a (uri, version) twice, partners get what `syndicate process` delivers on the same backlog, and the workers' logs
and the records' timestamps show the fault happened: the stopped worker held partitions of both steps and had
decided inputs before the stop, the survivor holds them all after it and decided inputs sent to the stopped
worker's partitions after that worker was gone."""

from __future__ import annotations

import asyncio
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer

from streams.kafka import topics
from streams.kafka.clients import partitions_of
from streams.kafka.security import connect
from streams.quality.bench.crash import Report, backlog, compare
from streams.testing.harness import Stack, produce, read_topic

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]
PARTNERS = ROOT / "config" / "partners.yaml"
RATE = 8.0  # inputs/s: 96 inputs take 12 s to send, which outlasts the stop and the hand-over
STOP_AFTER = 20  # committed decisions before the stop


def holds(log: Path, stage: str) -> list[int] | None:
    """The partitions a worker's `stage` loop held at its last change (its log), None before the first."""
    found = re.findall(rf"{stage} loop: holds partitions \[([\d, ]*)\]", log.read_text())
    return None if not found else [int(p) for p in found[-1].split(",") if p.strip()]


def settled(a: Path, b: Path, timeout: float = 90, quiet: float = 3.0) -> None:
    """Wait until the two workers split wire.raw's four partitions, one of them holds the decide partition, and
    neither group has moved anything for `quiet` seconds (the two groups rebalance one after the other)."""
    deadline = time.monotonic() + timeout
    last, since = "", time.monotonic()
    while time.monotonic() < deadline:
        pa, pb, da, db = holds(a, "prepare"), holds(b, "prepare"), holds(a, "decide"), holds(b, "decide")
        now = f"{pa} {pb} {da} {db} {a.read_text().count('holds partitions')} {b.read_text().count('holds partitions')}"
        if now != last:
            last, since = now, time.monotonic()
        if pa and pb and sorted(pa + pb) == [0, 1, 2, 3] and sorted((da or []) + (db or [])) == [0] \
                and time.monotonic() - since > quiet:
            return
        time.sleep(0.2)
    raise TimeoutError(f"the two workers did not settle: {a.read_text()[-2000:]}\n{b.read_text()[-2000:]}")


def sent_so_far(bootstrap: str, topic: str) -> int:
    """Records on `topic` now (the sum of its partitions' end offsets)."""

    async def ends() -> int:
        consumer = AIOKafkaConsumer(**connect(bootstrap))
        await consumer.start()
        try:
            tps = await partitions_of(consumer, topic)
            return sum((await consumer.end_offsets(tps)).values())
        finally:
            await consumer.stop()

    return asyncio.run(ends())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_worker_stopped_mid_stream_hands_its_partitions_over_and_every_input_is_decided_once(
    bootstrap: str, tmp_path: Path, sig: signal.Signals
) -> None:
    stack = Stack(bootstrap, tmp_path, extra_env={"SYNDICATE_PROCESSING_GUARANTEE": "exactly_once",
                                                  "SYNDICATE_SESSION_TIMEOUT_MS": "6000"})
    stack.create_topics()
    records = backlog(80)  # 96 inputs on four partitions (input i on partition i % 4), re-sends included
    ids = {key.decode() for key, _, _ in records}
    partition_of = {key.decode(): p for key, _, p in records}
    try:
        first, second = stack.start_worker("w1"), stack.start_worker("w2")
        (_, log1), (_, log2) = stack.workers
        settled(log1, log2)
        # the one that decides is stopped: both of its loops must be taken over
        victim, log_v, survivor_log = (first, log1, log2) if holds(log1, "decide") else (second, log2, log1)
        victim_partitions = holds(log_v, "prepare")
        sent: list[float] = []
        sender = threading.Thread(target=lambda: sent.extend(
            produce(stack.bootstrap, stack.topic(topics.RAW), records, rate=RATE)))
        sender.start()
        read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=STOP_AFTER, timeout=90, idle=0,
                   isolation="read_committed")  # idle=0: as soon as they are there (the stream is never idle)
        in_flight = len(records) - sent_so_far(stack.bootstrap, stack.topic(topics.RAW))
        stopped_at = time.time()
        stack.stop_worker(victim, hard=sig == signal.SIGKILL)
        gone_at = time.time()
        sender.join()
        report = Report(inputs=len(records))
        compare(stack, records, report, partners_path=PARTNERS, out_dir=tmp_path)
        decisions = read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), isolation="read_committed", idle=0.5)
    finally:
        stack.stop_all()
    logs = stack.logs()
    # the fault happened mid-stream: inputs were still to be sent when the worker was stopped
    assert in_flight > 0, logs
    # the stopped worker held prepare partitions and the decide partition, and had decided inputs of its own
    # partitions (prepared by it alone) before the stop
    assert victim_partitions and len(victim_partitions) < 4
    before = [r["value"]["input_id"] for r in decisions if r["timestamp"] / 1000 < stopped_at]
    assert len(before) >= STOP_AFTER and any(partition_of[i] in victim_partitions for i in before), before
    # the survivor holds everything now, and decided inputs sent to the stopped worker's partitions after that
    # worker was gone (so it prepared them too)
    assert holds(survivor_log, "prepare") == [0, 1, 2, 3] and holds(survivor_log, "decide") == [0], logs
    sent_at = {key.decode(): at for (key, _, _), at in zip(records, sent, strict=True)}
    taken_over = [r["value"]["input_id"] for r in decisions if r["timestamp"] / 1000 > gone_at
                  and partition_of[r["value"]["input_id"]] in victim_partitions
                  and sent_at[r["value"]["input_id"]] > gone_at]
    assert taken_over, (gone_at, victim_partitions)
    # and nothing shows: each input has exactly one committed decision, each partner sees each (uri, version)
    # once, and what `syndicate process` delivers on the same backlog
    assert report.problems(ids, exactly_once=True) == [], logs
    assert sum(len(kafka) for kafka, _ in report.partners.values()) > 30
    print(f"{sig.name}: {len(before)} decided before the stop, {in_flight} inputs not yet sent at it, "
          f"{len(taken_over)} sent later to the stopped worker's partitions {victim_partitions} and decided by the "
          f"survivor, {report.aborted} aborted decision records")
