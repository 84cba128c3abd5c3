"""Rewind plans (pure) and one real rewind of a consumer group on the broker."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from streams.kafka.harness import committed, produce
from streams.kafka.rewind import RewindError, Target, apply, parse_target, plan
from streams.kafka.topics import create_topics


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
