"""`syndicate bench crash --kills N`: SIGKILL the worker mid-stream N times and compare with `syndicate process`.

A backlog is replayed into `wire.raw` at a fixed rate while one worker runs. After every `after` decisions the
worker is frozen (SIGSTOP) and, if it has work in hand that is not committed (exactly-once: a transaction open
on `wire.decisions`; at-least-once: a record of `wire.normalized` decided but behind the committed offset),
killed with SIGKILL; otherwise it is let go and frozen again a moment later. So every kill lands mid-batch, and
the restarted worker must process those inputs again. At the end every partner topic (read_committed) is
compared with `syndicate process` on the same backlog, and every input must have exactly one decision.

The broker test `tests/kafka/test_crash.py` runs the short version (3 kills); the bench the full one (20).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.kafka import topics
from streams.kafka.security import connect
from streams.offline import run_offline
from streams.settings import Settings
from streams.testing.harness import Stack, produce, read_topic

#: Leads that each match some partner of config/partners.yaml (a person, a place, a subject).
_LEADS = [
    ("MOSCOW", "Kremlin says {w} as Putin weighs {x}",
     "The Kremlin said on Tuesday that President Vladimir Putin was ready to discuss {w} with NATO."),
    ("WARSAW", "Poland's parliament votes on {w}", "Poland's parliament voted on {w} after a long debate, the "
     "government said, and the opposition promised to challenge the law in the election campaign."),
    ("LONDON", "Central bank holds rates as {w} slows", "The central bank kept its main interest rate unchanged "
     "on Thursday as {w} slowed and inflation eased, and said it could cut borrowing costs next year."),
    ("VILNIUS", "Lithuania's minister says {w}", "Lithuania's foreign minister said on Monday that {w} would "
     "stay, after talks with his Latvian and Estonian counterparts in Vilnius."),
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--stories", type=int, default=1000,
                        help="distinct stories (one in five is also re-sent); the stream must outlast the kills")
    parser.add_argument("--rate", type=float, default=6.0, help="stories/s replayed into wire.raw")
    parser.add_argument("--guarantee", choices=("exactly_once", "at_least_once"), default="exactly_once")


def _words(rng: random.Random, n: int) -> str:
    syllables = ["ka", "lo", "mi", "ter", "sun", "dra", "vel", "no", "pri", "gos", "tam", "bre", "ul", "fen"]
    return " ".join("".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(n))


def story_item(rng: random.Random, i: int, uri: str) -> dict[str, Any]:
    """Story `i` of a generated backlog: a distinct ninjs item under `uri` that matches some partner."""
    city, head, lead = _LEADS[i % len(_LEADS)]
    topic = _words(rng, 3)
    paragraphs = [f"{city} (Reuters) - " + lead.format(w=topic, x=_words(rng, 2))]
    paragraphs += [f"{_words(rng, rng.randint(14, 24)).capitalize()} {i}." for _ in range(3)]
    return {
        "uri": uri, "type": "text", "version": "1", "pubstatus": "usable", "language": "en", "by": "Reuters",
        "located": city.title(), "headlines": [{"role": "main", "value": head.format(w=topic, x=_words(rng, 1))}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}],
    }


def backlog(stories: int, *, partitions: int = 4, seed: int = 11) -> list[tuple[bytes, bytes, int]]:
    """Distinct ninjs stories (each matching some partner) and exact re-sends of one in five, as (key, value,
    partition). A re-send goes to its story's partition after it, so it meets the story in the same order on
    Kafka as offline: which copy is `new` does not depend on how partitions interleave."""
    rng = random.Random(seed)
    out: list[tuple[bytes, bytes, int]] = []
    resends: list[tuple[int, bytes, int]] = []
    for i in range(stories):
        item = story_item(rng, i, f"urn:newsml:reuters.com:20170314:nCRASH{i:05d}")
        item["firstcreated"] = item["versioncreated"] = f"2017-03-14T{(i // 60) % 24:02d}:{i % 60:02d}:00Z"
        content = orjson.dumps(item).decode()
        partition = i % partitions
        out.append((f"c{i}".encode(), orjson.dumps({"id": f"c{i}", "content": content, "format": "ninjs"}),
                    partition))
        if i % 5 == 0:
            resends.append((i + rng.randint(2, 12), orjson.dumps(
                {"id": f"c{i}-again", "content": content, "format": "ninjs"}), partition))
    for at, value, partition in sorted(resends, key=lambda r: r[0], reverse=True):
        key = orjson.loads(value)["id"].encode()
        out.insert(min(at, len(out)), (key, value, partition))
    return out


@dataclass
class Kill:
    """One SIGKILL: the decision offsets committed and inputs sent when it landed, and whether work was in hand."""

    decisions: int
    sent: int
    in_hand: bool


@dataclass
class Report:
    inputs: int
    kills: list[Kill] = field(default_factory=list)
    decisions: Counter[str] = field(default_factory=Counter)
    aborted: int = 0  # decision records written in transactions that were aborted (exactly-once)
    replayed: int = 0  # inputs decided more than once in the committed view (at-least-once)
    partners: dict[str, tuple[list[Any], list[Any]]] = field(default_factory=dict)  # id -> (kafka, offline)
    seconds: float = 0.0

    def problems(self, ids: set[str], *, exactly_once: bool) -> list[str]:
        """What breaks the contract. Both guarantees: an input without a decision, a partner missing a version
        `syndicate process` delivers, or holding one it does not. Exactly-once also: an input with two
        committed decisions, a (uri, version) delivered twice (at-least-once allows both after a crash)."""
        out = []
        if missing := ids - set(self.decisions):
            out.append(f"{len(missing)} inputs never decided: {sorted(missing)[:5]}")
        if exactly_once and (twice := [i for i, n in self.decisions.items() if n > 1]):
            out.append(f"{len(twice)} inputs decided twice: {sorted(twice)[:5]}")
        for pid, (kafka, offline) in self.partners.items():
            if exactly_once and (dup := self.delivered_twice(pid)):
                out.append(f"partner {pid}: {len(dup)} (uri, version) delivered twice: {dup[:3]}")
            if set(kafka) != set(offline) or (exactly_once and len(kafka) != len(offline)):
                out.append(f"partner {pid}: {len(kafka)} deliveries on Kafka, {len(offline)} offline, "
                           f"{len(set(kafka) ^ set(offline))} differ")
        return out

    def delivered_twice(self, partner: str) -> list[Any]:
        return [k for k, n in Counter(self.partners[partner][0]).items() if n > 1]


class _Probe:
    """Looks at the worker's output while it is frozen: is there work in hand it has not committed?"""

    def __init__(self, stack: Stack, exactly_once: bool) -> None:
        self.stack = stack
        self.exactly_once = exactly_once
        self.decisions = TopicPartition(stack.topic(topics.DECISIONS), 0)

    async def start(self) -> None:
        boot = self.stack.bootstrap
        self.committed = AIOKafkaConsumer(**connect(boot), isolation_level="read_committed", enable_auto_commit=False)
        self.uncommitted = AIOKafkaConsumer(**connect(boot), enable_auto_commit=False)
        self.group = AIOKafkaConsumer(**connect(boot), group_id=f"{self.stack.app_id}.decide", enable_auto_commit=False)
        # at-least-once: two readers kept open, so a look costs a fetch of what is new, not a read of everything
        self.decisions_reader = AIOKafkaConsumer(**connect(boot), enable_auto_commit=False)
        self.normalized_reader = AIOKafkaConsumer(**connect(boot), enable_auto_commit=False)
        for c in self._consumers():
            await c.start()
        self.decisions_reader.assign([self.decisions])
        await self.decisions_reader.seek_to_beginning(self.decisions)
        self.normalized = TopicPartition(self.stack.topic(topics.NORMALIZED), 0)
        self.normalized_reader.assign([self.normalized])
        self.decided_ids: set[bytes] = set()

    def _consumers(self) -> list[AIOKafkaConsumer]:
        return [self.committed, self.uncommitted, self.group, self.decisions_reader, self.normalized_reader]

    async def stop(self) -> None:
        for c in self._consumers():
            await c.stop()

    async def sent(self) -> int:
        """Inputs in wire.raw so far."""
        raw = [TopicPartition(self.stack.topic(topics.RAW), p) for p in range(self.stack.raw_partitions)]
        return sum((await self.uncommitted.end_offsets(raw)).values())

    async def decided(self) -> int:
        """Decision records committed so far (offsets, so transaction markers count too: an upper bound)."""
        return (await self.committed.end_offsets([self.decisions]))[self.decisions]

    async def in_hand(self) -> bool:
        if self.exactly_once:  # a transaction holding decisions is open: its end is past the last stable offset
            high = (await self.uncommitted.end_offsets([self.decisions]))[self.decisions]
            return high > await self.decided()
        # at-least-once: a wire.normalized record at or past the committed offset already has its decision
        end = (await self.uncommitted.end_offsets([self.decisions]))[self.decisions]
        while await self.decisions_reader.position(self.decisions) < end:
            for records in (await self.decisions_reader.getmany(timeout_ms=200)).values():
                self.decided_ids.update(str(orjson.loads(r.value).get("input_id")).encode() for r in records)
        committed = await self.group.committed(self.normalized) or 0
        last = (await self.uncommitted.end_offsets([self.normalized]))[self.normalized]
        self.normalized_reader.seek(self.normalized, committed)
        pending: set[bytes] = set()
        while committed < last and await self.normalized_reader.position(self.normalized) < last:
            for records in (await self.normalized_reader.getmany(timeout_ms=200)).values():
                pending.update(r.key for r in records if r.key)
        return bool(pending & self.decided_ids)


