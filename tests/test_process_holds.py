"""`syndicate process` with held deliveries: stories are routed at their stream time (the offline clock, started
with `--clock`), `--until` releases what is due, the rest is reported with the reason; the same backlog gives
the same answer every time."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import orjson
import pytest
import yaml

from streams.cli import main
from streams.contracts import Contracts
from streams.route.schedule import parse_time

ROOT = Path(__file__).resolve().parent.parent
START = "2017-03-14T12:00:00Z"  # 13:00 in Berlin: the night desk's window is closed
REGISTRY = {"partners": [
    {"id": "night", "name": "Night desk", "delivery": {"timezone": "Europe/Berlin", "windows": ["22:00-06:00"]}},
    {"id": "slow", "name": "Slow", "delivery": {"rate": {"max": 1, "per_seconds": 7 * 86400}}},
    {"id": "paused", "name": "Paused", "paused": True},
    {"id": "all", "name": "All"},
]}


def run(tmp_path: Path, *extra: str, clock: str = START) -> tuple[dict[str, list[str]], list[dict], str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    registry = tmp_path / "partners.yaml"
    registry.write_text(yaml.safe_dump(REGISTRY))
    out = tmp_path / "out"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["process", str(ROOT / "samples" / "backlog"), "--out", str(out), "--partners", str(registry),
                     "--clock", clock, *extra]) == 0
    partners = {}
    for p in REGISTRY["partners"]:
        lines = (out / "partners" / f"{p['id']}.jsonl").read_bytes().splitlines()
        partners[p["id"]] = [orjson.loads(x)["uri"] for x in lines]
    held = [orjson.loads(x) for x in (out / "held.jsonl").read_bytes().splitlines()]
    return partners, held, buf.getvalue()


def test_holds_are_reported_then_released_by_until(tmp_path: Path) -> None:
    partners, held, printed = run(tmp_path)
    assert len(partners["all"]) == 5
    assert partners["night"] == [] and partners["paused"] == []
    assert partners["slow"] == partners["all"][:1]  # the rest wait for the next week's room
    reasons = {(h["partner"], h["reason"].split(" (")[0]) for h in held}
    assert reasons == {("night", "outside delivery windows"), ("paused", "partner paused"),
                       ("slow", "rate limit")}
    assert "held for paused:" in printed and "partner paused" in printed
    opens = parse_time(next(h for h in held if h["partner"] == "night")["reason"].split("opens ")[1].rstrip(")"))
    assert opens == parse_time("2017-03-14T21:00:00Z")  # 22:00 in Berlin

    released, still, _ = run(tmp_path, "--until", opens.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert released["night"] == released["all"]  # in arrival order
    assert released["slow"] == released["all"][:1]
    assert {h["partner"] for h in still} == {"paused", "slow"}
    week_later, _, _ = run(tmp_path, "--until", "2017-03-21T12:00:01Z")
    assert week_later["slow"] == released["all"][:2]  # one more a week after the first, in order


def test_the_same_backlog_gives_the_same_answer(tmp_path: Path) -> None:
    first = run(tmp_path / "a", "--until", "2017-03-20T00:00:00Z")
    again = run(tmp_path / "b", "--until", "2017-03-20T00:00:00Z")
    assert first[1]
    assert first[:2] == again[:2]


def test_a_fixed_clock_before_an_embargo_holds_it(tmp_path: Path) -> None:
    backlog = tmp_path / "embargoed.json"
    story = orjson.loads((ROOT / "samples" / "backlog" / "03-ninjs-tokyo-trade.json").read_bytes())
    backlog.write_bytes(orjson.dumps({**story, "embargoed": "2030-01-01T06:00:00Z"}))
    partners, _, _ = run(tmp_path, clock="2029-12-31T00:00:00Z")  # the samples carry no embargo
    assert len(partners["all"]) == 5
    assert main(["process", str(backlog), "--out", str(tmp_path / "o2"), "--clock", "2029-12-31T00:00:00Z",
                 "--partners", str(tmp_path / "partners.yaml")]) == 0
    lines = (tmp_path / "o2" / "held.jsonl").read_bytes().splitlines()
    assert [orjson.loads(x)["reason"] for x in lines if orjson.loads(x)["partner"] == "all"] == [
        "embargoed until 2030-01-01T06:00:00Z"]
    assert main(["process", str(backlog), "--out", str(tmp_path / "o3"), "--clock", "2029-12-31T00:00:00Z",
                 "--until", "2030-01-01T06:00:00Z", "--partners", str(tmp_path / "partners.yaml")]) == 0
    assert len((tmp_path / "o3" / "partners" / "all.jsonl").read_bytes().splitlines()) == 1


@pytest.mark.parametrize("option", ["--clock", "--until"])
def test_a_bad_time_is_refused_with_the_option(tmp_path: Path, option: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["process", str(ROOT / "samples" / "backlog"), "--out", str(tmp_path), option, "tomorrow"]) == 2
    assert option in capsys.readouterr().err


def test_each_decision_names_the_partners_it_is_held_for(tmp_path: Path) -> None:
    run(tmp_path)
    decisions = [orjson.loads(x) for x in (tmp_path / "out" / "decisions.jsonl").read_bytes().splitlines()]
    validator = Contracts().decision
    assert all(list(validator.iter_errors(d)) == [] for d in decisions)
    routed = [d for d in decisions if d.get("deliveries")]
    assert len(routed) == 5 and all("all" in d["deliveries"] for d in routed)
    night = {"partner": "night", "reason": "window", "until": "2017-03-14T21:00:00Z"}  # 22:00 in Berlin
    paused = {"partner": "paused", "reason": "paused", "until": None}
    assert routed[0]["deliveries"] == ["slow", "all"] and routed[0]["held"] == [night, paused]
    for d in routed[1:]:  # the first used the week's room: the rate has room a week later
        (slow,) = [h for h in d["held"] if h["partner"] == "slow"]
        assert slow["reason"] == "rate" and slow["until"].startswith("2017-03-21T12:00:00")
        assert d["held"] == [night, slow, paused] and d["deliveries"] == ["all"]
    assert all(not d.get("held") for d in decisions if not d.get("deliveries"))  # duplicates, rejections
