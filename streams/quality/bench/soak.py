"""`syndicate bench soak --minutes 30 --rate 100`: a long steady stream, and how the worker holds up over time.

Distinct ninjs stories (one in five re-sent) are replayed into wire.raw at `--rate` per second for `--minutes`
while one worker runs. Every 5 s the bench samples the worker's resident memory, the consumer lag of both loops
and the latency from sending an input to its committed decision. It prints a table per minute and draws the three
over time in a PNG (matplotlib) saved beside the table in `--out`.

Memory can only level off if state does: the dedupe horizon is set to `--horizon-minutes` (stream time is the
broker's clock here), so stories older than that are forgotten. Warm-up is the first third of the run (at least
two horizons); the goal is RSS growth under 10 % from the end of warm-up to the end, and a lag that stays bounded.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import orjson

from streams.kafka import topics
from streams.quality.bench.crash import story_item
from streams.quality.bench.monitor import Feeder, Monitor, Sample
from streams.quality.bench.report import median, percentile
from streams.settings import Settings
from streams.testing.harness import Stack

#: The goal: resident memory grows less than this share from the end of warm-up to the end of the run.
RSS_GROWTH_GOAL = 0.10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=100.0, help="inputs/s (default 100)")
    parser.add_argument("--horizon-minutes", type=float, default=5.0, help="the dedupe horizon for the run")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("--out", type=Path, default=Path(".cache/bench"), help="where the table and PNG go")


def stories(count: int, partitions: int = 4, seed: int = 5) -> Iterator[tuple[bytes, bytes, int]]:
    """`count` inputs made as they are sent: distinct stories, each matching some partner, and a re-send of one
    in five a few inputs later on its story's partition."""
    rng = random.Random(seed)
    pending: list[tuple[int, bytes, bytes, int]] = []
    i = sent = 0
    while sent < count:
        if pending and pending[0][0] <= sent:
            _, key, value, partition = pending.pop(0)
        else:
            content = orjson.dumps(story_item(rng, i, f"urn:newsml:reuters.com:20170314:nSOAK{i:07d}")).decode()
            key, partition = f"s{i}".encode(), i % partitions
            value = orjson.dumps({"id": f"s{i}", "content": content, "format": "ninjs"})
            if i % 5 == 0:
                again = orjson.dumps({"id": f"s{i}-again", "content": content, "format": "ninjs"})
                pending.append((sent + rng.randint(4, 40), f"s{i}-again".encode(), again, partition))
                pending.sort()
            i += 1
        yield key, value, partition
        sent += 1


