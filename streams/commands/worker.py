"""`syndicate worker`: create the topics the pipeline needs, then run the worker's loops until stopped."""

from __future__ import annotations

import argparse

from streams.kafka.topics import ensure_topics, wait_for_broker, with_retries
from streams.runtime.control import live_partner_ids
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "run the Faust worker (creates missing topics first)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "worker")
    parser.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the broker")


def run(settings: Settings, args: argparse.Namespace) -> int:
    # Faust (and the whole pipeline) only here: the settings were checked before it loads, and the other
    # commands (and `syndicate --help`) start without it.
    from streams.runtime.app import run_worker

    wait_for_broker(settings.bootstrap_servers, timeout=args.wait)

    def prepared() -> list[str]:
        ids = live_partner_ids(settings)
        ensure_topics(settings, ids)  # the loops subscribe to topics that exist
        return ids

    ids = with_retries(prepared, args.wait)  # a cluster node restarting fails requests sent to it meanwhile
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # a sandbox's state lives a level further down
    return run_worker(settings, ids)
