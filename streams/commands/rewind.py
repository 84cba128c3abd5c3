"""`syndicate rewind`: move a consumer group on wire.raw to earliest, latest, an offset, a time or a duration
ago, the way `kafka-consumer-groups --reset-offsets` does, with a dry run that shows the plan first."""

from __future__ import annotations

import argparse
import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from streams.errors import RewindError
from streams.kafka.clients import partitions_of
from streams.kafka.security import connect
from streams.kafka.topics import group_for
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "move a consumer group to earliest/latest/offset/time/duration (dry run first)"

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
#: ISO 8601 durations as `kafka-consumer-groups --by-duration` takes them: PnDTnHnMnS (a leading `-` is allowed).
_ISO_DURATION = re.compile(r"^-?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
                           r"(?:(\d+(?:\.\d+)?)S)?)?$")
FORMS = "earliest, latest, N or offset:N, an ISO time or time:ISO, s@<epoch ms>, or a duration ago (2h, ago:30m, PT2H)"


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # earliest | latest | offset | time
    offset: int | None = None
    time_ms: int | None = None


def _iso_time(value: str, spec: str) -> Target:
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RewindError(f"{spec}: not an ISO 8601 time or epoch milliseconds") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return Target("time", time_ms=int(when.timestamp() * 1000))


def _ago(delta: timedelta, now: datetime | None) -> Target:
    return Target("time", time_ms=int(((now or datetime.now(UTC)) - delta).timestamp() * 1000))


def parse_target(spec: str, now: datetime | None = None) -> Target:
    """A position in a topic, in the forms Kafka operators know: `earliest`, `latest`; an offset (`42`,
    `offset:42`); a time (`2026-11-28T10:00:00Z`, `time:...`, epoch ms as `time:1764324000000` or kcat's
    `s@1764324000000`); or a duration before now (`30m`, `ago:30m`, or `PT2H` as kafka-consumer-groups
    --by-duration takes it)."""
    spec = spec.strip()
    if spec in ("earliest", "latest"):
        return Target(spec)
    if spec.isdigit():
        return Target("offset", offset=int(spec))
    if spec.startswith("s@") and spec[2:].isdigit():
        return Target("time", time_ms=int(spec[2:]))
    if (m := _DURATION.match(spec)) or (spec.startswith("ago:") and (m := _DURATION.match(spec[4:]))):
        return _ago(timedelta(**{_UNITS[m.group(2)]: float(m.group(1))}), now)
    if (m := _ISO_DURATION.match(spec)) and any(m.groups()):
        days, hours, minutes, seconds = (float(g or 0) for g in m.groups())
        return _ago(timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds), now)
    kind, _, value = spec.partition(":")
    if kind == "offset" and value.isdigit():
        return Target("offset", offset=int(value))
    if kind == "time" and value:
        return Target("time", time_ms=int(value)) if value.isdigit() else _iso_time(value, spec)
    if spec[:4].isdigit() and "-" in spec:
        return _iso_time(spec, spec)
    raise RewindError(f"{spec!r}: use {FORMS}")


@dataclass(frozen=True, slots=True)
class Move:
    partition: int
    current: int | None  # committed offset (None: the group never committed here)
    target: int

    @property
    def replays(self) -> int:
        """How many records this partition will process again (negative: skipped)."""
        return (self.current if self.current is not None else self.target) - self.target


def plan(
    target: Target,
    committed: dict[int, int | None],
    beginning: dict[int, int],
    end: dict[int, int],
    by_time: dict[int, int | None] | None = None,
) -> list[Move]:
    """The new offset per partition, clamped to what the log still holds."""
    moves = []
    for p in sorted(end):
        if target.kind == "earliest":
            goal = beginning[p]
        elif target.kind == "latest":
            goal = end[p]
        elif target.kind == "offset":
            goal = min(max(target.offset or 0, beginning[p]), end[p])
        else:
            found = (by_time or {}).get(p)
            goal = end[p] if found is None else max(found, beginning[p])
        moves.append(Move(p, committed.get(p), goal))
    return moves


async def apply(*, bootstrap: str, group: str, topic: str, spec: str, execute: bool) -> list[Move]:
    """Compute the plan against the broker and, with `execute`, commit it (the group must be stopped)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.structs import OffsetAndMetadata

    target = parse_target(spec)
    admin = AIOKafkaAdminClient(**connect(bootstrap))
    await admin.start()
    try:
        described = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    members = described[0].groups[0][5] if described and described[0].groups else []
    consumer = AIOKafkaConsumer(**connect(bootstrap), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = await partitions_of(consumer, topic)
        if not tps:
            raise RewindError(f"topic {topic} does not exist")
        beginning = {tp.partition: o for tp, o in (await consumer.beginning_offsets(tps)).items()}
        end = {tp.partition: o for tp, o in (await consumer.end_offsets(tps)).items()}
        committed = {tp.partition: await consumer.committed(tp) for tp in tps}
        by_time = None
        if target.kind == "time":
            found = await consumer.offsets_for_times({tp: target.time_ms for tp in tps})
            by_time = {tp.partition: (f.offset if f else None) for tp, f in found.items()}
        moves = plan(target, committed, beginning, end, by_time)
        if execute:
            if members:
                raise RewindError(f"group {group} has {len(members)} active member(s): stop its workers first")
            consumer.assign(tps)
            await consumer.commit({TopicPartition(topic, m.partition): OffsetAndMetadata(m.target, "")
                                   for m in moves})
        return moves
    finally:
        await consumer.stop()


STATE_NOTE = (
    "table state is not rewound: the dedupe stories, the delivery log and the chrome memory keep what they hold,\n"
    "so records processed again meet the stories they already made: re-sent inputs are decided `duplicate` and\n"
    "no partner receives a version twice; a record skipped forward is never processed. To process a window\n"
    "again from fresh state, replay it into a sandbox: syndicate replay --from-topic wire.raw --from P --sandbox NAME"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "rewind")
    parser.add_argument("--to", required=True, help="earliest | latest | offset:N | time:ISO8601 | ago:30m")
    parser.add_argument("--group", help="consumer group (default: the worker loop's, <app id>.prepare on wire.raw, "
                        "<app id>.decide on wire.normalized)")
    parser.add_argument("--topic", default="wire.raw", help="logical topic (default wire.raw)")
    parser.add_argument("--execute", action="store_true",
                        help="apply the plan (workers of the group must be stopped)")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The `syndicate rewind` command: the plan (dry run), or the plan applied with --execute."""
    group = args.group or group_for(settings.app_id, args.topic)
    topic = settings.topic(args.topic)
    moves = asyncio.run(apply(bootstrap=settings.bootstrap_servers, group=group, topic=topic, spec=args.to,
                              execute=args.execute))
    print(f"{'applied' if args.execute else 'plan (dry run; add --execute to apply)'}: group {group} on {topic}")
    for m in moves:
        current = "-" if m.current is None else m.current
        print(f"  partition {m.partition}: {current} -> {m.target}  ({m.replays:+d} records to process again)")
    print(f"  total: {sum(m.replays for m in moves):+d}")
    print(STATE_NOTE)
    return 0
