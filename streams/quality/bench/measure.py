"""What `bench e2e` measures besides the broker's timestamps: a process's CPU time and RSS (from /proc), the offline
run timed without its build, a partner's view of latency (read_committed, wall clock), and a 20-partner registry."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import yaml
from aiokafka import AIOKafkaConsumer

from streams.dedupe.clock import OrderClock
from streams.kafka.clients import partitions_of
from streams.kafka.security import connect
from streams.offline import run_offline
from streams.pipeline import Pipeline, State
from streams.settings import Settings
from streams.testing.harness import ROOT

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process has used so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def rss_mb(pid: int) -> float:
    """A running process's resident set size in MB (/proc/<pid>/status VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def offline(backlog: Path, partners: Path, out_dir: Path) -> dict[str, float]:
    """`syndicate process` on `backlog` in a child process, timed without the pipeline's build (tables and
    automata, ~0.5 s of CPU): {"stories", "seconds", "cpu_seconds", "build_seconds"}."""
    code = ("import sys, json; from streams.quality.bench.measure import _offline_child; "
            "print(json.dumps(_offline_child(*sys.argv[1:])))")
    out = subprocess.run([sys.executable, "-c", code, str(backlog), str(partners), str(out_dir)], cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _offline_child(backlog: str, partners: str, out_dir: str) -> dict[str, float]:
    settings = Settings.load({"partners_path": Path(partners)}, env={})
    started = time.perf_counter()
    pipeline = Pipeline(settings, State.in_memory(), clock=OrderClock())
    build = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    counts = run_offline(settings, [Path(backlog)], Path(out_dir), pipeline=pipeline)
    return {"stories": sum(counts[k] for k in ("new", "duplicate", "update", "correction", "kill", "rejected")),
            "seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
            "build_seconds": build}


class PartnerView:
    """Tails every partner topic as a partner does (read_committed) from the moment it starts, in a thread,
    and notes the wall-clock time each (uri, version) first arrives."""

    def __init__(self, bootstrap: str, topics: list[str]) -> None:
        self.bootstrap = bootstrap
        self.topics = topics
        self.seen: dict[tuple[str, str], float] = {}
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def __enter__(self) -> PartnerView:
        self._thread.start()
        self._ready.wait(30)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(30)

    async def _run(self) -> None:
        consumer = AIOKafkaConsumer(**connect(self.bootstrap), isolation_level="read_committed",
                                    enable_auto_commit=False)
        await consumer.start()
        try:
            tps = [tp for t in self.topics for tp in await partitions_of(consumer, t)]
            consumer.assign(tps)
            await consumer.seek_to_end(*tps)
            for tp in tps:
                await consumer.position(tp)
            self._ready.set()
            while not self._stop.is_set():
                batch = await consumer.getmany(timeout_ms=100)
                now = time.time()
                for records in batch.values():
                    for r in records:
                        try:
                            value = orjson.loads(r.value)
                            key = (value["uri"], str(value["version"]))
                        except (orjson.JSONDecodeError, KeyError, TypeError):
                            continue  # a partner format without uri/version in JSON: not timed
                        self.seen.setdefault(key, now)
        finally:
            await consumer.stop()


#: The 20-partner registry `bench e2e` configures: the four of config/partners.yaml and sixteen more, by place,
#: subject and person, in every format.
_MORE = [
    ("us-desk", {"places": ["US"]}, "ninjs"), ("uk-desk", {"places": ["GB"]}, "ninjs-text"),
    ("japan-desk", {"places": ["JP"]}, "teaser"), ("germany-desk", {"places": ["DE"]}, "ninjs"),
    ("france-desk", {"places": ["FR"]}, "ninjs"), ("china-desk", {"places": ["CN"]}, "newsml-g2"),
    ("canada-desk", {"places": ["CA"]}, "ninjs"), ("gulf-desk", {"places": ["SA", "AE", "KW", "QA"]}, "teaser"),
    ("latam-desk", {"places": ["BR", "AR", "MX", "CL"]}, "ninjs"),
    ("energy", {"subjects": ["medtop:20000256"]}, "ninjs-text"),
    ("crime-law", {"subjects": ["medtop:02000000"]}, "ninjs"), ("labour", {"subjects": ["medtop:09000000"]}, "ninjs"),
    ("disasters", {"subjects": ["medtop:03000000"]}, "teaser"), ("health", {"subjects": ["medtop:07000000"]}, "ninjs"),
    ("science-tech", {"subjects": ["medtop:13000000"]}, "ninjs"),
    ("us-economy", {"places": ["US"], "subjects": ["medtop:04000000"]}, "newsml-g2"),
]


def twenty_partners(path: Path) -> Path:
    """Write the 20-partner registry to `path` and return it."""
    base = yaml.safe_load((ROOT / "config" / "partners.yaml").read_text())["partners"]
    more = [{"id": pid, "name": f"bench {pid}", "format": fmt, "filters": filters} for pid, filters, fmt in _MORE]
    path.write_text(yaml.safe_dump({"partners": base + more}, sort_keys=False))
    return path


#: Frames `Profile.top` lists by total: the loops, the pipeline's steps and the Kafka client, not the event loop.
_OURS = ("(loop.py)", "(stages.py)", "(records.py)", "(state.py)", "(pipeline.py)", "(producer.py)",
         "(consumer.py)", "(fetcher.py)", "(transaction_manager.py)", "(message_accumulator.py)", "(partitioner.py)")


class Profile:
    """py-spy (a dev dependency) recording a worker process while a phase runs; `top` sums the samples by
    function: self (the frame on top of the stack) and total (anywhere on it)."""

    def __init__(self, pid: int, out: Path) -> None:
        self.out = out
        self.proc = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid),
                                      "--format", "raw", "--rate", "200", "--output", str(out), "--nonblocking"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(60)

    def top(self, n: int = 12) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The `n` functions with most self and most total samples, as shares of all samples."""
        own: Counter[str] = Counter()
        total: Counter[str] = Counter()
        samples = 0
        for line in self.out.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            frames = [f.split(" (")[0] + " (" + f.split(" (")[1].split(":")[0].rsplit("/", 1)[-1] + ")"
                      if " (" in f else f for f in stack.split(";")]
            samples += int(count)
            own[frames[-1]] += int(count)
            for frame in set(frames):
                total[frame] += int(count)
        ours = [(f, c / samples) for f, c in total.most_common() if f.endswith(_OURS) and c / samples < 0.7]
        return [(f, c / samples) for f, c in own.most_common(n)], ours[:n]
