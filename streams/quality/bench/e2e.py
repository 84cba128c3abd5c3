"""`syndicate bench e2e CORPUS`: the pipeline on the real broker against `syndicate process` on the same backlog.

Phases (`--phases`, all by default):
- offline: `syndicate process` on the backlog, timed without its build: stories/s and CPU ms per story.
- throughput: the backlog into wire.raw as fast as it goes, `--workers` worker processes: stories/s from the
  first input's broker timestamp to the last decision's, the ratio to offline, worker CPU ms per story (all
  worker processes, /proc), worker RSS after.
- latency: `--latency-stories` at `--latency-rate` per second, wire.raw to a partner topic as a partner sees it
  (read_committed, wall clock), p50/p99, for each guarantee in `--latency-guarantees`.
- decide: the decide step alone, records already on wire.normalized: its ceiling in stories/s.
Every Kafka phase runs with the 20-partner registry (`streams/quality/bench/measure.py`), offline too.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from streams import model
from streams.contracts import Contracts
from streams.kafka import topics
from streams.normalize.backlog import RawRecord, load_backlog
from streams.normalize.envelope import EnvelopeReader
from streams.pipeline import Pipeline, State
from streams.quality.bench import measure
from streams.quality.bench.report import percentile
from streams.route.registry import partner_ids
from streams.runtime.records import Encoder
from streams.settings import Settings
from streams.testing.harness import Stack, produce, read_topic

PHASES = ("offline", "throughput", "latency", "decide")

#: Stories sent (and decided) before the latency run starts, not timed: the first sends to each partner topic wait
#: for its metadata and first transactions add each partition, which is start-up, not the steady state.
WARM_UP = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=3000, help="stories from the backlog (default 3000)")
    parser.add_argument("--latency-stories", type=int, default=300, help="stories for the paced latency run")
    parser.add_argument("--latency-rate", type=float, default=50.0, help="stories/s in the paced latency run")
    parser.add_argument("--latency-guarantees", default="exactly_once,at_least_once")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1, help="worker processes in the throughput phase")
    parser.add_argument("--guarantee", default="exactly_once", choices=("exactly_once", "at_least_once"),
                        help="guarantee in the throughput and decide phases")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma separated, of {', '.join(PHASES)}")
    parser.add_argument("--profile", type=Path, help="py-spy the workers in the throughput phase; raw stacks to DIR")


def _records(corpus: Path, limit: int) -> list[tuple[bytes, bytes, None]]:
    reader = EnvelopeReader(Contracts())
    out = []
    for item in load_backlog([corpus], reader):
        if isinstance(item, RawRecord):
            out.append((item.key.encode(), item.value, None))
            if len(out) >= limit:
                break
    return out


class Bench:
    """One run: the backlog, the registry, a temporary directory, and the figures so far."""

    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.args = args
        self.settings = Settings.load()
        self.tmp = tmp
        self.records = _records(args.corpus, args.limit)
        self.partners = measure.twenty_partners(tmp / "partners.yaml")
        self.partner_ids = partner_ids(self.partners, Contracts())
        self.figures: dict[str, dict[str, Any]] = {}

    def stack(self, name: str, guarantee: str) -> Stack:
        stack = Stack(self.settings.bootstrap_servers, self.tmp / name, raw_partitions=self.args.partitions,
                      partners=self.partners, extra_env={"SYNDICATE_PROCESSING_GUARANTEE": guarantee})
        stack.create_topics()
        return stack

    def offline(self) -> None:
        backlog = self.tmp / "backlog.jsonl"
        backlog.write_bytes(b"\n".join(value for _, value, _ in self.records) + b"\n")
        r = measure.offline(backlog, self.partners, self.tmp / "offline")
        n = len(self.records)
        self.figures["offline"] = f = {"per_second": n / r["seconds"], "cpu_ms": 1000 * r["cpu_seconds"] / n}
        print(f"  offline     {n} stories in {r['seconds']:.1f} s: {f['per_second']:7.1f} stories/s, "
              f"{f['cpu_ms']:.2f} ms CPU per story (`syndicate process`, one process, build "
              f"{r['build_seconds']:.1f} s not counted)")

    def throughput(self) -> None:
        a, n = self.args, len(self.records)
        stack = self.stack("throughput", a.guarantee)
        try:
            procs = [stack.start_worker(f"w{i}") for i in range(a.workers)]
            time.sleep(2)  # let the groups settle: the loops have their partitions
            if a.profile:
                a.profile.mkdir(parents=True, exist_ok=True)
            profiles = [measure.Profile(p.pid, a.profile / f"worker-{i}.txt") for i, p in enumerate(procs)] \
                if a.profile else []
            cpu0 = sum(measure.cpu_seconds(p.pid) for p in procs)
            produce(stack.bootstrap, stack.topic(topics.RAW), self.records)
            first, last = self._span(stack, n)
            cpu = sum(measure.cpu_seconds(p.pid) for p in procs) - cpu0
            rss = [measure.rss_mb(p.pid) for p in procs]
            for profile in profiles:
                profile.stop()
        finally:
            stack.stop_all()
        for i, profile in enumerate(profiles):
            own, total = profile.top()
            print(f"  py-spy, worker {i}: most samples on top of the stack (self) | anywhere on it (total)")
            for (f1, s1), (f2, s2) in zip(own, total, strict=False):
                print(f"    {100 * s1:5.1f}% {f1[:60]:<60} | {100 * s2:5.1f}% {f2[:60]}")
        f = self.figures[f"throughput-{a.workers}"] = {"per_second": n / max(last - first, 1e-3),
                                                     "cpu_ms": 1000 * cpu / n, "rss_mb": rss}
        ratio = f"{f['per_second'] / self.figures['offline']['per_second']:.2f}x offline, " \
            if "offline" in self.figures else ""
        cpu_ratio = f" ({f['cpu_ms'] / self.figures['offline']['cpu_ms']:.2f}x offline)" \
            if "offline" in self.figures else ""
        print(f"  throughput  {n} stories, {a.workers} worker(s), {a.guarantee}: {f['per_second']:7.1f} stories/s, "
              f"{ratio}{f['cpu_ms']:.2f} ms worker CPU per story{cpu_ratio}; worker RSS after "
              f"{', '.join(f'{m:.0f}' for m in rss)} MB")
        print("              " + _loop_stats(stack))

    def _span(self, stack: Stack, n: int, timeout: float = 900) -> tuple[float, float]:
        """Seconds (broker time) from the first wire.raw record to the last decision, once all n are decided."""
        raw = read_topic(stack.bootstrap, stack.topic(topics.RAW), until=n, timeout=120, idle=0.3)
        decided = read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=n, timeout=timeout, idle=1.0,
                             isolation="read_committed")
        return min(r["timestamp"] for r in raw) / 1000, max(r["timestamp"] for r in decided) / 1000

    def latency(self, guarantee: str) -> None:
        a = self.args
        warm, paced = self.records[-WARM_UP:], self.records[: a.latency_stories]
        stack = self.stack(f"latency-{guarantee}", guarantee)
        try:
            stack.start_worker("w0")
            produce(stack.bootstrap, stack.topic(topics.RAW), warm)
            read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=len(warm), timeout=120, idle=1.0)
            names = [stack.topic(model.partner_topic(p)) for p in self.partner_ids]
            with measure.PartnerView(stack.bootstrap, names) as view:
                sent = produce(stack.bootstrap, stack.topic(topics.RAW), paced, rate=a.latency_rate)
                decisions = read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=len(paced),
                                       timeout=300, idle=2.0, isolation="read_committed")
            normalized = read_topic(stack.bootstrap, stack.topic(topics.NORMALIZED), idle=0.5,
                                    isolation="read_committed")
        finally:
            stack.stop_all()
        sent_at = {key: at for (key, _, _), at in zip(paced, sent, strict=True)}
        latencies = [1000 * (view.seen[k] - sent_at[d["input_id"].encode()])
                     for r in decisions if (d := r["value"]).get("deliveries")
                     and (k := (d.get("uri"), str(d.get("version")))) in view.seen
                     and d["input_id"].encode() in sent_at]
        f = self.figures[f"latency-{guarantee}"] = {
            "p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99), "samples": len(latencies)}
        print(f"  latency     {len(paced)} stories at {a.latency_rate:.0f}/s, {guarantee}: wire.raw -> partner "
              f"topic (read_committed, wall clock) p50 {f['p50_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms "
              f"({f['samples']} deliveries timed)")
        # where the time goes, from the records' own timestamps (set when each was produced)
        made = {r["key"]: r["timestamp"] / 1000 for r in normalized}
        hops: dict[str, list[float]] = {"send -> normalized": [], "normalized -> decision": [],
                                         "decision -> partner sees it": []}
        for r in decisions:
            key, d = r["value"]["input_id"].encode(), r["value"]
            if key in made and key in sent_at:
                hops["send -> normalized"].append(1000 * (made[key] - sent_at[key]))
                hops["normalized -> decision"].append(1000 * (r["timestamp"] / 1000 - made[key]))
                seen = view.seen.get((d.get("uri"), str(d.get("version"))))
                if seen is not None and d.get("deliveries"):
                    hops["decision -> partner sees it"].append(1000 * (seen - r["timestamp"] / 1000))
        print("              " + "; ".join(f"{k} p50 {percentile(v, 0.5):.1f} / p99 {percentile(v, 0.99):.1f} ms"
                                           for k, v in hops.items()))

    def decide(self) -> None:
        """The decide step alone: the backlog prepared offline onto wire.normalized, then one worker."""
        settings = Settings.load({"partners_path": self.partners}, env={})
        pipeline = Pipeline(settings, State.in_memory())
        stack = self.stack("decide", self.args.guarantee)
        encoder = Encoder(stack.topic)
        prepared = [(key, value, 0) for (_, key, value, _) in encoder.encode(
            [o for k, v, _ in self.records for o in pipeline.prepare(v, k.decode()) if o.topic == model.NORMALIZED])]
        try:
            produce(stack.bootstrap, stack.topic(topics.NORMALIZED), prepared)
            stack.start_worker("w0")
            decided = read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=len(prepared), timeout=600,
                                 idle=1.0, isolation="read_committed")
        finally:
            stack.stop_all()
        stamps = sorted(r["timestamp"] for r in decided)
        seconds = (stamps[-1] - stamps[0]) / 1000 if len(stamps) > 1 else float("nan")
        f = self.figures["decide"] = {"per_second": len(prepared) / seconds}
        print(f"  decide      {len(prepared)} records already on wire.normalized, one worker, {self.args.guarantee}: "
              f"{f['per_second']:7.1f} stories/s (first to last decision)")
        print("              " + _loop_stats(stack))


def _loop_stats(stack: Stack) -> str:
    """What the workers' loops logged about themselves when they stopped."""
    found = re.findall(r"(\w+) loop stopped: (.*)", stack.logs())
    return "; ".join(f"{name}: {text.strip()}" for name, text in found) or "(no loop statistics logged)"


def run(args: argparse.Namespace) -> int:
    if args.corpus is None:
        print("bench e2e needs a backlog path, e.g. ../shared/corpora/reuters21578")
        return 2
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(args, Path(tmp))
        print(f"backlog: {len(bench.records)} stories from {args.corpus}; broker {bench.settings.bootstrap_servers};"
              f" {args.partitions} wire.raw partitions; {len(bench.partner_ids)} partners")
        if "offline" in phases:
            bench.offline()
        if "throughput" in phases:
            bench.throughput()
        if "latency" in phases:
            for guarantee in [g.strip() for g in args.latency_guarantees.split(",") if g.strip()]:
                bench.latency(guarantee)
        if "decide" in phases:
            bench.decide()
    print(orjson.dumps(bench.figures).decode())
    return 0
