"""The live registry's pure part: control records are audit records; applying them in order gives the registry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from streams.contracts import Contracts
from streams.route.control import ChangeRefused, apply, partners_of, plan, replay, seed_changes

WHEN = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
C = Contracts()


def defn(pid: str = "a", **extra: Any) -> dict[str, Any]:
    return {"id": pid, "name": pid.upper(), **extra}


def test_changes_are_audit_records_and_replay_gives_the_registry() -> None:
    records = seed_changes([defn("a"), defn("b")], who="config/partners.yaml", when=WHEN)
    registry, errors = replay(records, C)
    assert list(registry) == ["a", "b"] and not errors
    update = plan(registry, "update", defn("a", format="teaser"), C, who="ed@desk", when=WHEN)
    assert update == {"id": "a", "op": "update", "who": "ed@desk", "when": "2026-11-30T12:00:00Z",
                      "before": defn("a"), "after": defn("a", format="teaser")}
    pause = plan(replay([*records, update], C)[0], "pause", "b", C, who="ed@desk", when=WHEN)
    assert pause is not None and pause["after"]["paused"] is True and pause["before"] == defn("b")
    remove = plan(registry, "remove", "a", C, who="ed@desk", when=WHEN)
    assert remove is not None and remove["after"] is None and remove["before"] == defn("a")
    final, _ = replay([*records, update, pause, remove], C)
    assert final == {"b": defn("b", paused=True)}
    assert [p.policy.paused for p in partners_of(final, C)] == [True]


def test_nothing_to_change_is_no_record() -> None:
    registry = {"a": defn("a", paused=True)}
    assert plan(registry, "pause", "a", C, who="x", when=WHEN) is None
    assert plan(registry, "update", defn("a", paused=True), C, who="x", when=WHEN) is None


@pytest.mark.parametrize("op,target,message", [
    ("add", defn("a"), "id: partner 'a' exists already (use update)"),
    ("update", defn("z"), "id: no partner 'z' (use add)"),
    ("pause", "z", "no partner 'z'"),
    ("add", defn("b", filters={"places": ["Russia"]}), "filters.places[0]: 'Russia' does not match '^[A-Z]{2}$'"),
    ("add", ["not", "a", "mapping"], "the file must hold one partner"),
    ("add", {"name": "no id"}, "(top level): 'id' is a required property"),
])
def test_a_refused_change_says_why(op: str, target: Any, message: str) -> None:
    with pytest.raises(ChangeRefused) as err:
        plan({"a": defn("a")}, op, target, C, who="x", when=WHEN)
    assert str(err.value).startswith(message), str(err.value)


def test_a_bad_record_on_the_topic_is_ignored_with_a_reason_never_crashing() -> None:
    registry = {"a": defn("a")}
    for bad in (None, "text", {"id": "a"}, {"id": "a", "op": "update", "after": {"id": "a"}},
                {"id": "b", "op": "add", "after": defn("c")}):
        after, error = apply(registry, bad, C)
        assert after == registry and error
