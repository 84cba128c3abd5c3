"""Shared fixtures: the real broker (never mocked), unique names per test, and the ../shared deselection rule."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SYNDICATE_SHARED", ROOT.parent / "shared"))

# CI replays the same property-test examples every run (a red build must be reproducible); locally
# hypothesis explores new ones each time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `shared` need ../shared (the seed and corpora). A user's clone may not have it: there they
    are deselected and reported as such, never skipped-and-counted. CI always has it (.ci/run checks)."""
    if SHARED.is_dir():
        return
    keep, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("shared") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        print(f"\n{len(dropped)} tests need {SHARED} and were deselected (not run)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def bootstrap() -> str:
    """The broker `make test` started (or the one KAFKA_BOOTSTRAP_SERVERS names). Fails if unreachable."""
    from streams.kafka.topics import wait_for_broker

    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    wait_for_broker(servers, timeout=30)
    return servers


@pytest.fixture()
def unique() -> str:
    return uuid.uuid4().hex[:10]
