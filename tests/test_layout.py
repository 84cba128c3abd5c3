"""The architecture in the folders: stage packages import no Kafka, and modules, classes and signatures stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

STREAMS = Path(__file__).resolve().parents[1] / "streams"
STAGES = ("normalize", "tag", "dedupe", "route")
FORBIDDEN = ("faust", "aiokafka", "kafka", "streams.kafka")
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300
MAX_POSITIONAL = 5


def _module_name(path: Path) -> str:
    parts = path.relative_to(STREAMS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _path_of(module: str) -> Path | None:
    base = STREAMS.parent.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports_of(source: str, module: str) -> set[str]:
    """Every module `source` imports, at any depth of the file (function-level imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                base = module.rsplit(".", node.level)[0]
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)  # `from streams import kafka`
    return found


def forbidden_imports(root_modules: list[str]) -> dict[str, list[str]]:
    """module -> forbidden imports, following `streams.*` imports transitively from `root_modules`."""
    bad: dict[str, list[str]] = {}
    seen: set[str] = set()
    todo = list(root_modules)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _path_of(module)
        if path is None:
            continue
        for name in sorted(imports_of(path.read_text(encoding="utf-8"), module)):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                bad.setdefault(module, []).append(name)
            elif name.startswith("streams"):
                todo.append(name)
    return bad


def _stage_modules() -> list[str]:
    return [_module_name(p) for stage in STAGES for p in sorted((STREAMS / stage).rglob("*.py"))]


def test_stage_packages_exist_with_modules() -> None:
    modules = _stage_modules()
    for stage in STAGES:
        assert any(m.startswith(f"streams.{stage}.") for m in modules), stage


def test_stage_packages_import_no_kafka_even_indirectly() -> None:
    assert forbidden_imports(_stage_modules()) == {}


def test_the_pipeline_steps_import_no_kafka() -> None:
    """`syndicate process` runs the same two steps as the agents: they must not need Kafka either."""
    assert forbidden_imports(["streams.pipeline"]) == {}


def test_the_import_check_catches_a_stage_that_imports_kafka(tmp_path: Path) -> None:
    """The check can fail: direct, function-level, `from` and relative forms are all seen."""
    cases = {
        "import faust\n": "faust",
        "def f():\n    from aiokafka import AIOKafkaConsumer\n": "aiokafka.AIOKafkaConsumer",
        "from streams.kafka.topics import RAW\n": "streams.kafka.topics",
        "from streams import kafka\n": "streams.kafka",
        "from ..kafka import codec\n": "streams.kafka",
    }
    for source, expected in cases.items():
        names = imports_of(source, "streams.tag.tagger")
        assert any(n == expected or n.startswith(expected) for n in names), (source, names)
        assert any(n == f or n.startswith(f + ".") for n in names for f in FORBIDDEN), source


def _sources() -> list[Path]:
    return sorted(STREAMS.rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(STREAMS)))
def test_module_is_small_documented_and_keyword_only(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert ast.get_docstring(tree), f"{path}: no module docstring"
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{path}: {len(source.splitlines())} lines"
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            assert size <= MAX_CLASS_LINES, f"{path}: class {node.name} is {size} lines"
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            positional = [a.arg for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
            assert len(positional) <= MAX_POSITIONAL, (
                f"{path}:{node.lineno} {node.name} takes {len(positional)} positional parameters; "
                "make the rest keyword-only"
            )


def test_the_public_api_resolves() -> None:
    import streams

    assert streams.__all__, "streams/__init__.py names the public API"
    for name in streams.__all__:
        assert getattr(streams, name) is not None, name
    with pytest.raises(AttributeError):
        _ = streams.no_such_name  # type: ignore[attr-defined]