def _signal(proc: subprocess.Popen[bytes], sig: int) -> None:
    os.killpg(proc.pid, sig)


async def _kill_in_hand(probe: _Probe, proc: subprocess.Popen[bytes], sent: int, timeout: float) -> tuple[bool, int]:
    """Wait until `sent` inputs are in wire.raw and the worker has committed a decision since it started, then
    watch it until it has work in hand, freeze it (SIGSTOP), and if the work is still in hand a moment later,
    kill it (SIGKILL). Returns (caught with work in hand, decision offsets committed at the kill); at `timeout` it
    kills anyway."""
    deadline = time.monotonic() + timeout
    before = await probe.decided()
    while (await probe.sent() < sent or await probe.decided() <= before) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    while time.monotonic() < deadline:
        if not await probe.in_hand():  # watch (cheaply) while the worker runs; freeze the moment work shows
            continue
        _signal(proc, signal.SIGSTOP)
        await asyncio.sleep(0.1)  # a commit already on its way to the broker lands; nothing new starts
        if await probe.in_hand() and await probe.in_hand():
            decided = await probe.decided()
            _signal(proc, signal.SIGKILL)
            return True, decided
        _signal(proc, signal.SIGCONT)
        await asyncio.sleep(random.uniform(0.0, 0.05))
    decided = await probe.decided()
    _signal(proc, signal.SIGKILL)
    return False, decided


