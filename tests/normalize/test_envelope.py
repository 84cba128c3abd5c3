"""Raw envelopes: every malformed message becomes a typed rejection, never an exception."""

import orjson
import pytest

from streams.contracts import Contracts
from streams.model import Envelope, Rejection
from streams.normalize.envelope import EnvelopeReader, envelope_bytes


@pytest.fixture(scope="module")
def reader() -> EnvelopeReader:
    return EnvelopeReader(Contracts(), max_bytes=10_000)


@pytest.mark.parametrize(
    "raw,reason",
    [
        (b"", "invalid-json"),
        (b"{not json", "invalid-json"),
        (b'{"id": "a", "content": "caf\xe9"}', "invalid-utf8"),
        (b'{"id": "a"}', "missing-content"),
        (b'{"id": "a", "content": "   \\n "}', "empty-body"),
        (b'["a", "b"]', "invalid-envelope"),
        (b'{"id": 5, "content": "x"}', "invalid-envelope"),
        (b'{"id": "a", "content": "x", "format": "pdf"}', "invalid-envelope"),
        (b'{"id": "a", "content": "' + b"x" * 20_000 + b'"}', "too-large"),
    ],
)
def test_bad_envelopes_are_rejected_with_a_reason(reader: EnvelopeReader, raw: bytes, reason: str) -> None:
    result = reader.read(raw)
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert result.detail


def test_invalid_field_is_named(reader: EnvelopeReader) -> None:
    result = reader.read(b'{"id": "a", "content": "x", "format": "pdf"}')
    assert isinstance(result, Rejection) and result.detail.startswith("format:")


def test_round_trip(reader: EnvelopeReader) -> None:
    env = Envelope(id="x1", content="Hello (Reuters) - text", format="text", source="feed")
    assert reader.read(envelope_bytes(env)) == env
    assert "received_at" not in orjson.loads(envelope_bytes(env))
