"""Which credentials a client uses: the settings, else the local secure broker's admin file, else PLAINTEXT."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.errors import SettingsError
from streams.kafka.security import security_of
from streams.settings import Settings


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.load(env={"SYNDICATE_CACHE_DIR": str(tmp_path), **env})


def admin_file(tmp_path: Path, servers: str = "127.0.0.1:9094") -> None:
    (tmp_path / "broker-secure").mkdir()
    (tmp_path / "broker-secure" / "admin.json").write_text(json.dumps({
        "bootstrap_servers": servers, "security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "SCRAM-SHA-512",
        "username": "admin", "password": "s3cret"}))


def test_plaintext_without_anything(tmp_path: Path) -> None:
    assert security_of(settings(tmp_path)).aiokafka() == {}


def test_the_local_secure_brokers_admin_is_found_for_its_servers_only(tmp_path: Path) -> None:
    admin_file(tmp_path)
    found = security_of(settings(tmp_path, KAFKA_BOOTSTRAP_SERVERS="localhost:9094"))
    assert found.aiokafka()["sasl_plain_username"] == "admin" and found.protocol == "SASL_PLAINTEXT"
    assert "s3cret" not in repr(found)
    assert not security_of(settings(tmp_path, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9092")).sasl


def test_explicit_settings_win_and_are_checked(tmp_path: Path) -> None:
    admin_file(tmp_path)
    env = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9094", "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
           "KAFKA_SASL_USERNAME": "ops", "KAFKA_SASL_PASSWORD": "pw", "KAFKA_SASL_MECHANISM": "SCRAM-SHA-256"}
    chosen = security_of(settings(tmp_path, **env)).librdkafka()
    assert chosen == {"security.protocol": "SASL_PLAINTEXT", "sasl.mechanism": "SCRAM-SHA-256",
                      "sasl.username": "ops", "sasl.password": "pw"}
    assert not security_of(settings(tmp_path, KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:9094",
                                    KAFKA_SECURITY_PROTOCOL="plaintext")).sasl
    with pytest.raises(SettingsError, match="KAFKA_SASL_USERNAME"):
        security_of(settings(tmp_path, KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT"))
    with pytest.raises(SettingsError, match="KAFKA_SECURITY_PROTOCOL"):
        settings(tmp_path, KAFKA_SECURITY_PROTOCOL="kerberos")