def _deliveries(bootstrap: str, topic: str) -> list[tuple[str, str]]:
    return [(r["value"]["uri"], str(r["value"]["version"]))
            for r in read_topic(bootstrap, topic, isolation="read_committed")]


def crash_run(stack: Stack, records: list[tuple[bytes, bytes, int]], *, kills: int, rate: float,
              partners_path: Path, out_dir: Path, log: Callable[[str], None] = print) -> Report:
    """The scenario (see the module docstring) on `stack`, whose workers run with its guarantee."""
    exactly_once = stack.extra_env.get("SYNDICATE_PROCESSING_GUARANTEE") == "exactly_once"
    report = Report(inputs=len(records))
    started = time.monotonic()
    sender = threading.Thread(target=produce, args=(stack.bootstrap, stack.topic(topics.RAW), records, rate))
    proc = stack.start_worker("w0")
    sender.start()
    probe = _Probe(stack, exactly_once)

    async def kill(k: int, proc: subprocess.Popen[bytes]) -> Kill:
        await probe.start()
        try:
            in_hand, decided = await _kill_in_hand(probe, proc, sent=(k + 1) * len(records) // (kills + 2),
                                                   timeout=60)
            sent = await probe.sent()
        finally:
            await probe.stop()
        return Kill(decided, sent, in_hand)

    for k in range(kills):
        report.kills.append(asyncio.run(kill(k, proc)))
        proc.wait(10)
        restarted = time.monotonic()
        proc = stack.start_worker(f"w{k + 1}")
        log(f"  kill {k + 1}: {report.kills[-1]}; restarted in {time.monotonic() - restarted:.1f} s")
    sender.join()
    compare(stack, records, report, partners_path=partners_path, out_dir=out_dir)
    report.seconds = time.monotonic() - started
    return report


