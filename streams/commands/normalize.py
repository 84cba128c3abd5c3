"""`syndicate normalize`: normalise files (or - for stdin) to JSON lines, one per input, without Kafka."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from streams.contracts import Contracts
from streams.model import Envelope, Rejection
from streams.normalize.backlog import RawRecord, Refusal, load_backlog
from streams.normalize.envelope import EnvelopeReader, envelope_bytes
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "normalise files (or - for stdin) to JSON lines, without Kafka"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, "normalize")
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--format", choices=["text", "html", "ninjs", "newsml", "reuters21578"])


def _stdin_records(fmt: str | None) -> list[Any]:
    data = sys.stdin.buffer.read()
    env = Envelope(id="-", content=data.decode("utf-8", "replace"), format=fmt, source="stdin")
    return [RawRecord("-", envelope_bytes(env), "-")]


def _write_jsonl(out: Any, value: Any) -> None:
    out.write(orjson.dumps(value) + b"\n")


def run(settings: Settings, args: argparse.Namespace) -> int:
    # The normaliser's formats and tables: heavy, kept off `syndicate --help` and the other commands.
    from streams.normalize.normalizer import Normalizer

    reader = EnvelopeReader(Contracts(), settings.max_input_bytes)
    normalizer = Normalizer(credits=settings.accepted_credits)
    items: Iterable[Any] = (
        _stdin_records(args.format) if [str(p) for p in args.paths] == ["-"] else load_backlog(args.paths, reader)
    )
    out = sys.stdout.buffer
    for item in items:
        if isinstance(item, Refusal):
            _write_jsonl(out, {"input_id": item.origin, "rejected": item.rejection.to_dict()})
            continue
        env = reader.read(item.value)
        if isinstance(env, Rejection):
            _write_jsonl(out, {"input_id": item.key, "rejected": env.to_dict()})
            continue
        if args.format:
            env = Envelope(env.id, env.content, args.format, env.received_at, env.source)
        result = normalizer.normalize(env)
        if isinstance(result, Rejection):
            _write_jsonl(out, {"input_id": env.id, "rejected": result.to_dict()})
        else:
            _write_jsonl(out, {"input_id": env.id, "article": result})
    out.flush()
    return 0
