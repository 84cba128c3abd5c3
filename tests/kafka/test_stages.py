"""The loops' wiring without a broker: each stage turns records into encoded outputs and changelog records, and
the decide state comes back from those records (the real loops and transactions are tested on the broker)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.kafka import topics
from streams.pipeline import Output
from streams.runtime.app import Runtime
from streams.runtime.records import Encoder, Inbound, internal_error_stage, json_or_none
from streams.runtime.state import STORIES, StateStore
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STORY = (ROOT / "samples" / "backlog" / "01-northgate-kremlin-baltic.txt").read_text()


class Changelog:
    """A changelog topic as a list: what the loop would produce, what a restore reads back."""

    def __init__(self) -> None:
        self.records: list[tuple[bytes | None, bytes | None]] = []

    async def restore(self, topic: str, apply: Callable[[bytes | None, bytes | None], Any]) -> int:
        for key, value in self.records:
            apply(key, value)
        return len(self.records)


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings.load({"data_dir": tmp_path, "app_id": "stages-test", "topic_prefix": "p.",
                          "partners_path": ROOT / "config" / "partners.yaml"}, env={})


def runtime(settings: Settings, changelog: Changelog) -> Runtime:
    return Runtime(settings, restore=changelog.restore)


def test_an_input_carries_its_kafka_timestamp_to_the_step() -> None:
    record = type("R", (), {"value": b"{}", "key": b"k", "topic": "t", "partition": 1, "offset": 9,
                            "timestamp": 1_700_000_000_456})()
    assert Inbound.of(record, json_or_none) == Inbound({}, b"{}", b"k", "t", 1, 9, 1_700_000_000_456)


def raw(input_id: str, content: str = STORY, offset: int = 0) -> Inbound:
    value = orjson.dumps({"id": input_id, "content": content})
    return Inbound(value, value, input_id.encode(), "p.wire.raw", 0, offset, 1_700_000_000_000)


def normalized(outputs: list[Output], offset: int) -> Inbound:
    (out,) = [o for o in outputs if o.topic == topics.NORMALIZED]
    data = orjson.dumps(out.value)
    return Inbound(json_or_none(data), data, out.key.encode() if out.key else None, "p.wire.normalized", 0, offset,
                   1_700_000_000_000)


def test_prepare_turns_raw_bytes_into_a_normalized_record(settings: Settings) -> None:
    rt = runtime(settings, Changelog())
    prepare = rt.loops[0].stage
    outputs = prepare.process(raw("story-1"))
    assert [o.topic for o in outputs] == [topics.NORMALIZED]
    assert outputs[0].value["input_id"] == "story-1"
    assert outputs[0].value["article"]["headlines"][0]["value"].startswith("Kremlin says Putin")
    assert prepare.changes() == []
    encoded = rt.loops[0].encoder.encode(outputs)
    assert [(t, k, p) for t, k, _, p in encoded] == [("p.wire.normalized", b"story-1", 0)]
    assert orjson.loads(encoded[0][2]) == outputs[0].value


def test_bad_bytes_become_a_dead_letter_with_their_bytes(settings: Settings) -> None:
    prepare = runtime(settings, Changelog()).loops[0].stage
    bad = Inbound(b"\xff\xfe not json", b"\xff\xfe not json", b"bad-1", "p.wire.raw", 2, 7)
    outputs = prepare.process(bad)
    assert [o.topic for o in outputs] == [topics.DEAD_LETTER, topics.DECISIONS]
    assert (outputs[0].value["input_id"], outputs[0].value["reason"]) == ("bad-1", "invalid-utf8")
    assert outputs[0].value["source"] == {"topic": "p.wire.raw", "partition": 2, "offset": 7}
    assert internal_error_stage(outputs) is None


def test_decide_writes_its_state_and_a_fresh_worker_restores_it(settings: Settings) -> None:
    changelog = Changelog()
    rt = runtime(settings, changelog)
    prepare, decide = rt.loops[0].stage, rt.decide
    asyncio.run(decide.restore())
    first = decide.process(normalized(prepare.process(raw("a")), 0))
    assert [o.value["decision"] for o in first if o.topic == topics.DECISIONS] == ["new"]
    assert any(o.topic == "partner.kremlin-watch" for o in first)
    # the delivery log records the story under its uri with exactly the partners that got it
    uri = next(o.value["uri"] for o in first if o.topic == topics.DECISIONS)
    partners = sorted(o.topic.removeprefix(topics.PARTNER_PREFIX) for o in first
                      if o.topic.startswith(topics.PARTNER_PREFIX))
    assert dict(rt.store.table("delivery-log")) == {uri: partners}
    changes = decide.changes()
    assert {(t, p) for t, _, _, p in changes} == {("p.stages-test.decide-state", 0)}
    tables = {orjson.loads(k)[0] for _, k, _, _ in changes}
    assert {STORIES, "delivery-log", "dedupe-meta"} <= tables
    assert decide.changes() == []  # written once: the dirty marks are cleared
    changelog.records = [(k, v) for _, k, v, _ in changes]

    fresh = runtime(settings, changelog)  # another worker takes the partition over
    asyncio.run(fresh.decide.restore())
    assert fresh.decide.last_restore["stories"] == 1
    again = fresh.decide.process(normalized(fresh.loops[0].stage.process(raw("b")), 1))
    assert [o.value["decision"] for o in again if o.topic == topics.DECISIONS] == ["duplicate"]
    assert not any(o.topic.startswith(topics.PARTNER_PREFIX) for o in again)  # the re-send reached nobody


def test_a_record_that_is_not_json_is_dead_lettered_by_decide(settings: Settings) -> None:
    rt = runtime(settings, Changelog())
    asyncio.run(rt.decide.restore())
    outputs = rt.decide.process(Inbound(json_or_none(b"{nope"), b"{nope", b"x", "p.wire.normalized", 0, 3))
    assert [o.topic for o in outputs] == [topics.DEAD_LETTER, topics.DECISIONS]
    assert internal_error_stage(outputs) == "dedupe"  # not a wire.normalized record: the step itself failed


def test_the_state_store_writes_changes_and_tombstones() -> None:
    store = StateStore()
    t = store.table("things")
    t["a"] = {"n": 1}
    t["b"] = [1, 2]
    del t["b"]
    records = dict(store.changes())
    assert records == {b'["things","a"]': b'{"n":1}', b'["things","b"]': None}
    other = StateStore()
    for key, value in [(b'["things","a"]', b'{"n":1}'), (b'["things","b"]', b"[1]"), (b'["things","b"]', None),
                       (b"not json", b"1")]:
        other.apply(key, value)
    assert dict(other.table("things")) == {"a": {"n": 1}}
    assert other.changes() == []  # restored records are not written again


def test_bytes_values_go_through_the_changelog_as_they_are() -> None:
    """A dedupe story's record is packed bytes: written raw (after a zero byte), restored as the same bytes."""
    store = StateStore()
    record = bytes(range(256)) + b'{"not": "json"}'
    store.table(STORIES)["sid"] = record
    store.table("dedupe-meta")["~w"] = 5
    records = dict(store.changes())
    assert records == {b'["dedupe-stories","sid"]': b"\x00" + record, b'["dedupe-meta","~w"]': b"5"}
    other = StateStore()
    for key, value in records.items():
        other.apply(key, value)
    assert other.table(STORIES)["sid"] == record and other.table("dedupe-meta")["~w"] == 5


def test_the_encoder_adds_the_prefix_once_and_keeps_bytes_as_they_are() -> None:
    enc = Encoder(lambda logical: f"x.{logical}")
    out = enc.encode([Output("wire.articles", "u1", {"a": 1}), Output("partner.p", None, b"<xml/>")])
    # wire.articles has several partitions (placed by key); a partner topic has one
    assert out == [("x.wire.articles", b"u1", b'{"a":1}', None), ("x.partner.p", None, b"<xml/>", 0)]

