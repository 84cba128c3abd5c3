"""Replay plans (pure): positions in the forms Kafka operators know, windows, pacing, the dry-run text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.commands.replay_plan import Item, Plan, pace, partition_range, received_ms, window
from streams.commands.rewind import RewindError, Target, parse_target

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(("spec", "expected"), [
    ("earliest", Target("earliest")),
    ("latest", Target("latest")),
    ("42", Target("offset", offset=42)),
    ("offset:42", Target("offset", offset=42)),
    ("2026-11-28T10:00:00Z", Target("time", time_ms=ms(2026, 11, 28, 10))),
    ("2026-11-28T10:00:00+01:00", Target("time", time_ms=ms(2026, 11, 28, 9))),
    ("time:2026-11-28T10:00:00", Target("time", time_ms=ms(2026, 11, 28, 10))),
    ("s@1764324000000", Target("time", time_ms=1764324000000)),
    ("time:1764324000000", Target("time", time_ms=1764324000000)),
    ("2h", Target("time", time_ms=ms(2026, 11, 28, 10))),
    ("ago:30m", Target("time", time_ms=ms(2026, 11, 28, 11, 30))),
    ("PT2H", Target("time", time_ms=ms(2026, 11, 28, 10))),
    ("-P1DT2H", Target("time", time_ms=ms(2026, 11, 27, 10))),
])
def test_positions_in_every_form(spec: str, expected: Target) -> None:
    assert parse_target(spec, NOW) == expected


@pytest.mark.parametrize("bad", ["yesterday", "offset:-1", "-3", "5y", "P", "PT", "2026-13-01", "s@soon", ""])
def test_bad_positions_say_which_forms_work(bad: str) -> None:
    with pytest.raises(RewindError):
        parse_target(bad, NOW)


def test_received_at_is_read_from_the_envelope() -> None:
    env = orjson.dumps({"id": "a", "content": "x", "received_at": "2026-11-28T10:00:00Z"})
    assert received_ms(env) == ms(2026, 11, 28, 10)
    assert received_ms(orjson.dumps({"id": "a", "content": "x", "received_at": "2026-11-28T10:00:00"})) == ms(
        2026, 11, 28, 10)
    for no_time in (b"{oops", b"[1]", orjson.dumps({"id": "a"}), orjson.dumps({"received_at": "soon"})):
        assert received_ms(no_time) is None


def test_pace_by_rate_by_speed_or_all_at_once() -> None:
    assert pace([None, None, None], rate=2) == [0.0, 0.5, 1.0]
    assert pace([None, None]) == [0.0, 0.0]
    t0 = ms(2026, 11, 28, 10)
    times = [t0, t0 + 60_000, None, t0 + 30_000, t0 + 180_000]
    # x60: a minute of original spacing becomes a second; no time, or going back in time: right after
    assert pace(times, speed=60) == [0.0, 1.0, 1.0, 1.0, 3.0]
    assert pace([None, t0, t0 + 10_000], speed=10) == [0.0, 0.0, 1.0]


def items(*times: int | None) -> list[Item]:
    return [Item(f"k{n}".encode(), b"{}", f"o{n}", t) for n, t in enumerate(times)]


def test_a_file_backlog_windowed_by_position_or_received_at() -> None:
    t0 = ms(2026, 11, 28, 10)
    backlog = items(t0, t0 + 1000, None, t0 + 2000)
    kept, out = window(backlog, Target("offset", offset=1), Target("offset", offset=3))
    assert ([i.origin for i in kept], out) == (["o1", "o2"], 2)
    kept, out = window(backlog, Target("time", time_ms=t0 + 1000), Target("latest"))
    assert ([i.origin for i in kept], out) == (["o1", "o3"], 2)  # o2 has no time: outside any time window
    kept, out = window(backlog, Target("earliest"), Target("time", time_ms=t0 + 1000))
    assert [i.origin for i in kept] == ["o0"]
    assert window(backlog, Target("latest"), Target("latest"))[0] == []
    assert window(backlog, Target("earliest"), Target("latest"))[0] == backlog


def test_a_topic_window_is_clamped_to_each_partition_log() -> None:
    assert partition_range(Target("earliest"), 5, 50, None, upper=False) == 5
    assert partition_range(Target("latest"), 5, 50, None, upper=True) == 50
    assert partition_range(Target("offset", offset=2), 5, 50, None, upper=False) == 5
    assert partition_range(Target("offset", offset=70), 5, 50, None, upper=True) == 50
    assert partition_range(Target("time", time_ms=1), 5, 50, 20, upper=False) == 20
    assert partition_range(Target("time", time_ms=1), 5, 50, None, upper=True) == 50  # nothing after it


def test_the_dry_run_plan_says_what_where_and_how_fast(tmp_path: Path) -> None:
    t0 = ms(2026, 11, 28, 10)
    plan = Plan("3 inputs in x", "sandbox.try.wire.raw", items(t0, None, t0 + 120_000), outside=2, limited=1,
                sandbox="try", speed=60)
    text = "\n".join(plan.describe())
    assert "3 to send; 2 outside --from/--until; 1 past --limit" in text
    assert "2026-11-28T10:00:00Z .. 2026-11-28T10:02:00Z (1 without a time)" in text
    assert "x60 the original spacing, about 2.0s" in text
    assert "target:  sandbox.try.wire.raw (sandbox try:" in text and "PRODUCTION" not in text
    production = Plan("1 input", "wire.raw", items(None), rate=4)
    text = "\n".join(production.describe())
    assert "PRODUCTION" in text and "4 stories/s" in text
