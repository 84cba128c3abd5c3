"""`syndicate`: the one command line for workers and every operator task."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from streams.errors import SettingsError, SyndicateError
from streams.model import RAW
from streams.settings import Settings

EVALS = ("extraction", "tagging", "dedupe")
REWIND_STATE_NOTE = (
    "table state is not rewound: the dedupe stories, the delivery log and the chrome memory keep what they hold,\n"
    "so records processed again meet the stories they already made: re-sent inputs are decided `duplicate` and\n"
    "no partner receives a version twice; a record skipped forward is never processed. To process a window\n"
    "again from fresh state, replay it into a sandbox: syndicate replay --from-topic wire.raw --from P --sandbox NAME"
)
BENCHES = (
    "normalize", "html", "tag", "dedupe", "route", "e2e", "recovery", "rebalance", "crash", "flood", "chaos", "soak",
)


def _settings(args: argparse.Namespace) -> Settings:
    from streams.settings.flags import from_args

    return from_args(args)


# -- broker -------------------------------------------------------------------------------------------
def cmd_broker(args: argparse.Namespace) -> int:
    from streams.devbroker.cluster import broker_command

    print(broker_command(_settings(args), args.action, nodes=args.nodes, node=args.node, secure=args.secure))
    return 0


# -- worker / topics ----------------------------------------------------------------------------------
def _partner_ids(settings: Settings) -> list[str]:
    """The live registry's partners (the control topic, seeded from SYNDICATE_PARTNERS when it is empty)."""
    from streams.runtime.control import live_partner_ids

    return live_partner_ids(settings)


def cmd_topics(args: argparse.Namespace) -> int:
    from streams.kafka.topics import ensure_topics, topic_plan

    settings = _settings(args)
    ids = _partner_ids(settings)
    created = ensure_topics(settings, ids)
    for name, parts in topic_plan(settings, ids).items():
        print(f"{name:40} partitions={parts}{'  (created)' if name in created else ''}")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    settings = _settings(args)  # before importing Faust: a bad setting is refused at once
    from streams.kafka.topics import ensure_topics, wait_for_broker, with_retries
    from streams.runtime.app import run_worker

    wait_for_broker(settings.bootstrap_servers, timeout=args.wait)

    def prepared() -> list[str]:
        ids = _partner_ids(settings)
        ensure_topics(settings, ids)  # the loops subscribe to topics that exist
        return ids

    ids = with_retries(prepared, args.wait)  # a cluster node restarting fails requests sent to it meanwhile
    settings.data_dir.mkdir(parents=True, exist_ok=True)  # a sandbox's state lives a level further down
    return run_worker(settings, ids)


# -- ingest / replay / sandbox ------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    from streams.commands.replay import send
    from streams.commands.replay_plan import Item, Plan, why
    from streams.normalize.backlog import read_backlog

    settings = _settings(args)
    good, refused = read_backlog(args.paths, settings.max_input_bytes)
    plan = Plan("", settings.topic(RAW), [Item(r.key.encode(), r.value, r.origin) for r in good], refused)
    sent = asyncio.run(send(settings, plan, progress=False))
    for r in refused:
        print(f"refused {r.origin}: {r.rejection.reason}: {r.rejection.detail}", file=sys.stderr)
    print(f"sent {sent} to {plan.target}; refused {len(refused)}{f' ({why(refused)})' if refused else ''}")
    return 0 if not refused else 2


def cmd_replay(args: argparse.Namespace) -> int:
    from streams.commands import replay as replay_run

    return replay_run.run(_settings(args), args)


def cmd_sandbox(args: argparse.Namespace) -> int:
    from streams.commands import sandbox

    return sandbox.run(_settings(args), args.action, args.name)


def cmd_rewind(args: argparse.Namespace) -> int:
    from streams.commands.rewind import apply, group_for

    settings = _settings(args)
    group = args.group or group_for(settings.app_id, args.topic)
    topic = settings.topic(args.topic)
    moves = asyncio.run(apply(bootstrap=settings.bootstrap_servers, group=group, topic=topic, spec=args.to,
                              execute=args.execute))
    print(f"{'applied' if args.execute else 'plan (dry run; add --execute to apply)'}: group {group} on {topic}")
    for m in moves:
        current = "-" if m.current is None else m.current
        print(f"  partition {m.partition}: {current} -> {m.target}  ({m.replays:+d} records to process again)")
    print(f"  total: {sum(m.replays for m in moves):+d}")
    print(REWIND_STATE_NOTE)
    return 0


# -- tail ---------------------------------------------------------------------------------------------
def cmd_tail(args: argparse.Namespace) -> int:
    from streams.commands import tail

    return tail.run(_settings(args), args)


