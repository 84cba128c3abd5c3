"""Every payload a partner receives validates against its schema: the four formats on the same stories."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from jsonschema import Draft202012Validator
from lxml import etree

from streams.contracts import Contracts
from streams.offline import run_offline
from streams.route import check_definition
from streams.route.formats import render
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("ninjs", "ninjs-text", "teaser", "newsml-g2")


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    """samples/backlog through the whole pipeline, to one partner per format with the same filter."""
    tmp = tmp_path_factory.mktemp("formats")
    registry = {"partners": [
        {"id": fmt, "name": fmt, "format": fmt, "rights": {"picture_credits": ["Reuters"]}} for fmt in FORMATS
    ]}
    (tmp / "partners.yaml").write_text(yaml.safe_dump(registry))
    settings = Settings.load({"partners_path": tmp / "partners.yaml"}, env={})
    run_offline(settings, [ROOT / "samples" / "backlog"], tmp / "out")
    return {fmt: [orjson.loads(line) for line in (tmp / "out" / "partners" / f"{fmt}.jsonl").read_bytes().splitlines()]
            for fmt in FORMATS}


def test_all_four_formats_carry_the_same_stories(delivered: dict[str, list[Any]]) -> None:
    counts = {fmt: len(items) for fmt, items in delivered.items()}
    assert len(set(counts.values())) == 1 and counts["ninjs"] >= 4, counts
    assert [a["uri"] for a in delivered["ninjs"]] == [t["uri"] for t in delivered["teaser"]]
    assert all(isinstance(x, str) and x.startswith("<?xml") for x in delivered["newsml-g2"])


def test_json_formats_validate(delivered: dict[str, list[Any]]) -> None:
    contracts = Contracts()
    article = contracts.validator("article.schema.json")
    for fmt, validator in (("ninjs", article), ("ninjs-text", article), ("teaser", contracts.teaser)):
        for payload in delivered[fmt]:
            errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(payload)]
            assert not errors, (fmt, errors)
    assert all(b["contenttype"] == "text/plain" for a in delivered["ninjs-text"] for b in a["bodies"])
    assert all(set(t) >= {"uri", "headline", "subjects", "version", "pubstatus"} for t in delivered["teaser"])


@pytest.mark.shared
def test_ninjs_validates_against_the_official_schema(delivered: dict[str, list[Any]], shared_dir: Path) -> None:
    schema = orjson.loads((shared_dir / "schemas" / "ninjs" / "ninjs-schema_2.1.json").read_bytes())
    validator = Draft202012Validator(schema)
    for fmt in ("ninjs", "ninjs-text"):
        for payload in delivered[fmt]:
            assert not [e.message for e in validator.iter_errors(payload)], fmt


@pytest.mark.shared
def test_newsml_g2_validates_against_the_2_35_xsd(delivered: dict[str, list[Any]], shared_dir: Path) -> None:
    xsd = etree.XMLSchema(etree.parse(str(shared_dir / "schemas" / "newsml-g2" / "NewsML-G2_2.35-spec-All-Power.xsd")))
    ns = {"n": "http://iptc.org/std/nar/2006-10-01/"}
    for xml, article in zip(delivered["newsml-g2"], delivered["ninjs"], strict=True):
        doc = etree.fromstring(xml.encode("utf-8"))
        assert xsd.validate(doc), xsd.error_log.filter_from_errors()
        assert doc.get("guid") == article["uri"] and doc.get("version") == article["version"]
        subjects = doc.xpath("//n:contentMeta/n:subject[@type='cpnat:abstract']/@qcode", namespaces=ns)
        assert subjects == [s["literal"] for s in article.get("subjects", [])]
        people = doc.xpath("//n:subject[@type='cpnat:person']/n:name/text()", namespaces=ns)
        assert people == [p["name"] for p in article.get("people", []) if p.get("rel") != "author"]
        assert doc.xpath("//n:contentMeta/n:creditline/text()", namespaces=ns) == [article["copyrightholder"]]
        pictures = doc.xpath("//n:itemMeta/n:link/n:creditline/text()", namespaces=ns)
        assert pictures == [a["copyrightholder"] for a in article.get("associations", [])]


def test_a_kill_in_every_format_says_canceled() -> None:
    killed = {"uri": "urn:s:1", "version": "2", "pubstatus": "canceled", "headlines": [{"value": "WITHDRAWN"}],
              "language": "en", "versioncreated": "2026-11-30T12:00:00Z", "copyrightholder": "Reuters",
              "bodies": [{"contenttype": "text/plain", "value": "This story has been withdrawn."}]}
    out = {fmt: render(check_definition({"id": "p", "name": "P", "format": fmt}, Contracts()), killed)
           for fmt in FORMATS}
    assert out["ninjs"]["pubstatus"] == out["ninjs-text"]["pubstatus"] == out["teaser"]["pubstatus"] == "canceled"
    assert '<pubStatus qcode="stat:canceled"/>' in out["newsml-g2"]
