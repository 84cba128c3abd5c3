"""The local cluster's layout without starting Java: ports, quorum voters, replication, the config each node gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.devbroker.broker import Broker, BrokerError, BrokerPaths, Replication
from streams.devbroker.cluster import Cluster, Layout, broker_command
from streams.settings import Settings


def test_replication_follows_the_node_count() -> None:
    assert Replication.for_brokers(1) == Replication(1, 1)
    assert Replication.for_brokers(2) == Replication(2, 1)  # one of two down must not stop writes
    assert Replication.for_brokers(3) == Replication(3, 2)
    assert Replication.for_brokers(5) == Replication(3, 2)


def test_three_nodes_at_the_default_base_take_9092_to_9097() -> None:
    layout = Layout(3, 9092, "cid")
    assert layout.bootstrap == "127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094"
    nodes = [layout.node(i) for i in layout.ids]
    assert [(n.port, n.controller_port) for n in nodes] == [(9092, 9095), (9093, 9096), (9094, 9097)]
    assert {n.voters for n in nodes} == {"1@127.0.0.1:9095,2@127.0.0.1:9096,3@127.0.0.1:9097"}


def test_each_node_is_configured_as_broker_and_controller_with_replication_3(tmp_path: Path) -> None:
    settings = Settings.load({"cache_dir": tmp_path, "broker_port": 9594}, env={})
    layout = Layout(3, 9594, "cid")
    broker = Broker(settings, layout.node(2), BrokerPaths.of(settings, "cluster/node-2"), "cid")
    broker._configure()
    config = dict(line.split("=", 1) for line in broker.paths.config.read_text().splitlines() if "=" in line)
    assert config["node.id"] == "2"
    assert config["process.roles"] == "broker,controller"
    assert config["listeners"] == "PLAINTEXT://127.0.0.1:9595,CONTROLLER://127.0.0.1:9598"
    assert config["controller.quorum.voters"] == "1@127.0.0.1:9597,2@127.0.0.1:9598,3@127.0.0.1:9599"
    for key in ("default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor"):
        assert config[key] == "3", key
    assert config["min.insync.replicas"] == config["transaction.state.log.min.isr"] == "2"
    assert broker.paths.data == tmp_path.resolve() / "cluster" / "node-2" / "data"


def test_a_single_node_keeps_its_old_config(tmp_path: Path) -> None:
    settings = Settings.load({"cache_dir": tmp_path, "broker_port": 9592}, env={})
    broker = Broker(settings)
    broker._configure()
    text = broker.paths.config.read_text()
    assert "node.id=1\n" in text and "controller.quorum.voters=1@127.0.0.1:9593\n" in text
    assert "default.replication.factor=1\n" in text and "min.insync.replicas=1\n" in text
    assert broker.paths.home == tmp_path.resolve() / "broker"


def test_kill_and_start_need_a_recorded_cluster_and_a_node_in_it(tmp_path: Path) -> None:
    settings = Settings.load({"cache_dir": tmp_path}, env={})
    with pytest.raises(BrokerError, match="up --nodes 3"):
        broker_command(settings, "kill", node=1)
    with pytest.raises(BrokerError, match="needs the node"):
        broker_command(settings, "start")
    cluster = Cluster(settings)
    cluster.root.mkdir(parents=True)
    cluster.manifest.write_text('{"nodes": 3, "base_port": 9594, "cluster_id": "cid"}')
    with pytest.raises(BrokerError, match="not in the cluster"):
        broker_command(settings, "kill", node=4)
    assert broker_command(settings, "kill", node=2) == "node 2 not running"
    assert broker_command(settings, "status") == "down"  # nothing of ours runs: what scripts/test.sh looks for
    with pytest.raises(BrokerError, match="reset"):
        cluster.up(5)  # a 3-node cluster is recorded
