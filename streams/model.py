"""Message types every stage shares: the raw envelope, a typed rejection and its reasons, the article alias."""

from __future__ import annotations

import enum
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


class Reason(enum.StrEnum):
    """Why an input became a dead letter: the stable code a `Rejection` carries (schemas/dead_letter.schema.json).

    A `StrEnum`: a member is its code (``Reason.TOO_LARGE == "too-large"``), so records and JSON carry the
    same strings as before the enum existed.
    """

    #: A backlog file that cannot be read or decompressed (ingest).
    UNREADABLE = "unreadable"
    #: The raw message is not a JSON envelope.
    INVALID_JSON = "invalid-json"
    #: The raw message or its content is not UTF-8.
    INVALID_UTF8 = "invalid-utf8"
    #: The envelope does not match schemas/raw_story.schema.json.
    INVALID_ENVELOPE = "invalid-envelope"
    #: The envelope has no content, or content that is not text or is empty.
    MISSING_CONTENT = "missing-content"
    #: The message or its content is larger than the configured limit.
    TOO_LARGE = "too-large"
    #: The declared or detected format is none the readers know (or its reader is not available).
    UNKNOWN_FORMAT = "unknown-format"
    #: The format's reader refused the content (not ninjs, not NewsML-G2, several SGML stories).
    PARSE_ERROR = "parse-error"
    #: HTML too deeply nested or too heavy for the C parsers (streams/normalize/formats/markup_limits.py).
    TOO_COMPLEX = "too-complex"
    #: No story text was found (or the envelope's content is only white space).
    EMPTY_BODY = "empty-body"
    #: The story carries no text credit the settings accept.
    NO_REUTERS_CREDIT = "no-reuters-credit"
    #: The article handed to dedupe is not one (no uri, no source id).
    INVALID_ARTICLE = "invalid-article"
    #: A stage raised on this input (a bug or a broken dependency, counted by the internal-error policy).
    INTERNAL_ERROR = "internal-error"
    #: A stage ran past its time budget on this input.
    TOO_SLOW = "too-slow"


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why an input could not become an article: a `Reason` code and a detail for the person who reads it.

    The codes are the members of `Reason`; `to_dict` writes them as plain strings.
    """

    reason: Reason
    detail: str

    def to_dict(self) -> dict[str, str]:
        """The rejection as a record's fields, ``{"reason": <code>, "detail": ...}``, in plain strings (a `Reason` is
        a `str` subclass, which orjson takes as a value but not as a key: counts by reason stay serialisable)."""
        return {"reason": str(self.reason), "detail": self.detail}
