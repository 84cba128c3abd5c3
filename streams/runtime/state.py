"""The decide step's state: in-memory tables that note which keys changed, written as changelog records per batch.

A `StateStore` holds named tables (the dedupe stories and watermark, the delivery log, and whatever other
helpers add). Each table is a plain mapping to the stage code; assigning or deleting a key marks it dirty.
After a batch the loop takes `changes()`: one changelog record per dirty key (key `["<table>", <key>]` as
JSON, value the new value as `encode_value` writes it -- JSON, or for a `bytes` value (a dedupe story's packed
record) a zero byte and the bytes as they are -- or a tombstone for a deletion) and writes them to the compacted
changelog topic in the same Kafka transaction as the batch's outputs and input offsets (exactly-once), or
before it commits the input offsets (at-least-once). A worker that takes the partition over reads the
changelog to its end with `apply` and has the state the last committed batch left.

Values are reassigned, never mutated in place (the stage code already works that way: a table persists
``table[key] = value``, not changes inside a value). No Kafka here: streams/runtime/changelog.py reads and the
loop writes.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

import orjson

#: Tables the pipeline's decide step uses (streams/runtime/app.py builds the pipeline's State from them).
STORIES, META, DELIVERY_LOG, HELD = "dedupe-stories", "dedupe-meta", "delivery-log", "held-deliveries"
#: The chrome memory (streams/normalize/memory.py): read and taught in the decide step, around dedupe.
CHROME = "chrome-memory"

ChangelogRecord = tuple[bytes, bytes | None]

#: Marks a changelog value that is raw bytes, not JSON (no JSON text starts with a zero byte).
_RAW = b"\x00"


def encode_value(value: Any) -> bytes:
    """A table value as its changelog record stores it: bytes as they are (after a zero byte), else JSON."""
    if isinstance(value, bytes):
        return _RAW + value
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def decode_value(data: bytes) -> Any:
    """Inverse of `encode_value`."""
    return data[1:] if data[:1] == _RAW else orjson.loads(data)


class Table(MutableMapping[Any, Any]):
    """A dict that tells its store which keys were assigned or deleted since the last flush."""

    __slots__ = ("_data", "_dirty", "name")

    def __init__(self, name: str, dirty: set[Any]) -> None:
        self.name = name
        self._data: dict[Any, Any] = {}
        self._dirty = dirty

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def get(self, key: Any, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __setitem__(self, key: Any, value: Any) -> None:
        self._data[key] = value
        self._dirty.add(key)

    def __delitem__(self, key: Any) -> None:
        del self._data[key]
        self._dirty.add(key)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def load(self, key: Any, value: Any) -> None:
        """Set (or with None, delete) a key as restored from the changelog: not a change to write again."""
        if value is None:
            self._data.pop(key, None)
        else:
            self._data[key] = value

    def clear_all(self) -> None:
        """Forget everything without writing tombstones (the state is being restored from scratch)."""
        self._data.clear()


class StateStore:
    """Named `Table`s, their dirty keys, and their changelog encoding."""

    def __init__(self) -> None:
        self._tables: dict[str, Table] = {}
        self._dirty: dict[str, set[Any]] = {}

    def table(self, name: str) -> Table:
        """The table called `name`, created empty the first time it is asked for."""
        if name not in self._tables:
            if "\x00" in name:
                raise ValueError(f"table name {name!r}")
            self._dirty[name] = set()
            self._tables[name] = Table(name, self._dirty[name])
        return self._tables[name]

    def changes(self) -> list[ChangelogRecord]:
        """One changelog record per key changed since the last `changes()` (the dirty marks are cleared)."""
        out: list[ChangelogRecord] = []
        dumps = orjson.dumps
        for name, keys in self._dirty.items():
            if not keys:
                continue
            data = self._tables[name]._data
            for key in keys:
                value = data.get(key)
                out.append((dumps([name, key]), None if value is None else encode_value(value)))
            keys.clear()
        return out

    def discard_changes(self) -> None:
        """Forget the dirty marks (after a failed batch the whole state is restored again instead)."""
        for keys in self._dirty.values():
            keys.clear()

    def apply(self, key: bytes | None, value: bytes | None) -> bool:
        """Apply one changelog record; False (and nothing changed) for a key this store cannot read."""
        try:
            name, table_key = orjson.loads(key) if key is not None else (None, None)
        except (orjson.JSONDecodeError, TypeError, ValueError):
            return False
        if not isinstance(name, str):
            return False
        if isinstance(table_key, list):
            table_key = tuple(table_key)
        self.table(name).load(table_key, None if value is None else decode_value(value))
        return True

    def reset(self) -> None:
        """Drop every table's contents and dirty marks (before a restore)."""
        for table in self._tables.values():
            table.clear_all()
        self.discard_changes()