# -- summary ------------------------------------------------------------------------------------------
def cmd_summary(args: argparse.Namespace) -> int:
    from streams.kafka import topics
    from streams.kafka.reading import read_topic

    settings = _settings(args)

    def values(topic: str, **wait: Any) -> list[Any]:
        return [r["value"] for r in read_topic(settings.bootstrap_servers, topic, **wait)]

    decisions = values(settings.topic(topics.DECISIONS), until=args.expect or None,
                       timeout=max(args.timeout, 1.0), idle=1.5)
    counts = Counter(d["decision"] for d in decisions)
    print(f"decisions on {settings.topic(topics.DECISIONS)}: {len(decisions)} "
          f"({', '.join(f'{k} {v}' for k, v in counts.most_common())})")
    for d in decisions:
        if d["decision"] == "rejected":
            print(f"  rejected {d['input_id']}: {d['reason']} ({d.get('detail', '')[:80]})")
    shown = False
    for partner_id in _partner_ids(settings):
        articles = values(settings.topic(topics.partner_topic(partner_id)), idle=1.0)
        print(f"partner.{partner_id:<16} {len(articles):>4} delivered")
        if articles and not shown and args.show_article:
            shown = True
            sample = dict(articles[0])
            sample["bodies"] = [
                {**b, "value": b["value"][:300] + ("..." if len(b["value"]) > 300 else "")}
                for b in sample.get("bodies", [])
            ]
            print(f"\none article delivered to partner.{partner_id}:")
            print(orjson.dumps(sample, option=orjson.OPT_INDENT_2).decode())
    return 0


# -- offline: normalize / process ---------------------------------------------------------------------
def _stdin_records(fmt: str | None) -> list[Any]:
    from streams.model import Envelope
    from streams.normalize.backlog import RawRecord
    from streams.normalize.envelope import envelope_bytes

    data = sys.stdin.buffer.read()
    env = Envelope(id="-", content=data.decode("utf-8", "replace"), format=fmt, source="stdin")
    return [RawRecord("-", envelope_bytes(env), "-")]


def _write_jsonl(out: Any, value: Any) -> None:
    out.write(orjson.dumps(value) + b"\n")


def cmd_normalize(args: argparse.Namespace) -> int:
    from streams.contracts import Contracts
    from streams.model import Envelope, Rejection
    from streams.normalize.backlog import Refusal, load_backlog
    from streams.normalize.envelope import EnvelopeReader
    from streams.normalize.normalizer import Normalizer

    settings = _settings(args)
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


def _when(name: str, text: str | None) -> Any:
    """`now` or an ISO 8601 time (UTC when it has no zone); a bad value is a SettingsError naming the option."""
    from datetime import UTC, datetime

    from streams.route.schedule import parse_time

    if text is None:
        return None
    if text == "now":
        return datetime.now(UTC)
    moment = parse_time(text)
    if moment is None:
        raise SettingsError(f"{name} {text!r}: use an ISO 8601 time (2026-11-30T12:00:00Z) or 'now'")
    return moment


