"""A local KRaft cluster of N nodes (each broker and controller): up, down, status, reset, and kill/start a node."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from dataclasses import dataclass

from streams.devbroker.broker import Broker, BrokerPaths, Node, Replication, new_cluster_id
from streams.devbroker.secure import SecureBroker
from streams.errors import BrokerError, BrokerTimeout
from streams.kafka.topics import broker_ids
from streams.settings import Settings

#: How long `up` and `start` wait for nodes to join (JVM start, quorum election, broker registration).
READY_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a cluster's nodes listen: node i (1-based) serves clients on `base + i - 1` and its controller on
    `base + nodes + i - 1`, so 3 nodes at the default base 9092 take 9092-9094 and controllers 9095-9097."""

    nodes: int
    base_port: int
    cluster_id: str

    def node(self, node_id: int) -> Node:
        voters = ",".join(f"{i}@127.0.0.1:{self.base_port + self.nodes + i - 1}" for i in self.ids)
        return Node(node_id, self.base_port + node_id - 1, self.base_port + self.nodes + node_id - 1, voters,
                    Replication.for_brokers(self.nodes))

    @property
    def ids(self) -> range:
        return range(1, self.nodes + 1)

    @property
    def bootstrap(self) -> str:
        return ",".join(f"127.0.0.1:{self.base_port + i - 1}" for i in self.ids)


class Cluster:
    """The local cluster recorded in `<cache>/cluster/cluster.json` (its layout), with each node's files in
    `<cache>/cluster/node-<i>/`. The record is the truth for an existing cluster: `kill 2` in another shell
    finds node 2 without being told the ports again."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.cache_dir.resolve() / "cluster"
        self.manifest = self.root / "cluster.json"

    # -- the record ---------------------------------------------------------------------------------
    def layout(self) -> Layout | None:
        try:
            data = json.loads(self.manifest.read_text())
        except (FileNotFoundError, ValueError):
            return None
        return Layout(int(data["nodes"]), int(data["base_port"]), str(data["cluster_id"]))

    def bootstrap(self) -> str:
        """KAFKA_BOOTSTRAP_SERVERS for the recorded cluster: every node's client port."""
        return self._require().bootstrap

    def recorded(self) -> bool:
        return self.layout() is not None

    def _require(self) -> Layout:
        layout = self.layout()
        if layout is None:
            raise BrokerError("no local cluster: start one with `syndicate broker up --nodes 3`")
        return layout

    def broker(self, node_id: int, layout: Layout | None = None) -> Broker:
        layout = layout or self._require()
        if node_id not in layout.ids:
            raise BrokerError(f"node {node_id} is not in the cluster (nodes 1-{layout.nodes})")
        paths = BrokerPaths.of(self.settings, f"cluster/node-{node_id}")
        return Broker(self.settings, layout.node(node_id), paths, layout.cluster_id)

    def brokers(self) -> list[Broker]:
        layout = self._require()
        return [self.broker(i, layout) for i in layout.ids]

    # -- lifecycle ----------------------------------------------------------------------------------
    def up(self, nodes: int, timeout: float = READY_SECONDS) -> str:
        """Start every node that is not running; return once the cluster's metadata lists all of them."""
        if nodes < 2:
            raise BrokerError("a cluster needs at least 2 nodes (one node: `syndicate broker up`)")
        layout = self.layout()
        if layout is None:
            layout = Layout(nodes, self.settings.broker_port, new_cluster_id())
            self.root.mkdir(parents=True, exist_ok=True)
            self.manifest.write_text(json.dumps(
                {"nodes": layout.nodes, "base_port": layout.base_port, "cluster_id": layout.cluster_id}) + "\n")
        elif layout.nodes != nodes:
            raise BrokerError(f"a {layout.nodes}-node cluster is recorded in {self.root}; "
                              f"`syndicate broker reset` first to make one of {nodes}")
        brokers = [self.broker(i, layout) for i in layout.ids]
        started = {b.node.node_id: b.launch() for b in brokers if b.pid() is None}
        deadline = time.monotonic() + timeout
        try:
            for b in brokers:
                b.wait_accepting(deadline, started.get(b.node.node_id))
            wait_for_brokers(layout.bootstrap, set(layout.ids), deadline)
        except BrokerError as exc:
            for b in brokers:
                b.down()
            raise BrokerError(f"the cluster did not come up: {exc}") from None
        how = f"started {sorted(started)}" if started else "already running"
        return (f"cluster of {layout.nodes} up ({how}); KAFKA_BOOTSTRAP_SERVERS={layout.bootstrap}; "
                f"replication factor {layout.node(1).replication.factor}, "
                f"min.insync.replicas {layout.node(1).replication.min_insync}; data in {self.root}")

    def down(self) -> str:
        """SIGTERM every node at once (one at a time, the last ones wait on a quorum that is going away)."""
        if not self.recorded():
            return "no cluster recorded"
        brokers = self.brokers()
        running = [(b, b.pid()) for b in brokers]
        for _, pid in running:
            if pid is not None:
                os.kill(pid, signal.SIGTERM)
        return "; ".join(f"node {b.node.node_id}: {b.stopped(pid) if pid else 'not running'}" for b, pid in running)

    def kill(self, node_id: int) -> str:
        return self.broker(node_id).kill()

    def start(self, node_id: int, timeout: float = READY_SECONDS) -> str:
        """Start one node again and return once the cluster lists it (it then catches up as a follower)."""
        layout = self._require()
        b = self.broker(node_id, layout)
        if b.pid() is not None:
            return f"node {node_id} already running (pid {b.pid()})"
        proc = b.launch()
        deadline = time.monotonic() + timeout
        b.wait_accepting(deadline, proc)
        wait_for_brokers(layout.bootstrap, {node_id}, deadline)
        return f"node {node_id} up (pid {proc.pid}) on 127.0.0.1:{b.port}"

    def status(self) -> list[str]:
        layout = self._require()
        return [f"node {i}: {self.broker(i, layout).status()} (controller :{layout.node(i).controller_port})"
                for i in layout.ids]

    def running(self) -> bool:
        return self.recorded() and any(b.pid() is not None for b in self.brokers())

    def reset(self) -> str:
        said = self.down()
        shutil.rmtree(self.root, ignore_errors=True)
        return f"{said}; cluster data deleted"