def compare(stack: Stack, records: list[tuple[bytes, bytes, int]], report: Report, *, partners_path: Path,
            out_dir: Path) -> None:
    """Once every input has a committed decision: fill `report` with the decisions (committed and aborted) and
    every partner topic as read_committed partners see it next to what `syndicate process` delivers."""
    ids = {key.decode() for key, _, _ in records}
    decisions = [r["value"] for r in read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), timeout=300,
                                                 isolation="read_committed",
                                                 until=lambda got: ids <= {d["value"]["input_id"] for d in got})]
    report.decisions = Counter(d["input_id"] for d in decisions)
    report.replayed = sum(1 for n in report.decisions.values() if n > 1)
    everything = read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), idle=0.5)
    report.aborted = len(everything) - len(decisions)
    backlog_file = out_dir / "backlog.jsonl"
    backlog_file.write_bytes(b"\n".join(value for _, value, _ in records) + b"\n")
    settings = Settings.load({"partners_path": partners_path}, env={})
    run_offline(settings, [backlog_file], out_dir / "offline")
    for pid_file in sorted((out_dir / "offline" / "partners").glob("*.jsonl")):
        offline = [(a["uri"], str(a["version"])) for a in map(orjson.loads, pid_file.read_bytes().splitlines())]
        kafka = _deliveries(stack.bootstrap, stack.topic(topics.partner_topic(pid_file.stem)))
        report.partners[pid_file.stem] = (kafka, offline)


def run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    records = backlog(args.stories)
    print(f"crash: {len(records)} inputs at {args.rate:.0f}/s, {args.kills} SIGKILLs, {args.guarantee}; broker "
          f"{settings.bootstrap_servers}")
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(settings.bootstrap_servers, Path(tmp), extra_env={
            "SYNDICATE_PROCESSING_GUARANTEE": args.guarantee, "SYNDICATE_SESSION_TIMEOUT_MS": "6000"})
        stack.create_topics()
        try:
            report = crash_run(stack, records, kills=args.kills, rate=args.rate, partners_path=settings.partners_path,
                               out_dir=Path(tmp))
        finally:
            stack.stop_all()
    ids = {key.decode() for key, _, _ in records}
    problems = report.problems(ids, exactly_once=args.guarantee == "exactly_once")
    caught = sum(k.in_hand for k in report.kills)
    delivered = sum(len(k) for k, _ in report.partners.values())
    twice = sum(len(report.delivered_twice(p)) for p in report.partners)
    print(f"crash: {len(report.kills)} kills ({caught} with uncommitted work in hand), {report.inputs} inputs, "
          f"{len(report.decisions)} decided, {report.aborted} decision records aborted, {report.replayed} inputs "
          f"decided again, {delivered} partner deliveries ({twice} a second time) compared with `syndicate "
          f"process` in {report.seconds:.0f} s: {'OK' if not problems else 'FAILED'}")
    for p in problems:
        print(f"  {p}")
    return 0 if not problems else 1
