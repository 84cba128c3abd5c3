"""Broker tests: a local 3-node cluster for the cluster and fault tests, and every article and partner payload a
test's pipeline wrote checked against the official schemas.

When a `Stack` (streams/testing/harness.py) stops its workers, every record on its `wire.articles` and
`partner.<id>` topics (sandboxes' too) is read back as bytes and validated: ninjs payloads against IPTC's
own ninjs 2.1 AND 2.2 schemas (`../shared/schemas/ninjs`), NewsML-G2 payloads against the NewsML-G2 2.35
XSD (`../shared/schemas/newsml-g2`), a partner format that is not ninjs by design against its own contract
in `schemas/`. A failure fails the test whose stack it was (at its teardown). Without ../shared the check
cannot run, and says so once (CI always has ../shared).
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from aiokafka import AIOKafkaConsumer

from streams.devbroker.broker import Broker
from streams.devbroker.cluster import Cluster
from streams.kafka.clients import partitions_of
from streams.kafka.security import connect
from streams.quality.validate import load_validator, load_xsd, validation_errors, xml_errors
from streams.settings import Settings
from streams.testing.harness import Stack

ROOT = Path(__file__).resolve().parents[2]
#: Partner formats whose payload is a ninjs article, and those that are something else by design.
NINJS_FORMATS = frozenset({"ninjs", "ninjs-text"})
XML_FORMATS = frozenset({"newsml-g2"})
OWN_CONTRACTS = {"teaser": "teaser.schema.json"}


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


# -- official schemas ----------------------------------------------------------------------------------


@dataclass
class OfficialSchemas:
    """The official schemas, loaded once; `errors` says what is wrong with one payload."""

    shared: Path
    checked: dict[str, int] = field(default_factory=dict)  # kind of check -> payloads checked, for the report

    def __post_init__(self) -> None:
        ninjs = self.shared / "schemas" / "ninjs"
        self.ninjs = {v: load_validator(ninjs / f"ninjs-schema_{v}.json") for v in ("2.1", "2.2")}
        self._xsd: Any = None
        self._own: dict[str, Any] = {}

    def xsd(self) -> Any:
        if self._xsd is None:
            self._xsd = load_xsd(self.shared / "schemas" / "newsml-g2" / "NewsML-G2_2.35-spec-All-Power.xsd")
        return self._xsd

    def errors(self, payload: bytes, fmt: str | None) -> list[str]:
        """What is wrong with one payload of this partner format (None: a canonical article, or a partner the
        registry file does not list: judged by its shape)."""
        looks_xml = payload.lstrip()[:1] == b"<"
        if fmt in XML_FORMATS or (fmt is None and looks_xml):
            self._count("newsml-g2 xsd")
            return [f"NewsML-G2 2.35: {e}" for e in xml_errors(payload, self.xsd())]
        try:
            value = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            return [f"not JSON ({exc}) and not XML: {payload[:80]!r}"]
        if fmt in OWN_CONTRACTS:
            name = OWN_CONTRACTS[fmt]
            if name not in self._own:
                self._own[name] = load_validator(ROOT / "schemas" / name)
            self._count(name)
            return [f"{name}: {e}" for e in validation_errors(value, self._own[name])]
        if fmt is not None and fmt not in NINJS_FORMATS:
            return [f"no schema known for partner format {fmt!r}: add it to tests/kafka/conftest.py"]
        if not isinstance(value, dict):
            return [f"a ninjs payload must be a JSON object, got {type(value).__name__}"]
        self._count("ninjs 2.1 + 2.2")
        return [f"ninjs {v}: {e}" for v, validator in self.ninjs.items() for e in validation_errors(value, validator)]

    def _count(self, kind: str) -> None:
        self.checked[kind] = self.checked.get(kind, 0) + 1


#: A stack's topics the check reads: its articles and partner topics, and the live registry's control topic
#: (which says each partner's format), its sandboxes' too. Group 1 is the scope (prefix, sandbox).
_SCOPE = r"^({prefix}(?:sandbox\.[^.]+\.)?)"
_PAYLOAD_TOPIC = _SCOPE + r"(?:wire\.articles|partner\..+)$"
_CONTROL_TOPIC = _SCOPE + r"syndicate\.partners$"


def partner_formats(stack: Stack, control: dict[str, list[bytes]]) -> dict[str, set[str]]:
    """partner topic -> every format its partner has had: from the live registry's control records (each change
    names the definition before and after it), else from the registry file the stack's workers were given."""
    formats: dict[str, set[str]] = {}
    for topic, records in control.items():
        scope = topic.removesuffix("syndicate.partners")
        for raw in records:
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            for definition in (record.get("before"), record.get("after")) if isinstance(record, dict) else ():
                if isinstance(definition, dict) and "id" in definition:
                    fmt = str(definition.get("format", "ninjs"))
                    formats.setdefault(f"{scope}partner.{definition['id']}", set()).add(fmt)
    registry = yaml.safe_load(stack.partners.read_text(encoding="utf-8")) or {}
    for p in registry.get("partners", []):
        formats.setdefault(stack.topic(f"partner.{p['id']}"), {str(p.get("format", "ninjs"))})
    return formats


