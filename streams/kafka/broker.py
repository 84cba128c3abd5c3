"""The local single-node Apache Kafka broker (KRaft): fetched from Maven Central, started and stopped by pid."""

from __future__ import annotations

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
from streams.settings import Settings

__all__ = ["Broker", "BrokerError", "BrokerPaths"]

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

# Single node: every replication factor and min ISR is 1, which exactly-once (transactions) needs here.
_SERVER = """process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{cport}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{cport}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs={data}
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
min.insync.replicas=1
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
    def of(cls, settings: Settings) -> BrokerPaths:
        root = settings.cache_dir.resolve()
        return cls(root, root / "kafka" / settings.kafka_version / "libs", root / "broker")

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


class Broker:
    """Drives one local Kafka process: `up`, `down`, `status`, `reset`. `down` stops only the pid it started."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.paths = BrokerPaths.of(settings)
        self.port = settings.broker_port
        self.controller_port = settings.broker_port + 1

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
        return pid if "kafka.Kafka" in cmdline and str(self.paths.config) in cmdline else None

    def accepting(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def up(self, timeout: float = 90.0) -> str:
        """Start the broker unless ours is running; return once it accepts connections and answers metadata."""
        if self.pid() is not None:
            self.wait_ready(timeout)
            return f"broker already running (pid {self.pid()}) on 127.0.0.1:{self.port}"
        if self.accepting():
            raise BrokerError(f"port {self.port} is taken by another process; set SYNDICATE_BROKER_PORT")
        self.fetch()
        self._configure()
        self._format()
        java = shutil.which("java")
        if java is None:
            raise BrokerError("java is not on PATH: Kafka needs Java 17")
        log = open(self.paths.home / "broker.out", "ab")  # noqa: SIM115 - handed to the child process
        heap = os.environ.get("SYNDICATE_BROKER_HEAP", "1g")
        proc = subprocess.Popen(
            [java, f"-Xmx{heap}", "-Xms256m", "-cp", f"{self.paths.libs}/*",
             f"-Dlog4j.configuration=file:{self.paths.home / 'log4j.properties'}",
             "kafka.Kafka", str(self.paths.config)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        self.paths.pidfile.write_text(f"{proc.pid}\n")
        try:
            self.wait_ready(timeout, proc)
        except BrokerError:
            self.down()
            raise
        return f"broker up (pid {proc.pid}) on 127.0.0.1:{self.port}; data in {self.paths.data}"

    def wait_ready(self, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
        from streams.kafka.topics import wait_for_broker  # aiokafka import kept off the CLI's fast path

        deadline = time.monotonic() + timeout
        while not self.accepting():
            if proc is not None and proc.poll() is not None:
                raise BrokerError(f"Kafka exited with code {proc.returncode}; see {self.paths.home / 'broker.out'}")
            if time.monotonic() > deadline:
                raise BrokerError(f"Kafka did not accept connections on port {self.port} within {timeout:.0f}s")
            time.sleep(0.2)
        wait_for_broker(f"127.0.0.1:{self.port}", max(5.0, deadline - time.monotonic()))

    def down(self, timeout: float = 30.0) -> str:
        pid = self.pid()
        if pid is None:
            self.paths.pidfile.unlink(missing_ok=True)
            return "broker not running (nothing started by this project)"
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists() and self._alive(pid):
            time.sleep(0.2)
        if self._alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.paths.pidfile.unlink(missing_ok=True)
        return f"broker stopped (pid {pid})"

    def status(self) -> str:
        pid = self.pid()
        if pid is None:
            return "down"
        return f"up (pid {pid}) on 127.0.0.1:{self.port}" if self.accepting() else f"starting (pid {pid})"

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

    def _configure(self) -> None:
        self.paths.home.mkdir(parents=True, exist_ok=True)
        self.paths.config.write_text(
            _SERVER.format(port=self.port, cport=self.controller_port, data=self.paths.data)
        )
        (self.paths.home / "log4j.properties").write_text(_LOG4J.format(log=self.paths.log))

    def _format(self) -> None:
        """Format KRaft storage once; a formatted data dir keeps its topics across down/up."""
        if (self.paths.data / "meta.properties").exists():
            return
        cluster_id = uuid.uuid4().bytes
        import base64

        cid = base64.urlsafe_b64encode(cluster_id).decode().rstrip("=")
        result = subprocess.run(
            ["java", "-cp", f"{self.paths.libs}/*",
             f"-Dlog4j.configuration=file:{self.paths.home / 'log4j.properties'}",
             "kafka.tools.StorageTool", "format", "-t", cid, "-c", str(self.paths.config)],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BrokerError(f"formatting KRaft storage failed: {result.stdout}{result.stderr}")
