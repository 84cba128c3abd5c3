"""A local 3-node cluster for the cluster and fault tests, on ports of its own beside the test broker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.kafka.broker import Broker
from streams.kafka.cluster import Cluster
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def cluster_base_port() -> int:
    """Two above the test broker's port: with the test broker on 9092 (controller 9093) the cluster takes
    9094-9096 for clients and 9097-9099 for its controllers, so every run stays in its own block of ports."""
    return int(os.environ.get("SYNDICATE_BROKER_PORT", "9092")) + 2


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, bootstrap: str) -> Iterator[Cluster]:
    """A 3-node KRaft cluster in a temporary cache (reusing the jars the test broker was started from)."""
    libs = Broker(Settings.load(env={})).paths.libs
    cache = tmp_path_factory.mktemp("cluster-cache")
    settings = Settings.load({"broker_port": cluster_base_port(), "cache_dir": cache}, env={})
    own = Cluster(settings)
    mine = Broker(settings).paths.libs
    mine.parent.mkdir(parents=True)
    mine.symlink_to(libs if libs.is_absolute() else ROOT / libs)
    own.up(3)
    yield own
    own.reset()
