"""`syndicate broker`: a second real broker on another port; data survives down/up; down kills only its own pid."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from streams.devbroker.broker import Broker
from streams.kafka.topics import create_topics
from streams.settings import Settings
from streams.testing.harness import produce, read_topic

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]


def own_port() -> int:
    """20000 above the test broker's port (29092 beside 9092), so runs against different test brokers on one
    machine never reach for the same port."""
    return int(os.environ.get("SYNDICATE_BROKER_PORT", "9092")) + 20000


def cli_status(broker: Broker) -> str:
    """What `syndicate broker status` prints for this broker."""
    env = dict(os.environ, SYNDICATE_BROKER_PORT=str(broker.port), SYNDICATE_CACHE_DIR=str(broker.paths.root))
    out = subprocess.run([sys.executable, "-m", "streams.cli", "broker", "status"], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.fixture()
def broker(tmp_path: Path, bootstrap: str):
    """A broker of our own on `own_port()`, reusing the jars `make test` already fetched."""
    libs = Broker(Settings.load(env={})).paths.libs
    settings = Settings.load({"broker_port": own_port(), "cache_dir": tmp_path}, env={})
    own = Broker(settings)
    own.paths.libs.parent.mkdir(parents=True)
    own.paths.libs.symlink_to(libs if libs.is_absolute() else ROOT / libs)
    yield own
    own.down()


def test_data_survives_down_and_up_and_status_tells(broker: Broker) -> None:
    assert broker.status() == "down" == cli_status(broker)
    assert "up" in broker.up()
    # the command line tells the pid it started and the port it serves
    assert cli_status(broker) == f"up (pid {broker.pid()}) on 127.0.0.1:{own_port()}" == broker.status()
    bootstrap = f"127.0.0.1:{broker.port}"
    asyncio.run(create_topics(bootstrap, {"keepme": 1}))
    produce(bootstrap, "keepme", [(b"k", b'{"kept": true}', None)])
    assert broker.status().startswith("up")
    assert "stopped" in broker.down()
    assert broker.status() == "down" == cli_status(broker) and not broker.accepting()
    broker.up()
    assert [r["value"] for r in read_topic(bootstrap, "keepme")] == [{"kept": True}]
    config = broker.paths.config.read_text()
    assert "transaction.state.log.replication.factor=1" in config
    assert "transaction.state.log.min.isr=1" in config
    assert "process.roles=broker,controller" in config
    broker.reset()
    assert not (broker.paths.data / "meta.properties").exists()


def test_down_never_kills_a_process_it_did_not_start(broker: Broker) -> None:
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        broker.paths.home.mkdir(parents=True, exist_ok=True)
        broker.paths.pidfile.write_text(f"{stranger.pid}\n")  # a stale pid file pointing elsewhere
        assert "not running" in broker.down()
        assert stranger.poll() is None
    finally:
        stranger.kill()
