"""Held deliveries: pause, embargo, delivery windows and rate limits. A partner's queue is state passed in (a table
on workers, a dict offline); `release` decides what leaves it at a given time, so replays decide the same way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 time (ours end in Z) as an aware UTC datetime, or None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class Window:
    """Delivery hours in the partner's zone, in minutes from midnight; start > end crosses midnight."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> Window:
        a, b = text.split("-")
        return cls(_minutes(a), _minutes(b))

    def contains(self, minute: int) -> bool:
        if self.start <= self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


@dataclass(frozen=True, slots=True)
class Policy:
    """How one partner's deliveries are held: what `release` needs to know about the partner."""

    paused: bool = False
    timezone: str = "UTC"
    windows: tuple[Window, ...] = ()
    rate_max: int | None = None
    rate_seconds: float = 60.0

    def window_open(self, now: datetime) -> bool:
        if not self.windows:
            return True
        local = now.astimezone(ZoneInfo(self.timezone))
        minute = local.hour * 60 + local.minute
        return any(w.contains(minute) for w in self.windows)

    def next_opening(self, now: datetime) -> datetime:
        """The first minute at or after `now` inside a window (for saying why something waits)."""
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone).replace(second=0, microsecond=0)
        candidates = []
        for w in self.windows:
            for days in (0, 1, 2):
                day = local.date() + timedelta(days=days)
                opening = datetime(day.year, day.month, day.day, w.start // 60, w.start % 60, tzinfo=zone)
                if opening >= local:
                    candidates.append(opening)
                    break
        return min(candidates).astimezone(UTC) if candidates else now

    def rate_room(self, sent: list[float], now: datetime) -> tuple[list[float], int | None]:
        """The send times still inside the rate period, and how many more may go now (None: no limit)."""
        if self.rate_max is None:
            return sent, None
        horizon = now.timestamp() - self.rate_seconds
        recent = [t for t in sent if t > horizon]
        return recent, max(0, self.rate_max - len(recent))


def empty_queue() -> dict[str, Any]:
    """A partner's entry in the held mapping: next sequence number, the queue, recent send times (rate)."""
    return {"seq": 0, "queue": [], "sent": []}


def entry(*, seq: int, uri: str, version: Any, payload: Any, kill: bool, not_before: datetime | None,
          sent_before: bool, queued_at: datetime) -> dict[str, Any]:
    """One held delivery (JSON values only: it is stored in a table on workers)."""
    return {"seq": seq, "uri": uri, "version": version, "payload": payload, "kill": kill,
            "not_before": iso(not_before) if not_before else None, "sent_before": sent_before,
            "queued_at": iso(queued_at)}


def release(policy: Policy, state: Mapping[str, Any], now: datetime) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What leaves a partner's queue at `now`, in order, and the new state. Rules:
    - paused: nothing leaves;
    - a kill leaves at once (no embargo, window or rate holds it back);
    - an embargoed story waits until its time, and later versions of the same story wait behind it, while
      other stories go on;
    - outside the delivery windows, or with the rate limit used up, the rest wait in order."""
    queue = list(state.get("queue", ()))
    if policy.paused or not queue:
        return [], dict(state)
    sent, room = policy.rate_room(list(state.get("sent", ())), now)
    window_open = policy.window_open(now)
    out: list[dict[str, Any]] = []
    keep: list[dict[str, Any]] = []
    blocked_uris: set[str] = set()
    stopped = False  # window closed or rate used up: later non-kill entries keep their order behind
    for item in queue:
        if item["uri"] in blocked_uris:
            keep.append(item)
            continue
        if item["kill"]:
            out.append(item)
            continue
        not_before = parse_time(item.get("not_before"))
        if not_before is not None and not_before > now:
            keep.append(item)
            blocked_uris.add(item["uri"])
            continue
        if stopped or not window_open or room == 0:
            stopped = True
            keep.append(item)
            blocked_uris.add(item["uri"])
            continue
        out.append(item)
        if room is not None:
            room -= 1
            sent.append(now.timestamp())
    return out, {"seq": state.get("seq", 0), "queue": keep, "sent": sent}


#: Why a delivery is held, as the decision record's `held[].reason` says it (schemas/decision.schema.json).
HOLD_REASONS = ("paused", "embargo", "window", "rate", "behind")


def hold_of(policy: Policy, state: Mapping[str, Any], item: Mapping[str, Any],
            now: datetime) -> tuple[str, datetime | None]:
    """Why an entry is still held at `now` (one of HOLD_REASONS) and the earliest time it may go, when that is
    known: the embargo time, the next window opening, the time the rate limit next has room (None: paused, or
    behind an earlier held version of the same story)."""
    if policy.paused:
        return "paused", None
    not_before = parse_time(item.get("not_before"))
    if not_before is not None and not_before > now:
        return "embargo", not_before
    if not policy.window_open(now):
        return "window", policy.next_opening(now)
    recent, room = policy.rate_room(list(state.get("sent", ())), now)
    if room == 0:
        return "rate", datetime.fromtimestamp(min(recent) + policy.rate_seconds, UTC)
    return "behind", None


def why_held(policy: Policy, state: Mapping[str, Any], item: Mapping[str, Any], now: datetime) -> str:
    """A short reason an entry is still held at `now` (for `syndicate process` and `partners show`)."""
    code, until = hold_of(policy, state, item, now)
    if code == "paused":
        return "partner paused"
    if code == "embargo":
        return f"embargoed until {iso(until or now)}"
    if code == "window":
        return f"outside delivery windows (next opens {iso(until or now)})"
    if code == "rate":
        return f"rate limit ({policy.rate_max} per {policy.rate_seconds:g}s)"
    return "behind an earlier held version of the same story"
