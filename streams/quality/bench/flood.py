"""`syndicate bench flood [CORPUS]`: 100,000 hostile inputs mixed with 1,000 real stories into a live worker.

The hostile inputs (streams/quality/hostile.py: random bytes, invalid UTF-8, JSON nested 10,000 deep, 5 MB
strings, wrong types in every envelope field, HTML with 100,000 nested tags, unclosed SGML, control characters,
XML bombs, inputs built for our regular expressions) go to every wire.raw partition as fast as the broker takes
them; the real stories go to partition 0 in backlog order among them, so the decide step meets them in the order
`syndicate process` does. Checked at the end:
- the worker never crashed (the same process ran throughout, no traceback in its log);
- every hostile input is on wire.dead-letter with a reason and its exact bytes, and none became a story;
- every real story got the decision `syndicate process` gives it, and each partner topic holds what it holds;
- the longest any input held a step (the worker logs each over 250 ms; the budget stops prepare at 800 ms);
- the worker's resident memory (the largest of the samples taken every 2 s).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.contracts import Contracts
from streams.kafka import topics
from streams.kafka.security import connect
from streams.normalize.backlog import RawRecord, load_backlog
from streams.normalize.envelope import EnvelopeReader
from streams.offline import run_offline
from streams.quality.bench.crash import backlog
from streams.quality.bench.monitor import Feeder, Monitor
from streams.quality.bench.report import percentile
from streams.quality.hostile import HEAVY, Hostile, flood
from streams.settings import Settings
from streams.testing.harness import Stack, read_topic

_SLOW = re.compile(rb"slow input (.+?): (prepare|decide) took (\d+) ms")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hostile", type=int, default=100_000, help="hostile inputs (default 100,000)")
    parser.add_argument("--stories", type=int, default=1000, help="real stories from CORPUS (default 1,000)")
    parser.add_argument("--heavy", type=int, default=50,
                        help=f"inputs of each heavy kind ({', '.join(HEAVY)}) among the hostile ones (default 50)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait for every decision")


def real_stories(corpus: Path | None, limit: int) -> list[tuple[bytes, bytes]]:
    """(key, envelope) of the first `limit` stories of a backlog; without one, the crash bench's ninjs stories."""
    if corpus is None:
        return [(k, v) for k, v, _ in backlog(limit)][:limit]
    out = []
    for item in load_backlog([corpus], EnvelopeReader(Contracts())):
        if isinstance(item, RawRecord):
            out.append((item.key.encode(), item.value))
            if len(out) >= limit:
                break
    return out


@dataclass
class Mix:
    """The hostile inputs and the real stories in one stream, with what the check needs of each input."""

    hostile: int
    stories: list[tuple[bytes, bytes]]
    seed: int
    heavy: int
    partitions: int
    digests: dict[bytes, bytes] = field(default_factory=dict)  # hostile key -> digest of its bytes
    kinds: dict[bytes, str] = field(default_factory=dict)

    def records(self) -> Iterator[tuple[bytes, bytes, int | None]]:
        """Every input, in order: one real story after about every hostile/stories hostile ones."""
        every = max(1, self.hostile // max(1, len(self.stories)))
        stories = iter(self.stories)
        rng = random.Random(self.seed)
        for n, h in enumerate(flood(self.hostile, self.seed, self.heavy)):
            self._remember(h)
            yield h.key.encode(), h.value, rng.randrange(self.partitions)
            if n % every == every - 1:
                story = next(stories, None)
                if story is not None:
                    yield story[0], story[1], 0
        for key, value in stories:
            yield key, value, 0

    def _remember(self, h: Hostile) -> None:
        key = h.key.encode()
        self.digests[key] = hashlib.blake2b(h.value, digest_size=16).digest()
        self.kinds[key] = h.kind


async def _dead_letters(bootstrap: str, topic: str, wanted: set[bytes], timeout: float) -> dict[bytes, Any]:
    """input id -> (reason, digest of the original bytes) for every dead letter, read until `wanted` are all in."""
    consumer = AIOKafkaConsumer(**connect(bootstrap), isolation_level="read_committed", enable_auto_commit=False,
                                max_partition_fetch_bytes=32 * 1024 * 1024)
    await consumer.start()
    found: dict[bytes, Any] = {}
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        deadline = time.monotonic() + timeout
        while not wanted <= found.keys() and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=500)
            for record in (r for records in batch.values() for r in records):
                letter = orjson.loads(record.value)
                original = base64.b64decode(letter.get("original_b64", ""))
                found[str(letter.get("input_id")).encode()] = (
                    letter.get("stage"), letter.get("reason"), hashlib.blake2b(original, digest_size=16).digest())
    finally:
        await consumer.stop()
    return found


def _offline(stories: list[tuple[bytes, bytes]], partners: Path, out: Path) -> tuple[dict[str, str], dict[str, Any]]:
    backlog = out / "stories.jsonl"
    backlog.write_bytes(b"\n".join(value for _, value in stories) + b"\n")
    run_offline(Settings.load({"partners_path": partners}, env={}), [backlog], out / "offline")
    decisions = {d["input_id"]: d["decision"]
                 for d in map(orjson.loads, (out / "offline" / "decisions.jsonl").read_bytes().splitlines())}
    partner_views = {}
    for path in sorted((out / "offline" / "partners").glob("*.jsonl")):
        partner_views[path.stem] = sorted((a["uri"], str(a["version"]))
                                          for a in map(orjson.loads, path.read_bytes().splitlines()))
    return decisions, partner_views


