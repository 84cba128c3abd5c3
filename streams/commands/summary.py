"""`syndicate summary`: counts of decisions and partner deliveries on the broker, and one delivered article."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

import orjson

from streams.kafka import topics
from streams.kafka.reading import read_topic
from streams.runtime.control import live_partner_ids
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "counts of decisions and partner deliveries on the broker"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "summary")
    parser.add_argument("--expect", type=int, help="wait (up to --timeout) until this many decisions exist")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--show-article", action="store_true", help="print one delivered article")


def _values(settings: Settings, topic: str, **wait: Any) -> list[Any]:
    return [r["value"] for r in read_topic(settings.bootstrap_servers, topic, **wait)]


def _excerpt(article: dict[str, Any]) -> dict[str, Any]:
    """The article with each body cut to 300 characters."""
    sample = dict(article)
    sample["bodies"] = [
        {**b, "value": b["value"][:300] + ("..." if len(b["value"]) > 300 else "")}
        for b in sample.get("bodies", [])
    ]
    return sample


def run(settings: Settings, args: argparse.Namespace) -> int:
    decisions = _values(settings, settings.topic(topics.DECISIONS), until=args.expect or None,
                        timeout=max(args.timeout, 1.0), idle=1.5)
    counts = Counter(d["decision"] for d in decisions)
    print(f"decisions on {settings.topic(topics.DECISIONS)}: {len(decisions)} "
          f"({', '.join(f'{k} {v}' for k, v in counts.most_common())})")
    for d in decisions:
        if d["decision"] == "rejected":
            print(f"  rejected {d['input_id']}: {d['reason']} ({d.get('detail', '')[:80]})")
    shown = False
    for partner_id in live_partner_ids(settings):
        articles = _values(settings, settings.topic(topics.partner_topic(partner_id)), idle=1.0)
        print(f"partner.{partner_id:<16} {len(articles):>4} delivered")
        if articles and not shown and args.show_article:
            shown = True
            print(f"\none article delivered to partner.{partner_id}:")
            print(orjson.dumps(_excerpt(articles[0]), option=orjson.OPT_INDENT_2).decode())
    return 0
