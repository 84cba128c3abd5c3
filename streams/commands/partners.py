"""`syndicate partners list|show|add|update|pause|resume|remove|credentials`: the live registry on the control
topic, changed by writing an audit record (who, when, before, after) that every worker applies."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from streams.contracts import Contracts
from streams.kafka import access
from streams.route.control import ChangeRefused, Registry, operator, plan
from streams.route.registry import PartnerConfigError, load_definition
from streams.runtime.control import Change, ensure_partner_topics, load_registry, write_changes
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "the live partner registry: list, show, add, update, pause, resume, remove, credentials"
ACTIONS = ("list", "show", "add", "update", "pause", "resume", "remove", "credentials")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("target", nargs="?",
                        help="a partner id, or for add/update a YAML or JSON file holding one partner")
    parser.add_argument("--json", action="store_true", help="list, show, credentials: JSON")
    parser.add_argument("--rotate", action="store_true", help="credentials: replace the partner's password")
    add_flags(parser, "partners")


def _history(changes: list[Change], partner_id: str) -> list[dict[str, Any]]:
    return [c.record for c in changes if isinstance(c.record, dict) and c.record.get("id") == partner_id]


def _print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


def _list(settings: Settings, registry: Registry, changes: list[Change], as_json: bool) -> int:
    rows = []
    for pid, definition in registry.items():
        last = _history(changes, pid)[-1]
        rows.append({"id": pid, "name": definition["name"], "format": definition.get("format", "ninjs"),
                     "paused": bool(definition.get("paused", False)), "topic": settings.topic(f"partner.{pid}"),
                     "changed": last["when"], "by": last["who"]})
    if as_json:
        _print_json(rows)
        return 0
    for r in rows:
        state = "PAUSED" if r["paused"] else "active"
        print(f"{r['id']:<20} {state:<7} {r['format']:<11} {r['topic']:<32} {r['name']}  (changed {r['changed']} "
              f"by {r['by']})")
    return 0


def _show(registry: Registry, changes: list[Change], partner_id: str, as_json: bool) -> int:
    history = _history(changes, partner_id)
    if partner_id not in registry and not history:
        raise ChangeRefused(f"no partner {partner_id!r}")
    out = {"id": partner_id, "definition": registry.get(partner_id), "removed": partner_id not in registry,
           "history": history}
    if as_json:
        _print_json(out)
        return 0
    print(orjson.dumps(out["definition"], option=orjson.OPT_INDENT_2).decode() if out["definition"] else "(removed)")
    for h in history:
        print(f"{h['when']}  {h['op']:<7} by {h['who']}")
    return 0


def _change(settings: Settings, contracts: Contracts, registry: Registry, op: str, target: str) -> int:
    subject: Any = target
    if op in ("add", "update"):
        subject = load_definition(Path(target))
    record = plan(registry, op, subject, contracts, who=operator(), when=datetime.now(UTC))
    pid = record["id"] if record else (subject["id"] if isinstance(subject, dict) else target)
    if record is None:
        print(f"partner {pid}: nothing to change")
        return 0
    if op == "add":
        asyncio.run(ensure_partner_topics(settings, [pid]))  # before the record, so workers can send at once
    asyncio.run(write_changes(settings, [record]))
    print(f"partner {pid}: {op} written to {settings.topic('syndicate.partners')}; workers apply it within seconds")
    if op == "remove":
        for gone in access.revoke(settings, pid):
            print(f"deleted {gone}")
        print(f"topic {settings.topic(f'partner.{pid}')} is kept")
    return 0


def _credentials(settings: Settings, registry: Registry, partner_id: str, *, rotate: bool, as_json: bool) -> int:
    if partner_id not in registry:
        raise ChangeRefused(f"no partner {partner_id!r}")
    creds = access.issue(settings, partner_id, rotate=rotate)
    if as_json:
        _print_json(creds)
        return 0
    for key, value in creds.items():
        print(f"{key:<18} {value}")
    print("the password is shown once and not kept: store it now (--rotate issues a new one)")
    return 0


def run(settings: Settings, args: argparse.Namespace) -> int:
    """One `syndicate partners` action. A refused change exits 2 with `partners ACTION TARGET: field: reason` and
    writes nothing."""
    contracts = Contracts()
    needs_target = args.action != "list"
    if needs_target and not args.target:
        what = "file" if args.action in ("add", "update") else "id"
        print(f"syndicate partners {args.action}: needs a partner {what}", file=sys.stderr)
        return 2
    try:
        if args.action in ("add", "update"):  # refuse a bad file before touching the broker
            plan({}, "add", load_definition(Path(args.target)), contracts, who="", when=datetime.now(UTC))
        registry, changes = asyncio.run(load_registry(settings, contracts))
        if args.action == "list":
            return _list(settings, registry, changes, args.json)
        if args.action == "show":
            return _show(registry, changes, args.target, args.json)
        if args.action == "credentials":
            return _credentials(settings, registry, args.target, rotate=args.rotate, as_json=args.json)
        return _change(settings, contracts, registry, args.action, args.target)
    except (ChangeRefused, PartnerConfigError, access.AccessError) as exc:
        print(f"syndicate partners {args.action} {args.target or ''}".rstrip() + f": {exc}", file=sys.stderr)
        return 2
