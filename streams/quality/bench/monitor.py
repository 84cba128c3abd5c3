"""What the fault, flood and soak benches watch while a stream runs: a paced feeder into wire.raw, and a monitor
sampling consumer lag, worker memory and produce-to-decision latency in the background."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.kafka import topics
from streams.kafka.security import connect
from streams.quality.bench.report import median, percentile
from streams.testing.harness import Stack

#: Largest record the feeder sends (a 5 MB hostile input in its envelope).
FEEDER_MAX_REQUEST = 16 * 1024 * 1024


class Feeder(threading.Thread):
    """Sends (key, value, partition) records into a topic in a thread of its own, paced to `rate` per second
    (None: as fast as the broker takes them; held up by more than a second, it goes on at the rate instead of
    sending what it owes in a burst), with acks=all and idempotence. `sent[key]` is the wall time each
    input was handed to the producer; `count` how many so far."""

    def __init__(self, bootstrap: str, topic: str, records: Iterable[tuple[bytes, bytes, int | None]],
                 rate: float | None) -> None:
        super().__init__(daemon=True, name="feeder")
        self.bootstrap, self.topic, self.records, self.rate = bootstrap, topic, records, rate
        self.sent: dict[bytes, float] = {}
        self.count = 0
        self.bytes = 0
        self.error: BaseException | None = None
        self.finished_at: float | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._send())
        except BaseException as exc:  # reported by whoever waits for the feeder
            self.error = exc
        self.finished_at = time.time()

    async def _send(self) -> None:
        producer = AIOKafkaProducer(**connect(self.bootstrap), acks="all", enable_idempotence=True, linger_ms=5,
                                    max_request_size=FEEDER_MAX_REQUEST)
        await producer.start()
        try:
            futures = []
            start, paced = time.monotonic(), 0
            for key, value, partition in self.records:
                if self.rate:
                    wait = start + paced / self.rate - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    elif wait < -1.0:  # held up (a leader moving): go on at the rate, no burst to catch up
                        start, paced = time.monotonic(), 0
                    paced += 1
                self.sent[key] = time.time()
                futures.append(await producer.send(self.topic, value, key=key, partition=partition))
                self.count += 1
                self.bytes += len(value)
                if len(futures) >= 1000:
                    await asyncio.gather(*futures)
                    futures.clear()
            await asyncio.gather(*futures)
        finally:
            await producer.stop()


@dataclass
class Sample:
    """One look at the stream, `t` seconds after the monitor started."""

    t: float
    sent: int  # records on wire.raw
    lag_prepare: int  # wire.raw records the prepare group has not committed
    lag_decide: int  # wire.normalized records the decide group has not committed
    decided: int  # inputs with a committed decision so far
    rss_mb: float  # the workers' resident memory, summed
    latency_p50_ms: float  # produce-to-decision latency of the inputs decided since the last sample
    latency_p99_ms: float

    @property
    def lag(self) -> int:
        return self.lag_prepare + self.lag_decide


def rss_mb(pid: int) -> float:
    """Resident memory of a process (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Monitor:
    """Samples a stack every `interval` seconds in a thread of its own until `stop()`: lag of both consumer
    groups, the workers' RSS, and the latency of each decision (its record's timestamp minus the time the feeder
    sent the input). `decided_at[input id]` is when each input's first committed decision was written."""

    stack: Stack
    feeder: Feeder
    interval: float = 2.0
    samples: list[Sample] = field(default_factory=list)
    decided_at: dict[bytes, float] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    max_rss_mb: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    started: float = 0.0

    def start(self) -> Monitor:
        self.started = time.time()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True, name="monitor")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)

    def workers_rss(self) -> float:
        return sum(rss_mb(proc.pid) for proc, _ in self.stack.workers if proc.poll() is None)

    def wait(self, condition: Callable[[], bool], timeout: float, step: float = 0.2) -> bool:
        """Until `condition()` holds (True) or `timeout` (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(step)
        return condition()

    async def _run(self) -> None:
        boot = self.stack.bootstrap
        app = self.stack.app_id
        raw = [TopicPartition(self.stack.topic(topics.RAW), p) for p in range(self.stack.raw_partitions)]
        normalized = TopicPartition(self.stack.topic(topics.NORMALIZED), 0)
        decisions = TopicPartition(self.stack.topic(topics.DECISIONS), 0)
        ends = AIOKafkaConsumer(**connect(boot), isolation_level="read_committed", enable_auto_commit=False)
        prepare = AIOKafkaConsumer(**connect(boot), group_id=f"{app}.prepare", enable_auto_commit=False)
        decide = AIOKafkaConsumer(**connect(boot), group_id=f"{app}.decide", enable_auto_commit=False)
        tail = AIOKafkaConsumer(**connect(boot), isolation_level="read_committed", enable_auto_commit=False,
                                max_partition_fetch_bytes=16 * 1024 * 1024)
        clients = (ends, prepare, decide, tail)
        for client in clients:
            await client.start()
        tail.assign([decisions])
        await tail.seek_to_beginning(decisions)
        window: list[float] = []
        next_sample = time.monotonic()
        try:
            while not self._stop.is_set():
                batch = await tail.getmany(timeout_ms=200, max_records=2000)
                for record in (r for records in batch.values() for r in records):
                    key = record.key
                    if key is None or key in self.decided_at:
                        continue
                    self.decided_at[key] = record.timestamp / 1000
                    if key in self.feeder.sent:
                        latency = (record.timestamp / 1000 - self.feeder.sent[key]) * 1000
                        window.append(latency)
                        self.latencies.append(latency)
                if time.monotonic() >= next_sample:
                    next_sample += self.interval
                    with contextlib.suppress(Exception):  # a broker away for a moment: the next sample tells
                        self.samples.append(await self._sample(ends, prepare, decide, raw=raw, normalized=normalized,
                                                                  window=window))
                        window = []
        finally:
            for client in clients:
                with contextlib.suppress(Exception):
                    await client.stop()

    async def _sample(self, ends: AIOKafkaConsumer, prepare: AIOKafkaConsumer, decide: AIOKafkaConsumer, *,
                      raw: list[TopicPartition], normalized: TopicPartition, window: list[float]) -> Sample:
        end = await ends.end_offsets([*raw, normalized])
        prepared = {tp: await prepare.committed(tp) or 0 for tp in raw}
        decided_offset = await decide.committed(normalized) or 0
        rss = self.workers_rss()
        self.max_rss_mb = max(self.max_rss_mb, rss)
        return Sample(
            t=time.time() - self.started,
            sent=sum(end[tp] for tp in raw),
            lag_prepare=sum(max(0, end[tp] - prepared[tp]) for tp in raw),
            lag_decide=max(0, end[normalized] - decided_offset),
            decided=len(self.decided_at),
            rss_mb=rss,
            latency_p50_ms=median(window),
            latency_p99_ms=percentile(window, 0.99),
        )

