"""A local Apache Kafka node (KRaft, broker and controller in one process): fetched, started, stopped by pid."""

from __future__ import annotations

import base64
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from streams.errors import BrokerError
from streams.kafka.replication import Replication
from streams.kafka.topics import wait_for_broker
from streams.settings import Settings

__all__ = ["Broker", "BrokerError", "BrokerPaths", "Node", "Replication", "new_cluster_id"]

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.syndicate</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId>
      <version>1.7.36</version></dependency>
  </dependencies>
</project>
"""

_LOG4J = """log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File={log}
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.BrokerServer=INFO
log4j.logger.kafka.server.ControllerServer=INFO
"""

# One node: every replication factor and min ISR is 1, which exactly-once (transactions) needs there. In a
# cluster each node is broker and controller too; replication and min ISR follow the node count (Replication).
_SERVER = """process.roles=broker,controller
node.id={node_id}
controller.quorum.voters={voters}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{cport}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data}
num.partitions=1
default.replication.factor={rf}
offsets.topic.replication.factor={rf}
offsets.topic.num.partitions=4
transaction.state.log.replication.factor={rf}
transaction.state.log.min.isr={isr}
transaction.state.log.num.partitions=4
min.insync.replicas={isr}
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
"""


@dataclass(frozen=True, slots=True)
class BrokerPaths:
    """Where the fetched jars and the broker's own files live (all under the git-ignored cache)."""

    root: Path
    libs: Path
    home: Path

    @classmethod
    def of(cls, settings: Settings, home: str = "broker") -> BrokerPaths:
        root = settings.cache_dir.resolve()
        return cls(root, root / "kafka" / settings.kafka_version / "libs", root / home)

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def pidfile(self) -> Path:
        return self.home / "broker.pid"

    @property
    def config(self) -> Path:
        return self.home / "server.properties"

    @property
    def log(self) -> Path:
        return self.home / "broker.log"


@dataclass(frozen=True, slots=True)
class Node:
    """One KRaft process's place in its cluster: id, client and controller ports, the quorum's voters, replication."""

    node_id: int
    port: int
    controller_port: int
    voters: str
    replication: Replication

    @classmethod
    def alone(cls, port: int) -> Node:
        """The single-node broker: controller on port + 1."""
        return cls(1, port, port + 1, f"1@127.0.0.1:{port + 1}", Replication.for_brokers(1))


