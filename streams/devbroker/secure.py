"""The local broker in secure mode (`syndicate broker up --secure`): a SASL_PLAINTEXT listener (SCRAM-SHA-512), the
KRaft StandardAuthorizer with deny by default, and an admin principal whose credentials are written (mode 0600)
to `.cache/broker-secure/admin.json`, where every syndicate command and the worker find them."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import time

from streams.devbroker.broker import _LOG4J, Broker, BrokerPaths, new_cluster_id
from streams.errors import BrokerError, BrokerTimeout
from streams.kafka.security import ADMIN_FILE, SECURE_HOME, Security
from streams.settings import Settings

ADMIN_USER = "admin"
MECHANISM = "SCRAM-SHA-512"

# The client listener authenticates with SCRAM-SHA-512 (credentials live in the cluster metadata, so partners can
# be added while it runs); the controller listener, which SCRAM cannot serve, uses PLAIN with the same admin
# principal from the JAAS configuration. Only the admin is a super user; everyone else needs an ACL.
_SECURE = """process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{cport}
listeners=SASL_PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{cport}
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=PLAIN
listener.name.sasl_plaintext.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule \
required username="{user}" password="{password}";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule \
required username="{user}" password="{password}" user_{user}="{password}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:{user}
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


class SecureBroker(Broker):
    """The single-node broker with authentication and authorisation on, in `.cache/broker-secure`."""

    listener = "SASL_PLAINTEXT"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, paths=BrokerPaths.of(settings, SECURE_HOME))

    @property
    def admin_path(self) -> os.PathLike[str]:
        return self.paths.home / ADMIN_FILE

    def admin(self) -> Security:
        """The admin principal (created with a random password the first time the broker is configured)."""
        try:
            data = json.loads(self.paths.home.joinpath(ADMIN_FILE).read_text())
            return Security(data["security_protocol"], data["sasl_mechanism"], data["username"], data["password"],
                            str(self.admin_path))
        except (OSError, ValueError, KeyError):
            return Security("SASL_PLAINTEXT", MECHANISM, ADMIN_USER, secrets.token_urlsafe(24), "new")

    def _write_admin(self, admin: Security) -> None:
        path = self.paths.home / ADMIN_FILE
        data = {"bootstrap_servers": f"127.0.0.1:{self.port}", "security_protocol": admin.protocol,
                "sasl_mechanism": admin.mechanism, "username": admin.username, "password": admin.password}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=2)

    def up(self, timeout: float = 90.0) -> str:
        said = super().up(timeout)
        return f"{said} (secure: SASL_PLAINTEXT {MECHANISM}; admin credentials in {self.admin_path})"

    def _configure(self) -> None:
        self.paths.home.mkdir(parents=True, exist_ok=True)
        admin = self.admin()
        self.paths.config.write_text(_SECURE.format(
            port=self.port, cport=self.controller_port, data=self.paths.data, user=admin.username,
            password=admin.password,
        ))
        os.chmod(self.paths.config, 0o600)  # it holds the admin password
        (self.paths.home / "log4j.properties").write_text(_LOG4J.format(log=self.paths.log))
        self._write_admin(admin)

    def _format(self) -> None:
        """Format once, with the admin's SCRAM credential in the cluster metadata from the start."""
        if (self.paths.data / "meta.properties").exists():
            return
        admin = self.admin()
        result = subprocess.run(
            ["java", "-cp", f"{self.paths.libs}/*",
             f"-Dlog4j.configuration=file:{self.paths.home / 'log4j.properties'}",
             "kafka.tools.StorageTool", "format", f"--cluster-id={new_cluster_id()}", "-c", str(self.paths.config),
             "--add-scram", f"{MECHANISM}=[name={admin.username},password={admin.password}]"],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise BrokerError(f"formatting KRaft storage failed: {result.stdout}{result.stderr}")

    def wait_ready(self, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
        deadline = time.monotonic() + timeout
        self.wait_accepting(deadline, proc)
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                asyncio.run(self._probe())
                return
            except Exception as exc:  # not ready yet: the next attempt tells
                last = exc
                time.sleep(0.5)
        raise BrokerTimeout(f"the secure broker on port {self.port} did not answer the admin in time: {last}")

    async def _probe(self) -> None:
        from aiokafka.admin import AIOKafkaAdminClient

        client = AIOKafkaAdminClient(bootstrap_servers=f"127.0.0.1:{self.port}", request_timeout_ms=3000,
                                     **self.admin().aiokafka())
        await client.start()
        try:
            await client.list_topics()
        finally:
            await client.close()

    def reset(self) -> str:
        said = super().reset()
        (self.paths.home / ADMIN_FILE).unlink(missing_ok=True)
        return said
