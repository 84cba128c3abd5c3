"""An agent's input: the record a pipeline step sees (`Inbound`), the step, and the feed that ties them to a topic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from streams.kafka.progress import Progress
from streams.pipeline import Output


@dataclass(frozen=True, slots=True)
class Inbound:
    """One input record: its decoded value, the bytes it came from (None when the topic's codec decoded them
    and the bytes are gone), its key, where it was read, and its Kafka timestamp (epoch ms; the stream time)."""

    value: Any
    original: bytes | None
    key: bytes | None
    topic: str
    partition: int
    offset: int
    timestamp: int | None = None

    @classmethod
    def from_event(cls, event: Any) -> Inbound:
        """A record as Faust delivered it: the value the topic's codec decoded, and the bytes when they are raw."""
        msg = event.message
        original = msg.value if isinstance(msg.value, bytes) else None
        key = msg.key if isinstance(msg.key, bytes) or msg.key is None else str(msg.key).encode()
        seconds = getattr(msg, "timestamp", None)  # Faust gives seconds
        stamp = int(seconds * 1000) if isinstance(seconds, int | float) else None
        return cls(event.value, original, key, msg.topic, msg.partition, msg.offset, stamp)

    @classmethod
    def from_fetched(cls, record: Any, decode: Callable[[bytes | None], Any]) -> Inbound:
        """A record read outside Faust (an aiokafka ConsumerRecord), its bytes decoded by `decode`."""
        return cls(decode(record.value), record.value, record.key, record.topic, record.partition, record.offset,
                   getattr(record, "timestamp", None))

    @property
    def input_id(self) -> str:
        """The key as text; a record without a key is named by where it was read."""
        return self.key.decode("utf-8", "replace") if self.key else f"{self.topic}:{self.partition}:{self.offset}"

    @property
    def source(self) -> dict[str, Any]:
        """Where the record was read, as dead letters report it."""
        return {"topic": self.topic, "partition": self.partition, "offset": self.offset}


#: One pipeline step on one record -> the records to write.
Step = Callable[[Inbound], list[Output]]


@dataclass
class Feed:
    """One agent's input: its topic, the pipeline step it runs, how to decode bytes it fetches itself, and
    its read progress (see streams/kafka/progress.py)."""

    name: str
    topic: str
    step: Step
    decode: Callable[[bytes | None], Any]
    progress: Progress
    busy: bool = False


def json_or_none(value: bytes | None) -> Any:
    """Decode like the topic's codec; a record that is not JSON reaches the step as None (a dead letter)."""
    try:
        return orjson.loads(value) if value is not None else None
    except orjson.JSONDecodeError:
        return None
