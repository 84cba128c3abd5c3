"""Every setting, driven from its own declaration: refused when bad (name, value, what is allowed), a flag on
its commands, shown in `syndicate worker --help`, a row in docs/settings.md; precedence and explicit booleans."""

from __future__ import annotations

import argparse
import re
from dataclasses import field, make_dataclass
from pathlib import Path

import pytest

from streams.cli import build_parser, main
from streams.settings.core import Settings, SettingsError, _spec_of, default_of, parse_bool, specs
from streams.settings.flags import SETTINGS_DOC_COMMAND, from_args, markdown_table, settings_doc
from streams.settings.rules import Flag

ROOT = Path(__file__).resolve().parent.parent
SPECS = specs()
# What each sub-command needs besides flags, so its parser accepts a command line.
POSITIONAL = {"broker": ["status"], "ingest": ["x"], "replay": ["x"], "rewind": ["--to", "earliest"],
              "tail": ["t"], "normalize": ["x"], "process": ["x", "--out", "o"], "sandbox": ["list"]}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The repository's relative defaults resolve, and no setting leaks in from the caller's environment."""
    monkeypatch.chdir(ROOT)
    for spec in SPECS.values():
        monkeypatch.delenv(spec.env, raising=False)


def _commands() -> set[str]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def _bad_cases(flags_only: bool = False) -> list[object]:
    return [
        pytest.param(name, bad, id=f"{spec.env}={bad!r}")
        for name, spec in SPECS.items() for bad in spec.rule.bad
        if not (flags_only and isinstance(spec.rule, Flag))  # a boolean flag takes no value to get wrong
    ]


def test_every_setting_is_declared_with_a_rule_that_refuses_something() -> None:
    commands = _commands()
    assert len(SPECS) >= 19
    for name, spec in SPECS.items():
        assert spec.env.startswith(("SYNDICATE_", "KAFKA_")), name
        assert spec.help and spec.rule.allowed, name
        assert spec.rule.bad, f"{name}: its rule refuses nothing"
        assert spec.commands and set(spec.commands) <= commands, name


def test_every_default_is_valid_for_every_command_that_uses_it() -> None:
    for command in {c for spec in SPECS.values() for c in spec.commands}:
        Settings.load(env={}, command=command)


@pytest.mark.parametrize("name,bad", _bad_cases())
def test_every_bad_value_stops_with_the_variable_the_value_and_what_is_allowed(name: str, bad: str) -> None:
    spec = SPECS[name]
    with pytest.raises(SettingsError) as err:
        Settings.load(env={spec.env: bad}, command=spec.commands[0])
    message = str(err.value)
    assert message.startswith(f"{spec.env}={bad!r}: ")
    assert message.endswith(f"Allowed: {spec.rule.allowed}.")


@pytest.mark.parametrize("name,bad", _bad_cases(flags_only=True))
def test_every_flag_refuses_bad_values_on_every_command_that_takes_it(name: str, bad: str) -> None:
    spec = SPECS[name]
    parser = build_parser()
    for command in spec.commands:
        args = parser.parse_args([command, *POSITIONAL.get(command, []), f"{spec.flag}={bad}"])
        with pytest.raises(SettingsError, match=re.escape(f"{spec.env}={bad!r} (given as {spec.flag}): ")):
            from_args(args)


def test_a_flag_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_WEB_PORT", "7000")
    monkeypatch.setenv("SYNDICATE_WEB_ENABLED", "1")
    args = build_parser().parse_args(["worker", "--web-port", "7001", "--no-web-enabled"])
    s = from_args(args)
    assert (s.web_port, s.web_enabled) == (7001, False)
    assert from_args(build_parser().parse_args(["worker"])).web_port == 7000


def test_worker_help_shows_every_setting_with_its_variable_and_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["worker", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name, spec in SPECS.items():
        shown = spec.rule.show(default_of(name))
        if "worker" in spec.commands:
            assert f"{spec.flag} " in text and f"(env {spec.env}, default {shown}; allowed: " in text, name
        else:
            assert f"{spec.env} (default {shown})" in text, name


def test_docs_settings_md_is_the_one_the_declarations_generate() -> None:
    written = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert written == settings_doc(), f"docs/settings.md is out of date: regenerate it with `{SETTINGS_DOC_COMMAND}`"
    assert markdown_table() in written


def test_the_generator_prints_the_table_or_the_whole_doc(capsys: pytest.CaptureFixture[str]) -> None:
    from streams.settings.flags import main as generate

    assert generate([]) == 0
    assert capsys.readouterr().out == markdown_table()
    assert generate(["--markdown"]) == 0
    assert capsys.readouterr().out == settings_doc()


def test_a_bad_setting_exits_2_with_a_clean_message(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SYNDICATE_WEB_PORT", "99999")
    assert main(["worker"]) == 2
    err = capsys.readouterr().err
    assert err == ("syndicate worker: SYNDICATE_WEB_PORT='99999': above the maximum 65535. "
                   "Allowed: a TCP port, 1-65535.\n")


def test_files_are_checked_only_for_the_commands_that_use_them(tmp_path: Path) -> None:
    env = {"SYNDICATE_PARTNERS": str(tmp_path / "nope.yaml")}
    assert Settings.load(env=env, command="broker").partners_path == tmp_path / "nope.yaml"
    with pytest.raises(SettingsError, match=r"SYNDICATE_PARTNERS=.*nope\.yaml'.*: no such file"):
        Settings.load(env=env, command="process")
    bad = tmp_path / "p.yaml"
    bad.write_text("partners:\n  - id: x\n    name: X\n    filters: {places: [Russia]}\n")
    with pytest.raises(SettingsError, match=re.escape(f"{bad}: partners[0].filters.places[0]: 'Russia' does not")):
        Settings.load(env={"SYNDICATE_PARTNERS": str(bad)}, command="worker")


def test_settings_are_checked_however_they_are_made() -> None:
    with pytest.raises(SettingsError, match="SYNDICATE_WEB_PORT=0: below the minimum 1"):
        Settings(web_port=0)
    with pytest.raises(SettingsError, match="SYNDICATE_BROKER_PORT=65535: above the maximum 65534"):
        Settings().with_(broker_port=65535)
    with pytest.raises(SettingsError, match="SYNDICATE_INTERNAL_ERROR_LIMIT=60: more than "
                                            "SYNDICATE_INTERNAL_ERROR_WINDOW=50"):
        Settings.load(env={"SYNDICATE_INTERNAL_ERROR_LIMIT": "60"})
    s = Settings.load({"partners_path": "x.yaml", "broker_port": 29392, "dedupe_horizon_days": 2}, env={})
    assert (s.partners_path, s.broker_port, s.dedupe_horizon_days) == (Path("x.yaml"), 29392, 2.0)


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


def test_both_guarantees_are_accepted_and_nothing_else() -> None:
    for value in ("exactly_once", "at_least_once"):
        assert Settings.load(env={"SYNDICATE_PROCESSING_GUARANTEE": value}).processing_guarantee == value
    with pytest.raises(SettingsError, match="SYNDICATE_PROCESSING_GUARANTEE"):
        Settings.load(env={"SYNDICATE_PROCESSING_GUARANTEE": "exactly-once"})


def test_credits_and_topic_prefix() -> None:
    assert Settings.load(env={}).accepted_credits == frozenset({"reuters"})
    assert Settings.load({"credits": "any"}, env={}).accepted_credits is None
    assert Settings.load({"credits": "Reuters, AFP"}, env={}).accepted_credits == frozenset({"reuters", "afp"})
    s = Settings.load({"topic_prefix": "t1."}, env={})
    assert s.topic("wire.raw") == "t1.wire.raw"


def test_a_sandbox_derives_its_topics_group_and_state_from_production_in_one_place() -> None:
    base = Settings.load({"topic_prefix": "t1.", "app_id": "syn", "data_dir": Path("/d")}, env={})
    box = Settings.load({"topic_prefix": "t1.", "app_id": "syn", "data_dir": Path("/d")},
                        env={"SYNDICATE_SANDBOX": "try-1"})
    assert box == base.in_sandbox("try-1") == box.with_(credits="any").with_(credits="reuters")  # derived once
    production = box.production
    assert box.sandbox == "try-1" and production is not None and base.production is None
    assert (production.topic_prefix, production.app_id, production.data_dir) == ("t1.", "syn", Path("/d"))
    assert box.topic("wire.raw") == "t1.sandbox.try-1.wire.raw"
    assert box.topic("partner.kremlin-watch") == "t1.sandbox.try-1.partner.kremlin-watch"
    assert box.app_id == "t1.sandbox.try-1.syn"  # Faust's topic <app id>-__assignor-__leader falls inside too
    assert box.data_dir == Path("/d/sandboxes/try-1")
    assert box.raw_partitions == 1 and base.raw_partitions == 4  # one partition: replays are processed in order
    assert base.topic("wire.raw") == "t1.wire.raw" and base.app_id == "syn"


def test_nothing_in_a_sandbox_resolves_to_a_production_topic() -> None:
    box = Settings.load(env={"SYNDICATE_SANDBOX": "x"})
    for logical in ("wire.raw", "wire.normalized", "wire.articles", "wire.decisions", "wire.dead-letter",
                    "partner.a", "", "..", "wire.raw/../x"):
        assert box.topic(logical).startswith("sandbox.x.")
    with pytest.raises(SettingsError):
        box.topic("sandbox.y.wire.raw")  # not a logical name: no way to address another namespace
    assert box.check_writable("sandbox.x.wire.raw") == "sandbox.x.wire.raw"
    for production in ("wire.raw", "partner.a", "sandbox.y.wire.raw", "sandbox.xy.wire.raw"):
        with pytest.raises(SettingsError, match="may not write"):
            box.check_writable(production)
    assert Settings.load(env={}).check_writable("wire.raw") == "wire.raw"


@pytest.mark.parametrize("bad", ["a.b", "A", "-x", "", "x" * 41, "a b", "a/b"])
def test_sandbox_names_are_checked(bad: str) -> None:
    with pytest.raises(SettingsError, match="SYNDICATE_SANDBOX"):
        Settings.load(env={"SYNDICATE_SANDBOX": bad}) if bad else Settings().in_sandbox(bad)
    assert Settings.load(env={"SYNDICATE_SANDBOX": ""}).sandbox == ""  # empty: production
    with pytest.raises(SettingsError, match="nest"):
        Settings().in_sandbox("a").in_sandbox("b")


def test_a_field_not_declared_with_setting_is_refused_with_the_instruction() -> None:
    plain = make_dataclass("S", [("knob", int, field(default=1, metadata={"env": "SYNDICATE_KNOB"}))])
    with pytest.raises(TypeError, match=r"Settings.knob is not declared with setting\(\.\.\.\)"):
        _spec_of(plain.__dataclass_fields__["knob"])
