"""Stream time decides the horizon: the cases of issue 9 offline, the clock's clamping, and the editorial gap."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.dedupe import Deduper
from streams.dedupe.clock import MAX_LAG_MS, MAX_LEAD_MS, OrderClock, StreamTime, format_ms, parse_ms, stream_time
from streams.dedupe.inputs import editorial_gap, read_input
from streams.offline import run_offline
from streams.pipeline import Pipeline, State
from streams.quality.evaluate.dedupe import load_sources, make_article
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "backlog"
#: Decisions in input order and, per partner, the uris delivered.
Run = tuple[list[dict[str, Any]], dict[str, list[str]]]
START = 1_900_000_000_000  # the offline clock's start in these tests (2030-03-17)


def settings() -> Settings:
    return Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={})


def redated(src: Path, folder: Path, name: str, date: str) -> Path:
    """A copy of a page-text sample whose date line says `date` (e.g. "Monday 13 February 2017 13:04 GMT")."""
    text = re.sub(r"\w+day \d+ \w+ \d{4} \d\d:\d\d GMT", date, src.read_text(), count=1)
    out = folder / name
    out.write_text(text)
    return out


def offline(paths: list[Path], out: Path) -> Run:
    """Decisions in input order and, per partner, the uris delivered."""
    run_offline(settings(), paths, out, clock=OrderClock(START))
    decisions = [orjson.loads(line) for line in (out / "decisions.jsonl").read_bytes().splitlines()]
    partners = {p.stem: [orjson.loads(line)["uri"] for line in p.read_bytes().splitlines()]
                for p in (out / "partners").glob("*.jsonl")}
    return decisions, partners


def assert_each_story_delivered_once(partners: dict[str, list[str]]) -> None:
    for pid, uris in partners.items():
        twice = [u for u, n in Counter(uris).items() if n > 1]
        assert not twice, f"{pid} received {twice} more than once"


# -- case 1: a re-send of an older-dated story after a newer one is recognised ------------------------------


def newer_then_older_twice(newer: Path, older: Path, tmp_path: Path) -> Run:
    again = tmp_path / f"again-{older.name}"
    again.write_bytes(older.read_bytes())
    decisions, partners = offline([newer, older, again], tmp_path / "out")
    assert [d["decision"] for d in decisions] == ["new", "new", "duplicate"], decisions
    assert decisions[2]["uri"] == decisions[1]["uri"]
    assert_each_story_delivered_once(partners)
    return decisions, partners


@pytest.mark.shared
def test_case_1_the_seed_resent_after_a_newer_story_is_a_duplicate(shared_dir: Path, tmp_path: Path) -> None:
    seed = shared_dir / "seed" / "independent-2017-02-13-us-russia-talks.txt"
    decisions, partners = newer_then_older_twice(SAMPLES / "01-northgate-kremlin-baltic.txt", seed, tmp_path)
    for pid in ("kremlin-watch", "baltic-desk", "world-politics"):
        assert partners[pid].count(decisions[1]["uri"]) == 1, pid


def test_case_1_without_the_shared_seed(tmp_path: Path) -> None:
    """The same shape from the samples: a story dated 14 March 2017, then one dated a month earlier, twice."""
    older = redated(SAMPLES / "01-northgate-kremlin-baltic.txt", tmp_path, "older.txt",
                    "Monday 13 February 2017 13:04 GMT")
    newer_then_older_twice(SAMPLES / "03-ninjs-tokyo-trade.json", older, tmp_path)


# -- case 2: one mis-dated input does not switch dedupe off --------------------------------------------------


@pytest.mark.shared
def test_case_2_a_seed_dated_2099_does_not_switch_dedupe_off(shared_dir: Path, tmp_path: Path) -> None:
    seed = redated(shared_dir / "seed" / "independent-2017-02-13-us-russia-talks.txt", tmp_path, "seed-2099.txt",
                   "Friday 13 February 2099 13:04 GMT")
    backlog = [seed, SAMPLES / "01-northgate-kremlin-baltic.txt", SAMPLES / "04-northgate-kremlin-baltic-resend.txt"]
    decisions, partners = offline(backlog, tmp_path / "out")
    assert [d["decision"] for d in decisions] == ["new", "new", "duplicate"], decisions
    assert decisions[2]["uri"] == decisions[1]["uri"]
    assert_each_story_delivered_once(partners)


def test_case_2_without_the_shared_seed(tmp_path: Path) -> None:
    ninjs = orjson.loads((SAMPLES / "03-ninjs-tokyo-trade.json").read_bytes())
    ninjs["versioncreated"] = ninjs["firstcreated"] = "2099-02-13T13:04:00Z"
    future = tmp_path / "future.json"
    future.write_bytes(orjson.dumps(ninjs))
    backlog = [future, SAMPLES / "01-northgate-kremlin-baltic.txt", SAMPLES / "04-northgate-kremlin-baltic-resend.txt"]
    decisions, partners = offline(backlog, tmp_path / "out")
    assert [d["decision"] for d in decisions] == ["new", "new", "duplicate"], decisions
    assert_each_story_delivered_once(partners)


# -- the horizon is measured in stream time ----------------------------------------------------------------

STORY = load_sources(str(ROOT / "tests" / "fixtures" / "dedupe" / "stories.json"))[0]
HEADLINE, PARAS = STORY.headline, STORY.paragraphs
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_stories_received_more_than_the_horizon_apart_are_not_matched_whatever_their_datelines() -> None:
    dd = Deduper({}, {}, horizon=timedelta(days=2))
    first = dd.process("a", make_article("wire:a", HEADLINE, PARAS, T0), received=T0)
    # the same text dated the same minute, but received three days later: the first is forgotten
    late = dd.process("b", make_article("wire:b", HEADLINE, PARAS, T0), received=T0 + timedelta(days=3))
    assert not isinstance(first, Exception) and not isinstance(late, Exception)
    assert late[0].decision == "new" and late[0].uri != first[0].uri  # type: ignore[index]
    # dated three years apart but received a minute apart: a copy
    copy = dd.process("c", make_article("wire:c", HEADLINE, PARAS, T0 - timedelta(days=1100)),
                      received=T0 + timedelta(days=3, minutes=1))
    assert (copy[0].decision, copy[0].uri) == ("duplicate", late[0].uri)  # type: ignore[index]


def test_the_decision_records_its_stream_time_and_a_clamp() -> None:
    pipeline = Pipeline(settings(), State.in_memory(), clock=OrderClock(START))
    story = (SAMPLES / "02-coastline-rates.txt").read_text()
    (rec,) = pipeline.prepare(orjson.dumps({"id": "x", "content": story, "received_at": "2099-01-01T00:00:00Z"}),
                              "x", timestamp=START)
    assert rec.value["received_at"] == "2099-01-01T00:00:00Z" and rec.value["timestamp"] == START
    decision = next(o.value for o in pipeline.decide(rec.value) if o.topic == "wire.decisions")
    assert decision["evidence"]["received"] == {"at": format_ms(START + MAX_LEAD_MS), "clock": "kafka-timestamp",
                                                "clamped_from": "2099-01-01T00:00:00Z"}
    assert "received_at '2099-01-01T00:00:00Z' is too far from the kafka-timestamp" in decision["reason"]


# -- the clock ----------------------------------------------------------------------------------------------


def test_received_at_is_used_within_the_window_and_clamped_outside_it() -> None:
    ref = START
    inside = stream_time(format_ms(ref - 3_600_000), ref, "kafka-timestamp")
    assert inside == StreamTime(ref - 3_600_000, "received_at")
    assert stream_time(None, ref, "offline-clock") == StreamTime(ref, "offline-clock")
    assert stream_time("yesterday", ref, "offline-clock") == StreamTime(ref, "offline-clock")
    assert stream_time(5, ref, "offline-clock") == StreamTime(ref, "offline-clock")
    future = stream_time("2099-02-13T13:04:00Z", ref, "kafka-timestamp")
    assert future.ms == ref + MAX_LEAD_MS and future.note and "2099-02-13" in future.note
    past = stream_time("1900-01-01T00:00:00+01:00", ref, "kafka-timestamp")
    assert past.ms == ref - MAX_LAG_MS and past.clamped_from == "1900-01-01T00:00:00+01:00"


def test_the_offline_clock_ticks_one_millisecond_per_input() -> None:
    clock = OrderClock(START)
    assert [clock(), clock(), clock()] == [START, START + 1, START + 2]
    assert parse_ms(format_ms(START)) == START


def test_the_editorial_gap_trusts_datelines_unless_they_contradict_stream_time() -> None:
    horizon = 7 * 86_400_000
    inp = read_input(make_article("wire:y", HEADLINE, PARAS, T0 + timedelta(hours=26)), START + 1_000)
    # a replay (received a second apart): the datelines say 26 hours, within the horizon of the stream gap
    assert editorial_gap(inp, int(T0.timestamp()), START, horizon) == 26 * 3600
    # the remembered version claims 1900: the datelines cannot both be right, the stream gap is used
    assert editorial_gap(inp, int(datetime(1900, 1, 1, tzinfo=UTC).timestamp()), START, horizon) == 1.0
    assert editorial_gap(inp, int(datetime(2099, 1, 1, tzinfo=UTC).timestamp()), START, horizon) == 1.0
