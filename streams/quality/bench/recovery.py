"""`syndicate bench recovery`: how long a worker on a fresh disk takes to recover N remembered stories.

Recovery reads the dedupe changelog and rebuilds the in-memory index; afterwards a duplicate must still be caught.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from streams.dedupe.deduper import Deduper
from streams.kafka import topics
from streams.kafka.topics import create_topics
from streams.quality.bench import measure
from streams.quality.bench.dedupe import _sentences, _story
from streams.quality.evaluate.dedupe import make_article
from streams.runtime.state import META, STORIES, encode_value
from streams.settings import Settings
from streams.testing.harness import Stack, produce, read_topic


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stories", type=int, default=100_000, help="stories remembered (default 100000)")
    parser.add_argument("--seed", type=int, default=7)


def _fill(n: int, corpus: str | None, seed: int) -> tuple[dict[str, Any], dict[str, Any], tuple[str, list[str]]]:
    rng = random.Random(seed)
    sentences = _sentences(corpus, rng)
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    dd = Deduper(stories, meta)
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    last: tuple[str, list[str]] = ("", [])
    for i in range(n):
        head, paras = _story(rng, sentences, i)
        dd.process(f"fill-{i}", make_article(f"wire:fill-{i}", head, paras, t0 + timedelta(seconds=5 * i)))
        last = (head, paras)
    return stories, meta, last


def _ready_seconds(log: Path, started: float, wait: float = 900) -> tuple[float, int]:
    """Seconds from `started` until the worker logs its restored state, and how many stories it rebuilt from."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        m = re.search(r"dedupe index rebuilt from (\d+) remembered stories", log.read_text())
        if m:
            return time.monotonic() - started, int(m.group(1))
        time.sleep(0.1)
    return time.monotonic() - started, -1


def run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    corpus = str(args.corpus) if args.corpus else None
    t = time.perf_counter()
    stories, meta, (head, paras) = _fill(args.stories, corpus, args.seed)
    print(f"recovery: {len(stories)} stories remembered (built offline in {time.perf_counter() - t:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(settings.bootstrap_servers, Path(tmp))
        stack.create_topics()
        changelog = f"{stack.prefix}{stack.app_id}.decide-state"  # topics.state_topic for the stack's settings
        asyncio.run(create_topics(stack.bootstrap, {changelog: 1}, compacted=True))
        records = [(orjson.dumps([STORIES, sid]), encode_value(rec), 0) for sid, rec in stories.items()]
        records += [(orjson.dumps([META, k]), encode_value(v), 0) for k, v in meta.items()]
        size = sum(len(k) + len(v) for k, v, _ in records)
        t = time.perf_counter()
        produce(stack.bootstrap, changelog, records)
        print(f"  changelog written: {len(records)} records, {size / 1e6:.1f} MB in {time.perf_counter() - t:.1f} s")
        try:
            started = time.monotonic()
            stack.start_worker("fresh-disk", timeout=900)
            took, rebuilt = _ready_seconds(stack.workers[-1][1], started)
            print(f"  worker on a fresh disk: state restored in {took:.1f} s from starting the process "
                  f"(changelog read + index rebuilt from {rebuilt} stories)")
            empty = Stack(settings.bootstrap_servers, Path(tmp) / "empty")
            empty.create_topics()
            try:
                empty.start_worker("empty")
                _ready_seconds(empty.workers[-1][1], time.monotonic(), wait=60)
                base = measure.rss_mb(empty.workers[-1][0].pid)
            finally:
                empty.stop_all()
            full = measure.rss_mb(stack.workers[-1][0].pid)
            print(f"  worker RSS {full:.0f} MB with {rebuilt} stories remembered, {base:.0f} MB with none: "
                  f"{(full - base) * 100_000 / max(rebuilt, 1):.0f} MB per 100,000 remembered stories")
            copy = {"uri": "urn:bench:copy", "type": "text", "version": "1", "by": "Reuters",
                    "firstcreated": "2026-01-11T00:00:00Z", "versioncreated": "2026-01-11T00:00:00Z",
                    "headlines": [{"role": "main", "value": head}],
                    "bodies": [{"role": "main", "contenttype": "text/html",
                                "value": "".join(f"<p>{p}</p>" for p in paras)}]}
            envelope = {"id": "recovery-check", "content": orjson.dumps(copy).decode(), "format": "ninjs"}
            produce(stack.bootstrap, stack.topic(topics.RAW), [(b"recovery-check", orjson.dumps(envelope), None)])
            got = read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=1, timeout=120)
            decision = got[0]["value"] if got else {}
            print(f"  a copy of the newest remembered story after recovery: {decision.get('decision')} "
                  f"({decision.get('reason', 'no decision')})")
            return 0 if decision.get("decision") == "duplicate" else 1
        finally:
            stack.stop_all()
