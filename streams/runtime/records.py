"""Records in and out of the loops: the input a step sees (`Inbound`), and outputs encoded once for the producer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from streams import model
from streams.pipeline import Output

#: A record to produce: full topic name, key bytes, value bytes, partition (None: by key, Kafka's partitioner).
Encoded = tuple[str, bytes | None, bytes, int | None]

#: Logical topics with more than one partition: their records are placed by key. Every other topic has one
#: partition, and giving it saves the producer's murmur2 of every key (5% of a worker's samples in py-spy).
KEYED = frozenset({model.RAW, model.ARTICLES})


@dataclass(frozen=True, slots=True)
class Inbound:
    """One input record: its decoded value, its bytes, its key, where it was read and its Kafka timestamp (ms)."""

    value: Any
    original: bytes | None
    key: bytes | None
    topic: str
    partition: int
    offset: int
    timestamp: int | None = None

    @classmethod
    def of(cls, record: Any, decode: Callable[[bytes | None], Any]) -> Inbound:
        """An aiokafka ConsumerRecord (or anything with the same fields), its bytes decoded by `decode`."""
        return cls(decode(record.value), record.value, record.key, record.topic, record.partition, record.offset,
                   record.timestamp)

    @property
    def input_id(self) -> str:
        """The key as text; a record without a key is named by where it was read."""
        return self.key.decode("utf-8", "replace") if self.key else f"{self.topic}:{self.partition}:{self.offset}"

    @property
    def source(self) -> dict[str, Any]:
        """Where the record was read, as dead letters report it."""
        return {"topic": self.topic, "partition": self.partition, "offset": self.offset}


def raw_bytes(value: bytes | None) -> bytes | None:
    """wire.raw values reach `prepare` as the bytes they are (the envelope reader decodes them)."""
    return value


def json_or_none(value: bytes | None) -> Any:
    """A wire.normalized value decoded; one that is not JSON reaches `decide` as None (a dead letter)."""
    try:
        return orjson.loads(value) if value is not None else None
    except orjson.JSONDecodeError:
        return None


class Encoder:
    """Outputs to producer records: the full topic name (prefix added, cached), the bytes (encoded once), and
    partition 0 for the topics that have only that one."""

    def __init__(self, topic_of: Callable[[str], str]) -> None:
        self._topic_of = topic_of
        self._names: dict[str, tuple[str, int | None]] = {}

    def topic(self, logical: str) -> str:
        return self._name(logical)[0]

    def _name(self, logical: str) -> tuple[str, int | None]:
        found = self._names.get(logical)
        if found is None:
            found = self._names[logical] = (self._topic_of(logical), None if logical in KEYED else 0)
        return found

    def encode(self, outputs: Sequence[Output]) -> list[Encoded]:
        out: list[Encoded] = []
        dumps, option, name = orjson.dumps, orjson.OPT_NON_STR_KEYS, self._name
        for o in outputs:
            value = o.value
            topic, partition = name(o.topic)
            out.append((topic, o.key.encode() if o.key else None,
                        value if isinstance(value, bytes) else dumps(value, option=option), partition))
        return out


def internal_error_stage(outputs: Sequence[Output]) -> str | None:
    """The stage named by an `internal-error` dead letter among `outputs` (None when there is none)."""
    for o in outputs:
        if (o.topic == model.DEAD_LETTER and isinstance(o.value, dict)
                and o.value.get("reason") == model.Reason.INTERNAL_ERROR):
            return str(o.value.get("stage"))
    return None
