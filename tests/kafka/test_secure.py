"""Each partner reads only its own topic: `syndicate broker up --secure` (SASL SCRAM-SHA-512, StandardAuthorizer,
deny by default), `syndicate partners credentials` and `remove`, tried with a plain Kafka client. The test starts
its own secure broker on the plain broker's port + 20002 (controller + 20003: 29094/29095 beside 9092) with its own
cache directory: ports no other broker test takes (tests/kafka/test_ports.py)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAuthorizationFailedError

from streams.devbroker.secure import SecureBroker
from streams.offline import run_offline
from streams.settings import Settings
from streams.testing.harness import Stack, produce

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]
#: Not + 2: the 3-node cluster (conftest `cluster`) takes + 2 to + 7, and a node still shutting down, or left
#: running by an interrupted run, kept the secure broker from starting; test_broker's own broker takes + 20000/1.
PORT = int(os.environ.get("SYNDICATE_BROKER_PORT", "9092")) + 20002


@pytest.fixture(scope="module")
def secure(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    cache = tmp_path_factory.mktemp("secure-cache")
    jars = Settings.load(env={k: v for k, v in os.environ.items() if k == "SYNDICATE_CACHE_DIR"}).cache_dir.resolve()
    (cache / "kafka").symlink_to(jars / "kafka")  # the jars `syndicate broker up` fetched; not fetched again
    settings = Settings.load({"broker_port": PORT, "cache_dir": cache}, env={})
    broker = SecureBroker(settings)
    broker.up()
    prefix = f"s{uuid.uuid4().hex[:8]}."
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{PORT}", "SYNDICATE_CACHE_DIR": str(cache),
           "SYNDICATE_TOPIC_PREFIX": prefix, "SYNDICATE_PARTNERS": str(ROOT / "config" / "partners.yaml")}
    env.pop("KAFKA_SECURITY_PROTOCOL", None)
    try:
        yield {"env": env, "prefix": prefix, "admin": json.loads((cache / "broker-secure" / "admin.json").read_text())}
    finally:
        broker.down()


def syndicate(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def sasl(creds: dict[str, str]) -> dict[str, Any]:
    return {"bootstrap_servers": creds.get("bootstrap_servers", f"127.0.0.1:{PORT}"),
            "security_protocol": creds["security_protocol"], "sasl_mechanism": creds["sasl_mechanism"],
            "sasl_plain_username": creds["username"], "sasl_plain_password": creds["password"]}


async def _read(creds: dict[str, str], topic: str, group: str) -> list[bytes]:
    consumer = AIOKafkaConsumer(topic, group_id=group, auto_offset_reset="earliest", enable_auto_commit=False,
                                isolation_level="read_committed", **sasl(creds))
    try:
        await consumer.start()
        got: list[bytes] = []
        for _ in range(20):
            batch = await consumer.getmany(timeout_ms=500)
            got += [m.value for msgs in batch.values() for m in msgs]
            if got:
                break
        return got
    finally:
        await consumer.stop()


def read(creds: dict[str, str], topic: str, group: str) -> list[bytes]:
    return asyncio.run(_read(creds, topic, group))


async def _write(creds: dict[str, str], topic: str) -> None:
    producer = AIOKafkaProducer(request_timeout_ms=10000, **sasl(creds))
    try:
        await producer.start()
        await asyncio.wait_for(producer.send_and_wait(topic, b'{"x": 1}', key=b"k"), 20)
    finally:
        await producer.stop()


def write(creds: dict[str, str], topic: str) -> None:
    asyncio.run(_write(creds, topic))


async def _create(admin: dict[str, str], topics: list[str]) -> None:
    client = AIOKafkaAdminClient(**sasl(admin))
    await client.start()
    try:
        existing = set(await client.list_topics())
        await client.create_topics([NewTopic(t, 1, 1) for t in topics if t not in existing])
    finally:
        await client.close()


def test_a_partner_reads_its_own_topic_only_and_writes_nowhere(secure: dict[str, Any]) -> None:
    env, prefix, admin = secure["env"], secure["prefix"], secure["admin"]
    a = f"{prefix}partner.kremlin-watch"
    topics = [a, f"{prefix}partner.baltic-desk", f"{prefix}wire.raw", f"{prefix}wire.articles"]
    asyncio.run(_create(admin, topics))
    for topic in topics:
        write(admin, topic)  # every topic holds a record: a refusal is not an empty topic

    # the CLI finds the local secure broker's admin credentials on its own (no variable set)
    made = syndicate(env, "partners", "credentials", "kremlin-watch", "--json")
    assert made.returncode == 0, made.stderr
    creds = json.loads(made.stdout)
    assert set(creds) == {"bootstrap_servers", "security_protocol", "sasl_mechanism", "username", "password",
                          "topic", "group_prefix"}
    assert creds["topic"] == a and creds["group_prefix"] == f"{a}." and creds["security_protocol"] == "SASL_PLAINTEXT"

    assert read(creds, a, f"{a}.reader") == [b'{"x": 1}']
    for other in topics[1:]:
        with pytest.raises(TopicAuthorizationFailedError):
            read(creds, other, f"{a}.reader")
    for topic in topics:
        with pytest.raises(TopicAuthorizationFailedError):
            write(creds, topic)

    again = syndicate(env, "partners", "credentials", "kremlin-watch")
    assert again.returncode == 2 and "--rotate" in again.stderr
    rotated = json.loads(syndicate(env, "partners", "credentials", "kremlin-watch", "--rotate", "--json").stdout)
    assert rotated["password"] != creds["password"]
    with pytest.raises(KafkaError):
        read(creds, a, f"{a}.reader")  # the old password no longer authenticates
    assert read(rotated, a, f"{a}.reader2") == [b'{"x": 1}']


def test_remove_deletes_the_credentials_and_acls_and_keeps_the_topic(secure: dict[str, Any]) -> None:
    env, prefix, admin = secure["env"], secure["prefix"], secure["admin"]
    b = f"{prefix}partner.world-politics"
    asyncio.run(_create(admin, [b]))
    write(admin, b)
    creds = json.loads(syndicate(env, "partners", "credentials", "world-politics", "--json").stdout)
    assert read(creds, b, f"{b}.r") == [b'{"x": 1}']
    removed = syndicate(env, "partners", "remove", "world-politics")
    assert removed.returncode == 0, removed.stderr
    assert "deleted credentials of" in removed.stdout and "ACLs of" in removed.stdout
    with pytest.raises(KafkaError):
        read(creds, b, f"{b}.r")
    assert read(admin, b, "admin-check") == [b'{"x": 1}']  # the topic and its records are kept


def test_a_client_without_credentials_is_refused(secure: dict[str, Any]) -> None:
    async def plain() -> None:
        client = AIOKafkaAdminClient(bootstrap_servers=f"127.0.0.1:{PORT}", request_timeout_ms=3000)
        await client.start()
        try:
            await client.list_topics()
        finally:
            await client.close()

    with pytest.raises(KafkaError):
        asyncio.run(asyncio.wait_for(plain(), 20))


def partner_example(name: str) -> str:
    """The code block that follows `<!-- partner example: NAME -->` in docs/partners.md, exactly as a partner
    reads it."""
    text = (ROOT / "docs" / "partners.md").read_text()
    after = text.split(f"<!-- partner example: {name} -->\n", 1)[1]
    return after.split("\n", 1)[1].split("\n```\n", 1)[0]


@pytest.mark.tools("kcat", "jq")
def test_the_partner_guide_examples_read_a_partner_topic(secure: dict[str, Any], tmp_path: Path) -> None:
    env, prefix, admin = secure["env"], secure["prefix"], secure["admin"]
    topic = f"{prefix}partner.markets-wire"
    run_offline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}),
                [ROOT / "samples" / "backlog"], tmp_path / "out")
    lines = (tmp_path / "out" / "partners" / "markets-wire.jsonl").read_bytes().splitlines()
    stories = [orjson.loads(x) for x in lines]
    first = stories[0]
    versions = [*stories, {**first, "version": "2"}, {**first, "version": "3", "pubstatus": "canceled"}]

    async def publish() -> None:
        await _create(admin, [topic])
        producer = AIOKafkaProducer(**sasl(admin))
        await producer.start()
        try:
            for story in versions:
                await producer.send_and_wait(topic, orjson.dumps(story), key=story["uri"].encode())
        finally:
            await producer.stop()

    asyncio.run(publish())
    made = syndicate(env, "partners", "credentials", "markets-wire", "--json")
    assert made.returncode == 0, made.stderr
    creds = tmp_path / "credentials.json"
    creds.write_text(made.stdout)
    expected = [f"{s['uri']} v{s['version']} {s.get('pubstatus', 'usable')}" for s in versions]

    kcat = subprocess.run(["bash", "-c", partner_example("kcat")], env={**os.environ, "CREDS": str(creds)},
                          capture_output=True, text=True, timeout=60)
    assert kcat.returncode == 0, kcat.stderr
    assert kcat.stdout.splitlines() == expected

    script = tmp_path / "partner.py"
    script.write_text(partner_example("python"))
    python = subprocess.run([sys.executable, str(script)], env={**os.environ, "CREDS": str(creds)},
                            capture_output=True, text=True, timeout=120)
    assert python.returncode == 0, python.stderr
    assert python.stdout.splitlines() == expected


def test_a_worker_on_the_secure_broker_finds_its_credentials_and_delivers(
        secure: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = secure["env"]
    monkeypatch.setenv("SYNDICATE_CACHE_DIR", env["SYNDICATE_CACHE_DIR"])  # no security variable: the admin file
    monkeypatch.delenv("KAFKA_SECURITY_PROTOCOL", raising=False)
    stack = Stack(f"127.0.0.1:{PORT}", tmp_path, raw_partitions=1)
    stack.create_topics()
    stack.start_worker()
    try:
        story = (ROOT / "samples" / "backlog" / "01-northgate-kremlin-baltic.txt").read_text()
        produce(stack.bootstrap, stack.topic("wire.raw"), [(b"k1", json.dumps({"id": "k1", "content": story})
                                                            .encode(), None)])
        stack.decisions_for({"k1"})
        partner_env = {**env, "SYNDICATE_TOPIC_PREFIX": stack.prefix}
        made = syndicate(partner_env, "partners", "credentials", "kremlin-watch", "--json")
        assert made.returncode == 0, made.stderr
        creds = json.loads(made.stdout)
        got = [json.loads(v) for v in read(creds, creds["topic"], creds["group_prefix"] + "check")]
        assert [a["headlines"][0]["value"] for a in got] == [
            "Kremlin says Putin ready to discuss Baltic troop build-up with NATO"]
    finally:
        stack.stop_all()
