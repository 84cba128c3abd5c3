"""One base class for the errors Syndicate raises, and the CLI's clean message and exit code for each."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from streams import errors
from streams.cli import main
from streams.errors import SyndicateError

STREAMS = Path(__file__).resolve().parent.parent / "streams"


def _exception_classes() -> list[tuple[str, str]]:
    """(module, class) for every class in streams/ whose name or bases say it is an exception."""
    found = []
    for path in sorted(STREAMS.rglob("*.py")):
        module = ".".join(path.relative_to(STREAMS.parent).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(b) for b in node.bases]
            if any(n.endswith(("Error", "Exception", "Timeout")) for n in [node.name, *bases]):
                found.append((module, node.name))
    return found


def test_every_exception_class_the_project_defines_is_a_syndicate_error() -> None:
    classes = _exception_classes()
    assert ("streams.errors", "SettingsError") in classes
    assert ("streams.normalize.formats.ninjs", "NinjsError") in classes
    for module, name in classes:
        cls = getattr(importlib.import_module(module), name)
        if not issubclass(cls, Exception):
            # a signal, not an error, like KeyboardInterrupt: streams.guard.deadline.Overrun stops a stage that ran past
            # its budget, and must not be caught by the stages' own `except Exception`
            assert (module, name) == ("streams.guard.deadline", "Overrun"), f"{module}.{name} is a BaseException"
            continue
        assert issubclass(cls, SyndicateError), f"{module}.{name} does not derive from SyndicateError"


def test_the_old_names_still_import_from_where_they_were() -> None:
    from streams.commands.rewind import RewindError
    from streams.devbroker.broker import BrokerError
    from streams.route.registry import PartnerConfigError
    from streams.settings import SettingsError

    assert (BrokerError, RewindError, PartnerConfigError, SettingsError) == (
        errors.BrokerError, errors.RewindError, errors.PartnerConfigError, errors.SettingsError)
    assert issubclass(errors.BrokerTimeout, TimeoutError) and issubclass(errors.SettingsError, ValueError)


@pytest.mark.parametrize("error,code", [
    (errors.SettingsError("bad"), 2), (errors.PartnerConfigError("bad"), 2), (errors.RewindError("bad"), 2),
    (errors.StageBrokenError("bad"), 3), (errors.BrokerError("bad"), 4), (errors.BrokerTimeout("bad"), 4),
])
def test_the_cli_prints_a_syndicate_error_cleanly_with_its_exit_code(
    error: SyndicateError, code: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def command(settings: object, args: object) -> int:
        raise error

    monkeypatch.setattr("streams.commands.tail.run", command)
    assert main(["tail", "t"]) == code
    assert capsys.readouterr().err == "syndicate tail: bad\n"


def test_anything_else_is_a_crash_that_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def command(settings: object, args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr("streams.commands.tail.run", command)
    with pytest.raises(KeyError):
        main(["tail", "t"])
