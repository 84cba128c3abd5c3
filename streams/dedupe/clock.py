"""Stream time: when the stream received an input (its ``received_at``, else the broker's or the offline clock)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import ciso8601

#: A ``received_at`` may be older than the reference clock (the broker's timestamp of the record, or the
#: offline clock) by at most this much: an ingest gateway that held inputs through an outage of up to a day
#: keeps their real receipt time. Older claims are clamped to reference - MAX_LAG_MS.
MAX_LAG_MS = 24 * 3600 * 1000
#: ... and newer than it by at most this much (clock skew between the gateway and the broker). Newer claims
#: are clamped to reference + MAX_LEAD_MS, so no input can move the stream's clock into its future.
MAX_LEAD_MS = 5 * 60 * 1000


@dataclass(frozen=True, slots=True)
class StreamTime:
    """An input's stream time in epoch milliseconds, which clock gave it, and the clamping note if any."""

    ms: int
    clock: str  # "received_at" | "kafka-timestamp" | "offline-clock" | "wall-clock" | "given"
    clamped_from: str | None = None  # the received_at that was too far from the reference, as received

    @property
    def note(self) -> str | None:
        """What a decision says when the input's ``received_at`` was clamped."""
        if self.clamped_from is None:
            return None
        return (f"received_at {self.clamped_from!r} is too far from the {self.clock} "
                f"({format_ms(self.ms)} used)")

    def evidence(self) -> dict[str, Any]:
        """The stream time as a decision records it."""
        out: dict[str, Any] = {"at": format_ms(self.ms), "clock": self.clock}
        if self.clamped_from is not None:
            out["clamped_from"] = self.clamped_from
        return out


def format_ms(ms: int) -> str:
    """Epoch milliseconds as ISO 8601 UTC with milliseconds."""
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_ms(value: Any) -> int | None:
    """An ISO 8601 date-time (a ``received_at``) as epoch milliseconds; None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = ciso8601.parse_datetime(value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return int(dt.timestamp() * 1000)
    except (OverflowError, OSError, ValueError):
        return None


def stream_time(received_at: Any, reference_ms: int, reference: str) -> StreamTime:
    """The stream time of an input: its ``received_at`` when it is within [reference - MAX_LAG_MS, reference +
    MAX_LEAD_MS] of the reference clock (named `reference`: "kafka-timestamp", "offline-clock", ...), clamped to
    that window when outside it (the StreamTime says so), and the reference itself when there is none or it is
    not a date-time."""
    claimed = parse_ms(received_at)
    if claimed is None:
        return StreamTime(reference_ms, reference)
    low, high = reference_ms - MAX_LAG_MS, reference_ms + MAX_LEAD_MS
    if low <= claimed <= high:
        return StreamTime(claimed, "received_at")
    return StreamTime(min(max(claimed, low), high), reference, clamped_from=str(received_at))


class OrderClock:
    """The offline clock (`syndicate process`): the time the run started, plus one millisecond per input in
    backlog order, so an offline run orders its inputs the way a broker would have stamped them."""

    def __init__(self, start_ms: int | None = None) -> None:
        self.next_ms = int(time.time() * 1000) if start_ms is None else start_ms

    def __call__(self) -> int:
        now = self.next_ms
        self.next_ms += 1
        return now


class WallClock:
    """Epoch milliseconds now, never going backwards (a decide step called without a broker timestamp)."""

    def __init__(self) -> None:
        self.last = 0

    def __call__(self) -> int:
        self.last = max(self.last, int(time.time() * 1000))
        return self.last
