"""`syndicate`: the one command line for workers and every operator task."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from streams.errors import SyndicateError
from streams.settings.flags import from_args

#: The operator and worker commands, in `syndicate --help` order: each is the module streams/commands/<name>.py
#: with HELP, `add_arguments(parser)` and `run(settings, args) -> int`.
COMMANDS = {name: f"streams.commands.{name}" for name in (
    "broker", "worker", "topics", "ingest", "replay", "sandbox", "rewind", "tail", "summary", "normalize",
    "partners", "process",
)}
#: The quality plug-ins (streams/quality/): `add_arguments(parser)` once chosen, then `run(args)`.
EVALS = ("extraction", "tagging", "dedupe")
BENCHES = (
    "normalize", "html", "tag", "dedupe", "route", "e2e", "recovery", "rebalance", "crash", "flood", "chaos", "soak",
)


def command(name: str) -> ModuleType:
    """The module of the operator or worker command `name`."""
    return importlib.import_module(COMMANDS[name])


def _run_command(args: argparse.Namespace) -> int:
    return int(command(args.command).run(from_args(args), args))


def _plugin(kind: str, name: str) -> Any:
    return importlib.import_module(f"streams.quality.{kind}.{name}" if name else f"streams.quality.{kind}")


def _run_plugin(args: argparse.Namespace) -> int:
    return int(_plugin(*args.plugin).run(args) or 0)


def _add_quality(sub: Any) -> dict[tuple[str, str], argparse.ArgumentParser]:
    """eval, validate and bench, whose plug-in adds its own options once `main` knows which was chosen."""
    leaves: dict[tuple[str, str], argparse.ArgumentParser] = {}
    p = sub.add_parser("eval", help="score a stage against a corpus path")
    esub = p.add_subparsers(dest="which", required=True)
    for name in EVALS:
        ep = leaves["evaluate", name] = esub.add_parser(name)
        ep.add_argument("corpus", type=Path)
        ep.add_argument("--credits", help="'any' turns the credit check off")
        ep.set_defaults(func=_run_plugin, plugin=("evaluate", name))

    p = leaves["validate", ""] = sub.add_parser(
        "validate", help="normalise stories and validate every article against JSON Schemas (e.g. ninjs 2.1, 2.2)"
    )
    p.add_argument("corpus", type=Path, nargs="+")
    p.set_defaults(func=_run_plugin, plugin=("validate", ""))

    p = sub.add_parser("bench", help="benchmarks (printed figures)")
    bsub = p.add_subparsers(dest="which", required=True)
    for name in BENCHES:
        bp = leaves["bench", name] = bsub.add_parser(name)
        bp.add_argument("corpus", type=Path, nargs="?")
        bp.set_defaults(func=_run_plugin, plugin=("bench", name))
    return leaves


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syndicate", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        module = command(name)
        p = sub.add_parser(name, help=module.HELP)
        module.add_arguments(p)
        p.set_defaults(func=_run_command)
    parser.set_defaults(leaves=_add_quality(sub))
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
