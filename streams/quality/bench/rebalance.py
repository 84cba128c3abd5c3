"""`syndicate bench rebalance`: a known Faust pitfall, measured.

Two workers share the stream and one leaves (SIGTERM) while records are in flight; counts inputs decided
once, decided twice, and never decided.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import orjson

from streams.kafka import topics
from streams.settings import Settings
from streams.testing.harness import Stack, produce

_PAGE = """{n}: Kremlin says Putin ready to discuss Baltic troop build-up with NATO

MOSCOW (Reuters) - The Kremlin said on Tuesday that President Vladimir Putin was ready to discuss NATO's troop
build-up in the Baltic states, item {n} of a series counting {units} armoured units near the border.

Kremlin spokesman Dmitry Peskov told reporters that Russia considered the deployment a threat, report {n} said.

Reuters
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--stories", type=int, default=60)
    parser.add_argument("--wait", type=float, default=120.0, help="seconds to wait for every input's decision")


def run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    n = args.stories
    records = [(f"r{i}".encode(), orjson.dumps({"id": f"r{i}", "content": _PAGE.format(n=i, units=i * 13)}), None)
               for i in range(n)]
    lost_runs = 0
    wanted = {f"r{i}" for i in range(n)}
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(args.attempts):
            stack = Stack(settings.bootstrap_servers, Path(tmp) / str(attempt))
            stack.create_topics()
            try:
                stack.start_worker("w1")
                w2 = stack.start_worker("w2")
                time.sleep(3)
                produce(stack.bootstrap, stack.topic(topics.RAW), records[: n // 2])
                stack.stop_worker(w2)  # leaves the group with records in flight
                produce(stack.bootstrap, stack.topic(topics.RAW), records[n // 2 :])
                ids = [d["input_id"] for d in stack.decisions_for(wanted, timeout=args.wait, idle=3)]
                decided = set(ids)
                twice = len(ids) - len(decided)
                lost = len(wanted - decided)
                lost_runs += lost > 0
                print(f"  attempt {attempt}: {len(decided)}/{n} inputs decided, {twice} decided again, {lost} never")
            finally:
                stack.stop_all()
    print(f"rebalance: {lost_runs} of {args.attempts} attempts lost inputs")
    return 0
