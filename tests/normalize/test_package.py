"""The normalize package: its public names (loaded on first use), no import cycle from any submodule, no Kafka."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import streams.normalize

_CHECK = """
import importlib, sys
importlib.import_module({name!r})
loaded = [m for m in sys.modules if m.split(".")[0] in ("faust", "aiokafka") or m.startswith("streams.kafka")]
assert not loaded, loaded
"""


def test_public_api() -> None:
    for name in ("Normalizer", "EnvelopeReader", "ChromeMemory", "load_backlog"):
        assert name in streams.normalize.__all__
    assert set(streams.normalize.__all__) == set(streams.normalize._HOMES)
    for name in streams.normalize.__all__:
        assert getattr(streams.normalize, name) is not None


def test_a_reader_alone_loads_neither_the_normaliser_nor_the_envelope_schemas() -> None:
    check = (
        "import sys, streams.normalize.formats.html, streams.normalize.formats.text\n"
        "assert 'streams.normalize.normalizer' not in sys.modules\n"
        "assert 'jsonschema' not in sys.modules\n"
    )
    run = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_every_module_imports_first_in_a_fresh_interpreter_without_kafka() -> None:
    names = ["streams.normalize"] + [
        m.name for m in pkgutil.walk_packages(streams.normalize.__path__, "streams.normalize.")
    ]
    assert "streams.normalize.formats.text" in names
    for name in names:
        run = subprocess.run([sys.executable, "-c", _CHECK.format(name=name)], capture_output=True, text=True)
        assert run.returncode == 0, (name, run.stderr[-2000:])
