"""The live registry on the real broker: `syndicate partners` writes audit records to the control topic; a running
follower (what every worker runs) applies them in order, within seconds, without a restart."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client.parser import text_string_to_metric_families

from streams.contracts import Contracts
from streams.kafka import topics
from streams.offline import run_offline
from streams.route.router import Held
from streams.runtime.control import RegistryFollower, load_registry, read_changes
from streams.settings import Settings
from streams.testing.harness import Stack, produce, read_topic

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]


def syndicate(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams.cli", "partners", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


async def _topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


def test_cli_changes_reach_a_running_follower_in_order(bootstrap: str, tmp_path: Path) -> None:
    prefix = f"l{uuid.uuid4().hex[:8]}."
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "SYNDICATE_TOPIC_PREFIX": prefix,
           "SYNDICATE_PARTNERS": str(ROOT / "config" / "partners.yaml")}
    settings = Settings.load({"bootstrap_servers": bootstrap, "topic_prefix": prefix,
                              "partners_path": ROOT / "config" / "partners.yaml"}, env={})
    contracts = Contracts()
    seeded, changes = asyncio.run(load_registry(settings, contracts))
    assert list(seeded) == ["kremlin-watch", "baltic-desk", "markets-wire", "world-politics"]
    assert {c.record["op"] for c in changes} == {"seed"}

    seen: list[list[Any]] = []
    follower = RegistryFollower(settings, contracts, lambda partners: seen.append(
        [(p.id, p.format, p.policy.paused) for p in partners]), registry=seeded, position=changes[-1].offset + 1)

    async def follow_while(steps: list[tuple[str, ...]]) -> list[float]:
        stop = asyncio.Event()
        task = asyncio.create_task(follower.run(stop))
        waited = []
        for step in steps:
            before = len(seen)
            done = await asyncio.to_thread(syndicate, env, *step)
            assert done.returncode == 0, done.stderr
            started = time.monotonic()
            while len(seen) == before and time.monotonic() - started < 30:
                await asyncio.sleep(0.05)
            waited.append(time.monotonic() - started)
        stop.set()
        await task
        return waited

    new = tmp_path / "energy.yaml"
    new.write_text(yaml.safe_dump({"id": "energy", "name": "Energy", "format": "teaser",
                                   "filters": {"keywords": ["gas pipeline"]}}))
    changed = tmp_path / "energy2.json"
    changed.write_text('{"id": "energy", "name": "Energy", "format": "newsml-g2"}')
    asyncio.run(follow_while([("add", str(new)), ("update", str(changed)), ("pause", "energy"),
                              ("resume", "energy"), ("remove", "markets-wire")]))
    ids = ["kremlin-watch", "baltic-desk", "markets-wire", "world-politics"]
    assert seen == [
        [*((i, f, False) for i, f in zip(ids, ["ninjs", "ninjs", "ninjs-text", "ninjs"], strict=True)),
         ("energy", "teaser", False)],
        [*seen[0][:4], ("energy", "newsml-g2", False)],
        [*seen[0][:4], ("energy", "newsml-g2", True)],
        [*seen[0][:4], ("energy", "newsml-g2", False)],
        [seen[0][0], seen[0][1], seen[0][3], ("energy", "newsml-g2", False)],
    ]
    topics = asyncio.run(_topics(bootstrap))
    assert f"{prefix}partner.energy" in topics and f"{prefix}partner.markets-wire" in topics  # remove keeps it

    history = [c.record for c in asyncio.run(read_changes(settings))]
    audit = [r for r in history if r["op"] != "seed"]
    assert [r["op"] for r in audit] == ["add", "update", "pause", "resume", "remove"]
    assert all(set(r) == {"id", "op", "who", "when", "before", "after"} and "@" in r["who"] for r in audit)
    assert audit[0]["before"] is None and audit[1]["before"]["format"] == "teaser"
    assert audit[2]["after"]["paused"] is True and audit[4]["after"] is None


def test_a_bad_definition_is_refused_and_the_registry_is_unchanged(bootstrap: str, tmp_path: Path) -> None:
    prefix = f"l{uuid.uuid4().hex[:8]}."
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "SYNDICATE_TOPIC_PREFIX": prefix,
           "SYNDICATE_PARTNERS": str(ROOT / "config" / "partners.yaml")}
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: russia-desk\nname: Russia desk\nfilters:\n  places: [Russia]\n")
    assert syndicate(env, "list").returncode == 0
    settings = Settings.load({"bootstrap_servers": bootstrap, "topic_prefix": prefix}, env={})
    before = asyncio.run(read_changes(settings))
    refused = syndicate(env, "add", str(bad))
    assert refused.returncode == 2
    assert refused.stderr.strip() == (f"syndicate partners add {bad}: filters.places[0]: 'Russia' does not match "
                                      "'^[A-Z]{2}$'")
    assert syndicate(env, "update", str(ROOT / "config" / "partners.yaml")).returncode == 2  # not one partner
    assert syndicate(env, "pause", "nobody").returncode == 2
    assert [c.record for c in asyncio.run(read_changes(settings))] == [c.record for c in before]


def _story(n: int, headline: str) -> bytes:
    return orjson.dumps({"id": f"live-{n}", "content": (
        f"{headline}\n\nLONDON (Reuters) - {headline}, officials said on Tuesday, in a statement number {n} "
        f"that gave no further details about the plans or their timing.\n\nReuters\n")})


def _wait_log(stack: Any, text: bytes, count: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(log.read_bytes().count(text) for _, log in stack.workers) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged {count} times:\n{stack.logs()}")


def _web(base: str, predicate: Any, what: str, timeout: float = 30.0) -> Any:
    """The dashboard's view and the worker's metrics, read until `predicate(view, metrics)` holds."""
    deadline = time.monotonic() + timeout
    view: Any = None
    delivered: dict[str, float] = {}
    while True:
        try:  # the web server may still be starting when the worker says it is ready
            view = orjson.loads(urllib.request.urlopen(f"{base}/dashboard/api/view", timeout=5).read())
            page = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
            delivered = {s.labels["partner"]: s.value for family in text_string_to_metric_families(page)
                         for s in family.samples if s.name == "syndicate_deliveries_total"}
            if predicate(view, delivered):
                return view, delivered
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: view partners {view and view['partners']}, deliveries metric {delivered}")
        time.sleep(0.3)


def _listed(view: dict[str, Any]) -> dict[str, tuple[bool, int]]:
    return {p["id"]: (p["paused"], p["deliveries"]) for p in view["partners"]}


def test_a_running_worker_applies_add_pause_resume_without_restart(bootstrap: str, tmp_path: Path) -> None:
    """... and its dashboard lists the partner added, paused, resumed and removed, and its metrics and dashboard
    count the deliveries released on resume (a teaser partner: JSON without headlines)."""
    stack = Stack(bootstrap, tmp_path)
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "SYNDICATE_TOPIC_PREFIX": stack.prefix,
           "SYNDICATE_PARTNERS": str(ROOT / "config" / "partners.yaml")}
    stack.create_topics()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    stack.start_worker(extra_env={"SYNDICATE_WEB_ENABLED": "1", "SYNDICATE_WEB_PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    try:
        _web(base, lambda v, _: set(_listed(v)) == {"kremlin-watch", "baltic-desk", "markets-wire",
                                                    "world-politics"}, "the registry at start")
        desk = tmp_path / "pipelines.yaml"
        desk.write_text(yaml.safe_dump({"id": "pipelines", "name": "Pipelines", "format": "teaser",
                                        "filters": {"keywords": ["gas pipeline*"]}}))
        assert syndicate(env, "add", str(desk)).returncode == 0
        _wait_log(stack, b"partner registry changed", 1)
        _web(base, lambda v, _: _listed(v).get("pipelines") == (False, 0), "added live")
        raw = stack.topic(topics.RAW)
        produce(bootstrap, raw, [(b"live-1", _story(1, "Gas pipeline to Poland to open early"), None),
                                 (b"live-2", _story(2, "Wheat harvest beats forecasts"), None)])
        out = stack.topic("partner.pipelines")
        first = read_topic(bootstrap, out, until=1, timeout=60)
        assert [r["value"]["headline"] for r in first] == ["Gas pipeline to Poland to open early"]

        assert syndicate(env, "pause", "pipelines").returncode == 0
        _wait_log(stack, b"partner registry changed", 2)
        _web(base, lambda v, _: _listed(v).get("pipelines") == (True, 1), "paused, one delivered")
        produce(bootstrap, raw, [(b"live-3", _story(3, "Gas pipelines face new safety rules"), None),
                                 (b"live-4", _story(4, "Baltic gas pipeline talks resume"), None)])
        decided = [d["input_id"] for d in stack.decisions_for({"live-3", "live-4"}) if d["input_id"] in
                   ("live-3", "live-4")]  # the order they were decided (wire.raw has 4 partitions)
        assert len(read_topic(bootstrap, out, idle=1.0)) == 1  # held while paused, not lost
        assert syndicate(env, "resume", "pipelines").returncode == 0
        got = read_topic(bootstrap, out, until=3, timeout=60)
        headline = {"live-3": "Gas pipelines face new safety rules", "live-4": "Baltic gas pipeline talks resume"}
        assert [r["value"]["headline"] for r in got] == [
            "Gas pipeline to Poland to open early", *(headline[i] for i in decided)]  # in the order they matched
        assert all(r["key"] == r["value"]["uri"].encode() for r in got)
        # the two released on resume count as deliveries on the dashboard and in the metrics
        _web(base, lambda v, m: _listed(v).get("pipelines") == (False, 3) and m.get("pipelines") == 3,
             "resumed, three delivered")
        assert syndicate(env, "remove", "pipelines").returncode == 0
        _wait_log(stack, b"partner registry changed", 4)
        _web(base, lambda v, _: "pipelines" not in _listed(v) and v["totals"]["deliveries"] >= 3, "removed")
    finally:
        stack.stop_all()


EMBARGO_REGISTRY = {"partners": [
    {"id": "embargo-hold", "name": "Holds embargoed copy", "rights": {"embargo": "hold"}},
    {"id": "embargo-mark", "name": "Takes it marked", "format": "teaser", "rights": {"embargo": "mark"}},
]}
STORIES = {  # id -> (embargo, headline, body)
    "future": ("2999-01-01T06:00:00Z", "Central bank to publish rate review",
               "FRANKFURT (Reuters) - The central bank will publish its annual review of interest rate policy."),
    "past": ("2001-01-01T06:00:00Z", "Miners agree wage deal after strike",
             "JOHANNESBURG (Reuters) - Platinum miners agreed a three-year wage deal, ending a five-week strike."),
    "none": (None, "Airline orders forty new jets", "DUBLIN (Reuters) - The airline ordered forty narrow-body "
             "jets for delivery from next year, its chief executive told reporters."),
}


def _ninjs(sid: str) -> bytes:
    embargo, headline, body = STORIES[sid]
    doc = {"uri": f"urn:test:{sid}", "version": "1", "pubstatus": "usable", "language": "en",
           "headlines": [{"role": "main", "value": headline}], "copyrightholder": "Reuters",
           "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}]}
    if embargo:
        doc["embargoed"] = embargo
    return orjson.dumps({"id": sid, "content": orjson.dumps(doc).decode(), "format": "ninjs"})


def test_embargo_holds_give_the_same_answer_offline_and_on_kafka(bootstrap: str, tmp_path: Path) -> None:
    registry = tmp_path / "partners.yaml"
    registry.write_text(yaml.safe_dump(EMBARGO_REGISTRY))
    backlog = tmp_path / "backlog.jsonl"
    backlog.write_bytes(b"\n".join(_ninjs(s) for s in STORIES) + b"\n")
    held: list[Held] = []
    run_offline(Settings.load({"partners_path": registry}, env={}), [backlog], tmp_path / "out", held_out=held)

    def offline(pid: str) -> set[tuple[str, str | None]]:
        lines = (tmp_path / "out" / "partners" / f"{pid}.jsonl").read_bytes().splitlines()
        return {(orjson.loads(x)["uri"], orjson.loads(x).get("embargoed")) for x in lines}

    stack = Stack(bootstrap, tmp_path / "k", partners=registry)
    stack.create_topics()
    stack.start_worker()
    try:
        produce(bootstrap, stack.topic(topics.RAW), [(s.encode(), _ninjs(s), None) for s in STORIES])
        decided = {d["input_id"]: (d["deliveries"], d["held"]) for d in stack.decisions_for(set(STORIES))}
        kafka = {pid: {(r["value"]["uri"], r["value"].get("embargoed"))
                       for r in read_topic(bootstrap, stack.topic(f"partner.{pid}"), idle=2.0)}
                 for pid in ("embargo-hold", "embargo-mark")}
    finally:
        stack.stop_all()
    assert kafka["embargo-hold"] == offline("embargo-hold") and len(kafka["embargo-hold"]) == 2  # not the future one
    assert kafka["embargo-mark"] == offline("embargo-mark") and len(kafka["embargo-mark"]) == 3
    assert {e for _, e in kafka["embargo-mark"]} == {"2999-01-01T06:00:00Z", "2001-01-01T06:00:00Z", None}
    assert [(h.partner_id, h.reason) for h in held] == [("embargo-hold", "embargoed until 2999-01-01T06:00:00Z")]
    # the decision records name the held delivery, with the reason and the embargo time, the same on both
    offline_decided = {d["input_id"]: (d["deliveries"], d["held"]) for d in map(
        orjson.loads, (tmp_path / "out" / "decisions.jsonl").read_bytes().splitlines())}
    assert decided == offline_decided
    assert decided["future"] == (["embargo-mark"], [{"partner": "embargo-hold", "reason": "embargo",
                                                      "until": "2999-01-01T06:00:00Z"}])
