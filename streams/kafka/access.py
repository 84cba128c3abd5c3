"""Each partner reads only its own topic: SCRAM credentials and ACLs (read `partner.<id>`, consumer groups prefixed
`partner.<id>.`), created, rotated and deleted through the Kafka Admin API (confluent-kafka: aiokafka has no ACL
or SCRAM calls)."""

from __future__ import annotations

import secrets
from typing import Any

from streams.errors import SyndicateError
from streams.kafka.security import Security, security_of
from streams.model import partner_topic
from streams.settings import Settings

#: SCRAM iterations for partner credentials (Kafka's minimum is 4096; 8192 is what kafka-configs uses).
ITERATIONS = 8192
TIMEOUT = 15.0


class AccessError(SyndicateError):
    """Credentials or ACLs cannot be made here (a broker without authentication, or the broker refused)."""

    exit_code = 2


def principal(settings: Settings, partner_id: str) -> str:
    """The partner's user name: its topic's full name (`partner.<id>`, with the topic prefix when there is one)."""
    return settings.topic(partner_topic(partner_id))


def group_prefix(settings: Settings, partner_id: str) -> str:
    return f"{principal(settings, partner_id)}."


def _admin(security: Security, settings: Settings) -> Any:
    from confluent_kafka.admin import AdminClient

    # log_level 3: librdkafka's own informational lines (queue purges at exit) stay off the terminal
    return AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 3, **security.librdkafka()})


def _wait(futures: Any) -> None:
    items = futures.values() if isinstance(futures, dict) else futures
    for future in items:
        future.result(timeout=TIMEOUT)


def _bindings(settings: Settings, partner_id: str) -> list[Any]:
    from confluent_kafka.admin import AclBinding, AclOperation, AclPermissionType, ResourcePatternType, ResourceType

    user = f"User:{principal(settings, partner_id)}"
    allow = AclPermissionType.ALLOW
    topic = settings.topic(partner_topic(partner_id))
    return [
        AclBinding(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, user, "*", AclOperation.READ, allow),
        AclBinding(ResourceType.TOPIC, topic, ResourcePatternType.LITERAL, user, "*", AclOperation.DESCRIBE, allow),
        AclBinding(ResourceType.GROUP, group_prefix(settings, partner_id), ResourcePatternType.PREFIXED, user, "*",
                   AclOperation.READ, allow),
    ]


def _secure(settings: Settings) -> Security:
    security = security_of(settings)
    if not security.sasl:
        raise AccessError(
            f"the broker at {settings.bootstrap_servers} is used without authentication (PLAINTEXT): partner "
            "credentials need a SASL listener (`syndicate broker up --secure`, or KAFKA_SECURITY_PROTOCOL and the "
            "KAFKA_SASL_* settings for a broker elsewhere)")
    return security


def has_credentials(settings: Settings, partner_id: str) -> bool:
    from confluent_kafka import KafkaError, KafkaException

    admin = _admin(_secure(settings), settings)
    user = principal(settings, partner_id)
    try:
        described = admin.describe_user_scram_credentials(users=[user])[user].result(timeout=TIMEOUT)
    except KafkaException as exc:
        if exc.args and exc.args[0].code() == KafkaError.RESOURCE_NOT_FOUND:
            return False
        raise AccessError(f"cannot read the credentials of {user}: {exc}") from None
    return bool(described)


def issue(settings: Settings, partner_id: str, *, rotate: bool = False) -> dict[str, str]:
    """Create (or, with `rotate`, replace) the partner's SCRAM credentials and its ACLs; returns what the partner
    needs to connect. Without `rotate`, a partner that has credentials keeps them: the password is not stored."""
    from confluent_kafka.admin import ScramCredentialInfo, ScramMechanism, UserScramCredentialUpsertion

    security = _secure(settings)
    if not rotate and has_credentials(settings, partner_id):
        raise AccessError(f"partner {partner_id!r} has credentials already and their password is not kept: "
                          "--rotate issues a new one (the old one stops working)")
    admin = _admin(security, settings)
    user = principal(settings, partner_id)
    password = secrets.token_urlsafe(24)
    # partners always get SCRAM (the admin may sign in with PLAIN, as in docker-compose's secure profile)
    name = security.mechanism if security.mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512") else "SCRAM-SHA-512"
    mechanism = ScramMechanism.SCRAM_SHA_256 if name == "SCRAM-SHA-256" else ScramMechanism.SCRAM_SHA_512
    upsert = UserScramCredentialUpsertion(user, ScramCredentialInfo(mechanism, ITERATIONS), password.encode())
    _wait(admin.alter_user_scram_credentials([upsert]))
    _wait(admin.create_acls(_bindings(settings, partner_id)))
    return {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": security.protocol,
        "sasl_mechanism": name,
        "username": user,
        "password": password,
        "topic": settings.topic(partner_topic(partner_id)),
        "group_prefix": group_prefix(settings, partner_id),
    }


def revoke(settings: Settings, partner_id: str) -> list[str]:
    """Delete the partner's credentials and every ACL of its principal; says what was deleted. A broker without
    authentication has nothing to delete."""
    from confluent_kafka.admin import (
        AclBindingFilter,
        AclOperation,
        AclPermissionType,
        ResourcePatternType,
        ResourceType,
        ScramMechanism,
        UserScramCredentialDeletion,
    )

    if not security_of(settings).sasl:
        return []
    done = []
    admin = _admin(_secure(settings), settings)
    user = principal(settings, partner_id)
    if has_credentials(settings, partner_id):
        deletions = [UserScramCredentialDeletion(user, m)
                     for m in (ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256)]
        for future in admin.alter_user_scram_credentials(deletions).values():
            try:
                future.result(timeout=TIMEOUT)
            except Exception:  # a mechanism the user never had
                continue
        done.append(f"credentials of {user}")
    # None matches any resource name and host (the library's stubs say str, its documentation says None)
    everything = AclBindingFilter(ResourceType.ANY, None, ResourcePatternType.ANY, f"User:{user}",  # type: ignore[arg-type]
                                  None, AclOperation.ANY, AclPermissionType.ANY)  # type: ignore[arg-type]
    deleted = sum(len(f.result(timeout=TIMEOUT)) for f in admin.delete_acls([everything]).values())
    if deleted:
        done.append(f"{deleted} ACLs of {user}")
    return done
