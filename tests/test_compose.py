"""docker-compose.yml stays in step with the code: settings it sets exist, the image matches the pinned Kafka."""

from pathlib import Path

import yaml

from streams.kafka import topics
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
    assert topics.RAW == "wire.raw"


def test_dockerfile_copies_what_the_worker_reads() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("streams", "schemas", "config", "samples"):
        assert f"COPY {folder}" in dockerfile
