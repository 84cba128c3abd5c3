"""`syndicate replay`, the run: read the source, send it paced with a progress bar, and summarise what came of it."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from streams.commands.replay_plan import Item, Plan, partition_range, received_ms, why, window
from streams.commands.rewind import Target, group_for, parse_target
from streams.commands.sandbox import group_members
from streams.contracts import Contracts
from streams.errors import SyndicateError
from streams.kafka import topics
from streams.kafka.security import client_options, connect
from streams.normalize.backlog import read_backlog
from streams.route.registry import partner_ids
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "replay files or a topic window into wire.raw (or a sandbox's), paced, with a progress bar and a dry run"

#: How long a sandbox replay waits, by default, for its worker to decide every story it sent.
DEFAULT_WAIT_SECONDS = 120.0
#: How long a sandbox replay looks for the sandbox's worker (a member of its consumer group) before it says
#: that none runs: a worker that has just said "ready" may still be joining its group.
WORKER_GRACE_SECONDS = 10.0


class ReplayError(SyndicateError, ValueError):
    """The replay cannot be planned (no such topic, bad arguments); the message says why."""

    exit_code = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "replay")
    parser.add_argument("backlog", nargs="*", type=Path, help="files or folders (or none, with --from-topic)")
    parser.add_argument("--from-topic", metavar="TOPIC", help="replay records of this topic (e.g. wire.raw), not files")
    parser.add_argument("--from", dest="start", default="earliest", help="first position: earliest, latest, N, "
                        "ISO time, s@<ms>, or a duration ago (2h, PT2H); default earliest")
    parser.add_argument("--until", default="latest", help="stop before this position (same forms); default latest")
    pace = parser.add_mutually_exclusive_group()
    pace.add_argument("--rate", type=float, help="stories per second (default: as fast as possible)")
    pace.add_argument("--speed", type=_speed, help="xN: keep the original spacing of received_at, N times faster")
    parser.add_argument("--limit", type=int, help="send at most this many stories")
    parser.add_argument("--dry-run", action="store_true", help="print the plan (stories, span, target); send nothing")
    parser.add_argument("--wait", type=float, default=DEFAULT_WAIT_SECONDS,
                        help="in a sandbox: seconds to wait for the worker to decide every story (0: do not wait)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _speed(raw: str) -> float:
    value = float(raw.lower().removeprefix("x"))
    if value <= 0:
        raise argparse.ArgumentTypeError("--speed must be positive (x60 is sixty times faster)")
    return value


def plan_files(settings: Settings, args: argparse.Namespace, start: Target, until: Target) -> Plan:
    good, refused = read_backlog(args.backlog, settings.max_input_bytes)
    items = [Item(r.key.encode(), r.value, r.origin, received_ms(r.value)) for r in good]
    kept, outside = window(items, start, until)
    source = ", ".join(map(str, args.backlog))
    return Plan(f"{len(items) + len(refused)} inputs in {source}", settings.topic(topics.RAW), kept, refused, outside)


async def plan_topic(settings: Settings, name: str, start: Target, until: Target, limit: int | None) -> Plan:
    """The records of topic `name` between --from and --until on every partition, in the order written."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    # --from-topic names a topic as production sees it (wire.raw is production's, even with --sandbox), or a
    # sandbox's by its full logical name (sandbox.NAME.wire.raw). Reading is allowed anywhere; writing only
    # goes to settings.topic(RAW), which a sandbox resolves inside itself.
    topic = f"{(settings.production or settings).topic_prefix}{name}"
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False,
                                isolation_level="read_committed",
                                max_partition_fetch_bytes=settings.max_input_bytes + 100_000)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = consumer.partitions_for_topic(topic)
        if not parts:
            raise ReplayError(f"topic {topic} does not exist")
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        low = await consumer.beginning_offsets(tps)
        high = await consumer.end_offsets(tps)

        async def times(target: Target) -> dict[Any, int | None]:
            if target.kind != "time":
                return {}
            found = await consumer.offsets_for_times({tp: target.time_ms for tp in tps})
            return {tp: (f.offset if f else None) for tp, f in found.items()}

        at_start, at_until = await times(start), await times(until)
        ranges = {}
        for tp in tps:
            lo = partition_range(start, low[tp], high[tp], at_start.get(tp), upper=False)
            hi = partition_range(until, low[tp], high[tp], at_until.get(tp), upper=True)
            ranges[tp] = (lo, max(lo, hi))
        read = await _read_ranges(consumer, ranges, limit)
    finally:
        await consumer.stop()
    total = sum(high[tp] - low[tp] for tp in tps)
    in_window = sum(hi - lo for lo, hi in ranges.values())
    # At most `limit` records were read per partition: what --limit leaves out is counted on the window.
    limited = max(0, in_window - limit) if limit is not None else 0
    return Plan(f"{total} records on {topic} ({len(tps)} partitions)", settings.topic(topics.RAW), read,
                outside=total - in_window, limited=limited)