def wait_for_brokers(bootstrap: str, wanted: set[int], deadline: float) -> None:
    """Until the cluster metadata lists every node in `wanted` as a live broker."""
    last: object = None
    while time.monotonic() < deadline:
        try:
            live = broker_ids(bootstrap)
            if wanted <= live:
                return
            last = f"live brokers {sorted(live)}"
        except Exception as exc:
            last = exc
        time.sleep(0.5)
    raise BrokerTimeout(f"brokers {sorted(wanted)} not all registered in time ({last})")


def broker_command(settings: Settings, action: str, *, nodes: int | None = None, node: int | None = None,
                   secure: bool = False) -> str:
    """`syndicate broker ACTION`: one node unless `--nodes N` (up) or a recorded cluster (the others); `--secure`:
    the single node with SASL and ACLs (streams/devbroker/secure.py)."""
    if secure:
        if action not in ("up", "down", "status", "reset") or (nodes or 1) != 1:
            raise BrokerError("--secure runs one node: up, down, status or reset")
        return str(getattr(SecureBroker(settings), action)())
    single, cluster = Broker(settings), Cluster(settings)
    if action == "up":
        return single.up() if (nodes or 1) == 1 else cluster.up(nodes or 1)
    if action in ("kill", "start"):
        if node is None:
            raise BrokerError(f"`syndicate broker {action} NODE` needs the node's number")
        return cluster.kill(node) if action == "kill" else cluster.start(node)
    if action == "status":
        if not cluster.recorded():
            return single.status()
        lines = cluster.status()
        if single.pid() is None and not cluster.running():
            return "down"
        return "\n".join(([f"single node: {single.status()}"] if single.pid() else []) + lines)
    # down / reset: both of ours unless --nodes says which (1: the single node, more: the cluster)
    said = [getattr(single, action)()] if nodes in (None, 1) else []
    if cluster.recorded() and nodes != 1:
        said.append(f"cluster: {getattr(cluster, action)()}")
    return "\n".join(said) or "no cluster recorded"

