"""The composed pipeline without Kafka: nothing raises, nothing vanishes, even when a stage itself fails."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams import model
from streams.pipeline import Pipeline, State
from streams.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
STORY = (ROOT / "samples" / "backlog" / "02-coastline-rates.txt").read_text()


@pytest.fixture()
def pipeline() -> Pipeline:
    return Pipeline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}), State.in_memory())


def by_topic(outputs: list[Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for o in outputs:
        out.setdefault(o.topic, []).append(o.value)
    return out


def test_a_good_story_goes_all_the_way(pipeline: Pipeline) -> None:
    (record,) = pipeline.prepare(orjson.dumps({"id": "a", "content": STORY}), "a")
    assert record.topic == model.NORMALIZED
    got = by_topic(pipeline.decide(record.value))
    assert [d["decision"] for d in got[model.DECISIONS]] == ["new"]
    assert got[model.ARTICLES][0]["uri"] == got[model.DECISIONS][0]["uri"]
    assert "partner.markets-wire" in got


def test_a_stage_that_raises_becomes_a_dead_letter_with_the_original_bytes(pipeline: Pipeline, monkeypatch) -> None:
    def broken(article: dict) -> None:
        raise RuntimeError("gazetteer exploded")

    monkeypatch.setattr(pipeline.tagger, "tag_with_evidence", broken)
    raw = orjson.dumps({"id": "b", "content": STORY})
    got = by_topic(pipeline.prepare(raw, "b"))
    (letter,) = got[model.DEAD_LETTER]
    assert (letter["stage"], letter["reason"]) == ("tag", "internal-error")
    assert "gazetteer exploded" in letter["detail"]
    assert base64.b64decode(letter["original_b64"]) == raw
    assert got[model.DECISIONS][0]["decision"] == "rejected"


def test_dedupe_failures_and_foreign_records_are_dead_lettered(pipeline: Pipeline, monkeypatch) -> None:
    for record in (None, "text", {"input_id": "x"}, {"input_id": "y", "article": "not an article"}):
        got = by_topic(pipeline.decide(record, original=b"raw"))
        assert got[model.DEAD_LETTER][0]["stage"] == "dedupe"
        assert base64.b64decode(got[model.DEAD_LETTER][0]["original_b64"]) == b"raw"
    (ok,) = pipeline.prepare(orjson.dumps({"id": "c", "content": STORY}), "c")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("table gone")

    monkeypatch.setattr(pipeline.router, "route_all", broken)
    got = by_topic(pipeline.decide(ok.value, original=b"c-bytes"))
    assert got[model.DEAD_LETTER][0]["reason"] == "internal-error"
    assert "table gone" in got[model.DEAD_LETTER][0]["detail"]


def test_dead_letters_and_decisions_follow_their_schemas(pipeline: Pipeline) -> None:
    """A bad input gives one dead letter and one rejected decision; a good one a decision, the article and
    partner copies. Each record is there, and each follows its schema."""
    from streams.contracts import Contracts

    contracts = Contracts()
    bad = by_topic(pipeline.prepare(b"\x00\xff", "k"))
    assert sorted(bad) == [model.DEAD_LETTER, model.DECISIONS]
    (prepared,) = pipeline.prepare(orjson.dumps({"id": "d", "content": STORY}), "d")
    good = by_topic(pipeline.decide(prepared.value))
    assert {model.DECISIONS, model.ARTICLES} <= set(good) and any(t.startswith("partner.") for t in good)
    (letter,) = bad[model.DEAD_LETTER]
    assert list(contracts.dead_letter.iter_errors(letter)) == []
    decisions = bad[model.DECISIONS] + good[model.DECISIONS]
    assert [d["decision"] for d in decisions] == ["rejected", "new"]
    for decision in decisions:
        assert list(contracts.decision.iter_errors(decision)) == []
    article_schema = contracts.validator("article.schema.json")
    for topic, values in good.items():
        if topic == model.ARTICLES or topic.startswith("partner."):
            assert all(list(article_schema.iter_errors(v)) == [] for v in values), topic


def test_the_delivery_log_forgets_a_story_when_dedupe_does() -> None:
    """Who had a story is kept as long as dedupe remembers the story (a later version can follow it), and no
    longer: the delivery log is bounded like the stories (here by the count bound, one story)."""
    settings = Settings.load({"partners_path": ROOT / "config" / "partners.yaml", "dedupe_max_stories": 1}, env={})
    state = State.in_memory()
    pipeline = Pipeline(settings, state)
    uris = []
    for name in ("02-coastline-rates.txt", "01-northgate-kremlin-baltic.txt"):
        text = (ROOT / "samples" / "backlog" / name).read_text()
        (record,) = pipeline.prepare(orjson.dumps({"id": name, "content": text}), name)
        got = by_topic(pipeline.decide(record.value))
        (decision,) = got[model.DECISIONS]
        assert decision["decision"] == "new" and decision["deliveries"], decision
        uris.append(decision["uri"])
        assert list(state.delivery_log) == [decision["uri"]]  # the one remembered story, and only it
    assert len(state.dedupe_stories) == 1 and uris[0] != uris[1]