def cmd_process(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from streams.dedupe.clock import OrderClock
    from streams.offline import run_offline
    from streams.route.router import Held

    held: list[Held] = []
    start = _when("--clock", args.clock)
    clock = OrderClock(int(start.timestamp() * 1000)) if start is not None else None
    counts = run_offline(settings, args.backlog, args.out, clock, until=_when("--until", args.until), held_out=held)
    summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    print(f"wrote {args.out}: {summary}")
    for h in held:
        print(f"  held for {h.partner_id}: {h.uri} v{h.version}: {h.reason}")
    return 0


# -- partners -----------------------------------------------------------------------------------------
def cmd_partners(args: argparse.Namespace) -> int:
    from streams.commands.partners import run

    return run(args, _settings(args))


# -- eval / bench -------------------------------------------------------------------------------------
def _plugin(kind: str, name: str) -> Any:
    return importlib.import_module(f"streams.quality.{kind}.{name}" if name else f"streams.quality.{kind}")


def _plugin_args(module: str, p: argparse.ArgumentParser) -> None:
    importlib.import_module(f"streams.{module}").add_arguments(p)


def build_parser() -> argparse.ArgumentParser:
    from streams.settings.flags import add_flags

    parser = argparse.ArgumentParser(prog="syndicate", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("broker", help="the local Kafka broker or cluster (KRaft, fetched from Maven Central)")
    p.add_argument("action", choices=["up", "down", "status", "reset", "kill", "start"])
    p.add_argument("node", type=int, nargs="?", help="kill/start: the cluster node's number (1..N)")
    p.add_argument("--nodes", type=int, help="up: a cluster of N nodes on ports base..base+N-1 (default: 1 node)")
    p.add_argument("--secure", action="store_true", help="the single node with a SASL_PLAINTEXT (SCRAM-SHA-512) "
                   "listener and ACLs, deny by default; admin credentials in .cache/broker-secure/admin.json")
    add_flags(p, "broker")
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser("worker", help="run the Faust worker (creates missing topics first)")
    add_flags(p, "worker")
    p.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the broker")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("topics", help="create every topic the pipeline uses and list them")
    add_flags(p, "topics")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("ingest", help="send files or folders to wire.raw")
    add_flags(p, "ingest")
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("replay", help="replay files or a topic window into wire.raw (or a sandbox's), paced, "
                       "with a progress bar and a dry run")
    add_flags(p, "replay")
    _plugin_args("commands.replay", p)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("sandbox", help="list sandboxes, or delete one (its topics, consumer groups and state)")
    add_flags(p, "sandbox")
    p.add_argument("action", choices=["list", "delete"])
    p.add_argument("name", nargs="?")
    p.set_defaults(func=cmd_sandbox)

    p = sub.add_parser("rewind", help="move a consumer group to earliest/latest/offset/time/duration (dry run first)")
    add_flags(p, "rewind")
    p.add_argument("--to", required=True, help="earliest | latest | offset:N | time:ISO8601 | ago:30m")
    p.add_argument("--group", help="consumer group (default: the worker loop's, <app id>.prepare on wire.raw, "
                   "<app id>.decide on wire.normalized)")
    p.add_argument("--topic", default="wire.raw", help="logical topic (default wire.raw)")
    p.add_argument("--execute", action="store_true", help="apply the plan (workers of the group must be stopped)")
    p.set_defaults(func=cmd_rewind)

    p = sub.add_parser("tail", help="a readable live view of any topic, filtered (--partner, --subject, ...)")
    add_flags(p, "tail")
    _plugin_args("commands.tail", p)
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("summary", help="counts of decisions and partner deliveries on the broker")
    add_flags(p, "summary")
    p.add_argument("--expect", type=int, help="wait (up to --timeout) until this many decisions exist")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--show-article", action="store_true", help="print one delivered article")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("normalize", help="normalise files (or - for stdin) to JSON lines, without Kafka")
    add_flags(p, "normalize")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--format", choices=["text", "html", "ninjs", "newsml", "reuters21578"])
    p.set_defaults(func=cmd_normalize)

    p = sub.add_parser("partners", help="the live partner registry: list, show, add, update, pause, resume, remove, "
                       "credentials")
    _plugin_args("commands.partners", p)
    add_flags(p, "partners")
    p.set_defaults(func=cmd_partners)

    p = sub.add_parser("process", help="the whole pipeline offline: BACKLOG -> DIR/*.jsonl")
    add_flags(p, "process")
    p.add_argument("backlog", nargs="+", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--clock", help="start the offline clock at this ISO time (default: when the run starts; one "
                   "millisecond per input): the stream time of inputs without received_at, at which they are "
                   "routed (embargo, window and rate holds)")
    p.add_argument("--until", help="after the backlog, release what is due by this ISO time (or 'now'); "
                   "what is still held is printed with the reason and written to DIR/held.jsonl")
    p.set_defaults(func=cmd_process)

    leaves: dict[tuple[str, str], argparse.ArgumentParser] = {}
    p = sub.add_parser("eval", help="score a stage against a corpus path")
    esub = p.add_subparsers(dest="which", required=True)
    for name in EVALS:
        ep = leaves["evaluate", name] = esub.add_parser(name)
        ep.add_argument("corpus", type=Path)
        ep.add_argument("--credits", help="'any' turns the credit check off")
        ep.set_defaults(func=lambda a, n=name: _plugin("evaluate", n).run(a), plugin=("evaluate", name))

    p = leaves["validate", ""] = sub.add_parser(
        "validate", help="normalise stories and validate every article against JSON Schemas (e.g. ninjs 2.1, 2.2)"
    )
    p.add_argument("corpus", type=Path, nargs="+")
    p.set_defaults(func=lambda a: _plugin("validate", "").run(a), plugin=("validate", ""))

    p = sub.add_parser("bench", help="benchmarks (printed figures)")
    bsub = p.add_subparsers(dest="which", required=True)
    for name in BENCHES:
        bp = leaves["bench", name] = bsub.add_parser(name)
        bp.add_argument("corpus", type=Path, nargs="?")
        bp.set_defaults(func=lambda a, n=name: _plugin("bench", n).run(a), plugin=("bench", name))
    parser.set_defaults(leaves=leaves)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # Plug-ins add their own options: parse once to find which, let it add them, then parse for real.
    known, _ = parser.parse_known_args(argv)
    if getattr(known, "plugin", None):
        _plugin(*known.plugin).add_arguments(known.leaves[known.plugin])
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SyndicateError as exc:  # refused on purpose: one clean message; anything else keeps its traceback
        print(f"syndicate {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
