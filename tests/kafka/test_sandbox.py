"""Sandboxes on the real broker: a replay never writes a production topic, two fresh sandboxes fed the same
backlog (one from files, one from the production topic) deliver the same bytes as each other and as
`syndicate process`, and `sandbox list|delete` see and remove everything a sandbox owns."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.kafka import topics
from streams.offline import run_offline
from streams.settings import Settings
from streams.testing.harness import ROOT, Stack, read_topic

pytestmark = pytest.mark.broker
BACKLOG = ROOT / "samples" / "backlog"
PARTNERS = ("kremlin-watch", "baltic-desk", "markets-wire", "world-politics")
#: Fields of a delivered article that say when it was processed rather than what it is. Today none: every
#: date in an article comes from the story. A field added here must be a processing time, and only that.
PROCESSING_TIME_FIELDS: tuple[str, ...] = ()


def syndicate(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = stack.env(stack.workdir / "cli")
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


async def _end_offsets(bootstrap: str) -> dict[str, int]:
    """Every topic on the broker (but Kafka's own) -> the sum of its partitions' end offsets."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        names = [t for t in consumer._client.cluster.topics() if not t.startswith("__")]
        tps = [TopicPartition(t, p) for t in names for p in consumer.partitions_for_topic(t) or ()]
        ends = await consumer.end_offsets(tps)
        out: dict[str, int] = dict.fromkeys(names, 0)
        for tp, offset in ends.items():
            out[tp.topic] += offset
        return out
    finally:
        await consumer.stop()


def end_offsets(bootstrap: str) -> dict[str, int]:
    return asyncio.run(_end_offsets(bootstrap))


def deliveries(stack: Stack, sandbox: str, partner: str) -> list[bytes]:
    """A partner's deliveries in a sandbox, as bytes, processing times removed, in a stable order."""
    topic = stack.topic(f"sandbox.{sandbox}.{topics.partner_topic(partner)}")
    return sorted(canonical(r["value"]) for r in read_topic(stack.bootstrap, topic, idle=1.0))


def canonical(article: dict[str, Any]) -> bytes:
    return orjson.dumps({k: v for k, v in article.items() if k not in PROCESSING_TIME_FIELDS})


def differences(one: list[bytes], other: list[bytes]) -> list[str]:
    """Where two lists of deliveries differ: field by field, for a readable failure."""
    out = [f"{len(one)} against {len(other)} deliveries"] if len(one) != len(other) else []
    for x, y in zip(map(orjson.loads, one), map(orjson.loads, other), strict=False):
        out += [f"{x.get('uri')} {k}: {x.get(k)!r:.300} != {y.get(k)!r:.300}" for k in sorted(set(x) | set(y))
                if x.get(k) != y.get(k)]
    return out


@pytest.fixture(scope="module")
def run(bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Production topics holding the backlog (no production worker); sandboxes `a` and `b` replayed from the
    files, each with its own `syndicate worker --sandbox`; sandbox `c` replayed from production's wire.raw
    (no worker: what lands in its wire.raw is checked)."""
    stack = Stack(bootstrap, tmp_path_factory.mktemp("sandbox"))
    stack.create_topics()
    ingest = syndicate(stack, "ingest", str(BACKLOG))
    assert ingest.returncode == 0, ingest.stderr
    before = end_offsets(bootstrap)
    result: dict[str, Any] = {"stack": stack, "before": before}
    try:
        result["dry"] = syndicate(stack, "replay", "--sandbox", "a", "--dry-run", str(BACKLOG))
        result["dry_topic"] = syndicate(stack, "replay", "--sandbox", "b", "--dry-run", "--from-topic", "wire.raw",
                                        "--limit", "3")
        result["worker_a"] = stack.start_worker("a", args=("worker", "--sandbox", "a"))
        result["a"] = syndicate(stack, "replay", "--sandbox", "a", "--quiet", "--wait", "90", str(BACKLOG))
        stack.start_worker("b", args=("worker", "--sandbox", "b"))
        result["b"] = syndicate(stack, "replay", "--sandbox", "b", "--quiet", "--wait", "90", str(BACKLOG))
        result["c"] = syndicate(stack, "replay", "--sandbox", "c", "--quiet", "--from-topic", "wire.raw")
        result["after"] = end_offsets(bootstrap)
        yield result
    finally:
        stack.stop_all()


def test_the_dry_run_prints_the_plan_and_sends_nothing(run: dict[str, Any]) -> None:
    stack = run["stack"]
    assert run["dry"].returncode == 0, run["dry"].stderr
    assert "7 to send" in run["dry"].stdout
    assert f"target:  {stack.prefix}sandbox.a.wire.raw" in run["dry"].stdout
    assert "3 to send; 4 past --limit" in run["dry_topic"].stdout, run["dry_topic"].stdout + run["dry_topic"].stderr
    assert f"7 records on {stack.prefix}wire.raw" in run["dry_topic"].stdout


def test_a_sandbox_replay_writes_no_production_topic(run: dict[str, Any]) -> None:
    stack, before, after = run["stack"], run["before"], run["after"]
    assert run["a"].returncode == 0 and run["b"].returncode == 0, run["a"].stdout + run["b"].stdout + stack.logs()
    production = {t for t in before if not t.startswith(f"{stack.prefix}sandbox.")}
    assert stack.topic(topics.RAW) in production and before[stack.topic(topics.RAW)] == 7
    assert {t: after.get(t) for t in production} == {t: before[t] for t in production}
    created = set(after) - set(before)
    assert created, "the sandboxes created no topic at all"
    sandboxes = tuple(f"{stack.prefix}sandbox.{name}." for name in "abc")
    outside = {t for t in created if not t.startswith(sandboxes)}
    assert not outside, f"topics created outside the sandboxes: {outside}"
    assert [after[stack.topic(f"sandbox.{name}.wire.raw")] for name in "abc"] == [7, 7, 7]


def test_a_replay_from_a_topic_copies_its_records_keys_and_values(run: dict[str, Any]) -> None:
    stack = run["stack"]
    assert run["c"].returncode == 0, run["c"].stderr
    assert "no worker is running" in run["c"].stdout or "does not exist yet" in run["c"].stdout, run["c"].stdout
    production = read_topic(stack.bootstrap, stack.topic(topics.RAW), idle=0.5)
    copied = read_topic(stack.bootstrap, stack.topic("sandbox.c.wire.raw"), idle=0.5)
    assert sorted((r["key"], orjson.dumps(r["value"])) for r in copied) == sorted(
        (r["key"], orjson.dumps(r["value"])) for r in production)
    assert [r["timestamp"] for r in copied] == sorted(r["timestamp"] for r in copied)


def test_the_end_summary_counts_decisions_and_deliveries(run: dict[str, Any]) -> None:
    for name in ("a", "b"):
        out = run[name].stdout
        assert f"replayed 7 stories to {run['stack'].prefix}sandbox.{name}.wire.raw" in out, out
        assert "decisions: 7 (new 5, duplicate 1, rejected 1)" in out, out
        assert "deliveries: baltic-desk 2, kremlin-watch 1, markets-wire 4, world-politics 1" in out, out
        assert "dead letters: no-reuters-credit 1" in out, out


def test_two_fresh_sandboxes_and_the_offline_run_deliver_the_same_bytes(run: dict[str, Any], tmp_path: Path) -> None:
    stack = run["stack"]
    run_offline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}), [BACKLOG], tmp_path)
    total = 0
    for partner in PARTNERS:
        a, b = deliveries(stack, "a", partner), deliveries(stack, "b", partner)
        lines = (tmp_path / "partners" / f"{partner}.jsonl").read_bytes().splitlines()
        offline = sorted(canonical(orjson.loads(line)) for line in lines)
        assert a == b, (partner, differences(a, b))
        assert a == offline, (partner, differences(a, offline))
        total += len(a)
    assert total == 8


def test_rewind_plans_for_the_sandbox_group_and_says_what_happens_to_table_state(run: dict[str, Any]) -> None:
    stack = run["stack"]
    out = syndicate(stack, "rewind", "--sandbox", "b", "--to", "earliest")
    assert out.returncode == 0, out.stderr
    assert f"group {stack.prefix}sandbox.b.{stack.app_id}.prepare on {stack.prefix}sandbox.b.wire.raw" in out.stdout
    assert re.search(r"partition 0: (\d+|-) -> 0 ", out.stdout) and "partition 1" not in out.stdout, out.stdout
    assert "table state is not rewound" in out.stdout and "decided `duplicate`" in out.stdout


def test_sandbox_list_and_delete_remove_topics_groups_and_state(run: dict[str, Any]) -> None:
    stack = run["stack"]
    listed = syndicate(stack, "sandbox", "list")
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == ["a", "b", "c"], listed.stdout
    refused = syndicate(stack, "sandbox", "delete", "a")
    assert refused.returncode == 1 and "stop its workers first" in refused.stderr
    stack.stop_worker(run["worker_a"])
    state = stack.workdir / "a" / "sandboxes" / "a"
    assert state.is_dir()
    gone = subprocess.run([sys.executable, "-m", "streams.cli", "sandbox", "delete", "a"], capture_output=True,
                          text=True, cwd=ROOT, env={**stack.env(stack.workdir / "a"), "PATH": os.environ["PATH"]})
    assert gone.returncode == 0, gone.stderr
    assert "deleted sandbox a" in gone.stdout and not state.exists()
    left = end_offsets(stack.bootstrap)
    assert not [t for t in left if t.startswith(f"{stack.prefix}sandbox.a.")]
    assert [t for t in left if t.startswith(f"{stack.prefix}sandbox.b.")]
    assert [line.split()[0] for line in syndicate(stack, "sandbox", "list").stdout.splitlines()] == ["b", "c"]
