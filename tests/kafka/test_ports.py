"""The broker tests' own brokers never reach for the same port: with the test broker on 9092 as in CI (and on any
helper's port), the secure broker (tests/kafka/test_secure.py), the 3-node cluster (conftest `cluster`) and
test_broker's own broker each take ports no other one takes, whatever order their modules run in and even when
one of them is still shutting down (or was left running by an interrupted run) when the next starts. Pure: the
test modules are loaded for their port choices, nothing is started."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType

import pytest

from streams.devbroker.cluster import Layout

HERE = Path(__file__).resolve().parent


def load(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A fresh copy of a test module of this directory (its module-level port choice read from the environment)."""
    spec = importlib.util.spec_from_file_location(f"_ports_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("base", [9092, 9292, 9392, 9492, 9592, 9692, 9792, 9892, 9992])
def test_each_test_broker_has_ports_of_its_own(base: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_BROKER_PORT", str(base))
    secure = load("test_secure", monkeypatch).PORT
    own = load("test_broker", monkeypatch).own_port()
    cluster = Layout(3, load("conftest", monkeypatch).cluster_base_port(), "cid")
    taken = {
        "test broker": {base, base + 1},  # `syndicate broker up`: client port, controller port + 1
        "secure broker": {secure, secure + 1},
        "test_broker's own broker": {own, own + 1},
        "cluster": {p for i in cluster.ids for p in (cluster.node(i).port, cluster.node(i).controller_port)},
    }
    for (a, ports_a), (b, ports_b) in itertools.combinations(taken.items(), 2):
        assert not ports_a & ports_b, f"{a} and {b} both take {sorted(ports_a & ports_b)} (test broker on {base})"
    assert all(1024 < p < 32768 for ports in taken.values() for p in ports)  # below Linux's ephemeral range
