"""`syndicate ingest`: send files or folders to wire.raw at once (no pacing, no progress bar: see `replay`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from streams.commands.replay import send
from streams.commands.replay_plan import Item, Plan, why
from streams.model import RAW
from streams.normalize.backlog import read_backlog
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "send files or folders to wire.raw"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "ingest")
    parser.add_argument("paths", nargs="+", type=Path)


def run(settings: Settings, args: argparse.Namespace) -> int:
    good, refused = read_backlog(args.paths, settings.max_input_bytes)
    plan = Plan("", settings.topic(RAW), [Item(r.key.encode(), r.value, r.origin) for r in good], refused)
    sent = asyncio.run(send(settings, plan, progress=False))
    for r in refused:
        print(f"refused {r.origin}: {r.rejection.reason}: {r.rejection.detail}", file=sys.stderr)
    print(f"sent {sent} to {plan.target}; refused {len(refused)}{f' ({why(refused)})' if refused else ''}")
    return 0 if not refused else 2
