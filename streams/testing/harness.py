"""Isolated pipelines on a real broker for tests and benchmarks: worker processes, producing, reading back."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.kafka import topics
from streams.kafka.reading import read_topic
from streams.kafka.security import connect

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    """One isolated pipeline on the shared broker: its own topic prefix, app id and worker processes."""

    bootstrap: str
    workdir: Path
    raw_partitions: int = 4
    prefix: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:8]}.")
    app_id: str = field(default_factory=lambda: f"syndicate-test-{uuid.uuid4().hex[:8]}")
    workers: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)
    #: The partner registry its workers and commands read.
    partners: Path = ROOT / "config" / "partners.yaml"
    #: More environment for every worker of this stack (a guarantee, a session timeout, ...).
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self, data_dir: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "SYNDICATE_TOPIC_PREFIX": self.prefix,
            "SYNDICATE_APP_ID": self.app_id,
            "SYNDICATE_RAW_PARTITIONS": str(self.raw_partitions),
            "SYNDICATE_DATA_DIR": str(data_dir),
            "SYNDICATE_PARTNERS": str(self.partners),
            "SYNDICATE_WEB_ENABLED": "0",
        })
        env.update(self.extra_env)
        return env

    def topic(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def create_topics(self) -> None:
        subprocess.run([sys.executable, "-m", "streams.cli", "topics"], env=self.env(self.workdir / "x"),
                       check=True, capture_output=True, cwd=ROOT)

    def start_worker(
        self, name: str = "w1", timeout: float = 90.0, *, module: str = "streams.cli",
        args: tuple[str, ...] = ("worker",), extra_env: dict[str, str] | None = None,
        ready: bytes = b"syndicate worker ready",
    ) -> subprocess.Popen[bytes]:
        """Start a worker process (by default `syndicate worker`) and return once it logs `ready`."""
        data = self.workdir / name
        data.mkdir(parents=True, exist_ok=True)
        log = self.workdir / f"{name}.log"
        env = self.env(data)
        env.update(extra_env or {})
        offset = log.stat().st_size if log.exists() else 0  # a restart appends to the same log
        proc = subprocess.Popen(
            [sys.executable, "-m", module, *args], env=env, cwd=ROOT,
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.workers.append((proc, log))
        deadline = time.monotonic() + timeout
        while ready not in log.read_bytes()[offset:]:
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited {proc.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker not ready in {timeout}s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        return proc

    def stop_worker(self, proc: subprocess.Popen[bytes], hard: bool = False) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL if hard else signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)

    def stop_all(self) -> None:
        for proc, _ in self.workers:
            self.stop_worker(proc)

    def decisions_for(self, input_ids: set[str], timeout: float = 90.0, idle: float = 1.0) -> list[dict[str, Any]]:
        """Every decision on wire.decisions, read until each of `input_ids` has one (or `timeout`). Waiting
        for a count is not enough once inputs can be replayed: replays add decisions of their own."""

        def covered(records: list[Any]) -> bool:
            return input_ids <= {r["value"].get("input_id") for r in records}

        records = read_topic(self.bootstrap, self.topic(topics.DECISIONS), until=covered, timeout=timeout, idle=idle)
        return [r["value"] for r in records]

    def logs(self) -> str:
        return "\n".join(f"== {log}\n{log.read_text()[-4000:]}" for _, log in self.workers if log.exists())


Record = tuple[bytes | None, bytes, int | None]  # key, value, partition (None: by key)


async def _produce(bootstrap: str, topic: str, records: Iterable[Record], rate: float | None) -> list[float]:
    producer = AIOKafkaProducer(**connect(bootstrap), acks="all", linger_ms=2,
                                max_request_size=6_000_000)
    await producer.start()
    sent_at: list[float] = []
    try:
        futures = []
        start = time.monotonic()
        for n, (key, value, partition) in enumerate(records):
            if rate:
                wait = start + n / rate - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            sent_at.append(time.time())
            futures.append(await producer.send(topic, value, key=key, partition=partition))
        for fut in futures:
            await fut
    finally:
        await producer.stop()
    return sent_at


def produce(bootstrap: str, topic: str, records: Iterable[Record], rate: float | None = None) -> list[float]:
    """Produce in order (acks=all); with `rate`, paced to that many per second. Returns send wall times."""
    return asyncio.run(_produce(bootstrap, topic, list(records), rate))


async def _committed(bootstrap: str, group: str, topic: str, partitions: int) -> dict[int, int | None]:
    consumer = AIOKafkaConsumer(**connect(bootstrap), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        return {p: await consumer.committed(TopicPartition(topic, p)) for p in range(partitions)}
    finally:
        await consumer.stop()


def committed(bootstrap: str, group: str, topic: str, partitions: int) -> dict[int, int | None]:
    return asyncio.run(_committed(bootstrap, group, topic, partitions))
