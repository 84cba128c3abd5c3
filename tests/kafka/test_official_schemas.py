"""The official-schema check every broker test's payloads go through (tests/kafka/conftest.py) can fail."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.contracts import Contracts
from streams.kafka import topics
from streams.normalize.backlog import RawRecord, load_backlog
from streams.normalize.envelope import EnvelopeReader
from streams.pipeline import Pipeline, State
from streams.settings import Settings
from streams.testing.harness import Stack, produce

pytestmark = pytest.mark.shared
ROOT = Path(__file__).resolve().parents[2]
STORY = (ROOT / "samples" / "backlog" / "01-northgate-kremlin-baltic.txt").read_text()


@pytest.fixture(scope="module")
def article() -> dict:
    """A canonical article as the pipeline makes it (normalised, tagged, decided)."""
    pipeline = Pipeline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}), State.in_memory())
    (record,) = pipeline.prepare(orjson.dumps({"id": "a", "content": STORY}), "a")
    return next(o.value for o in pipeline.decide(record.value) if o.topic == topics.ARTICLES)


def test_our_article_is_valid_ninjs_2_1_and_2_2(official_schemas, article: dict) -> None:  # type: ignore[no-untyped-def]
    assert official_schemas.errors(orjson.dumps(article), "ninjs") == []
    assert official_schemas.errors(orjson.dumps(article), None) == []


def test_what_either_ninjs_schema_refuses_is_reported(official_schemas, article: dict) -> None:  # type: ignore[no-untyped-def]
    errors = official_schemas.errors(orjson.dumps({**article, "version": 2}), "ninjs")
    assert {e.split(":")[0] for e in errors} == {"ninjs 2.1", "ninjs 2.2"}, errors
    assert all("version" in e for e in errors)
    assert official_schemas.errors(orjson.dumps({**article, "syndicate_extra": 1}), "ninjs-text")
    assert official_schemas.errors(b"[1, 2]", "ninjs") == ["a ninjs payload must be a JSON object, got list"]
    assert official_schemas.errors(b"\xff not json", "ninjs")[0].startswith("not JSON")


def test_newsml_g2_payloads_are_held_to_the_xsd(official_schemas, shared_dir: Path) -> None:  # type: ignore[no-untyped-def]
    example = (shared_dir / "schemas" / "newsml-g2" / "example-news-item.xml").read_bytes()
    assert official_schemas.errors(example, "newsml-g2") == []
    assert official_schemas.errors(example, None) == []  # an unlisted partner's XML is judged as NewsML-G2
    broken = example.replace(b"<itemMeta>", b"<itemMeta><nonsense/>", 1)
    assert broken != example and official_schemas.errors(broken, "newsml-g2")
    assert official_schemas.errors(b"<newsItem", "newsml-g2")[0].startswith("NewsML-G2 2.35: not well-formed")


def test_a_format_with_no_known_schema_is_an_error(official_schemas, article: dict) -> None:  # type: ignore[no-untyped-def]
    assert official_schemas.errors(orjson.dumps(article), "carrier-pigeon") == [
        "no schema known for partner format 'carrier-pigeon': add it to tests/kafka/conftest.py"]


@pytest.mark.broker
def test_the_check_reads_a_stacks_topics_on_the_broker(  # type: ignore[no-untyped-def]
    bootstrap: str, tmp_path: Path, stack_payload_errors, article: dict
) -> None:
    """One good and one bad payload on a stack's wire.articles and on a partner topic: exactly the bad ones
    are reported. (This stack has no worker and is never stopped: its teardown check would fail on purpose.)"""
    stack = Stack(bootstrap, tmp_path)
    stack.create_topics()
    bad = orjson.dumps({**article, "version": 2})
    for name in (topics.ARTICLES, topics.partner_topic("kremlin-watch")):
        produce(bootstrap, stack.topic(name), [(b"k", orjson.dumps(article), None), (b"k", bad, None)])
    checked, errors = stack_payload_errors(stack)
    assert checked == 4
    assert {e.split(" ")[0] for e in errors} == {
        f"{stack.topic(topics.ARTICLES)}[1]", f"{stack.topic(topics.partner_topic('kremlin-watch'))}[1]"}


REGISTRY = """partners:
  - id: every-ninjs
    name: Everything, ninjs
    format: ninjs
  - id: every-text
    name: Everything, ninjs without HTML bodies
    format: ninjs-text
  - id: every-teaser
    name: Everything, teasers
    format: teaser
  - id: every-newsml
    name: Everything, NewsML-G2
    format: newsml-g2
"""


@pytest.mark.broker
def test_every_partner_format_delivered_on_the_broker_meets_its_schema(  # type: ignore[no-untyped-def]
    bootstrap: str, tmp_path: Path, official_schemas, stack_payload_errors
) -> None:
    """The sample backlog through a worker whose registry has one partner per format and no filters: every
    payload each partner receives meets its schema, ninjs ones both official ninjs schemas and NewsML-G2 ones
    the 2.35 XSD, read from the topic as the partner reads it (XML bytes, not JSON)."""
    (tmp_path / "partners.yaml").write_text(REGISTRY, encoding="utf-8")
    stack = Stack(bootstrap, tmp_path, partners=tmp_path / "partners.yaml")
    stack.create_topics()
    records = [r for r in load_backlog([ROOT / "samples" / "backlog"], EnvelopeReader(Contracts()))
               if isinstance(r, RawRecord)]
    try:
        stack.start_worker()
        produce(bootstrap, stack.topic(topics.RAW), [(r.key.encode(), r.value, None) for r in records])
        decided = stack.decisions_for({r.key for r in records})
        stories = sum(d["decision"] == "new" for d in decided)
        assert stories >= 3, decided
        before = dict(official_schemas.checked)
        checked, errors = stack_payload_errors(stack)
        assert errors == []
        done = {k: n - before.get(k, 0) for k, n in official_schemas.checked.items()}
        # every story reached every partner: ninjs twice (ninjs, ninjs-text) plus the articles, one teaser, one
        # NewsML-G2 item each
        assert done == {"ninjs 2.1 + 2.2": 3 * stories, "teaser.schema.json": stories, "newsml-g2 xsd": stories}
        assert checked == 5 * stories
    finally:
        stack.stop_all()
