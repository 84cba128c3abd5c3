"""The settings object: precedence, explicit booleans, loud failures."""

from pathlib import Path

import pytest

from streams.settings import Settings, SettingsError, parse_bool


def test_defaults_then_env_then_arguments() -> None:
    assert Settings.load(env={}).bootstrap_servers == "localhost:9092"
    env = {"KAFKA_BOOTSTRAP_SERVERS": "k1:9092", "SYNDICATE_RAW_PARTITIONS": "8"}
    s = Settings.load(env=env)
    assert (s.bootstrap_servers, s.raw_partitions) == ("k1:9092", 8)
    s = Settings.load({"bootstrap_servers": "k2:9092", "raw_partitions": None}, env=env)
    assert (s.bootstrap_servers, s.raw_partitions) == ("k2:9092", 8)


@pytest.mark.parametrize("raw,expected", [("0", False), ("false", False), ("", False), ("1", True), ("YES", True)])
def test_booleans_are_parsed_explicitly(raw: str, expected: bool) -> None:
    assert parse_bool("X", raw) is expected
    assert Settings.load(env={"SYNDICATE_WEB_ENABLED": raw}).web_enabled is expected


def test_bad_values_fail_loudly_and_name_the_variable() -> None:
    with pytest.raises(SettingsError, match="SYNDICATE_WEB_ENABLED"):
        Settings.load(env={"SYNDICATE_WEB_ENABLED": "maybe"})
    with pytest.raises(SettingsError, match="SYNDICATE_RAW_PARTITIONS"):
        Settings.load(env={"SYNDICATE_RAW_PARTITIONS": "four"})
    with pytest.raises(SettingsError, match="SYNDICATE_PROCESSING_GUARANTEE"):
        Settings.load(env={"SYNDICATE_PROCESSING_GUARANTEE": "at_most_once"})


def test_exactly_once_is_refused_with_the_reason() -> None:
    with pytest.raises(SettingsError, match="never committed"):
        Settings.load(env={"SYNDICATE_PROCESSING_GUARANTEE": "exactly_once"})


def test_credits_and_topic_prefix() -> None:
    assert Settings.load(env={}).accepted_credits == frozenset({"reuters"})
    assert Settings.load({"credits": "any"}, env={}).accepted_credits is None
    s = Settings.load({"topic_prefix": "t1."}, env={})
    assert s.topic("wire.raw") == "t1.wire.raw"
    assert isinstance(Settings.load({"partners_path": "x.yaml"}, env={}).partners_path, Path)