class Broker:
    """Drives one local Kafka process: `up`, `down`, `status`, `reset`, `kill`. `down` stops only the pid it started.

    Alone (the default) it is the single node `make demo` and `make test` use, in `.cache/broker`; given a `node`
    and `paths` it is one node of a local cluster (streams/devbroker/cluster.py), formatted with the cluster's id."""

    #: The client listener's name in server.properties (the secure broker's is SASL_PLAINTEXT).
    listener = "PLAINTEXT"

    def __init__(
        self, settings: Settings, node: Node | None = None, paths: BrokerPaths | None = None,
        cluster_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.node = node or Node.alone(settings.broker_port)
        self.paths = paths or BrokerPaths.of(settings)
        self.port = self.node.port
        self.controller_port = self.node.controller_port
        self.cluster_id = cluster_id
        default_heap = "1g" if node is None else "512m"
        self.heap = os.environ.get("SYNDICATE_BROKER_HEAP", default_heap)

    # -- fetching -----------------------------------------------------------------------------------
    def fetch(self) -> None:
        """Fetch Kafka and its runtime dependencies from Maven Central with `mvn` (once; cached)."""
        marker = self.paths.libs / ".complete"
        if marker.exists():
            return
        if shutil.which("mvn") is None:
            raise BrokerError("mvn is not on PATH: install Maven (apt-get install maven) to fetch Kafka")
        work = self.paths.libs.parent
        work.mkdir(parents=True, exist_ok=True)
        (work / "pom.xml").write_text(_POM.format(version=self.settings.kafka_version))
        cmd = [
            "mvn", "-B", "-q", "-f", str(work / "pom.xml"), "dependency:copy-dependencies",
            f"-DoutputDirectory={self.paths.libs}", "-DincludeScope=runtime",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise BrokerError(f"mvn could not fetch Kafka {self.settings.kafka_version}:\n{result.stdout[-2000:]}")
        if not list(self.paths.libs.glob(f"kafka_2.13-{self.settings.kafka_version}.jar")):
            raise BrokerError(f"mvn ran but kafka_2.13-{self.settings.kafka_version}.jar is not in {self.paths.libs}")
        marker.write_text("ok\n")

    # -- lifecycle ----------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid we started, if that process is still our broker (pid files can go stale)."""
        try:
            pid = int(self.paths.pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return None
        if "kafka.Kafka" not in cmdline or str(self.paths.config) not in cmdline or not self._alive(pid):
            return None
        return pid

    def accepting(self, port: int | None = None) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port or self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def up(self, timeout: float = 90.0) -> str:
        """Start the broker unless ours is running; return once it accepts connections and answers metadata."""
        if self.pid() is not None:
            self.wait_ready(timeout)
            return f"broker already running (pid {self.pid()}) on 127.0.0.1:{self.port}"
        proc = self.launch()
        try:
            self.wait_ready(timeout, proc)
        except BrokerError:
            self.down()
            raise
        return f"broker up (pid {proc.pid}) on 127.0.0.1:{self.port}; data in {self.paths.data}"

    def launch(self) -> subprocess.Popen[bytes]:
        """Fetch, configure and format if needed, and start the Kafka process without waiting for it."""
        for port, what in ((self.port, "port"), (self.controller_port, "controller port")):
            if self.accepting(port):
                raise BrokerError(f"{what} {port} is taken by another process; set SYNDICATE_BROKER_PORT")
        self.fetch()
        self._configure()
        self._format()
        java = shutil.which("java")
        if java is None:
            raise BrokerError("java is not on PATH: Kafka needs Java 17")
        log = open(self.paths.home / "broker.out", "ab")  # noqa: SIM115 - handed to the child process
        proc = subprocess.Popen(
            [java, f"-Xmx{self.heap}", "-Xms128m", "-cp", f"{self.paths.libs}/*",
             f"-Dlog4j.configuration=file:{self.paths.home / 'log4j.properties'}",
             "kafka.Kafka", str(self.paths.config)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        self.paths.pidfile.write_text(f"{proc.pid}\n")
        return proc

    def wait_accepting(self, deadline: float, proc: subprocess.Popen[bytes] | None = None) -> None:
        """Until the port accepts connections; fails early if the process died."""
        while not self.accepting():
            if proc is not None and proc.poll() is not None:
                raise BrokerError(f"Kafka exited with code {proc.returncode}; see {self.paths.home / 'broker.out'}")
            if self.pid() is None and proc is None:
                raise BrokerError(f"Kafka node {self.node.node_id} is not running; see {self.paths.home}/broker.out")
            if time.monotonic() > deadline:
                raise BrokerError(f"Kafka did not accept connections on port {self.port} in time")
            time.sleep(0.2)

    def wait_ready(self, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
        deadline = time.monotonic() + timeout
        self.wait_accepting(deadline, proc)
        wait_for_broker(f"127.0.0.1:{self.port}", max(5.0, deadline - time.monotonic()))

    def down(self, timeout: float = 30.0) -> str:
        pid = self.pid()
        if pid is None:
            self.paths.pidfile.unlink(missing_ok=True)
            return "broker not running (nothing started by this project)"
        os.kill(pid, signal.SIGTERM)
        return self.stopped(pid, timeout)

    def stopped(self, pid: int, timeout: float = 30.0) -> str:
        """Wait for a process sent SIGTERM to exit (a controlled shutdown), SIGKILL it after `timeout`."""
        self._wait_gone(pid, timeout)
        if self._alive(pid):
            os.kill(pid, signal.SIGKILL)
            self._wait_gone(pid, 10.0)
        self.paths.pidfile.unlink(missing_ok=True)
        return f"broker stopped (pid {pid})"

    def kill(self) -> str:
        """SIGKILL the process (no controlled shutdown, no flush): the fault tests' node crash."""
        pid = self.pid()
        if pid is None:
            return f"node {self.node.node_id} not running"
        os.kill(pid, signal.SIGKILL)
        self._wait_gone(pid, 10.0)
        return f"node {self.node.node_id} killed (SIGKILL pid {pid})"

    def status(self) -> str:
        pid = self.pid()
        if pid is None:
            return "down"
        port = self.configured_port()
        return f"up (pid {pid}) on 127.0.0.1:{port}" if self.accepting(port) else f"starting (pid {pid})"

    def configured_port(self) -> int:
        """The client port the running process was configured with (settings may have changed since)."""
        try:
            text = self.paths.config.read_text()
        except OSError:
            return self.port
        for line in text.splitlines():
            if line.startswith(f"listeners={self.listener}://"):
                return int(line.split(",")[0].rsplit(":", 1)[1])
        return self.port

    def reset(self) -> str:
        """Stop the broker and delete its data (topics, messages, offsets)."""
        said = self.down()
        shutil.rmtree(self.paths.data, ignore_errors=True)
        return f"{said}; data deleted"

    # -- internals ----------------------------------------------------------------------------------
    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except OSError:
            return False
        return state != "Z"

    def _wait_gone(self, pid: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._alive(pid):
            time.sleep(0.1)

    def _configure(self) -> None:
        self.paths.home.mkdir(parents=True, exist_ok=True)
        n = self.node
        self.paths.config.write_text(_SERVER.format(
            node_id=n.node_id, voters=n.voters, port=n.port, cport=n.controller_port, data=self.paths.data,
            rf=n.replication.factor, isr=n.replication.min_insync,
        ))
        (self.paths.home / "log4j.properties").write_text(_LOG4J.format(log=self.paths.log))

    def _format(self) -> None:
        """Format KRaft storage once; a formatted data dir keeps its topics across down/up. A cluster's nodes share
        the cluster id they were given; a single node makes its own."""
        if (self.paths.data / "meta.properties").exists():
            return
        cid = self.cluster_id or new_cluster_id()
        result = subprocess.run(
            ["java", "-cp", f"{self.paths.libs}/*",
             f"-Dlog4j.configuration=file:{self.paths.home / 'log4j.properties'}",
             "kafka.tools.StorageTool", "format", f"--cluster-id={cid}", "-c", str(self.paths.config)],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BrokerError(f"formatting KRaft storage failed: {result.stdout}{result.stderr}")


def new_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes in URL-safe base64 without padding (as `kafka-storage random-uuid`)."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
