"""Read progress per input partition: the next offset an agent has still to process, and the gaps it finds.

Faust 0.15.3 can drop records it has already fetched while a rebalance is under way and then carry on past
them; sometimes it even commits past them (measured with `syndicate bench rebalance`). The agents therefore
keep their own progress in a table, next to the state the records built, and check every record against it:
a record further on than the progress means the records in between were never seen, and the agent fetches
them itself before it goes on. Replays (a record behind the progress) are processed again as usual.
"""

from __future__ import annotations

from collections.abc import MutableMapping

#: Table names per input topic (logical name). `syndicate rewind` writes to them too, so that a deliberate
#: skip forward is not mistaken for a gap.
TABLES = {"wire.raw": "read-progress-raw", "wire.normalized": "read-progress-normalized"}


class Progress:
    """Next offset to process per partition, written through to a mapping (a Faust table on Kafka, a dict in
    tests) on every record, so the next owner of a partition knows exactly where this one got to. Reads
    come from memory; `forget` drops them on a rebalance."""

    def __init__(self, table: MutableMapping[int, int]) -> None:
        self.table = table
        self._known: dict[int, int] = {}

    def next_offset(self, partition: int) -> int | None:
        """The next offset to process on `partition`, or None if no record of it was ever processed."""
        if partition not in self._known:
            stored = self.table.get(partition)
            if stored is None:
                return None
            self._known[partition] = stored
        return self._known[partition]

    def gap(self, partition: int, offset: int) -> tuple[int, int] | None:
        """The offsets [start, stop) skipped before `offset`, or None when the record follows on (or replays)."""
        expected = self.next_offset(partition)
        if expected is not None and offset > expected:
            return expected, offset
        return None

    def done(self, partition: int, offset: int) -> None:
        """Record that `offset` was processed; progress only moves forward (replays do not move it back)."""
        current = self.next_offset(partition)
        if current is None or offset >= current:
            self._known[partition] = self.table[partition] = offset + 1

    def forget(self) -> None:
        """Drop what memory holds (on a rebalance: another worker may have moved a partition on since)."""
        self._known.clear()
