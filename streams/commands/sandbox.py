"""`syndicate sandbox list|delete`: what sandboxes exist on the broker, and removing one (topics, groups, state)."""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from streams.errors import SyndicateError
from streams.kafka.security import client_options, connect
from streams.model import RAW
from streams.settings import SANDBOX_MARK, SANDBOX_NAME, Settings
from streams.settings.flags import add_flags

HELP = "list sandboxes, or delete one (its topics, consumer groups and state)"


class SandboxError(SyndicateError, RuntimeError):
    """A sandbox cannot be deleted now (its workers run) or does not exist; the message says why."""


@dataclass
class SandboxInfo:
    """One sandbox as the broker and the data dir show it."""

    name: str
    topics: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    members: int = 0
    raw_records: int = 0
    data_dir: str | None = None


async def group_members(bootstrap: str, group: str) -> int:
    """How many consumers are members of `group` now (0 for a group that is empty or unknown)."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(**connect(bootstrap))
    await admin.start()
    try:
        return await _members(admin, group)
    finally:
        await admin.close()


async def _members(admin: Any, group: str) -> int:
    from aiokafka.errors import GroupCoordinatorNotAvailableError

    try:
        described = await admin.describe_consumer_groups([group])
    except GroupCoordinatorNotAvailableError:  # no group has ever committed on this broker
        return 0
    return sum(len(g[5]) for response in described for g in response.groups)


def readable_topic(settings: Settings, name: str) -> str:
    """A topic to READ: a logical name in these settings (a sandbox's own, under --sandbox), or a sandbox's
    topic by its full logical name (`sandbox.NAME.wire.raw`) under the production prefix. Writing goes
    through `Settings.topic` and `Settings.check_writable` only."""
    if name.startswith(SANDBOX_MARK):
        return f"{(settings.production or settings).topic_prefix}{name}"
    return settings.topic(name)


def owner(name: str, settings: Settings) -> str | None:
    """The sandbox a topic or group belongs to (None: not a sandbox's)."""
    mark = f"{(settings.production or settings).topic_prefix}{SANDBOX_MARK}"
    if not name.startswith(mark):
        return None
    sandbox, dot, rest = name[len(mark):].partition(".")
    return sandbox if dot and rest and re.fullmatch(SANDBOX_NAME, sandbox) else None


async def survey(settings: Settings) -> dict[str, SandboxInfo]:
    """Every sandbox under this prefix: its topics, consumer groups, active members, records in its wire.raw."""
    from aiokafka import AIOKafkaConsumer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient

    base = settings.production or settings
    found: dict[str, SandboxInfo] = {}

    def info(name: str) -> SandboxInfo:
        return found.setdefault(name, SandboxInfo(name))

    admin = AIOKafkaAdminClient(**client_options(base))
    await admin.start()
    try:
        for topic in sorted(await admin.list_topics()):
            if (name := owner(topic, base)) is not None:
                info(name).topics.append(topic)
        for group, *_ in await admin.list_consumer_groups():
            if (name := owner(group, base)) is not None:
                info(name).groups.append(group)
                info(name).members += await _members(admin, group)
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(**client_options(base), enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        for name, sandbox in found.items():
            raw = base.in_sandbox(name).topic(RAW)
            tps = [TopicPartition(raw, p) for p in consumer.partitions_for_topic(raw) or ()]
            if tps:
                low, high = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
                sandbox.raw_records = sum(high[tp] - low[tp] for tp in tps)
    finally:
        await consumer.stop()
    sandboxes = base.data_dir / "sandboxes"
    if sandboxes.is_dir():
        for path in sandboxes.iterdir():
            if path.is_dir() and re.fullmatch(SANDBOX_NAME, path.name):
                info(path.name).data_dir = str(path)
    return dict(sorted(found.items()))


async def delete(settings: Settings, name: str) -> SandboxInfo:
    """Delete sandbox `name`: its topics, its consumer groups and its state on this machine. Refused while
    any of its consumer groups has members (stop `syndicate worker --sandbox NAME` first)."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.protocol.admin import DeleteGroupsRequest

    base = settings.production or settings
    sandbox = base.in_sandbox(name)  # validates the name
    target = (await survey(base)).get(name) or SandboxInfo(name)
    if target.members:
        raise SandboxError(f"sandbox {name} has {target.members} running consumer(s) in "
                           f"{', '.join(target.groups)}: stop its workers first")
    admin = AIOKafkaAdminClient(**client_options(base))
    await admin.start()
    try:
        if target.topics:
            await admin.delete_topics(target.topics)
        by_coordinator: dict[int, list[str]] = defaultdict(list)
        for group in target.groups:
            by_coordinator[await admin.find_coordinator(group)].append(group)
        for node, groups in by_coordinator.items():
            await admin._send_request(DeleteGroupsRequest(groups), node)
    finally:
        await admin.close()
    if sandbox.data_dir.is_dir():
        shutil.rmtree(sandbox.data_dir)
        target.data_dir = str(sandbox.data_dir)
    if not (target.topics or target.groups or target.data_dir):
        raise SandboxError(f"no sandbox named {name} (nothing under {sandbox.topic_prefix}* or {sandbox.data_dir})")
    return target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "sandbox")
    parser.add_argument("action", choices=["list", "delete"])
    parser.add_argument("name", nargs="?")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """The `syndicate sandbox` command."""
    name = args.name
    if args.action == "list":
        found = asyncio.run(survey(settings))
        if not found:
            base = settings.production or settings
            print(f"no sandboxes (no topic or group starts with {base.topic_prefix}{SANDBOX_MARK})")
        for s in found.values():
            running = f"{s.members} consumer(s) running" if s.members else "no worker running"
            print(f"{s.name:24} {len(s.topics):>3} topics  {s.raw_records:>6} records in wire.raw  "
                  f"{len(s.groups)} group(s), {running}{'  state ' + s.data_dir if s.data_dir else ''}")
        return 0
    if not name:
        print("syndicate sandbox delete: name the sandbox", file=sys.stderr)
        return 2
    gone = asyncio.run(delete(settings, name))
    print(f"deleted sandbox {name}: {len(gone.topics)} topics, {len(gone.groups)} consumer group(s)"
          f"{', state ' + gone.data_dir if gone.data_dir else ''}")
    return 0
