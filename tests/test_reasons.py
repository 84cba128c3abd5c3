"""Rejection reasons are one enum: the dead-letter schema lists its codes; every `Rejection` in streams/ names one."""

from __future__ import annotations

import ast
from pathlib import Path

import orjson
import pytest

from streams.model import Reason, Rejection

ROOT = Path(__file__).resolve().parent.parent
STREAMS = ROOT / "streams"


def _is_rejection_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "Rejection") or (
        isinstance(func, ast.Attribute) and func.attr == "Rejection"
    )


def _reason_member(node: ast.expr | None) -> str | None:
    """The member name when `node` is `Reason.X` (or `model.Reason.X`), else None."""
    if not isinstance(node, ast.Attribute):
        return None
    owner = node.value
    if (isinstance(owner, ast.Name) and owner.id == "Reason") or (
        isinstance(owner, ast.Attribute) and owner.attr == "Reason"
    ):
        return node.attr
    return None


def rejection_reasons(source: str) -> list[tuple[int, str | None]]:
    """(line, member name or None) for every `Rejection(...)` call in `source`; None: the reason is no `Reason.X`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not _is_rejection_call(node):
            continue
        assert isinstance(node, ast.Call)
        keyword = next((k.value for k in node.keywords if k.arg == "reason"), None)
        found.append((node.lineno, _reason_member(node.args[0] if node.args else keyword)))
    return found


def _calls_in_streams() -> dict[str, list[tuple[int, str | None]]]:
    return {
        str(path.relative_to(ROOT)): rejection_reasons(path.read_text(encoding="utf-8"))
        for path in sorted(STREAMS.rglob("*.py"))
    }


def test_the_dead_letter_schema_lists_exactly_the_reasons() -> None:
    schema = orjson.loads((ROOT / "schemas" / "dead_letter.schema.json").read_bytes())
    listed = schema["properties"]["reason"]["enum"]
    assert len(listed) == len(set(listed))
    assert set(listed) == {r.value for r in Reason}


def test_every_rejection_in_streams_names_a_reason_member() -> None:
    calls = _calls_in_streams()
    bare = [(path, line) for path, found in calls.items() for line, member in found if member is None]
    assert bare == [], f"Rejection(...) with a reason that is not a Reason member: {bare}"
    unknown = {m for found in calls.values() for _, m in found} - set(Reason.__members__)
    assert unknown == set()


def test_every_reason_is_given_somewhere() -> None:
    """No code in the enum (and the schema) that nothing can produce."""
    used = {m for found in _calls_in_streams().values() for _, m in found if m is not None}
    assert used == set(Reason.__members__)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('Rejection("too-large", "x")\n', [(1, None)]),
        ('def f():\n    return model.Rejection("empty-body", "x")\n', [(2, None)]),
        ('code = "parse-error"\nRejection(code, "x")\n', [(2, None)]),
        ('Rejection(reason="too-slow", detail="x")\n', [(1, None)]),
        ('Rejection(Reason.TOO_LARGE, "x")\n', [(1, "TOO_LARGE")]),
        ('Rejection(model.Reason.TOO_SLOW, "x")\n', [(1, "TOO_SLOW")]),
        ('Rejection(reason=Reason.EMPTY_BODY, detail="x")\n', [(1, "EMPTY_BODY")]),
    ],
)
def test_the_check_catches_a_reason_that_is_no_member(source: str, expected: list[tuple[int, str | None]]) -> None:
    assert rejection_reasons(source) == expected


def test_a_reason_is_its_code_in_records_and_json() -> None:
    assert Reason.TOO_LARGE == "too-large"
    assert f"{Reason.NO_REUTERS_CREDIT}" == str(Reason.NO_REUTERS_CREDIT) == "no-reuters-credit"
    rejection = Rejection(Reason.INVALID_UTF8, "not UTF-8 at byte 3")
    as_dict = rejection.to_dict()
    assert as_dict == {"reason": "invalid-utf8", "detail": "not UTF-8 at byte 3"}
    assert type(as_dict["reason"]) is str  # a plain str: usable as a key orjson writes
    assert orjson.dumps(as_dict) == b'{"reason":"invalid-utf8","detail":"not UTF-8 at byte 3"}'
    assert orjson.dumps({"reason": rejection.reason}) == b'{"reason":"invalid-utf8"}'
    assert orjson.dumps({as_dict["reason"]: 1}) == b'{"invalid-utf8":1}'
