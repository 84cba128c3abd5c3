"""`syndicate bench e2e CORPUS`: throughput and produce-to-partner latency on the real broker.

Measured against a pass-through Faust agent (bytes in, bytes out) on the same broker as the ceiling.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from streams.contracts import Contracts
from streams.kafka import topics
from streams.kafka.harness import Stack, produce, read_topic
from streams.normalize.backlog import RawRecord, load_backlog
from streams.normalize.envelope import EnvelopeReader
from streams.quality.bench.report import percentile
from streams.route.registry import partner_ids
from streams.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=3000, help="stories from the backlog (default 3000)")
    parser.add_argument("--latency-stories", type=int, default=300, help="stories for the paced latency run")
    parser.add_argument("--latency-rate", type=float, default=50.0, help="stories/s in the paced latency run")
    parser.add_argument("--partitions", type=int, default=4)


def _records(corpus: Path, limit: int) -> list[tuple[bytes, bytes, None]]:
    reader = EnvelopeReader(Contracts())
    out = []
    for item in load_backlog([corpus], reader):
        if isinstance(item, RawRecord):
            out.append((item.key.encode(), item.value, None))
            if len(out) >= limit:
                break
    return out


def _run(stack: Stack, records: list[Any], out_topic: str, passthrough: bool, rate: float | None) -> dict[str, Any]:
    """Produce `records`, wait until every input has its output, and measure with broker timestamps."""
    raw_topic = stack.topic(topics.RAW)
    produce(stack.bootstrap, raw_topic, records, rate=rate)
    raw = read_topic(stack.bootstrap, raw_topic, until=len(records), timeout=120, idle=0.5)
    sent_ts = {r["key"]: r["timestamp"] for r in raw}
    outs = read_topic(stack.bootstrap, out_topic, until=len(records), timeout=900, idle=2.0)
    if passthrough:
        done_ts = {r["key"]: r["timestamp"] for r in outs}
        latencies = [done_ts[k] - sent_ts[k] for k in done_ts if k in sent_ts]
    else:
        # latency to the partner topic: the partner record carrying (uri, version) of each decided input
        first_delivery: dict[tuple[str, str], int] = {}
        for partner in stack.partner_ids:  # type: ignore[attr-defined]
            for r in read_topic(stack.bootstrap, stack.topic(topics.partner_topic(partner)), idle=0.5):
                k = (r["value"]["uri"], str(r["value"]["version"]))
                first_delivery[k] = min(first_delivery.get(k, r["timestamp"]), r["timestamp"])
        latencies = []
        for r in outs:
            d = r["value"]
            k = (d.get("uri"), str(d.get("version")))
            if d.get("deliveries") and k in first_delivery and d["input_id"].encode() in sent_ts:
                latencies.append(first_delivery[k] - sent_ts[d["input_id"].encode()])
        done_ts = {r["key"]: r["timestamp"] for r in outs}
    first, last = min(sent_ts.values()), max(done_ts.values())
    return {
        "inputs": len(records),
        "outputs": len(done_ts),
        "seconds": (last - first) / 1000,
        "per_second": len(records) / max((last - first) / 1000, 1e-3),
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": percentile(latencies, 0.99) if latencies else float("nan"),
        "latency_samples": len(latencies),
    }


def run(args: argparse.Namespace) -> int:
    if args.corpus is None:
        print("bench e2e needs a backlog path, e.g. ../shared/corpora/reuters21578")
        return 2
    settings = Settings.load()
    records = _records(args.corpus, args.limit)
    paced = records[: args.latency_stories]
    print(f"backlog: {len(records)} stories from {args.corpus}; broker {settings.bootstrap_servers}; "
          f"{args.partitions} partitions on wire.raw; one worker process each")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("passthrough", "pipeline"):
            for phase, recs, rate in (("throughput", records, None), ("latency", paced, args.latency_rate)):
                stack = Stack(settings.bootstrap_servers, Path(tmp) / f"{name}-{phase}", raw_partitions=args.partitions)
                stack.partner_ids = partner_ids(settings.partners_path, Contracts())  # type: ignore[attr-defined]
                stack.create_topics()
                try:
                    if name == "passthrough":
                        stack.start_worker(module="streams.quality.bench.passthrough", args=(), ready=b"Worker ready")
                        out_topic = stack.topic("bench.passthrough")
                    else:
                        stack.start_worker()
                        out_topic = stack.topic(topics.DECISIONS)
                    t0 = time.monotonic()
                    results[f"{name}-{phase}"] = r = _run(stack, recs, out_topic, name == "passthrough", rate)
                    print(f"  {name:<11} {phase:<10} {r['inputs']:>5} in, {r['outputs']:>5} out, "
                          f"{r['per_second']:8.1f} stories/s, p50 {r['p50_ms']:7.1f} ms, p99 {r['p99_ms']:8.1f} ms "
                          f"({r['latency_samples']} latency samples; wall {time.monotonic() - t0:.1f}s)")
                finally:
                    stack.stop_all()
    ceiling = results["passthrough-throughput"]["per_second"]
    ours = results["pipeline-throughput"]["per_second"]
    print(f"throughput: pipeline {ours:.1f} stories/s vs pass-through {ceiling:.1f}/s: ratio {ours / ceiling:.2f}")
    lp, lc = results["pipeline-latency"], results["passthrough-latency"]
    print(f"latency at {args.latency_rate:.0f} stories/s: pipeline p50 {lp['p50_ms']:.1f} ms / "
          f"p99 {lp['p99_ms']:.1f} ms; pass-through p50 {lc['p50_ms']:.1f} ms / p99 {lc['p99_ms']:.1f} ms")
    return 0
