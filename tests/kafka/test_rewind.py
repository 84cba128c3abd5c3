"""Rewind plans (pure), a real rewind of a consumer group, and `syndicate rewind` against a worker's group."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from streams.commands.rewind import RewindError, Target, apply, group_for, parse_target, plan
from streams.kafka import topics
from streams.kafka.topics import create_topics
from streams.testing.harness import Stack, committed, produce, read_topic


def test_parse_targets() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert parse_target("earliest") == Target("earliest")
    assert parse_target("offset:42") == Target("offset", offset=42)
    eleven = int(datetime(2026, 11, 28, 11, tzinfo=UTC).timestamp() * 1000)
    assert parse_target("time:2026-11-28T11:00:00Z").time_ms == eleven
    assert parse_target("ago:30m", now).time_ms == int(datetime(2026, 11, 28, 11, 30, tzinfo=UTC).timestamp() * 1000)
    for bad in ("yesterday", "offset:-1", "ago:5y", "time:not-a-time"):
        with pytest.raises(RewindError):
            parse_target(bad)


def test_plan_clamps_to_the_log() -> None:
    beginning, end = {0: 10, 1: 0}, {0: 100, 1: 5}
    moves = plan(Target("offset", offset=3), {0: 90, 1: None}, beginning, end)
    assert [(m.partition, m.target, m.replays) for m in moves] == [(0, 10, 80), (1, 3, 0)]
    moves = plan(Target("time", time_ms=1), {0: 90, 1: 5}, beginning, end, {0: 50, 1: None})
    assert [m.target for m in moves] == [50, 5]  # no record after that time: the end
    assert [m.target for m in plan(Target("latest"), {}, beginning, end)] == [100, 5]


@pytest.mark.broker
def test_rewind_a_group_for_real(bootstrap: str, unique: str) -> None:
    topic, group = f"rw-{unique}", f"rw-group-{unique}"
    asyncio.run(create_topics(bootstrap, {topic: 2}))
    produce(bootstrap, topic, [(None, b"{}", p) for p in (0, 0, 0, 1)])
    asyncio.run(apply(bootstrap=bootstrap, group=group, topic=topic, spec="latest", execute=True))
    assert committed(bootstrap, group, topic, 2) == {0: 3, 1: 1}
    dry = asyncio.run(apply(bootstrap=bootstrap, group=group, topic=topic, spec="earliest", execute=False))
    assert [m.replays for m in dry] == [3, 1]
    assert committed(bootstrap, group, topic, 2) == {0: 3, 1: 1}  # a dry run changes nothing
    asyncio.run(apply(bootstrap=bootstrap, group=group, topic=topic, spec="offset:1", execute=True))
    assert committed(bootstrap, group, topic, 2) == {0: 1, 1: 1}


# -- through the command line, against a running and then a stopped worker --------------------------------

ROOT = Path(__file__).resolve().parents[2]
#: Three different stories from the sample backlog (a page, another outlet's page, a ninjs item).
STORIES = ("01-northgate-kremlin-baltic.txt", "02-coastline-rates.txt", "03-ninjs-tokyo-trade.json")


def syndicate(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    """`syndicate ARGS` with the stack's settings (its topic prefix and app id, so its consumer group)."""
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], env=stack.env(stack.workdir / "cli"),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def story(n: int) -> tuple[bytes, bytes, None]:
    content = (ROOT / "samples" / "backlog" / STORIES[n]).read_text(encoding="utf-8")
    return f"s{n}".encode(), orjson.dumps({"id": f"s{n}", "content": content}), None


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting until {what}"
        time.sleep(0.5)


def group_members(bootstrap: str, group: str) -> int:
    async def describe() -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            described = await admin.describe_consumer_groups([group])
        finally:
            await admin.close()
        return len(described[0].groups[0][5]) if described and described[0].groups else 0

    return asyncio.run(describe())


@pytest.mark.broker
def test_rewind_refuses_while_a_worker_runs_and_execute_replays_from_the_command_line(
    bootstrap: str, tmp_path: Path
) -> None:
    """`syndicate rewind --to earliest --execute` against the worker's group: refused (exit 2, nothing moved)
    while the worker runs; once it has stopped, the dry run shows the plan, --execute applies it, and the
    restarted worker processes every input again: each is decided a second time, as a duplicate, and no
    partner receives anything twice."""
    stack = Stack(bootstrap, tmp_path)
    stack.create_topics()
    ids = {"s0", "s1", "s2"}
    raw = stack.topic(topics.RAW)
    group = group_for(stack.app_id, topics.RAW)  # the worker's loop on wire.raw
    try:
        worker = stack.start_worker("w1")
        produce(bootstrap, raw, [story(n) for n in range(3)])
        assert sorted(d["decision"] for d in stack.decisions_for(ids)) == ["new"] * 3, stack.logs()
        wait_until(lambda: sum(o or 0 for o in committed(bootstrap, group, raw, 4).values()) == 3, 60,
                   "the worker has committed its three inputs")
        before = committed(bootstrap, group, raw, 4)

        refused = syndicate(stack, "rewind", "--to", "earliest", "--execute")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "active member" in refused.stderr and "stop its workers first" in refused.stderr, refused.stderr
        assert committed(bootstrap, group, raw, 4) == before  # refused: nothing moved

        stack.stop_worker(worker)
        wait_until(lambda: group_members(bootstrap, group) == 0, 60, "the stopped worker left its group")
        dry = syndicate(stack, "rewind", "--to", "earliest")
        assert dry.returncode == 0 and "plan (dry run" in dry.stdout and "total: +3" in dry.stdout, dry.stdout
        assert committed(bootstrap, group, raw, 4) == before  # a dry run moves nothing
        done = syndicate(stack, "rewind", "--to", "earliest", "--execute")
        assert done.returncode == 0 and done.stdout.startswith("applied"), done.stdout + done.stderr
        assert set(committed(bootstrap, group, raw, 4).values()) == {0}

        stack.start_worker("w2")
        records = read_topic(bootstrap, stack.topic(topics.DECISIONS), timeout=90, until=lambda rs: all(
            sum(r["value"]["input_id"] == i for r in rs) >= 2 for i in ids))
        by_input = {i: [r["value"]["decision"] for r in records if r["value"]["input_id"] == i] for i in ids}
        assert by_input == {i: ["new", "duplicate"] for i in ids}, (by_input, stack.logs())
        delivered = 0
        for partner in ("kremlin-watch", "baltic-desk", "markets-wire", "world-politics"):
            copies = Counter((r["value"]["uri"], r["value"]["version"])
                             for r in read_topic(bootstrap, stack.topic(topics.partner_topic(partner))))
            assert set(copies.values()) <= {1}, (partner, copies)
            delivered += len(copies)
        assert delivered >= 3  # the three stories did reach partners, once each
    finally:
        stack.stop_all()