async def _read_ranges(consumer: Any, ranges: dict[Any, tuple[int, int]], limit: int | None) -> list[Item]:
    """Read [lo, hi) of each partition (at most `limit` per partition: the first `limit` records overall are
    among them), then merge the partitions by record timestamp."""
    stops = {tp: (hi if limit is None else min(hi, lo + limit)) for tp, (lo, hi) in ranges.items()}
    wanted = [tp for tp, (lo, _) in ranges.items() if stops[tp] > lo]
    if not wanted:
        return []
    consumer.assign(wanted)
    for tp in wanted:
        consumer.seek(tp, ranges[tp][0])
    rows: list[tuple[int, int, int, Item]] = []
    open_parts = set(wanted)
    while open_parts:
        batch = await consumer.getmany(*open_parts, timeout_ms=1000)
        for tp, messages in batch.items():
            for m in messages:
                if m.offset < stops[tp]:
                    when = received_ms(m.value) if m.value is not None else None
                    item = Item(m.key, m.value or b"", f"{m.topic}:{m.partition}:{m.offset}",
                                when if when is not None else m.timestamp)
                    rows.append((m.timestamp, m.partition, m.offset, item))
        for tp in list(open_parts):
            if await consumer.position(tp) >= stops[tp]:
                open_parts.discard(tp)
    rows.sort(key=lambda r: r[:3])
    return [r[3] for r in rows]


async def send(settings: Settings, plan: Plan, progress: bool) -> int:
    """Produce the plan's stories in order at its pace (acks=all, idempotent), with a progress bar."""
    from aiokafka import AIOKafkaProducer
    from tqdm import tqdm

    topic = settings.check_writable(plan.target)
    producer = AIOKafkaProducer(
        **client_options(settings), acks="all", enable_idempotence=True,
        linger_ms=5, max_request_size=settings.max_input_bytes + 100_000,
    )
    await producer.start()
    schedule = plan.schedule
    started = time.monotonic()
    sent = 0
    try:
        with tqdm(total=len(plan.items), unit="story", disable=not progress, file=sys.stderr,
                  bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]") as bar:
            futures = []
            for item, at in zip(plan.items, schedule, strict=True):
                wait = started + at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                futures.append(await producer.send(topic, item.value, key=item.key))
                sent += 1
                bar.update(1)
            for fut in futures:
                await fut
    finally:
        await producer.stop()
    return sent


async def _worker_present(settings: Settings, grace: float) -> bool:
    """Whether the sandbox's consumer group has a member within `grace` seconds (a worker that has just
    started may still be joining its group)."""
    deadline = time.monotonic() + grace
    while not await group_members(settings.bootstrap_servers, group_for(settings.app_id, "wire.raw")):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.5)
    return True


async def _target_ready(settings: Settings, target: str) -> None:
    """A sandbox's topics are created on its first replay (so the worker, started before or after, finds them);
    a production wire.raw must exist already (`syndicate topics` or the worker creates it)."""
    from aiokafka.admin import AIOKafkaAdminClient

    if settings.sandbox:
        plan = topics.topic_plan(settings, partner_ids(settings.partners_path, Contracts()))
        await topics.create_topics(settings.bootstrap_servers, plan)
        return
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        if target not in await admin.list_topics():
            raise ReplayError(f"topic {target} does not exist: run `syndicate topics` (or start the worker) first")
    finally:
        await admin.close()


