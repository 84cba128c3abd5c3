"""The record a pipeline step sees: its input id, its source, and how fetched bytes are decoded (pure)."""

from __future__ import annotations

from types import SimpleNamespace

from streams.kafka.feed import Inbound, json_or_none


def test_a_keyed_record_is_named_by_its_key() -> None:
    record = Inbound({"id": "x"}, b"{}", b"story-1", "wire.raw", 2, 40)
    assert record.input_id == "story-1"
    assert record.source == {"topic": "wire.raw", "partition": 2, "offset": 40}


def test_a_record_without_a_key_is_named_by_where_it_was_read() -> None:
    assert Inbound(None, None, None, "wire.raw", 2, 40).input_id == "wire.raw:2:40"
    assert Inbound(None, None, b"", "wire.raw", 0, 1).input_id == "wire.raw:0:1"


def test_a_key_that_is_not_utf8_still_names_the_record() -> None:
    assert Inbound(None, None, b"bad-\xff", "wire.raw", 0, 1).input_id == "bad-\ufffd"


def test_fetched_bytes_that_are_not_json_decode_to_none() -> None:
    assert json_or_none(b'{"input_id": "a"}') == {"input_id": "a"}
    assert json_or_none(b"\xff\xfe not json") is None
    assert json_or_none(None) is None


def test_a_record_from_faust_keeps_its_bytes_only_when_they_are_raw() -> None:
    def event(key: object, value: object) -> SimpleNamespace:
        return SimpleNamespace(message=SimpleNamespace(topic="t", partition=1, offset=9, key=key, value=value),
                               value={"decoded": True})

    assert Inbound.from_event(event(b"k", b"{}")) == Inbound({"decoded": True}, b"{}", b"k", "t", 1, 9)
    assert Inbound.from_event(event(None, {"already": "decoded"})).original is None
    assert Inbound.from_event(event("text-key", b"{}")).key == b"text-key"


def test_the_kafka_timestamp_reaches_the_step_in_milliseconds() -> None:
    msg = SimpleNamespace(topic="t", partition=0, offset=1, key=b"k", value=b"{}", timestamp=1_700_000_000.123)
    assert Inbound.from_event(SimpleNamespace(message=msg, value={})).timestamp == 1_700_000_000_123
    fetched = SimpleNamespace(topic="t", partition=0, offset=2, key=b"k", value=b"{}", timestamp=1_700_000_000_456)
    assert Inbound.from_fetched(fetched, json_or_none).timestamp == 1_700_000_000_456