async def _read_all(bootstrap: str, pattern: re.Pattern[str]) -> dict[str, list[bytes]]:
    """topic -> every value on it, for the topics matching `pattern`, read to their end."""
    # what a partner's consumer sees: committed records only, should the loops write in transactions
    consumer = AIOKafkaConsumer(**connect(bootstrap), enable_auto_commit=False, isolation_level="read_committed")
    await consumer.start()
    try:
        names = sorted(t for t in await consumer.topics() if pattern.match(t))
        tps = [tp for t in names for tp in await partitions_of(consumer, t)]
        out: dict[str, list[bytes]] = {t: [] for t in names}
        if not tps:
            return out
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        left = {tp for tp in tps if end[tp] > 0}
        while left:
            batch = await consumer.getmany(*left, timeout_ms=2000)
            if not batch:
                raise TimeoutError(f"could not read to the end of {sorted(str(tp) for tp in left)}")
            for tp, records in batch.items():
                out[tp.topic].extend(r.value for r in records if r.value is not None)
                if await consumer.position(tp) >= end[tp]:
                    left.discard(tp)
        return out
    finally:
        await consumer.stop()


def payload_errors(stack: Stack, schemas: OfficialSchemas) -> tuple[int, list[str]]:
    """(payloads checked, what is wrong) over every article and partner topic of the stack. A partner's payload
    passes if it meets the schema of a format the partner has had (a live registry may change it)."""
    prefix = re.escape(stack.prefix)
    payload = re.compile(_PAYLOAD_TOPIC.format(prefix=prefix))
    control = re.compile(_CONTROL_TOPIC.format(prefix=prefix))
    read = asyncio.run(_read_all(stack.bootstrap, re.compile(f"{payload.pattern}|{control.pattern}")))
    formats = partner_formats(stack, {t: v for t, v in read.items() if control.match(t)})
    checked, errors = 0, []
    for topic, values in read.items():
        if not payload.match(topic):
            continue
        kinds = sorted(formats.get(topic, ())) if ".partner." in f".{topic}" else []
        for n, value in enumerate(values):
            checked += 1
            found = [schemas.errors(value, fmt) for fmt in kinds] or [schemas.errors(value, None)]
            if all(found):
                errors += [f"{topic}[{n}] {e}" for e in found[0]]
    return checked, errors


@pytest.fixture(scope="session")
def official_schemas(shared_dir: Path) -> OfficialSchemas:
    return OfficialSchemas(shared_dir)


@pytest.fixture(scope="session")
def stack_payload_errors(official_schemas: OfficialSchemas) -> Any:
    """The check the teardown runs, for a test to call on a stack: (payloads checked, errors)."""
    return lambda stack: payload_errors(stack, official_schemas)


@pytest.fixture(scope="session", autouse=True)
def every_stack_checked_against_the_official_schemas(shared_dir: Path) -> Iterator[None]:
    if not (shared_dir / "schemas" / "ninjs").is_dir():
        print(f"\n{shared_dir}/schemas is absent: broker payloads are not checked against the official schemas",
              file=sys.stderr)
        yield
        return
    schemas = OfficialSchemas(shared_dir)
    stop_all = Stack.stop_all

    def stop_all_then_check(self: Stack) -> None:
        stop_all(self)
        checked, errors = payload_errors(self, schemas)
        assert not errors, f"{len(errors)} of {checked} payloads fail the official schemas:\n" + "\n".join(errors[:20])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Stack, "stop_all", stop_all_then_check)
        yield
