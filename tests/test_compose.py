"""docker-compose.yml stays in step with the code: settings it sets exist, the image matches the pinned Kafka."""

import re
from pathlib import Path

import yaml

from streams.contracts import Contracts
from streams.kafka import topics
from streams.route.registry import partner_ids
from streams.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def load() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_kraft_broker() -> None:
    compose = load()
    assert {"kafka", "worker", "replay"} <= set(compose["services"])
    kafka = compose["services"]["kafka"]
    assert kafka["image"] == f"apache/kafka:{Settings().kafka_version}"
    env = kafka["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "1"


def test_worker_environment_names_only_real_settings() -> None:
    compose = load()
    known = set(Settings.env_names())
    for name in ("worker", "replay"):
        env = compose["services"][name]["environment"]
        assert set(env) <= known, set(env) - known
        assert {"KAFKA_BOOTSTRAP_SERVERS", "SYNDICATE_APP_ID", "SYNDICATE_TOPIC_PREFIX"} <= set(env)
        assert env["KAFKA_BOOTSTRAP_SERVERS"].startswith("kafka:")
        # advertised on the internal listener the worker can reach
        assert env["KAFKA_BOOTSTRAP_SERVERS"] in compose["services"]["kafka"]["environment"][
            "KAFKA_ADVERTISED_LISTENERS"
        ]
        assert env["SYNDICATE_TOPIC_PREFIX"] == ""  # so topic names are exactly the code's
    assert compose["services"]["replay"]["command"][0] == "replay"
    assert (ROOT / compose["services"]["replay"]["command"][-1]).is_dir()


def test_the_worker_in_compose_uses_the_topic_names_the_flow_gives() -> None:
    """The settings a compose worker loads from its environment plan exactly the topics the flow in
    docs/architecture.md names (`wire.raw` with 4 partitions, ...), and one `partner.<id>` per partner in the
    registry it is given."""
    env = load()["services"]["worker"]["environment"]
    settings = Settings.load(env={k: str(v) for k, v in env.items()})
    partners = partner_ids(ROOT / settings.partners_path, Contracts())
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    flow = doc[doc.index("## The flow") : doc.index("The folders follow the flow")]
    named = set(re.findall(r"^ (wire\.[a-z-]+)", flow, re.M))
    assert named == {"wire.raw", "wire.normalized", "wire.articles", "wire.decisions", "wire.dead-letter"}
    assert set(topics.topic_plan(settings, partners)) == named | {f"partner.{p}" for p in partners}
    raw_partitions = int(re.search(r"^ wire\.raw .*\((\d+) partitions\)", flow, re.M).group(1))  # type: ignore[union-attr]
    assert topics.topic_plan(settings, partners)["wire.raw"] == raw_partitions
    assert topics.topic_plan(settings, partners)["wire.normalized"] == 1  # the flow: ONE partition


def test_dockerfile_copies_what_the_worker_reads() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("streams", "schemas", "config", "samples"):
        assert f"COPY {folder}" in dockerfile


def test_the_secure_profile_is_the_secure_broker_with_a_worker_that_signs_in() -> None:
    services = load()["services"]
    for name in ("kafka-secure", "worker-secure", "replay-secure"):
        assert services[name]["profiles"] == ["secure"], name
    env = services["kafka-secure"]["environment"]
    assert env["KAFKA_AUTHORIZER_CLASS_NAME"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false" and env["KAFKA_SUPER_USERS"] == "User:admin"
    protocols = dict(p.split(":") for p in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(protocols.values()) == {"SASL_PLAINTEXT"}  # no listener without authentication
    assert "SCRAM-SHA-512" in env["KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS"]  # what partners use
    worker = services["worker-secure"]["environment"]
    assert set(worker) <= set(Settings.env_names())
    settings = Settings.load(env={k: str(v) for k, v in worker.items() if k.startswith("KAFKA_")})
    assert settings.security_protocol == "sasl_plaintext" and settings.sasl_username == "admin"
    assert worker["KAFKA_BOOTSTRAP_SERVERS"] in env["KAFKA_ADVERTISED_LISTENERS"]
    assert services["replay-secure"]["environment"] == worker
