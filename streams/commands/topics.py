"""`syndicate topics`: create every topic the pipeline uses (the live registry's partners' too) and list them."""

from __future__ import annotations

import argparse

from streams.kafka.topics import ensure_topics, topic_plan
from streams.runtime.control import live_partner_ids
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "create every topic the pipeline uses and list them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "topics")


def run(settings: Settings, args: argparse.Namespace) -> int:
    ids = live_partner_ids(settings)
    created = ensure_topics(settings, ids)
    for name, parts in topic_plan(settings, ids).items():
        print(f"{name:40} partitions={parts}{'  (created)' if name in created else ''}")
    return 0
