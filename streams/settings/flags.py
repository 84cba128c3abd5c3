"""The settings on the command line and in the README, both generated from their declarations in settings.py.

`add_flags(parser, command)` gives a sub-command one flag per setting that matters to it (help: what, env
name, default, allowed values) and lists the other settings in the epilog; `from_args(args)` resolves the
Settings for the command that ran. `python -m streams.settings.flags` prints the README's settings table.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from streams.settings.core import Settings, default_of, specs
from streams.settings.rules import Flag

_DEST = "setting_"


def _default(name: str) -> str:
    return specs()[name].rule.show(default_of(name))


def add_flags(parser: argparse.ArgumentParser, command: str) -> None:
    """One flag per setting `command` uses; the settings it does not use are listed (env only) in the epilog."""
    group = parser.add_argument_group("settings (flag, else environment variable, else default)")
    others = []
    for name, spec in specs().items():
        if command not in spec.commands:
            others.append(f"  {spec.env} (default {_default(name)}): {spec.help}")
            continue
        text = f"{spec.help} (env {spec.env}, default {_default(name)}; allowed: {spec.rule.allowed})"
        text = text.replace("%", "%%")
        if isinstance(spec.rule, Flag):
            group.add_argument(spec.flag, dest=_DEST + name, action=argparse.BooleanOptionalAction, help=text)
        else:
            group.add_argument(spec.flag, dest=_DEST + name, metavar=spec.rule.metavar, help=text)
    if others:
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = f"other settings ({command} reads them from the environment only):\n" + "\n".join(others)


def from_args(args: argparse.Namespace) -> Settings:
    """The Settings for the command that ran: its flags, then the environment, then the defaults, checked by
    type and range, and the files and directories the command uses checked too."""
    overrides = {name: getattr(args, _DEST + name, None) for name in specs()}
    return Settings.load(overrides, command=getattr(args, "command", None), flags=True)


def markdown_table() -> str:
    """The README's settings table."""
    rows = ["| variable | flag (commands) | default | allowed | what |", "| --- | --- | --- | --- | --- |"]
    for name, spec in specs().items():
        commands = ", ".join(spec.commands)
        default = f"`{_default(name)}`" if default_of(name) != "" else "empty"
        rows.append(f"| `{spec.env}` | `{spec.flag}` ({commands}) | {default} | {spec.rule.allowed} "
                    f"| {spec.help} |")
    return "\n".join(rows) + "\n"


def main(argv: Any = None) -> int:
    sys.stdout.write(markdown_table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
