"""The live registry's records: one per change on the control topic `syndicate.partners` (keyed by partner id),
each an audit record (who, when, before, after); applying them in order gives every worker the same registry."""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from streams.contracts import Contracts
from streams.errors import SyndicateError
from streams.route.registry import Partner, PartnerConfigError, check_definition
from streams.route.schedule import iso

#: The control topic's logical name (the settings add the topic prefix).
CONTROL_TOPIC = "syndicate.partners"
OPS = ("seed", "add", "update", "pause", "resume", "remove")

#: A registry: partner id -> its definition, in the order partners were first added.
Registry = dict[str, dict[str, Any]]


class ChangeRefused(SyndicateError, ValueError):
    """A change that cannot be made (unknown partner, already there, invalid definition); the message says why."""

    exit_code = 2


def operator() -> str:
    """Who makes a change: the OS user at the host."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment (containers)
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def change(op: str, partner_id: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, *,
           who: str, when: datetime) -> dict[str, Any]:
    """The control record for one change (its key is `partner_id`). `after` None: the partner was removed."""
    return {"id": partner_id, "op": op, "who": who, "when": iso(when),
            "before": dict(before) if before is not None else None,
            "after": dict(after) if after is not None else None}


def apply(registry: Registry, record: Any, contracts: Contracts) -> tuple[Registry, str | None]:
    """The registry after one control record, and an error (the record is then ignored, never crashing)."""
    if not isinstance(record, Mapping) or not isinstance(record.get("id"), str) or record.get("op") not in OPS:
        return registry, "not a partner control record (expected id, op, who, when, before, after)"
    after = record.get("after")
    out = dict(registry)
    if after is None:
        out.pop(record["id"], None)
        return out, None
    try:
        partner = check_definition(after, contracts)
    except PartnerConfigError as exc:
        return registry, f"partner {record['id']}: {exc}"
    if partner.id != record["id"]:
        return registry, f"record key {record['id']!r} differs from the definition's id {partner.id!r}"
    out[partner.id] = dict(after)
    return out, None


def replay(records: Iterable[Any], contracts: Contracts) -> tuple[Registry, list[str]]:
    """The registry from the control topic's records in offset order, and the errors of records ignored."""
    registry: Registry = {}
    errors = []
    for record in records:
        registry, error = apply(registry, record, contracts)
        if error:
            errors.append(error)
    return registry, errors


def partners_of(registry: Registry, contracts: Contracts) -> list[Partner]:
    return [check_definition(d, contracts) for d in registry.values()]


def seed_changes(definitions: Iterable[Mapping[str, Any]], *, who: str, when: datetime) -> list[dict[str, Any]]:
    """The records that seed an empty control topic from config/partners.yaml."""
    return [change("seed", d["id"], None, d, who=who, when=when) for d in definitions]


def plan(registry: Registry, op: str, target: Any, contracts: Contracts, *, who: str,
         when: datetime) -> dict[str, Any] | None:
    """The control record `syndicate partners OP` writes, or None when there is nothing to change (pausing a
    paused partner). `target` is a definition (add, update) or a partner id. Raises ChangeRefused."""
    if op in ("add", "update"):
        if not isinstance(target, Mapping):
            raise ChangeRefused("the file must hold one partner (a mapping like one entry of `partners:`)")
        try:
            check_definition(target, contracts)
        except PartnerConfigError as exc:
            raise ChangeRefused(str(exc)) from None
        pid = target["id"]
        if op == "add" and pid in registry:
            raise ChangeRefused(f"id: partner {pid!r} exists already (use update)")
        if op == "update" and pid not in registry:
            raise ChangeRefused(f"id: no partner {pid!r} (use add)")
        before = registry.get(pid)
        return change(op, pid, before, target, who=who, when=when) if before != dict(target) else None
    pid = str(target)
    if pid not in registry:
        raise ChangeRefused(f"no partner {pid!r}")
    before = registry[pid]
    if op == "remove":
        return change(op, pid, before, None, who=who, when=when)
    paused = op == "pause"
    if bool(before.get("paused", False)) == paused:
        return None
    after = {**before, "paused": paused}
    return change(op, pid, before, after, who=who, when=when)
