"""`syndicate broker up --nodes 3` on the real thing: replication 3 / min ISR 2, a leader SIGKILLed and restarted."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams.devbroker.cluster import Cluster
from streams.kafka.topics import create_topics, leaders
from streams.quality.bench.chaos import SESSION_TIMEOUT_MS, Chaos, Scenario, chaos_inputs
from streams.testing.harness import Stack, produce, read_topic

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]


def syndicate_broker(cluster: Cluster, *args: str) -> str:
    env = dict(os.environ, SYNDICATE_CACHE_DIR=str(cluster.settings.cache_dir),
               SYNDICATE_BROKER_PORT=str(cluster.settings.broker_port))
    out = subprocess.run([sys.executable, "-m", "streams.cli", "broker", *args], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    return out.stdout


async def _describe(bootstrap: str, topic: str) -> tuple[list[dict], dict[str, str]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
        (response,) = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        configs = {entry[0]: entry[1] for entry in response.resources[0][4]}
        return described["partitions"], configs
    finally:
        await admin.close()


def describe(bootstrap: str, topic: str) -> tuple[list[dict], dict[str, str]]:
    """Partitions (leader, replicas, isr) and configs, once the node asked knows the topic (a node that does not
    yet answers with no partitions, or no configs)."""
    deadline = time.monotonic() + 30
    while not all(got := asyncio.run(_describe(bootstrap, topic))):
        assert time.monotonic() < deadline, f"{topic} has no partitions in the metadata"
        time.sleep(0.3)
    return got


def test_topics_are_replicated_three_times_with_two_in_sync_required(cluster: Cluster) -> None:
    bootstrap = cluster.bootstrap()
    asyncio.run(create_topics(bootstrap, {"replicated": 2}))
    partitions, configs = describe(bootstrap, "replicated")
    assert [len(p["replicas"]) for p in partitions] == [3, 3]
    assert configs["min.insync.replicas"] == "2"
    lines = syndicate_broker(cluster, "status").splitlines()
    assert [line.split(":")[0] for line in lines] == ["node 1", "node 2", "node 3"]
    assert all(": up (pid" in line for line in lines), lines


def test_a_killed_leader_loses_nothing_acked_and_rejoins_after_start(cluster: Cluster) -> None:
    bootstrap = cluster.bootstrap()
    asyncio.run(create_topics(bootstrap, {"survives": 1}))
    produce(bootstrap, "survives", [(b"k", b'{"n": %d}' % n, 0) for n in range(50)])
    (leader,) = leaders(bootstrap, "survives").values()
    assert leader in (1, 2, 3)
    assert "killed (SIGKILL" in syndicate_broker(cluster, "kill", str(leader))
    status = syndicate_broker(cluster, "status")
    assert f"node {leader}: down" in status, status
    # acks=all with min ISR 2: two nodes left are enough, once a new leader is elected
    produce(bootstrap, "survives", [(b"k", b'{"n": %d}' % n, 0) for n in range(50, 100)])
    assert leaders(bootstrap, "survives")[0] not in (None, leader)
    assert "up (pid" in syndicate_broker(cluster, "start", str(leader))
    deadline = time.monotonic() + 60
    while len(describe(bootstrap, "survives")[0][0]["isr"]) < 3:  # it catches up and is in sync again
        assert time.monotonic() < deadline, describe(bootstrap, "survives")
        time.sleep(0.5)
    assert [r["value"]["n"] for r in read_topic(bootstrap, "survives")] == list(range(100))


def test_a_leader_kill_and_a_worker_kill_mid_stream_lose_nothing_and_deliver_nothing_twice(
    cluster: Cluster, tmp_path: Path
) -> None:
    """The chaos bench's short version: on the 3-node cluster, the node leading wire.normalized is SIGKILLed
    (and started again 5 s later) and then the worker is SIGKILLed, both while inputs are still being sent.
    Partners read_committed hold exactly what `syndicate process` delivers on the same backlog, each
    (uri, version) once, and every input has one committed decision."""
    records = chaos_inputs(240)
    stack = Stack(cluster.bootstrap(), tmp_path / "stack",
                  extra_env={"SYNDICATE_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS)})
    stack.create_topics()
    chaos = Chaos(cluster, stack, records, rate=20, restart_after=5,
                  scenario=Scenario(leader_kill=0.15, worker_kills=[0.5], second_worker=None), log=lambda _: None)
    try:
        report, _ = chaos.run(timeout=300)
    finally:
        stack.stop_all()
    leader, killed = chaos.faults
    assert leader.name.endswith("leader of wire.normalized") and 0 < leader.sent < len(records)
    assert killed.name == "worker SIGKILL 1" and killed.sent < len(records)  # mid-stream: inputs still to come
    assert report.problems({key.decode() for key, _, _ in records}, exactly_once=True) == [], stack.logs()
    assert all(kafka for kafka, _ in report.partners.values()), {p: len(k) for p, (k, _) in report.partners.items()}
    assert leader.resumed_s is not None and killed.resumed_s is not None and killed.caught_up_s is not None