def per_minute(samples: list[Sample], latencies: list[tuple[float, float]]) -> list[dict[str, float]]:
    """One row per minute: the last sample's counts and RSS, the minute's largest lag, its latency p50/p99."""
    rows = []
    minutes = int(samples[-1].t // 60) + 1 if samples else 0
    for m in range(minutes):
        inside = [s for s in samples if m * 60 <= s.t < (m + 1) * 60]
        lat = [ms for t, ms in latencies if m * 60 <= t < (m + 1) * 60]
        if not inside:
            continue
        rows.append({"minute": m + 1, "sent": inside[-1].sent, "decided": inside[-1].decided,
                     "lag": max(s.lag for s in inside), "rss_mb": inside[-1].rss_mb,
                     "p50_ms": median(lat), "p99_ms": percentile(lat, 0.99)})
    return rows


def plot(samples: list[Sample], latencies: list[tuple[float, float]], path: Path, title: str) -> None:
    import matplotlib  # optional (a dev dependency) and slow to import: only when a plot is asked for

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    minutes = [s.t / 60 for s in samples]
    fig, (rss, lag, lat) = plt.subplots(3, 1, figsize=(9, 9), sharex=True)
    rss.plot(minutes, [s.rss_mb for s in samples])
    rss.set_ylabel("worker RSS (MB)")
    rss.set_ylim(bottom=0)
    lag.plot(minutes, [s.lag_prepare for s in samples], label="prepare (wire.raw)")
    lag.plot(minutes, [s.lag_decide for s in samples], label="decide (wire.normalized)")
    lag.set_ylabel("consumer lag (records)")
    lag.legend()
    lat.plot(minutes, [s.latency_p50_ms for s in samples], label="p50")
    lat.plot(minutes, [s.latency_p99_ms for s in samples], label="p99")
    lat.set_ylabel("send to decision (ms)")
    lat.set_xlabel("minutes")
    lat.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    total = int(args.minutes * 60 * args.rate)
    warmup = max(args.minutes / 3, 2 * args.horizon_minutes) * 60
    print(f"soak: {total} inputs at {args.rate:.0f}/s for {args.minutes:g} min, dedupe horizon "
          f"{args.horizon_minutes:g} min, warm-up {warmup / 60:.1f} min; broker {settings.bootstrap_servers}; "
          "one worker")
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(settings.bootstrap_servers, Path(tmp), extra_env={
            "SYNDICATE_DEDUPE_HORIZON_DAYS": repr(args.horizon_minutes / 1440)})
        stack.create_topics()
        try:
            worker = stack.start_worker("w0")
            feeder = Feeder(stack.bootstrap, stack.topic(topics.RAW), stories(total), args.rate)
            monitor = Monitor(stack, feeder, interval=args.interval).start()
            feeder.start()
            feeder.join()
            monitor.wait(lambda: len(monitor.decided_at) >= total or worker.poll() is not None, 600)
            time.sleep(args.interval)
            monitor.stop()
            crashed = worker.poll() is not None
        finally:
            stack.stop_all()
    samples = monitor.samples
    latencies = [(monitor.decided_at[k] - monitor.started, (monitor.decided_at[k] - feeder.sent[k]) * 1000)
                 for k in monitor.decided_at if k in feeder.sent]
    rows = per_minute(samples, latencies)
    lines = [f"{'min':>4} {'sent':>8} {'decided':>8} {'max lag':>8} {'RSS MB':>7} {'p50 ms':>7} {'p99 ms':>8}"]
    lines += [f"{r['minute']:>4} {r['sent']:>8} {r['decided']:>8} {r['lag']:>8} {r['rss_mb']:>7.0f} "
              f"{r['p50_ms']:>7.0f} {r['p99_ms']:>8.0f}" for r in rows]
    after = [s for s in samples if s.t >= warmup and s.t <= total / args.rate]
    start_rss = statistics.median(s.rss_mb for s in after[:12]) if after else float("nan")
    end_rss = statistics.median(s.rss_mb for s in after[-12:]) if after else float("nan")
    growth = (end_rss - start_rss) / start_rss if after else float("nan")
    max_lag = max((s.lag for s in after), default=0)
    end_lag = samples[-1].lag if samples else 0
    verdict = (f"RSS {start_rss:.0f} MB after warm-up, {end_rss:.0f} MB at the end: {growth:+.1%} "
               f"({'within' if growth < RSS_GROWTH_GOAL else 'above'} the {RSS_GROWTH_GOAL:.0%} goal); "
               f"max RSS {monitor.max_rss_mb:.0f} MB; lag after warm-up at most {max_lag} records "
               f"({max_lag / args.rate:.1f} s of input), {end_lag} at the end; {len(monitor.decided_at)} of {total} "
               f"inputs decided; worker {'CRASHED' if crashed else 'alive'}")
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    table = args.out / f"soak-{stamp}.txt"
    png = args.out / f"soak-{stamp}.png"
    table.write_text("\n".join([*lines, "", verdict]) + "\n")
    plot(samples, latencies, png, f"soak: {args.rate:.0f}/s for {args.minutes:g} min, horizon "
                                   f"{args.horizon_minutes:g} min")
    print("\n".join(lines))
    print(f"soak: {verdict}")
    print(f"  table {table}, plot {png}")
    return 0 if not crashed and len(monitor.decided_at) >= total else 1
