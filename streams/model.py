"""Message types every stage shares: the raw envelope, a typed rejection, the article alias."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: An IPTC ninjs 2.x object (validates against ninjs-schema_2.1.json). Stages never mutate an
#: article they were given: they build and return a new dict.
Article = dict[str, Any]

#: Logical topic names (the settings add a prefix; streams/kafka/topics.py creates them on a broker).
RAW = "wire.raw"
NORMALIZED = "wire.normalized"  # internal: tagged articles on ONE partition, where copies of a story meet
ARTICLES = "wire.articles"
DECISIONS = "wire.decisions"
DEAD_LETTER = "wire.dead-letter"
PARTNER_PREFIX = "partner."


def partner_topic(partner_id: str) -> str:
    """The logical topic a partner consumes."""
    return f"{PARTNER_PREFIX}{partner_id}"


#: Input formats an envelope may declare; absent means "detect it".
FORMATS = ("text", "html", "ninjs", "newsml", "reuters21578")


@dataclass(frozen=True, slots=True)
class Envelope:
    """One raw story as it enters `wire.raw` (contract: schemas/raw_story.schema.json)."""

    id: str
    content: str
    format: str | None = None
    received_at: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why an input could not become an article. `reason` is a short stable code.

    Codes in use: invalid-json, invalid-utf8, invalid-envelope, missing-content, empty-body,
    unknown-format, parse-error, too-large, no-reuters-credit, internal-error.
    """

    reason: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"reason": self.reason, "detail": self.detail}
