"""Agent wiring through Faust's test_context(): agents only connect topics to the pipeline (no broker)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import orjson
import pytest

from streams.kafka import topics
from streams.kafka.app import create_app
from streams.pipeline import Output
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STORY = (ROOT / "samples" / "backlog" / "01-northgate-kremlin-baltic.txt").read_text()


@pytest.fixture()
def wired(tmp_path: Path):
    sent: list[Output] = []

    async def sink(batch: Sequence[Output]) -> None:
        sent.extend(batch)

    settings = Settings.load(
        {"store": "memory://", "data_dir": tmp_path, "app_id": "agents-test",
         "partners_path": ROOT / "config" / "partners.yaml"}, env={}
    )
    app = create_app(settings, sink=sink)
    app.finalize()
    app.flow_control.resume()
    return app, sent


async def test_normalize_agent_turns_raw_bytes_into_a_normalized_record(wired) -> None:
    app, sent = wired
    raw = orjson.dumps({"id": "story-1", "content": STORY})
    async with app.agents["normalize"].test_context() as agent:
        await agent.put(raw, key=b"story-1")
    assert [o.topic for o in sent] == [topics.NORMALIZED]
    record = sent[0].value
    assert record["input_id"] == "story-1"
    assert record["article"]["headlines"][0]["value"].startswith("Kremlin says Putin")


async def test_bad_bytes_become_a_dead_letter_not_a_crash(wired) -> None:
    app, sent = wired
    async with app.agents["normalize"].test_context() as agent:
        await agent.put(b"\xff\xfe not json", key=b"bad-1")
        await agent.put(orjson.dumps({"id": "ok-1", "content": STORY}), key=b"ok-1")
    assert [o.topic for o in sent] == [topics.DEAD_LETTER, topics.DECISIONS, topics.NORMALIZED]
    letter = sent[0].value
    assert (letter["input_id"], letter["reason"]) == ("bad-1", "invalid-utf8")
    assert sent[1].value["decision"] == "rejected"


async def test_dedupe_agent_decides_routes_and_drops_the_resend(wired) -> None:
    app, sent = wired
    async with app.agents["normalize"].test_context() as agent:
        await agent.put(orjson.dumps({"id": "a", "content": STORY}), key=b"a")
        await agent.put(orjson.dumps({"id": "b", "content": STORY}), key=b"b")
    normalized = [o.value for o in sent if o.topic == topics.NORMALIZED]
    sent.clear()
    async with app.agents["dedupe"].test_context() as agent:
        for record in normalized:
            await agent.put(record)
    decisions = [o.value for o in sent if o.topic == topics.DECISIONS]
    assert [d["decision"] for d in decisions] == ["new", "duplicate"]
    partner_topics = sorted(o.topic for o in sent if o.topic.startswith(topics.PARTNER_PREFIX))
    assert "partner.kremlin-watch" in partner_topics
    assert len(partner_topics) == len(set(partner_topics))  # the re-send reached nobody
    # the delivery log (a table) records the story under its uri with exactly the partners that got it
    uri = decisions[0]["uri"]
    log = app.syndicate_pipeline.state.delivery_log
    assert sorted(log[uri]) == sorted(t.removeprefix(topics.PARTNER_PREFIX) for t in partner_topics)
    assert list(log.keys()) == [uri]
