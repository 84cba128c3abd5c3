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
    """Next offset to process per partition, in a mapping (a Faust table on Kafka, a dict in tests)."""

    def __init__(self, table: MutableMapping[int, int]) -> None:
        self.table = table

    def gap(self, partition: int, offset: int) -> tuple[int, int] | None:
        """The offsets [start, stop) skipped before `offset`, or None when the record follows on (or replays)."""
        expected = self.table.get(partition)
        if expected is not None and offset > expected:
            return expected, offset
        return None

    def done(self, partition: int, offset: int) -> None:
        """Record that `offset` was processed; progress only moves forward (replays do not move it back)."""
        current = self.table.get(partition)
        if current is None or offset >= current:
            self.table[partition] = offset + 1
