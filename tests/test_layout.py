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
    """`syndicate process` runs the same two steps as the worker's loops: they must not need Kafka either."""
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


# -- the import graph: no circles, the stream apart from its measuring tools --------------------------------
#: Outside the stream: the measuring tools and the test harness (they may import the stream, never the other way
#: round), and the command line, which names every command and tool.
APART = ("streams.quality", "streams.testing")
OUTSIDE_THE_STREAM = (*APART, "streams.cli")
MAX_FUNCTION_LINES = 80


def _modules_under(root: Path) -> dict[str, Path]:
    parts_of = lambda p: p.relative_to(root.parent).with_suffix("").parts  # noqa: E731
    return {".".join(parts[:-1] if parts[-1] == "__init__" else parts): p for p in root.rglob("*.py")
            for parts in [parts_of(p)]}


def import_graph(root: Path = STREAMS) -> dict[str, set[str]]:
    """module -> the modules of the package under `root` it imports, at any depth of the file (function-level
    imports count); `from a.b import c` is an edge to the module a.b.c when there is one, else to a.b."""
    modules = _modules_under(root)

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found = imports_of(path.read_text(encoding="utf-8"), package + ".x")
        graph[module] = {t for n in found if n.split(".")[0] == root.name and (t := resolve(n)) and t != module}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            nxt = next((w for w in edges if w not in index or w in on_stack), None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                else:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_no_import_circle_anywhere() -> None:
    assert circles(import_graph()) == []


def test_the_stream_never_imports_its_measuring_tools_or_the_test_harness() -> None:
    """Evaluation, benchmarks and the harness may import the stream; nothing of the stream imports them, by an
    import statement or by a module name in a string (importlib)."""
    modules = _modules_under(STREAMS)
    bad: dict[str, list[str]] = {}
    for module, targets in import_graph().items():
        if _in(module, OUTSIDE_THE_STREAM):
            continue
        named = [n.value for n in ast.walk(ast.parse(modules[module].read_text(encoding="utf-8")))
                 if isinstance(n, ast.Constant) and isinstance(n.value, str) and _in(n.value, APART)]
        hits = sorted(t for t in targets if _in(t, APART)) + named
        if hits:
            bad[module] = hits
    assert bad == {}


def _write_package(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'"""{name}."""\n{source}', encoding="utf-8")
    return root


def test_the_circle_check_catches_circles_through_functions_and_packages(tmp_path: Path) -> None:
    """The check can fail: a circle made by a function-level import, and one through a package's __init__."""
    root = _write_package(tmp_path / "streams", {
        "__init__.py": "", "a.py": "def f():\n    from streams.b import g\n", "b.py": "from streams import a\n",
        "p/__init__.py": "from streams.p.m import X\n", "p/m.py": "from streams.p import Y\nX = 1\n",
        "ok.py": "import streams.a\n",
    })
    found = circles(import_graph(root))
    assert sorted(found) == [["streams.a", "streams.b"], ["streams.p", "streams.p.m"]]


def _long_functions(source: str) -> list[tuple[str, int]]:
    return [(node.name, size) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and (size := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(STREAMS)))
def test_no_function_is_longer_than_80_lines(path: Path) -> None:
    assert _long_functions(path.read_text(encoding="utf-8")) == []


def test_the_function_length_check_can_fail() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(f"def long():\n{body}") == [("long", MAX_FUNCTION_LINES + 1)]
    assert _long_functions(f"def fits():\n{body[: body.rindex('    x')]}") == []
