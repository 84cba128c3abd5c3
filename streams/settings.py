"""The one settings object: resolved once at start-up from arguments, then environment, then defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the setting."""


def parse_bool(name: str, raw: str) -> bool:
    """Parse a boolean explicitly: `DEBUG=0` is false (the trap in Faust's own env helper)."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean (use one of 1/0, true/false, yes/no, on/off)")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob Syndicate has. Field metadata `env` names the environment variable that sets it."""

    bootstrap_servers: str = field(default="localhost:9092", metadata={"env": "KAFKA_BOOTSTRAP_SERVERS"})
    app_id: str = field(default="syndicate", metadata={"env": "SYNDICATE_APP_ID"})
    topic_prefix: str = field(default="", metadata={"env": "SYNDICATE_TOPIC_PREFIX"})
    raw_partitions: int = field(default=4, metadata={"env": "SYNDICATE_RAW_PARTITIONS"})
    partners_path: Path = field(default=Path("config/partners.yaml"), metadata={"env": "SYNDICATE_PARTNERS"})
    credits: str = field(default="reuters", metadata={"env": "SYNDICATE_CREDITS"})
    store: str = field(default="rocksdb://", metadata={"env": "SYNDICATE_STORE"})
    data_dir: Path = field(default=Path(".cache/worker"), metadata={"env": "SYNDICATE_DATA_DIR"})
    processing_guarantee: str = field(default="at_least_once", metadata={"env": "SYNDICATE_PROCESSING_GUARANTEE"})
    dedupe_horizon_days: float = field(default=7.0, metadata={"env": "SYNDICATE_DEDUPE_HORIZON_DAYS"})
    max_input_bytes: int = field(default=5_000_000, metadata={"env": "SYNDICATE_MAX_INPUT_BYTES"})
    web_enabled: bool = field(default=False, metadata={"env": "SYNDICATE_WEB_ENABLED"})
    web_port: int = field(default=6066, metadata={"env": "SYNDICATE_WEB_PORT"})
    log_level: str = field(default="info", metadata={"env": "SYNDICATE_LOG_LEVEL"})
    # The local broker started by `syndicate broker` (not used when pointing at another cluster).
    kafka_version: str = field(default="3.9.1", metadata={"env": "SYNDICATE_KAFKA_VERSION"})
    broker_port: int = field(default=9092, metadata={"env": "SYNDICATE_BROKER_PORT"})
    cache_dir: Path = field(default=Path(".cache"), metadata={"env": "SYNDICATE_CACHE_DIR"})

    @classmethod
    def load(cls, overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Explicit overrides (non-None values) win, then the environment, then the defaults."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = f.metadata["env"]
            if overrides and overrides.get(f.name) is not None:
                values[f.name] = _coerce(f.name, f.type, overrides[f.name])
            elif name in env:
                values[f.name] = _coerce(name, f.type, env[name])
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        if self.processing_guarantee == "exactly_once":
            raise SettingsError(
                "SYNDICATE_PROCESSING_GUARANTEE=exactly_once is refused: with faust-streaming 0.15.3 and aiokafka "
                "0.14 the transaction holding the first agent's output is never committed, so the dedupe agent "
                "(read_committed) receives nothing and the stream stalls (measured on the real broker, see README). "
                "at_least_once is safe here: replayed inputs are caught by the dedupe table and delivered once."
            )
        if self.processing_guarantee != "at_least_once":
            raise SettingsError(
                f"SYNDICATE_PROCESSING_GUARANTEE={self.processing_guarantee!r}: use at_least_once"
            )
        if self.raw_partitions < 1:
            raise SettingsError(f"SYNDICATE_RAW_PARTITIONS={self.raw_partitions}: must be at least 1")
        if not self.bootstrap_servers.strip():
            raise SettingsError("KAFKA_BOOTSTRAP_SERVERS is empty")
        if self.dedupe_horizon_days <= 0:
            raise SettingsError("SYNDICATE_DEDUPE_HORIZON_DAYS must be positive")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def accepted_credits(self) -> frozenset[str] | None:
        """None means any credit is accepted (`--credits any`)."""
        names = {c.strip().lower() for c in self.credits.split(",") if c.strip()}
        return None if "any" in names else frozenset(names)

    def topic(self, name: str) -> str:
        """Full topic name for one of the logical names (wire.raw, wire.articles, partner.<id>, ...)."""
        return f"{self.topic_prefix}{name}"

    @classmethod
    def env_names(cls) -> list[str]:
        return [f.metadata["env"] for f in fields(cls)]


def _coerce(name: str, typ: Any, raw: Any) -> Any:
    kind = typ if isinstance(typ, str) else getattr(typ, "__name__", str(typ))
    if not isinstance(raw, str):
        return Path(raw) if kind == "Path" else raw
    try:
        if kind == "bool":
            return parse_bool(name, raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r}: {exc}") from None
    return raw
