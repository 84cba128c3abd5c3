"""End to end on the real Apache Kafka broker: raw envelopes in, partner topics out, read with plain aiokafka."""

from __future__ import annotations

import base64
import shutil
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from streams.contracts import Contracts
from streams.kafka import topics
from streams.normalize.backlog import RawRecord, Refusal, load_backlog
from streams.normalize.envelope import EnvelopeReader
from streams.offline import run_offline
from streams.settings import Settings
from streams.testing.harness import Stack, committed, produce, read_topic

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]
PARTNERS = ("kremlin-watch", "baltic-desk", "markets-wire", "world-politics")

MALFORMED = [
    b"{this is not json",
    b'{"id": "bad-utf8", "content": "caf\xe9"}',
    b'{"id": "no-content"}',
    b'{"id": "empty-body", "content": "  \\n  "}',
]
EXPECTED_REASONS = Counter({"invalid-json": 1, "invalid-utf8": 1, "missing-content": 1, "empty-body": 1,
                            "no-reuters-credit": 1})


@pytest.fixture(scope="module")
def backlog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("backlog")
    for path in sorted((ROOT / "samples" / "backlog").iterdir()):
        shutil.copy(path, folder / path.name)
    # after the bad lines comes a good story (a distinct one): it must still be delivered
    good_after = orjson.dumps({"id": "good-after-bad", "content": (
        "Ukraine's central bank cuts key rate as inflation slows\n\n"
        "KIEV (Reuters) - Ukraine's central bank cut its main interest rate to 14 percent from 15 percent on "
        "Thursday, citing slowing inflation and a steadier hryvnia, and said it could ease policy further.\n\n"
        "The bank said consumer inflation was on track to fall to its target of 8 percent next year.\n\n"
        "Reuters\n")})
    (folder / "zz-malformed.jsonl").write_bytes(b"\n".join([*MALFORMED, good_after]) + b"\n")
    return folder


@pytest.fixture(scope="module")
def stack(bootstrap: str, tmp_path_factory: pytest.TempPathFactory, backlog: Path):
    s = Stack(bootstrap, tmp_path_factory.mktemp("stack"))
    s.create_topics()
    s.start_worker()
    items = list(load_backlog([backlog], EnvelopeReader(Contracts())))
    records = []
    for item in items:  # refused lines go to Kafka as they are: the worker must dead-letter them
        if isinstance(item, RawRecord):
            records.append((item.key.encode(), item.value, None))
        else:
            assert isinstance(item, Refusal)
            records.append((None, item.original, None))
    produce(bootstrap, s.topic(topics.RAW), records)
    s.sent = len(records)  # type: ignore[attr-defined]
    s.records = records  # type: ignore[attr-defined]
    yield s
    s.stop_all()


def decisions(stack: Stack) -> list[dict]:
    got = read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=stack.sent, timeout=90)  # type: ignore[attr-defined]
    return [r["value"] for r in got]


def input_ids(stack: Stack) -> list[str]:
    """The input id of every record sent: its key, or for a keyless record the id its dead letter names (the
    worker names it by where it read it), found by the record's original bytes."""
    letters = read_topic(stack.bootstrap, stack.topic(topics.DEAD_LETTER), until=len(EXPECTED_REASONS))
    named = {base64.b64decode(r["value"]["original_b64"]): r["value"]["input_id"] for r in letters}
    return [key.decode() if key else named[value] for key, value, _ in stack.records]  # type: ignore[attr-defined]


def test_every_input_gets_exactly_one_decision(stack: Stack) -> None:
    got = decisions(stack)
    expected = input_ids(stack)
    assert len(set(expected)) == len(expected) == stack.sent  # type: ignore[attr-defined]
    per_input = Counter(d["input_id"] for d in got)
    # each input decided once: none twice, none never, nothing decided that was not sent
    assert per_input == Counter(expected), (
        {i: n for i, n in per_input.items() if n != 1}, set(expected) - set(per_input), stack.logs())
    rejected = Counter(d["reason"] for d in got if d["decision"] == "rejected")
    assert rejected == EXPECTED_REASONS