def _log_and_letter_problems(
    log_bytes: bytes, undecided: set[bytes], letters: dict[bytes, Any], mix: Mix
) -> list[str]:
    """What went wrong by the worker's log, the inputs left undecided and the dead letters of the hostile inputs
    (each must be there, with a reason and the digest of the bytes sent)."""
    problems: list[str] = []
    if b"Traceback" in log_bytes:
        problems.append(f"{log_bytes.count(b'Traceback')} tracebacks in the worker's log")
    if undecided:
        problems.append(f"{len(undecided)} inputs without a decision: {sorted(undecided)[:5]}")
    missing = set(mix.digests) - letters.keys()
    wrong = [k for k, (_, reason, digest) in letters.items() if k in mix.digests and (
        not reason or digest != mix.digests[k])]
    if missing:
        problems.append(f"{len(missing)} hostile inputs not dead-lettered: {sorted(missing)[:5]}")
    if wrong:
        problems.append(f"{len(wrong)} dead letters without a reason or with other bytes: {sorted(wrong)[:5]}")
    return problems


def _print_slow(log_bytes: bytes) -> None:
    """The inputs that held a step over 250 ms by the worker's log, the five longest listed."""
    slow = sorted(((int(ms), step.decode(), who.decode()) for who, step, ms in _SLOW.findall(log_bytes)), reverse=True)
    longest = slow[0] if slow else None
    print(f"  inputs that held a step over 250 ms: {len(slow)}; the longest: "
          + (f"{longest[0]} ms ({longest[1]} of {longest[2]})" if longest else "none"))
    for ms, step, who in slow[:5]:
        print(f"    {ms:>6} ms  {step:<8} {who}")


def run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    stories = real_stories(args.corpus, args.stories)
    mix = Mix(args.hostile, stories, args.seed, args.heavy, args.partitions)
    print(f"flood: {args.hostile} hostile inputs ({args.heavy} of each heavy kind) and {len(stories)} real stories "
          f"from {args.corpus or 'the crash bench generator'}; broker {settings.bootstrap_servers}; one worker")
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(settings.bootstrap_servers, Path(tmp), raw_partitions=args.partitions)
        stack.create_topics()
        try:
            worker = stack.start_worker("w0")
            feeder = Feeder(stack.bootstrap, stack.topic(topics.RAW), mix.records(), rate=None)
            monitor = Monitor(stack, feeder).start()
            started = time.time()
            feeder.start()
            feeder.join()
            if feeder.error is not None:
                problems.append(f"the feeder failed: {feeder.error!r}")
            sent_s = (feeder.finished_at or time.time()) - started
            print(f"  sent {feeder.count} inputs ({feeder.bytes / 1e6:.0f} MB) in {sent_s:.0f} s")
            everything = set(feeder.sent)
            monitor.wait(lambda: everything <= monitor.decided_at.keys() or worker.poll() is not None, args.timeout)
            monitor.stop()
            done_s = max(monitor.decided_at.values(), default=started) - started
            undecided = everything - monitor.decided_at.keys()
            crashed = worker.poll() is not None
            log_bytes = stack.workers[0][1].read_bytes()
            letters = asyncio.run(_dead_letters(stack.bootstrap, stack.topic(topics.DEAD_LETTER),
                                                set(mix.digests), timeout=300))
            kafka_decisions = {r["value"]["input_id"]: r["value"]["decision"] for r in read_topic(
                stack.bootstrap, stack.topic(topics.DECISIONS), idle=1.0, isolation="read_committed")
                if r["key"] not in mix.digests}
            offline, offline_partners = _offline(stories, settings.partners_path, Path(tmp))
            kafka_partners = {pid: sorted((r["value"]["uri"], str(r["value"]["version"])) for r in read_topic(
                stack.bootstrap, stack.topic(topics.partner_topic(pid)), idle=0.5, isolation="read_committed"))
                for pid in offline_partners}
        finally:
            stack.stop_all()
    # -- the checks --------------------------------------------------------------------------------------------
    if crashed:
        problems.append(f"the worker exited with {worker.returncode}")
    problems += _log_and_letter_problems(log_bytes, undecided, letters, mix)
    story_ids = {k.decode() for k, _ in stories}
    differ = sorted(i for i in story_ids if kafka_decisions.get(i) != offline.get(i))
    if differ:
        problems.append(f"{len(differ)} real stories decided otherwise than offline: {differ[:5]}")
    for pid, view in offline_partners.items():
        if kafka_partners[pid] != view:
            problems.append(f"partner {pid}: {len(kafka_partners[pid])} deliveries on Kafka, {len(view)} offline")
    # -- the report --------------------------------------------------------------------------------------------
    reasons = Counter(reason for k, (_, reason, _) in letters.items() if k in mix.digests)
    by_kind = Counter(mix.kinds.values())
    print(f"  every input decided {done_s:.0f} s after the first was sent: {feeder.count / max(done_s, 1e-3):.0f} "
          f"inputs/s; worker max RSS {monitor.max_rss_mb:.0f} MB; worker {'CRASHED' if crashed else 'alive'}")
    print("  hostile inputs by kind: " + ", ".join(f"{k} {n}" for k, n in by_kind.most_common()))
    print("  dead-letter reasons: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    delivered = sum(len(v) for v in kafka_partners.values())
    story_lat = [(monitor.decided_at[k] - feeder.sent[k]) * 1000 for k, _ in stories if k in monitor.decided_at]
    print(f"  real stories: {len(stories)}, {sum(1 for i in story_ids if i in kafka_decisions)} decided as offline "
          f"decides them but {len(differ)}; {delivered} partner deliveries (offline "
          f"{sum(len(v) for v in offline_partners.values())}); produce-to-decision p50 "
          f"{percentile(story_lat, 0.5):.0f} ms, p99 {percentile(story_lat, 0.99):.0f} ms")
    _print_slow(log_bytes)
    print(f"flood: {'OK' if not problems else 'FAILED'}")
    for p in problems:
        print(f"  {p}")
    return 0 if not problems else 1
