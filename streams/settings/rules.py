"""The rules a setting's value must follow: parse the raw text, check type and range, say what is allowed.

Every setting in `streams/settings/core.py` is declared with one rule. A rule:
- `convert(raw)` turns the text from the environment or a flag (or a typed value given in code) into the
  value, or raises `ValueError` with the problem ("above the maximum 65535");
- `verify(value)` checks what lies outside the process (a file exists and validates, a directory is
  writable); it runs only for the commands that use the setting;
- `allowed` says in words what is accepted (the error message, `--help` and the README show it);
- `bad` lists raw values it must refuse: `tests/test_settings.py` feeds each one in, so a rule that
  accepts anything cannot be declared.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off", ""})


class Rule:
    """Base: subclasses set `allowed`, `bad`, `metavar` and override `convert` (and `verify` if needed)."""

    allowed: str = ""
    bad: tuple[str, ...] = ()
    metavar: str = "VALUE"

    def convert(self, raw: Any) -> Any:
        raise NotImplementedError

    def verify(self, value: Any) -> None:
        """Check the world outside the process (files, directories, libraries). Nothing by default."""

    def show(self, value: Any) -> str:
        """The value as a user would write it (defaults in --help and the README)."""
        return "empty" if value == "" else str(value)


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"expected text, got {type(raw).__name__}")
    return raw.strip()


def _path(raw: Any) -> Path:
    if isinstance(raw, Path):
        return raw
    value = _text(raw)
    if not value:
        raise ValueError("empty")
    return Path(value)


@dataclass(frozen=True)
class Integer(Rule):
    """A whole number within [low, high] (high None: no upper bound)."""

    low: int
    high: int | None = None
    unit: str = ""
    metavar: str = "N"
    also: str = ""  # a condition checked with other settings, said in `allowed`

    @property
    def allowed(self) -> str:  # type: ignore[override]
        unit = f" ({self.unit})" if self.unit else ""
        also = f", {self.also}" if self.also else ""
        if self.high is None:
            return f"an integer >= {self.low}{unit}{also}"
        return f"an integer from {self.low} to {self.high}{unit}{also}"

    @property
    def bad(self) -> tuple[str, ...]:  # type: ignore[override]
        out = ("many", "1.5", str(self.low - 1))
        return out + ((str(self.high + 1),) if self.high is not None else ())

    def convert(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValueError("a boolean is not a number")
        if isinstance(raw, int):
            value = raw
        else:
            try:
                value = int(_text(raw))
            except ValueError:
                raise ValueError("not an integer") from None
        if value < self.low:
            raise ValueError(f"below the minimum {self.low}")
        if self.high is not None and value > self.high:
            raise ValueError(f"above the maximum {self.high}")
        return value


@dataclass(frozen=True)
class Port(Integer):
    """A TCP port; `high` 65534 for a port whose next one is taken too (the broker's controller)."""

    low: int = 1
    high: int | None = 65535
    metavar: str = "PORT"

    @property
    def allowed(self) -> str:  # type: ignore[override]
        note = " (the controller takes the next one)" if self.high != 65535 else ""
        return f"a TCP port, {self.low}-{self.high}{note}"


@dataclass(frozen=True)
class Number(Rule):
    """A finite number greater than `above` and at most `high`."""

    above: float
    high: float
    unit: str = ""
    metavar: str = "X"

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"a number > {self.above:g} and <= {self.high:g}{f' ({self.unit})' if self.unit else ''}"

    @property
    def bad(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("soon", f"{self.above:g}", "nan", "inf", f"{self.high * 10:g}")

    def convert(self, raw: Any) -> float:
        if isinstance(raw, bool):
            raise ValueError("a boolean is not a number")
        try:
            value = float(raw if isinstance(raw, int | float) else _text(raw))
        except ValueError:
            raise ValueError("not a number") from None
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        if value <= self.above:
            raise ValueError(f"must be greater than {self.above:g}")
        if value > self.high:
            raise ValueError(f"above the maximum {self.high:g}")
        return value

    def show(self, value: Any) -> str:
        return f"{value:g}"


@dataclass(frozen=True)
class Flag(Rule):
    """A boolean, parsed explicitly: `0` is false (the trap in Faust's own env helper)."""

    allowed: str = "1/0, true/false, yes/no, on/off (any case; empty is false)"
    bad: tuple[str, ...] = ("maybe", "2")
    metavar: str = "BOOL"

    def convert(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        value = _text(raw).lower()
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise ValueError("not a boolean")

    def show(self, value: Any) -> str:
        return "1" if value else "0"


@dataclass(frozen=True)
class Choice(Rule):
    """One of a fixed set of words (compared lower-case; the value is stored lower-case)."""

    choices: tuple[str, ...]
    what: str = "value"
    metavar: str = "NAME"

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    @property
    def bad(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("bogus", "")

    def convert(self, raw: Any) -> str:
        value = _text(raw).lower()
        if value not in self.choices:
            raise ValueError(f"not a known {self.what}")
        return value


@dataclass(frozen=True)
class Pattern(Rule):
    """Text matching a regular expression (names that end up in topic and group names, versions)."""

    regex: str
    allowed: str = ""
    bad: tuple[str, ...] = ()
    metavar: str = "TEXT"

    def convert(self, raw: Any) -> str:
        value = _text(raw)
        if not re.fullmatch(self.regex, value):
            raise ValueError("not of the allowed form")
        return value


@dataclass(frozen=True)
class HostPorts(Rule):
    """Kafka bootstrap servers: comma-separated host:port pairs."""

    allowed: str = "comma-separated host:port pairs, each port 1-65535 (e.g. k1:9092,k2:9092)"
    bad: tuple[str, ...] = ("", "localhost", "localhost:99999", "k1:9092,,k2:9092", "k1:port")
    metavar: str = "HOST:PORT,..."

    def convert(self, raw: Any) -> str:
        value = _text(raw)
        if not value:
            raise ValueError("empty")
        for item in value.split(","):
            host, sep, port = item.strip().rpartition(":")
            if not sep or not host:
                raise ValueError(f"{item.strip()!r} is not host:port")
            if not port.isdigit() or not 1 <= int(port) <= 65535:
                raise ValueError(f"{item.strip()!r}: the port is not 1-65535")
        return value


@dataclass(frozen=True)
class Credits(Rule):
    """The accepted text credits: a comma-separated list of names, or `any` alone."""

    allowed: str = "a comma-separated list of credit names (e.g. reuters or reuters,afp), or any"
    bad: tuple[str, ...] = ("", " , ", "reuters,,afp", "any,reuters")
    metavar: str = "NAMES"

    def convert(self, raw: Any) -> str:
        value = _text(raw)
        names = [n.strip().lower() for n in value.split(",")]
        if not value:
            raise ValueError("empty (use any to accept every credit)")
        if any(not n for n in names):
            raise ValueError("an empty name in the list")
        if "any" in names and len(names) > 1:
            raise ValueError("any stands alone")
        return value


@dataclass(frozen=True)
class AFile(Rule):
    """A path to a file that must exist when a command uses it; `check` validates its contents."""

    what: str
    check: Callable[[Path], None] | None = field(default=None, compare=False)
    metavar: str = "FILE"

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"the path of an existing {self.what}"

    @property
    def bad(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("", "no/such/file.yaml", "/dev/null/x")

    def convert(self, raw: Any) -> Path:
        return _path(raw)

    def verify(self, value: Any) -> None:
        if not value.is_file():
            raise ValueError("no such file" if not value.exists() else "not a file")
        if not os.access(value, os.R_OK):
            raise ValueError("not readable")
        if self.check is not None:
            self.check(value)


@dataclass(frozen=True)
class WritableDir(Rule):
    """A directory the program writes to: it must be writable, or creatable under a writable parent."""

    allowed: str = "a directory that is writable, or can be created"
    bad: tuple[str, ...] = ("", "/dev/null", "/dev/null/data")
    metavar: str = "DIR"

    def convert(self, raw: Any) -> Path:
        return _path(raw)

    def verify(self, value: Any) -> None:
        path = Path(value).absolute()
        if path.exists():
            if not path.is_dir():
                raise ValueError("exists and is not a directory")
            if not os.access(path, os.W_OK | os.X_OK):
                raise ValueError("not writable")
            return
        parent = path.parent
        while not parent.exists():
            parent = parent.parent
        if not parent.is_dir():
            raise ValueError(f"cannot be created: {parent} is not a directory")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ValueError(f"cannot be created: {parent} is not writable")
