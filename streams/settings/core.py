"""The one settings object: resolved once at start-up from arguments, then environment, then defaults.

Adding a setting is one declaration in `Settings` below:

    web_port: int = setting(6066, env="SYNDICATE_WEB_PORT", rule=Port(), commands=WORKER,
                            help="port of Faust's web view")

`rule` (streams/settings/rules.py) parses and range-checks the value and says what is allowed; `commands`
are the `syndicate` sub-commands that take its flag (`--web-port`, or `flag=`) and check its files.
`syndicate worker --help` and the README's table (`python -m streams.settings.flags`) are generated from these
declarations, and `tests/test_settings.py` feeds every rule's bad values in, so a setting without a
rule, a flag, a README row or a refusal of bad values fails the tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from streams.contracts import Contracts
from streams.errors import SettingsError
from streams.guard.breaker import DEFAULT_LIMIT, DEFAULT_WINDOW
from streams.guard.deadline import DEFAULT_BUDGET_MS
from streams.route.registry import load_partners
from streams.settings.rules import (
    AFile,
    Choice,
    Credits,
    Flag,
    HostPorts,
    Integer,
    Number,
    Pattern,
    Port,
    Rule,
    WritableDir,
)

__all__ = ["Settings", "SettingsError", "Spec", "parse_bool", "setting", "specs"]

# The sub-commands a setting can matter to (each takes the setting's flag).
WORKER = ("worker",)
KAFKA = ("worker", "topics", "ingest", "replay", "rewind", "tail", "summary", "sandbox")
# The sub-commands that can work inside a sandbox (`--sandbox NAME`).
SANDBOXED = ("worker", "topics", "ingest", "replay", "rewind", "tail", "summary")
PARTNERS = ("worker", "topics", "summary", "process")
BROKER = ("broker",)
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
# Kafka topic and group names allow [A-Za-z0-9._-]; the app id and prefix become part of them.
_NAME = r"[A-Za-z0-9._-]"
#: Every topic, consumer group and Faust-internal topic of sandbox NAME starts with `<prefix>sandbox.NAME.`.
SANDBOX_MARK = "sandbox."
#: A sandbox name: lower-case letters, digits and dashes (no dots, so `sandbox.NAME.` has one reading).
SANDBOX_NAME = r"[a-z0-9][a-z0-9-]{0,39}"


@dataclass(frozen=True, slots=True)
class Spec:
    """What a setting is: its variable, rule, help, and the commands that take its flag."""

    env: str
    rule: Rule
    help: str
    commands: tuple[str, ...]
    flag: str

    def convert(self, raw: Any, given_as: str | None = None) -> Any:
        """`raw` -> value, or SettingsError naming the variable, the value and what is allowed."""
        try:
            return self.rule.convert(raw)
        except ValueError as exc:
            raise self.error(raw, str(exc), given_as) from None

    def error(self, value: Any, problem: str, given_as: str | None = None) -> SettingsError:
        shown = repr(value) if not isinstance(value, Path) else repr(str(value))
        where = f" (given as {given_as})" if given_as else ""
        return SettingsError(f"{self.env}={shown}{where}: {problem}. Allowed: {self.rule.allowed}.")


def setting(default: Any, *, env: str, rule: Rule, help: str, commands: tuple[str, ...],
            flag: str | None = None) -> Any:
    """Declare a setting (a dataclass field carrying its Spec). The flag defaults to `--<field-name>`."""
    return field(default=default, metadata={"env": env, "spec": Spec(env, rule, help, commands, flag or "")})


def _partners_validate(path: Path) -> None:
    load_partners(path, Contracts())  # PartnerConfigError names the file and the field


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob Syndicate has; see `specs()` for each one's variable, rule and commands."""

    bootstrap_servers: str = setting(
        "localhost:9092", env="KAFKA_BOOTSTRAP_SERVERS", rule=HostPorts(), commands=KAFKA,
        help="Kafka bootstrap servers")
    security_protocol: str = setting(
        "auto", env="KAFKA_SECURITY_PROTOCOL", commands=KAFKA,
        rule=Choice(("auto", "plaintext", "sasl_plaintext", "sasl_ssl"), what="security protocol"),
        help="auto: the local secure broker's admin credentials (.cache/broker-secure/admin.json) when it serves "
             "the bootstrap servers, else PLAINTEXT")
    sasl_mechanism: str = setting(
        "scram-sha-512", env="KAFKA_SASL_MECHANISM", commands=KAFKA,
        rule=Choice(("plain", "scram-sha-256", "scram-sha-512"), what="SASL mechanism"),
        help="SASL mechanism (with a SASL protocol)")
    sasl_username: str = setting(
        "", env="KAFKA_SASL_USERNAME", commands=KAFKA,
        rule=Pattern(r"[^\s]{0,255}", allowed="empty, or a user name without spaces", bad=("a b",)),
        help="SASL user (with a SASL protocol)")
    sasl_password: str = setting(
        "", env="KAFKA_SASL_PASSWORD", commands=KAFKA,
        rule=Pattern(r".{0,1024}", allowed="any text up to 1024 characters", bad=("x" * 1025,)),
        help="SASL password (with a SASL protocol)")
    app_id: str = setting(
        "syndicate", env="SYNDICATE_APP_ID", commands=("worker", "rewind"),
        rule=Pattern(rf"{_NAME}{{1,200}}", allowed="1-200 of A-Z a-z 0-9 . _ - (it names the consumer groups "
                     "and the state topic)", bad=("", "my app", "app/1")),
        help="names the worker loops' consumer groups (<id>.prepare, <id>.decide), their transactional ids "
             "and the decide state changelog (<prefix><id>.decide-state)")
    topic_prefix: str = setting(
        "", env="SYNDICATE_TOPIC_PREFIX", commands=KAFKA,
        rule=Pattern(rf"{_NAME}{{0,100}}", allowed="empty, or up to 100 of A-Z a-z 0-9 . _ -",
                     bad=("my prefix.", "t/1.")),
        help="prefix for every topic name (tests use a unique one each)")
    raw_partitions: int = setting(
        4, env="SYNDICATE_RAW_PARTITIONS", rule=Integer(1, 1000), commands=("worker", "topics"),
        help="partitions of wire.raw and wire.articles")
    partners_path: Path = setting(
        Path("config/partners.yaml"), env="SYNDICATE_PARTNERS", commands=PARTNERS, flag="--partners",
        rule=AFile("partner registry, valid against schemas/partner.schema.json", check=_partners_validate),
        help="partner registry")
    credits: str = setting(
        "reuters", env="SYNDICATE_CREDITS", rule=Credits(), commands=("worker", "normalize", "process"),
        help="accepted text credits")
    data_dir: Path = setting(
        Path(".cache/worker"), env="SYNDICATE_DATA_DIR", rule=WritableDir(), commands=WORKER,
        help="worker data (Faust's directory; a sandbox's state)")
    processing_guarantee: str = setting(
        "exactly_once", env="SYNDICATE_PROCESSING_GUARANTEE", commands=WORKER,
        rule=Choice(("at_least_once", "exactly_once"), what="guarantee"),
        help="exactly_once: each batch's outputs, state changes and input offsets in one Kafka transaction "
             "(partners reading read_committed see each version once); at_least_once: replays are possible")
    session_timeout_ms: int = setting(
        10_000, env="SYNDICATE_SESSION_TIMEOUT_MS", rule=Integer(6_000, 300_000, unit="ms"), commands=WORKER,
        help="how long a worker that stopped answering (killed, frozen) keeps its partitions before the others "
             "take them; lower means faster takeover after a crash, but a worker busy longer than this (a large "
             "batch, a state restore) is wrongly thought dead")
    dedupe_horizon_days: float = setting(
        7.0, env="SYNDICATE_DEDUPE_HORIZON_DAYS", rule=Number(0, 3650, unit="days"), commands=("worker", "process"),
        help="stories received longer ago than this (stream time) are forgotten")
    dedupe_max_stories: int = setting(
        100_000, env="SYNDICATE_DEDUPE_MAX_STORIES", rule=Integer(1, 100_000_000, unit="stories"),
        commands=("worker", "process"),
        help="dedupe remembers at most this many stories; over it, the one received longest ago is forgotten "
             "(logged)")
    max_input_bytes: int = setting(
        5_000_000, env="SYNDICATE_MAX_INPUT_BYTES", rule=Integer(1, 1_000_000_000, unit="bytes"),
        commands=("worker", "ingest", "replay", "normalize", "process"),
        help="larger inputs are dead-lettered as too-large")
    input_budget_ms: int = setting(
        DEFAULT_BUDGET_MS, env="SYNDICATE_INPUT_BUDGET_MS", rule=Integer(0, 600_000, unit="ms, 0 = no budget"),
        commands=("worker", "process"),
        help="time an input may take to prepare (envelope, normalise, tag); past it the stage is stopped and "
             "the input dead-lettered too-slow")
    web_enabled: bool = setting(
        False, env="SYNDICATE_WEB_ENABLED", rule=Flag(), commands=WORKER, help="serve Faust's web view")
    web_port: int = setting(
        6066, env="SYNDICATE_WEB_PORT", rule=Port(), commands=WORKER, help="port of Faust's web view")
    log_level: str = setting(
        "info", env="SYNDICATE_LOG_LEVEL", rule=Choice(LOG_LEVELS, what="log level"), commands=WORKER,
        help="worker log level")
    internal_error_limit: int = setting(
        DEFAULT_LIMIT, env="SYNDICATE_INTERNAL_ERROR_LIMIT", commands=("worker", "process"),
        rule=Integer(1, 100_000, also="at most SYNDICATE_INTERNAL_ERROR_WINDOW"),
        help="a stage with this many internal errors among its last WINDOW inputs is broken: stop")
    internal_error_window: int = setting(
        DEFAULT_WINDOW, env="SYNDICATE_INTERNAL_ERROR_WINDOW", rule=Integer(1, 100_000),
        commands=("worker", "process"), help="how many recent inputs of a stage the internal-error policy counts")
    sandbox: str = setting(
        "", env="SYNDICATE_SANDBOX", commands=SANDBOXED,
        rule=Pattern(rf"|{SANDBOX_NAME}", allowed="empty (production), or 1-40 of a-z 0-9 - not starting with -",
                     bad=("a.b", "Try", "-x", "x" * 41, "a b"), metavar="NAME"),
        help="work in sandbox NAME: topics sandbox.NAME.* (one wire.raw partition), consumer group "
             "sandbox.NAME.<app id>, state in <data dir>/sandboxes/NAME; production topics are never written")
    # The local broker started by `syndicate broker` (not used when pointing at another cluster).
    kafka_version: str = setting(
        "3.9.1", env="SYNDICATE_KAFKA_VERSION", commands=BROKER,
        rule=Pattern(r"[3-9]\.\d+\.\d+", allowed="a Kafka release X.Y.Z, 3.0.0 or later (KRaft)",
                     bad=("latest", "2.8.1", "3.9")),
        help="Kafka release the local broker runs")
    broker_port: int = setting(
        9092, env="SYNDICATE_BROKER_PORT", rule=Port(high=65534), commands=BROKER, help="port of the local broker")
    cache_dir: Path = setting(
        Path(".cache"), env="SYNDICATE_CACHE_DIR", rule=WritableDir(), commands=BROKER,
        help="where the local broker's jars and data live")

    def __post_init__(self) -> None:
        """Every Settings is valid by type and range, however it was made (load, the constructor, with_)."""
        for f, spec in _each_spec():
            value = getattr(self, f.name)
            object.__setattr__(self, f.name, spec.convert(value))
        self._enter_sandbox()
        self._check_together()

    def _enter_sandbox(self) -> None:
        """In a sandbox, derive its names from the production ones, in this one place: topics
        `<prefix>sandbox.<name>.*`; app id and consumer group `<prefix>sandbox.<name>.<app id>` (so Faust's
        own leader-election topic, `<app id>-__assignor-__leader`, falls under the same prefix); state under
        `<data dir>/sandboxes/<name>`. Its wire.raw has ONE partition: stories are then normalised in the order
        they were sent, the order `syndicate process` reads a backlog, so a replay decides the same way every
        time (with several partitions two copies of a story could meet in either order, and the first becomes
        the `new` one). Idempotent: `with_` on sandbox settings keeps them as they are."""
        if not self.sandbox:
            return
        namespace = f"{SANDBOX_MARK}{self.sandbox}."
        if self.topic_prefix.endswith(namespace) and self.app_id.startswith(self.topic_prefix):
            return  # derived already
        prefix = f"{self.topic_prefix}{namespace}"
        object.__setattr__(self, "topic_prefix", prefix)
        object.__setattr__(self, "app_id", f"{prefix}{self.app_id}")
        object.__setattr__(self, "data_dir", self.data_dir / "sandboxes" / self.sandbox)
        object.__setattr__(self, "raw_partitions", 1)

    def in_sandbox(self, name: str) -> Settings:
        """These production settings' sandbox `name` (see `_enter_sandbox`)."""
        if self.sandbox:
            raise SettingsError(f"already in sandbox {self.sandbox!r}; cannot nest sandbox {name!r}")
        if not name:
            raise specs()["sandbox"].error(name, "empty: name the sandbox")
        return replace(self, sandbox=name)

    @property
    def production(self) -> Settings | None:
        """In a sandbox, the production settings it was derived from (its prefix, app id and data dir; the
        partition count stays the sandbox's); None outside a sandbox."""
        if not self.sandbox:
            return None
        base = self.topic_prefix.removesuffix(f"{SANDBOX_MARK}{self.sandbox}.")
        return replace(self, sandbox="", topic_prefix=base, app_id=self.app_id.removeprefix(self.topic_prefix),
                       data_dir=self.data_dir.parent.parent)

    def check_writable(self, topic: str) -> str:
        """`topic`, if this process may write it; in a sandbox, anything outside the sandbox is refused."""
        if self.sandbox and not topic.startswith(self.topic_prefix):
            raise SettingsError(f"sandbox {self.sandbox!r} may not write {topic!r} (outside {self.topic_prefix}*)")
        return topic

    def _check_together(self) -> None:
        if self.internal_error_limit > self.internal_error_window:
            spec = specs()["internal_error_limit"]
            raise spec.error(self.internal_error_limit, f"more than SYNDICATE_INTERNAL_ERROR_WINDOW="
                             f"{self.internal_error_window}", None)

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None, *,
             command: str | None = None, flags: bool = False) -> Settings:
        """Explicit overrides (non-None values) win, then the environment, then the defaults. Every value is
        checked by type and range; with `command`, the files and directories that command uses are checked
        too (the partner registry exists and validates, the data dir is writable, ...). `flags`: the
        overrides came from command-line flags (the error names the flag)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        given_as: dict[str, str] = {}
        for f, spec in _each_spec():
            if overrides and overrides.get(f.name) is not None:
                given_as[f.name] = spec.flag if flags else "an argument"
                values[f.name] = spec.convert(overrides[f.name], given_as[f.name])
            elif spec.env in env:
                values[f.name] = spec.convert(env[spec.env])
        settings = cls(**values)
        if command is not None:
            settings.verify(command, given_as)
        return settings

    def verify(self, command: str, given_as: Mapping[str, str] | None = None) -> None:
        """Check the world for the settings `command` uses: files exist and validate, dirs are writable.
        `given_as`: field name -> how it was given (a flag), for the error message."""
        for f, spec in _each_spec():
            if command in spec.commands:
                value = getattr(self, f.name)
                try:
                    spec.rule.verify(value)
                except (ValueError, OSError) as exc:
                    raise spec.error(value, str(exc), (given_as or {}).get(f.name)) from None

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def accepted_credits(self) -> frozenset[str] | None:
        """None means any credit is accepted (`--credits any`)."""
        names = {c.strip().lower() for c in self.credits.split(",") if c.strip()}
        return None if "any" in names else frozenset(names)

    def topic(self, name: str) -> str:
        """Full topic name for one of the logical names (wire.raw, wire.articles, partner.<id>, ...). In a sandbox
        every name resolves inside it: the prefix is the sandbox's, and a logical name cannot start with
        `sandbox.` (so production settings cannot address a sandbox's topics by accident either)."""
        if name.startswith(SANDBOX_MARK):
            raise SettingsError(f"{name!r} is not a logical topic name (sandbox topics come from --sandbox)")
        return f"{self.topic_prefix}{name}"

    @classmethod
    def env_names(cls) -> list[str]:
        return [spec.env for spec in specs().values()]


def _spec_of(f: Field[Any]) -> Spec:
    spec = f.metadata.get("spec")
    if not isinstance(spec, Spec):
        raise TypeError(f"Settings.{f.name} is not declared with setting(...): give it an env, a rule, help "
                        "and the commands that take its flag (see streams/settings/core.py)")
    return replace(spec, flag=spec.flag or "--" + f.name.replace("_", "-"))


_SPECS: dict[str, Spec] = {f.name: _spec_of(f) for f in fields(Settings)}
_FIELDS = {f.name: f for f in fields(Settings)}


def specs() -> dict[str, Spec]:
    """field name -> Spec, in declaration order."""
    return dict(_SPECS)


def _each_spec() -> Iterator[tuple[Field[Any], Spec]]:
    for name, spec in _SPECS.items():
        yield _FIELDS[name], spec


def default_of(name: str) -> Any:
    f = _FIELDS[name]
    return f.default if f.default is not MISSING else None


def parse_bool(name: str, raw: str) -> bool:
    """Parse a boolean explicitly: `DEBUG=0` is false (the trap in Faust's own env helper)."""
    try:
        return bool(Flag().convert(raw))
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: not a boolean. Allowed: {Flag().allowed}.") from None
