"""`syndicate process`: the whole pipeline offline, BACKLOG -> DIR/*.jsonl, on the offline clock."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streams.errors import SettingsError
from streams.route.router import Held
from streams.route.schedule import parse_time
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "the whole pipeline offline: BACKLOG -> DIR/*.jsonl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "process")
    parser.add_argument("backlog", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--clock", help="start the offline clock at this ISO time (default: when the run starts; "
                        "one millisecond per input): the stream time of inputs without received_at, at which they "
                        "are routed (embargo, window and rate holds)")
    parser.add_argument("--until", help="after the backlog, release what is due by this ISO time (or 'now'); "
                        "what is still held is printed with the reason and written to DIR/held.jsonl")


def _when(name: str, text: str | None) -> Any:
    """`now` or an ISO 8601 time (UTC when it has no zone); a bad value is a SettingsError naming the option."""
    if text is None:
        return None
    if text == "now":
        return datetime.now(UTC)
    moment = parse_time(text)
    if moment is None:
        raise SettingsError(f"{name} {text!r}: use an ISO 8601 time (2026-11-30T12:00:00Z) or 'now'")
    return moment


def run(settings: Settings, args: argparse.Namespace) -> int:
    # The pipeline's stages (normalise, tag, dedupe): heavy, kept off `syndicate --help` and the other commands.
    from streams.dedupe.clock import OrderClock
    from streams.offline import run_offline

    held: list[Held] = []
    start = _when("--clock", args.clock)
    clock = OrderClock(int(start.timestamp() * 1000)) if start is not None else None
    counts = run_offline(settings, args.backlog, args.out, clock, until=_when("--until", args.until), held_out=held)
    summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    print(f"wrote {args.out}: {summary}")
    for h in held:
        print(f"  held for {h.partner_id}: {h.uri} v{h.version}: {h.reason}")
    return 0
