"""Turns the bytes of one `wire.raw` message into an Envelope, or a Rejection saying what is wrong."""

from __future__ import annotations

from typing import Any

import orjson

from streams.contracts import Contracts, error_path
from streams.model import Envelope, Reason, Rejection


class EnvelopeReader:
    """Parses and checks raw envelopes against schemas/raw_story.schema.json. Pure: bytes in, value out."""

    def __init__(self, contracts: Contracts, max_bytes: int = 5_000_000) -> None:
        self._validator = contracts.envelope
        self.max_bytes = max_bytes

    def read(self, raw: bytes | None) -> Envelope | Rejection:
        """The envelope in one `wire.raw` message value, or why there is none (empty, too large, not UTF-8, ...)."""
        if raw is None or len(raw) == 0:
            return Rejection(Reason.INVALID_JSON, "empty message value")
        if len(raw) > self.max_bytes:
            return Rejection(Reason.TOO_LARGE, f"{len(raw)} bytes is over the {self.max_bytes}-byte limit")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Rejection(Reason.INVALID_UTF8, f"not UTF-8 at byte {exc.start}: {exc.reason}")
        try:
            data: Any = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            return Rejection(Reason.INVALID_JSON, str(exc)[:300])
        return self.from_mapping(data)

    def from_mapping(self, data: Any) -> Envelope | Rejection:
        """The envelope in decoded JSON, checked against schemas/raw_story.schema.json, or why it is none."""
        if not isinstance(data, dict):
            return Rejection(Reason.INVALID_ENVELOPE, f"expected a JSON object, got {type(data).__name__}")
        if "content" not in data or data["content"] is None:
            return Rejection(Reason.MISSING_CONTENT, "the envelope has no `content`")
        errors = sorted(self._validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            first = errors[0]
            return Rejection(Reason.INVALID_ENVELOPE, f"{error_path(first)}: {first.message}"[:500])
        if not data["content"].strip():
            return Rejection(Reason.EMPTY_BODY, "`content` is empty or only white space")
        return Envelope(
            id=data["id"],
            content=data["content"],
            format=data.get("format"),
            received_at=data.get("received_at"),
            source=data.get("source"),
        )


def envelope_bytes(envelope: Envelope) -> bytes:
    """The JSON value a producer puts on `wire.raw` for this envelope (absent optionals left out)."""
    record = {"id": envelope.id, "content": envelope.content}
    for name in ("format", "received_at", "source"):
        value = getattr(envelope, name)
        if value is not None:
            record[name] = value
    return orjson.dumps(record)