def test_partner_topics_hold_our_contract_with_the_reuters_credit(stack: Stack) -> None:
    """Every partner copy is keyed by its uri, valid against our own contract, and credits Reuters."""
    decisions(stack)
    article_schema = Contracts().validator("article.schema.json")
    total = 0
    for pid in PARTNERS:
        for record in read_topic(stack.bootstrap, stack.topic(topics.partner_topic(pid)), idle=1.0):
            total += 1
            article = record["value"]
            assert record["key"] == article["uri"].encode()
            errors = [e.message for e in article_schema.iter_errors(article)]
            assert not errors, errors
            assert any(s.get("name") == "Reuters" for s in article.get("infosources", [])), article
    assert total >= 3


@pytest.mark.shared
def test_partner_topics_hold_valid_official_ninjs(stack: Stack, stack_payload_errors) -> None:  # type: ignore[no-untyped-def]
    """IPTC's ninjs 2.1 and 2.2 schemas (../shared/schemas) for every article and partner copy: the same check
    runs on every broker test's stack when its workers stop; here it runs on a live stack too."""
    decisions(stack)
    checked, errors = stack_payload_errors(stack)
    assert errors == []
    partner_copies = sum(len(read_topic(stack.bootstrap, stack.topic(topics.partner_topic(pid)), idle=1.0))
                         for pid in PARTNERS)
    articles = read_topic(stack.bootstrap, stack.topic(topics.ARTICLES), idle=1.0)
    assert checked >= partner_copies + len(articles) > partner_copies  # every article and copy was checked


def test_a_story_sent_twice_is_delivered_once(stack: Stack) -> None:
    got = decisions(stack)
    kremlin = [d for d in got if "northgate-kremlin-baltic" in d["input_id"]]
    assert sorted(d["decision"] for d in kremlin) == ["duplicate", "new"]
    uri = next(d["uri"] for d in kremlin if d["decision"] == "new")
    assert all(d["uri"] == uri for d in kremlin)
    watch = read_topic(stack.bootstrap, stack.topic(topics.partner_topic("kremlin-watch")))
    assert [r["value"]["uri"] for r in watch].count(uri) == 1


def test_malformed_input_is_dead_lettered_with_its_bytes_and_the_next_story_delivered(stack: Stack) -> None:
    got = decisions(stack)
    letters = [r["value"] for r in read_topic(stack.bootstrap, stack.topic(topics.DEAD_LETTER), until=5)]
    originals = {base64.b64decode(letter["original_b64"]) for letter in letters}
    assert set(MALFORMED) <= originals
    assert all(letter["reason"] and letter["detail"] for letter in letters)
    after = next(d for d in got if d["input_id"] == "good-after-bad")
    assert after["decision"] in ("new", "update") and after["deliveries"], after


def test_offsets_are_committed(stack: Stack) -> None:
    decisions(stack)
    deadline = time.monotonic() + 30
    while True:
        offsets = committed(stack.bootstrap, f"{stack.app_id}.prepare", stack.topic(topics.RAW), stack.raw_partitions)
        if sum(o or 0 for o in offsets.values()) == stack.sent or time.monotonic() > deadline:  # type: ignore[attr-defined]
            break
        time.sleep(1)
    assert sum(o or 0 for o in offsets.values()) == stack.sent  # type: ignore[attr-defined]


def test_offline_process_gives_the_same_deliveries_as_kafka(stack: Stack, backlog: Path, tmp_path: Path) -> None:
    got = decisions(stack)
    settings = Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={})
    run_offline(settings, [backlog], tmp_path)
    offline = [orjson.loads(line) for line in (tmp_path / "decisions.jsonl").read_bytes().splitlines()]
    assert Counter(d["decision"] for d in offline) == Counter(d["decision"] for d in got)
    for pid in PARTNERS:
        on_kafka = read_topic(stack.bootstrap, stack.topic(topics.partner_topic(pid)))
        kafka_view = sorted((r["value"]["uri"], r["value"]["version"]) for r in on_kafka)
        lines = (tmp_path / "partners" / f"{pid}.jsonl").read_bytes().splitlines()
        offline_view = sorted((a["uri"], a["version"]) for a in map(orjson.loads, lines))
        assert kafka_view == offline_view, pid
