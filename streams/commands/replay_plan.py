"""`syndicate replay`, the plan: which stories (from files or a topic window), at what pace, to which topic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson

from streams.commands.rewind import Target
from streams.normalize.backlog import Refusal


@dataclass(frozen=True, slots=True)
class Item:
    """One story to send: key and value as they go to wire.raw, where it came from, and its time (the
    envelope's `received_at`, else the Kafka timestamp of the record it was read from; None if neither)."""

    key: bytes | None
    value: bytes
    origin: str
    when_ms: int | None = None


@dataclass
class Plan:
    """What a replay will do. `--dry-run` prints it and stops."""

    source: str
    target: str
    items: list[Item]
    refused: list[Refusal] = field(default_factory=list)
    outside: int = 0  # stories left out by --from/--until
    limited: int = 0  # stories left out by --limit
    sandbox: str = ""
    rate: float | None = None
    speed: float | None = None

    @property
    def schedule(self) -> list[float]:
        return pace([i.when_ms for i in self.items], rate=self.rate, speed=self.speed)

    def describe(self) -> list[str]:
        """The plan as the lines `--dry-run` prints."""
        lines = [f"source:  {self.source}"]
        counted = f"stories: {len(self.items)} to send"
        if self.outside:
            counted += f"; {self.outside} outside --from/--until"
        if self.limited:
            counted += f"; {self.limited} past --limit"
        if self.refused:
            counted += f"; {len(self.refused)} refused ({why(self.refused)})"
        lines.append(counted)
        times = [i.when_ms for i in self.items if i.when_ms is not None]
        if times:
            missing = len(self.items) - len(times)
            lines.append(f"span:    {iso(min(times))} .. {iso(max(times))}"
                         + (f" ({missing} without a time)" if missing else ""))
        schedule = self.schedule
        took = schedule[-1] if schedule else 0.0
        if self.rate:
            lines.append(f"pace:    {self.rate:g} stories/s, about {duration(took)}")
        elif self.speed:
            lines.append(f"pace:    x{self.speed:g} the original spacing, about {duration(took)}"
                         + ("" if times else " (no story has a time: all at once)"))
        else:
            lines.append("pace:    as fast as the broker takes them")
        if self.sandbox:
            lines.append(f"target:  {self.target} (sandbox {self.sandbox}: `syndicate worker --sandbox {self.sandbox}` "
                         f"processes it into its own topics; production topics are not written)")
        else:
            lines.append(f"target:  {self.target} (PRODUCTION: the worker delivers what comes of it to partners)")
        return lines


def why(refused: Sequence[Refusal]) -> str:
    reasons = Counter(r.rejection.reason for r in refused)
    return ", ".join(f"{n} {k}" for k, n in reasons.most_common())


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.1f}s"
    if seconds < 5400:
        return f"{seconds / 60:.1f}m"
    return f"{seconds / 3600:.1f}h"


def received_ms(value: bytes) -> int | None:
    """The envelope's `received_at` in epoch ms, or None (not an envelope, no time, or not a time)."""
    try:
        envelope = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    raw = envelope.get("received_at") if isinstance(envelope, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() * 1000)


def pace(times: Sequence[int | None], *, rate: float | None = None, speed: float | None = None) -> list[float]:
    """Seconds after the start at which each story is sent. `rate`: evenly, that many per second. `speed`:
    the original spacing of `times` divided by `speed`; a story without a time, or earlier than the one
    before it, goes right after the one before. Neither: all at once (zeros)."""
    if rate:
        return [n / rate for n in range(len(times))]
    if not speed:
        return [0.0] * len(times)
    out: list[float] = []
    first: int | None = None
    last = 0.0
    for t in times:
        if t is not None and first is None:
            first = t
        at = last if t is None or first is None else max(last, (t - first) / 1000 / speed)
        out.append(at)
        last = at
    return out


def window(items: Sequence[Item], start: Target, until: Target) -> tuple[list[Item], int]:
    """The stories of a file backlog inside --from/--until: an offset is a position in the backlog's order
    (from inclusive, until exclusive), a time is compared with the story's time (a story without one is
    outside any time window). Returns the stories kept and how many were left out."""

    def after_start(n: int, item: Item) -> bool:
        if start.kind == "earliest":
            return True
        if start.kind == "latest":
            return False
        if start.kind == "offset":
            return n >= (start.offset or 0)
        return item.when_ms is not None and item.when_ms >= (start.time_ms or 0)

    def before_until(n: int, item: Item) -> bool:
        if until.kind == "latest":
            return True
        if until.kind == "earliest":
            return False
        if until.kind == "offset":
            return n < (until.offset or 0)
        return item.when_ms is not None and item.when_ms < (until.time_ms or 0)

    kept = [item for n, item in enumerate(items) if after_start(n, item) and before_until(n, item)]
    return kept, len(items) - len(kept)


def partition_range(target: Target, beginning: int, end: int, by_time: int | None, *, upper: bool) -> int:
    """One partition's offset for a --from (`upper` False) or --until (`upper` True) target, clamped to the
    log. `by_time` is the broker's answer to offsets_for_times (None: no record at or after that time)."""
    if target.kind == "earliest":
        return beginning
    if target.kind == "latest":
        return end
    if target.kind == "offset":
        return min(max(target.offset or 0, beginning), end)
    return end if by_time is None else max(by_time, beginning)