async def _end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(**connect(bootstrap), enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        return {tp.partition: o for tp, o in (await consumer.end_offsets(tps)).items()} if tps else {}
    finally:
        await consumer.stop()


async def decisions_after(
    bootstrap: str, topic: str, offsets: dict[int, int], *, keys: set[str], count: int, timeout: float
) -> list[dict[str, Any]]:
    """Decisions written after `offsets`, read until every key in `keys` has one and there are at least
    `count` (each input gets one; replays after a rebalance add `duplicate` ones), or until `timeout`."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(**connect(bootstrap), enable_auto_commit=False,
                                isolation_level="read_committed")
    await consumer.start()
    out: list[dict[str, Any]] = []
    try:
        tps = [TopicPartition(topic, p) for p in sorted(offsets)]
        consumer.assign(tps)
        for tp in tps:
            consumer.seek(tp, offsets[tp.partition])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for messages in batch.values():
                for m in messages:
                    try:
                        value = orjson.loads(m.value)
                    except orjson.JSONDecodeError:
                        continue
                    if isinstance(value, dict):
                        out.append(value)
            if len(out) >= count and keys <= {d.get("input_id") for d in out}:
                break
    finally:
        await consumer.stop()
    return out


def outcome_lines(decisions: Sequence[dict[str, Any]]) -> list[str]:
    """Decisions by kind, deliveries per partner and dead letters by reason, as the end summary prints them."""
    kinds = Counter(d.get("decision") for d in decisions)
    deliveries = Counter(p for d in decisions for p in d.get("deliveries") or ())
    dead = Counter(d.get("reason") for d in decisions if d.get("decision") == "rejected")
    lines = [f"decisions: {len(decisions)} ({_counts(kinds) or 'none'})"]
    lines.append("deliveries: " + (", ".join(f"{p} {n}" for p, n in sorted(deliveries.items())) or "none"))
    if dead:
        lines.append(f"dead letters: {_counts(dead)}")
    return lines


def _counts(counter: Counter[Any]) -> str:
    """`a 3, b 1, c 1`: most first, ties by name (the same text every run)."""
    return ", ".join(f"{k} {n}" for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))))


async def _run(settings: Settings, args: argparse.Namespace, start: Target, until: Target) -> int:
    if args.from_topic:
        plan = await plan_topic(settings, args.from_topic, start, until, args.limit)
    else:
        plan = plan_files(settings, args, start, until)
    if args.limit is not None and len(plan.items) > args.limit:
        plan.limited = max(plan.limited, len(plan.items) - args.limit)
        plan.items = plan.items[: args.limit]
    plan.sandbox, plan.rate, plan.speed = settings.sandbox, args.rate, args.speed
    if args.dry_run:
        print("plan (dry run; nothing sent):")
        for line in plan.describe():
            print(f"  {line}")
        return 0
    await _target_ready(settings, plan.target)
    decisions_topic = settings.topic(topics.DECISIONS)
    before = await _end_offsets(settings.bootstrap_servers, decisions_topic) if settings.sandbox else {}
    t0 = time.monotonic()
    sent = await send(settings, plan, progress=not args.quiet)
    took = time.monotonic() - t0
    refused = f" ({why(plan.refused)})" if plan.refused else ""
    print(f"replayed {sent} stories to {plan.target} in {took:.1f}s ({sent / max(took, 1e-9):.1f}/s); "
          f"refused {len(plan.refused)}{refused}")
    for r in plan.refused:
        print(f"  refused {r.origin}: {r.rejection.reason}: {r.rejection.detail}")
    if not settings.sandbox or args.wait <= 0 or not sent:
        return 0
    if not before:
        print(f"sandbox {settings.sandbox}: {decisions_topic} does not exist yet: start "
              f"`syndicate worker --sandbox {settings.sandbox}` to process what was sent")
        return 0
    if not await _worker_present(settings, min(args.wait, WORKER_GRACE_SECONDS)):
        print(f"sandbox {settings.sandbox}: no worker is running; start `syndicate worker --sandbox "
              f"{settings.sandbox}` to process what was sent (then `syndicate summary --sandbox {settings.sandbox}`)")
        return 0
    keys = {i.key.decode("utf-8", "replace") for i in plan.items if i.key}
    got = await decisions_after(settings.bootstrap_servers, decisions_topic, before, keys=keys, count=sent,
                                timeout=args.wait)
    decided = {d.get("input_id") for d in got}
    late = f"; {len(keys - decided)} not decided after {args.wait:g}s" if keys - decided else ""
    print(f"sandbox {settings.sandbox}:{late}")
    for line in outcome_lines(got):
        print(f"  {line}")
    return 0 if not late else 3


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The `syndicate replay` command."""
    if bool(args.backlog) == bool(args.from_topic):
        raise ReplayError("give files or folders, or --from-topic TOPIC (not both)")
    start, until = parse_target(args.start), parse_target(args.until)
    return asyncio.run(_run(settings, args, start, until))
