"""How our clients authenticate: PLAINTEXT, SASL from the settings (a broker elsewhere), or the admin principal
of the local secure broker (`syndicate broker up --secure`), found on its own under the cache directory."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.errors import SettingsError
from streams.settings import Settings

#: Where `syndicate broker up --secure` keeps its files, and the admin credentials file in it.
SECURE_HOME = "broker-secure"
ADMIN_FILE = "admin.json"


@dataclass(frozen=True, slots=True)
class Security:
    """The security options of one client connection (no password in repr)."""

    protocol: str = "PLAINTEXT"
    mechanism: str | None = None
    username: str | None = None
    password: str | None = None
    source: str = "plaintext"  # "plaintext" | "settings" | the admin file it came from

    def __repr__(self) -> str:
        return f"Security({self.protocol}, {self.mechanism}, user={self.username!r}, from {self.source})"

    @property
    def sasl(self) -> bool:
        return self.protocol.startswith("SASL")

    def aiokafka(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka clients (producer, consumer, admin)."""
        if not self.sasl:
            return {}
        options: dict[str, Any] = {
            "security_protocol": self.protocol, "sasl_mechanism": self.mechanism,
            "sasl_plain_username": self.username, "sasl_plain_password": self.password,
        }
        if self.protocol == "SASL_SSL":
            from aiokafka.helpers import create_ssl_context

            options["ssl_context"] = create_ssl_context()
        return options

    def librdkafka(self) -> dict[str, Any]:
        """Configuration for confluent-kafka (librdkafka) clients."""
        if not self.sasl:
            return {}
        return {"security.protocol": self.protocol, "sasl.mechanism": self.mechanism,
                "sasl.username": self.username, "sasl.password": self.password}


def admin_file(settings: Settings) -> Path:
    return settings.cache_dir.resolve() / SECURE_HOME / ADMIN_FILE


def _same_servers(a: str, b: str) -> bool:
    def norm(servers: str) -> set[str]:
        return {s.strip().replace("localhost:", "127.0.0.1:") for s in servers.split(",") if s.strip()}

    return norm(a) == norm(b)


def local_admin(settings: Settings) -> Security | None:
    """The local secure broker's admin principal, when its credentials file names the servers we connect to."""
    path = admin_file(settings)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not _same_servers(str(data.get("bootstrap_servers", "")), settings.bootstrap_servers):
        return None
    return Security(data["security_protocol"], data["sasl_mechanism"], data["username"], data["password"],
                    str(path))


def security_of(settings: Settings) -> Security:
    """KAFKA_SECURITY_PROTOCOL and the SASL settings when given; else the local secure broker's admin principal
    when it serves `bootstrap_servers`; else PLAINTEXT."""
    protocol = settings.security_protocol.upper()
    if protocol == "AUTO":
        return local_admin(settings) or Security()
    if protocol == "PLAINTEXT":
        return Security(protocol, source="settings")
    if not settings.sasl_username or not settings.sasl_password:
        raise SettingsError(f"KAFKA_SECURITY_PROTOCOL={protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
    return Security(protocol, settings.sasl_mechanism.upper(), settings.sasl_username, settings.sasl_password,
                    "settings")


def client_options(settings: Settings) -> dict[str, Any]:
    """`bootstrap_servers` and the security options for an aiokafka client."""
    return {"bootstrap_servers": settings.bootstrap_servers, **security_of(settings).aiokafka()}


def connect(bootstrap: str) -> dict[str, Any]:
    """`bootstrap_servers` and security options for a client that is given only the servers: the security settings
    from the environment (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*), else the local secure broker's admin file."""
    return client_options(Settings.load({"bootstrap_servers": bootstrap}))
