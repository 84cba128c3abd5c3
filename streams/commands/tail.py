"""`syndicate tail`: a live, filtered view of any of our topics (production or a sandbox's), read without a group."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

import orjson

from streams.commands.rewind import parse_target
from streams.commands.sandbox import readable_topic
from streams.errors import RewindError
from streams.kafka.security import client_options
from streams.settings import Settings
from streams.settings.flags import add_flags
from streams.watch.view import Filter, full, render

HELP = "a readable live view of any topic, filtered (--partner, --subject, ...)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "tail")
    parser.add_argument("topic", nargs="?", help="logical topic (wire.decisions, partner.<id>, ...); default "
                        "with --partner: that partner's topic")
    parser.add_argument("--from-beginning", action="store_true")
    parser.add_argument("--since", help="start this long ago (2h, 30m, PT2H) or at a time (ISO 8601)")
    parser.add_argument("--partner", help="deliveries to this partner (decisions that went to it, or its topic)")
    parser.add_argument("--subject", help="IPTC Media Topic code (medtop:04000000 or 04000000) or its name")
    parser.add_argument("--person", help="a person's name (case-insensitive, part of the name is enough)")
    parser.add_argument("--place", help="a place by ISO 3166-1 alpha-2 code (RU) or name")
    parser.add_argument("--decision", choices=["new", "duplicate", "update", "correction", "kill", "rejected"])
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--full", action="store_true", help="the whole record, indented, instead of one line")
    shown.add_argument("--json", action="store_true", help="raw JSON lines")
    parser.add_argument("--max", type=int, help="stop after this many matching messages")
    parser.add_argument("--idle", type=float, help="stop after this many seconds without a message")


def filter_of(args: argparse.Namespace) -> Filter:
    return Filter(partner=args.partner, subject=args.subject, person=args.person, place=args.place,
                  decision=args.decision)


async def _positions(consumer: Any, tps: list[Any], args: argparse.Namespace) -> None:
    if args.since:
        target = parse_target(args.since)
        if target.kind != "time":
            raise RewindError(f"--since {args.since}: give a duration (2h) or a time, not an offset")
        found = await consumer.offsets_for_times({tp: target.time_ms for tp in tps})
        ends = await consumer.end_offsets(tps)
        for tp in tps:
            consumer.seek(tp, found[tp].offset if found.get(tp) else ends[tp])
    elif args.from_beginning:
        await consumer.seek_to_beginning(*tps)
    else:
        await consumer.seek_to_end(*tps)


def _line(logical: str, msg: Any, args: argparse.Namespace, wanted: Filter) -> str | None:
    try:
        value = orjson.loads(msg.value) if msg.value is not None else None
    except orjson.JSONDecodeError:
        value = msg.value
    if not wanted.matches(logical, value):
        return None
    if args.json:
        return msg.value.decode("utf-8", "replace") if msg.value else "null"
    if args.full:
        shown = full(value) if isinstance(value, dict) else repr(value)
        return f"== {msg.topic} {msg.partition}:{msg.offset}\n{shown}"
    return f"{msg.partition}:{msg.offset} {render(value)}"


async def tail(settings: Settings, logical: str, args: argparse.Namespace) -> int:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    topic = readable_topic(settings, logical)
    wanted = filter_of(args)
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False,
                                isolation_level="read_committed")  # the worker writes in transactions
    await consumer.start()
    seen = 0
    idle_since = time.monotonic()
    try:
        await consumer._client.force_metadata_update()
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not tps:
            print(f"syndicate tail: topic {topic} does not exist", file=sys.stderr)
            return 2
        consumer.assign(tps)
        await _positions(consumer, tps, args)
        while args.max is None or seen < args.max:
            batch = await consumer.getmany(timeout_ms=500)
            if not batch:
                if args.idle and time.monotonic() - idle_since > args.idle:
                    break
                continue
            idle_since = time.monotonic()
            for messages in batch.values():
                for msg in messages:
                    line = _line(logical, msg, args, wanted)
                    if line is not None and (args.max is None or seen < args.max):
                        seen += 1
                        print(line)
            sys.stdout.flush()
    finally:
        await consumer.stop()
    return 0


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The `syndicate tail` command."""
    logical = args.topic or (f"partner.{args.partner}" if args.partner else None)
    if not logical:
        print("syndicate tail: name a topic (or give --partner ID to tail its topic)", file=sys.stderr)
        return 2
    try:
        return asyncio.run(tail(settings, logical, args))
    except KeyboardInterrupt:
        return 0
