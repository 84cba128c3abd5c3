"""Shared fixtures: the real broker (never mocked), unique names per test, and the ../shared deselection rule."""

from __future__ import annotations

import os
import shutil
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


def _missing(item: pytest.Item) -> str | None:
    """Why `item` cannot run here, or None: ../shared absent (marker `shared`), or a program the test runs as a
    user would (marker `tools`: kcat and jq for the partner guide, chromium for the dashboard) not installed."""
    if item.get_closest_marker("shared") and not SHARED.is_dir():
        return f"need {SHARED}"
    marker = item.get_closest_marker("tools")
    absent = [tool for tool in (marker.args if marker else ()) if shutil.which(tool) is None]
    return f"need {', '.join(absent)} on PATH" if absent else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need ../shared (the seed and corpora) or a program a user may not have installed are deselected
    where it is missing and reported with the reason, never skipped-and-counted. CI has them all (.ci/run checks
    ../shared and installs the programs)."""
    keep, dropped, reasons = [], [], {}
    for item in items:
        why = _missing(item)
        if why is None:
            keep.append(item)
        else:
            dropped.append(item)
            reasons[why] = reasons.get(why, 0) + 1
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        for why, count in sorted(reasons.items()):
            print(f"\n{count} tests {why} and were deselected (not run)")


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
