"""The normalise stage end to end on our own fixtures: every format, credit check, signals, limits, schema."""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import pytest

from streams.model import Envelope, Rejection
from streams.normalize import normalizer as normalizer_module
from streams.normalize.article import split_photo_credit
from streams.normalize.formats.reuters21578 import split_stories
from streams.normalize.normalizer import Normalizer
from streams.quality.validate import ARTICLE_SCHEMA, load_validator, validation_errors
from streams.quality.validate import main as validate_main

FIX = Path(__file__).parents[1] / "fixtures" / "normalize"
VALIDATOR = load_validator(ARTICLE_SCHEMA)


def norm(name: str, normalizer: Normalizer | None = None, **kw: Any) -> dict[str, Any] | Rejection:
    content = (FIX / name).read_text(encoding="utf-8")
    return (normalizer or Normalizer()).normalize(Envelope(id=name, content=content, **kw))


def article(name: str, **kw: Any) -> dict[str, Any]:
    result = norm(name, **kw)
    assert isinstance(result, dict), result
    assert validation_errors(result, VALIDATOR) == []
    return result


def sgm_articles() -> list[dict[str, Any] | Rejection]:
    text = (FIX / "mini.sgm").read_text(encoding="latin-1")
    n = Normalizer()
    return [n.normalize(Envelope(id=sid, content=sgml)) for sid, sgml in split_stories(text)]


def signals(a: dict[str, Any]) -> set[str]:
    return {g["literal"] for g in a.get("genres", [])}


def test_page_text_from_an_unseen_site() -> None:
    a = article("lantern-page.txt")
    assert a["headlines"][0]["value"] == ("Fishing fleets told to stay in port as storm Odile nears the northern coast")
    assert a["descriptions"][0]["value"].startswith("Harbour authorities expect gusts")
    assert a["by"] == "Anika Solberg, Tomas Reyes"
    assert [p["name"] for p in a["people"]] == ["Anika Solberg", "Tomas Reyes"]
    assert a["firstcreated"] == "2018-03-14T08:30:00Z"  # 09:30 CET
    assert a["located"] == "OSLO"
    body = a["bodies"][0]["value"]
    paras = body.split("\n\n")
    assert len(paras) == 5
    assert paras[0].startswith("OSLO (Reuters) - Norway's coastal authority")
    assert paras[-1].startswith("Insurers said claims")
    for chrome in ("Advertisement", "Story continues", "Sign up", "Most read", "cookie", "Council votes"):
        assert chrome not in json.dumps(a), chrome
    assert a["associations"][0]["by"] == "Lars Eide"
    assert a["associations"][0]["copyrightholder"] == "NTB Scanpix"
    assert {"name": "The Daily Lantern", "role": "publisher"} in a["infosources"]


def test_story_without_reuters_credit_is_rejected() -> None:
    result = norm("courier-ap-page.txt")
    assert isinstance(result, Rejection)
    assert result.reason == "no-reuters-credit"


@pytest.mark.parametrize(
    ("dateline", "located"),
    [("MOSCOW (Reuters) - ", "MOSCOW"), ("SANTIAGO, March 10 (Reuters) - ", "SANTIAGO"),
     ("MAKASSAR, Indonesia, June 14 (Reuters) - ", "MAKASSAR, Indonesia"), ("April 23 (Reuters) - ", None)],
)
def test_wire_text_credited_by_its_dateline(dateline: str, located: str | None) -> None:
    """Reuters datelines today carry the date, and a region for smaller places; a story filed without a
    place has the date alone. Each credits the story (the modern forms were rejected as no-reuters-credit)."""
    text = (f"Harrow Foods profit rises 8%\n\n{dateline}Harrow Foods Inc said on Thursday its quarterly net profit "
            "rose 8% to $121 million as price increases offset lower volumes.\n\nRevenue rose 4% to $1.40 billion.")
    a = Normalizer().normalize(Envelope(id="w", content=text, format="text"))
    assert isinstance(a, dict), a
    assert a["infosources"][0] == {"name": "Reuters", "role": "source"}
    assert a.get("located") == located


def test_credits_any_accepts_other_agencies() -> None:
    a = norm("courier-ap-page.txt", Normalizer(credits=None))
    assert isinstance(a, dict)
    assert a["headlines"][0]["value"] == "Town council approves new library budget after long debate"
    assert a["copyrightholder"] == "Associated Press"
    assert validation_errors(a, VALIDATOR) == []


def test_credit_set_is_configurable() -> None:
    a = norm("courier-ap-page.txt", Normalizer(credits=frozenset({"Associated Press"})))
    assert isinstance(a, dict)
    assert a["infosources"][0] == {"name": "Associated Press", "role": "source"}


def test_ninjs_2_update_with_sanitised_html() -> None:
    a = article("story.ninjs.json")
    assert a["headlines"][0]["value"] == "Copper hits three-week high as smelter strike drags on"
    assert a["version"] == "2"
    assert "sig:update" in signals(a)
    assert a["firstcreated"] == "2018-03-14T08:12:00Z"
    assert a["versioncreated"] == "2018-03-14T09:45:30Z"
    html = a["bodies"][1]["value"]
    assert "<script" not in html and "onclick" not in html and "alert(1)" not in html
    assert a["bodies"][0]["value"].count("\n\n") == 2
    assert a["located"] == "LONDON"
    assert {"role": "item-id", "value": "tag:reuters.com,2018:newsml_L8N1QW3XY:2"} in a["altids"]
    assert a["associations"][0]["by"] == "Juan Perez"


def test_ninjs_1_kill_becomes_canceled() -> None:
    a = article("story-v1.ninjs.json")
    assert a["pubstatus"] == "canceled"
    assert a["headlines"][0]["value"] == "Shipping firm reports record quarter"


def test_newsml_correction() -> None:
    a = article("story.newsml.xml")
    assert a["headlines"][0]["value"] == "Wheat exports from the Black Sea rise in May"
    assert {"sig:correction", "sig:update"} <= signals(a)
    assert a["version"] == "3"
    assert a["firstcreated"] == "2020-06-02T07:30:00Z"
    assert a["located"] == "KYIV"
    assert a["by"] == "Olga Petrenko, Reuters"
    assert a["ednote"] == "(Corrects month in paragraph 2)"
    assert "Corrects" not in a["bodies"][0]["value"] and "Corrects" not in a["bodies"][1]["value"]
    assert a["slugline"] == "GRAIN-BLACKSEA/EXPORTS"


def test_reuters21578_stories() -> None:
    arts = sgm_articles()
    assert all(isinstance(a, dict) for a in arts)
    full, brief, unproc, corrected = arts
    assert isinstance(full, dict) and isinstance(brief, dict)
    assert isinstance(unproc, dict) and isinstance(corrected, dict)
    assert full["headlines"][0]["value"] == "PRAIRIE WHEAT STOCKS <PWS> SEEN LOWER"
    assert full["firstcreated"] == "1987-03-03T10:15:22Z"
    assert full["located"] == "WINNIPEG"
    assert full["by"] == "Helen Marsh, Reuters"
    assert full["bodies"][0]["value"].endswith("sales to Asian buyers > last year's pace.")
    assert "Reuter" not in full["bodies"][0]["value"]
    assert "&gt;" in full["bodies"][1]["value"]
    assert full["slugline"] == "BC-PRAIRIE-WHEAT-STOCKS"
    # gold labels never leak into the article
    assert "wheat" not in json.dumps(full["headlines"]).lower().replace("wheat stocks", "")
    assert "subjects" not in full and "places" not in full
    assert brief["bodies"][0]["value"] == "RIVERTON BANK SAYS QUARTERLY NET UP 20 PCT"
    assert unproc["headlines"][0]["value"] == "LAKESIDE RESERVE BANK WEEKLY REPORT - MARCH 3"
    assert corrected["headlines"][0]["value"] == "ALDERMOOR TIN OUTPUT FALLS"
    assert "sig:correction" in signals(corrected)
    for a in arts:
        assert isinstance(a, dict)
        assert validation_errors(a, VALIDATOR) == []
    assert len({a["uri"] for a in arts if isinstance(a, dict)}) == 4


@pytest.mark.parametrize(
    ("headline", "expected", "sig"),
    [
        ("UPDATE 2-Oil rises on supply worries", "Oil rises on supply worries", {"sig:update"}),
        ("REFILE-CORRECTED-Bank cuts rates", "Bank cuts rates", {"sig:correction"}),
        ("CORRECTION - Bank cuts rates", "Bank cuts rates", {"sig:correction"}),
        (
            "(RPT) U.S. SAYS TIN DISPOSALS WILL NOT AFFECT ACCORD",
            "U.S. SAYS TIN DISPOSALS WILL NOT AFFECT ACCORD",
            set(),
        ),
        ("Update on the bridge works", "Update on the bridge works", set()),
    ],
)
def test_headline_prefixes_become_signals(headline: str, expected: str, sig: set[str]) -> None:
    doc = {
        "uri": "urn:x:1",
        "headline": headline,
        "body_text": "LONDON (Reuters) - Something happened today in the city, officials said.",
    }
    a = Normalizer().normalize(Envelope(id="h", content=json.dumps(doc)))
    assert isinstance(a, dict), a
    assert a["headlines"][0]["value"] == expected
    assert signals(a) == sig


def test_withdrawal_in_body_is_a_kill() -> None:
    doc = {"headline": "WITHDRAWN-Company results", "body_text": "Reuters is withdrawing this story."}
    a = Normalizer().normalize(Envelope(id="k", content=json.dumps(doc)))
    assert isinstance(a, dict) and a["pubstatus"] == "canceled"
    assert a["headlines"][0]["value"] == "Company results"


def test_uri_from_source_id_is_stable_across_versions_and_text_uri_from_content() -> None:
    base = {"uri": "urn:x:story-9", "headline": "A", "body_text": "MADRID (Reuters) - One."}
    a = Normalizer().normalize(Envelope(id="1", content=json.dumps({**base, "version": "1"})))
    b = Normalizer().normalize(
        Envelope(id="2", content=json.dumps({**base, "version": "2", "body_text": "MADRID (Reuters) - Two."}))
    )
    assert isinstance(a, dict) and isinstance(b, dict) and a["uri"] == b["uri"]
    nouri = {"headline": "A", "body_text": "MADRID (Reuters) - One."}
    c = Normalizer().normalize(Envelope(id="3", content=json.dumps(nouri)))
    d = Normalizer().normalize(Envelope(id="4", content=json.dumps({**nouri, "body_text": "MADRID (Reuters) - Two."})))
    assert isinstance(c, dict) and isinstance(d, dict) and c["uri"] != d["uri"]


def test_size_limit() -> None:
    n = Normalizer(max_bytes=1000)
    r = n.normalize(Envelope(id="big", content="Reuters " * 200))
    assert isinstance(r, Rejection) and r.reason == "too-large"
    r = n.normalize(Envelope(id="big2", content="é" * 600))  # 600 chars, 1200 bytes
    assert isinstance(r, Rejection) and r.reason == "too-large"


@pytest.mark.parametrize(
    ("content", "fmt", "reason"),
    [
        ("", None, "missing-content"),
        ("   \n ", None, "missing-content"),
        ("{not json", None, "parse-error"),
        ("[1, 2]", None, "parse-error"),
        ("<newsItem><broken", "newsml", "parse-error"),
        ("Hello", "pdf", "unknown-format"),
        ("Stay up to date with notifications from The Daily Lantern\nComments\nReuters", None, "empty-body"),
    ],
)
def test_bad_input_is_a_typed_rejection(content: str, fmt: str | None, reason: str) -> None:
    r = Normalizer().normalize(Envelope(id="bad", content=content, format=fmt))
    assert isinstance(r, Rejection)
    assert r.reason == reason, r


def test_html_reader_missing_means_unknown_format(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "streams.normalize.formats.html":
            raise ImportError("not there")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    r = Normalizer().normalize(Envelope(id="h", content="<html><body><p>x</p></body></html>"))
    assert isinstance(r, Rejection) and r.reason == "unknown-format"


def test_internal_errors_are_rejections(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_: Any, **__: Any) -> Any:
        raise RuntimeError("reader bug")

    monkeypatch.setattr(normalizer_module, "parse_text", boom)
    r = Normalizer().normalize(Envelope(id="x", content="Some text", format="text"))
    assert isinstance(r, Rejection) and r.reason == "internal-error" and "reader bug" in r.detail


@pytest.mark.parametrize(
    ("credit", "by", "holder"),
    [
        ("MAXIM MARMUR/AFP/Getty Images", "MAXIM MARMUR", "AFP/Getty Images"),
        ("REUTERS/Maxim Shemetov", "Maxim Shemetov", "Reuters"),
        ("Getty Images", None, "Getty Images"),
        (None, None, None),
    ],
)
def test_photo_credit_split(credit: str | None, by: str | None, holder: str | None) -> None:
    assert split_photo_credit(credit) == (by, holder)


def test_article_schema_rejects_extra_fields() -> None:
    a = article("lantern-page.txt")
    assert validation_errors({**a, "signals": ["x"]}, VALIDATOR)
    assert validation_errors({**a, "firstcreated": "2018-03-14 08:30"}, VALIDATOR)


def test_validate_command_on_own_fixtures(capsys: pytest.CaptureFixture[str]) -> None:
    code = validate_main([str(FIX / "mini.sgm"), str(FIX / "story.newsml.xml"), "--schema", str(ARTICLE_SCHEMA)])
    assert code == 0
    assert "5 articles, 0 rejected; 0 article/schema failures" in capsys.readouterr().out


def test_a_whole_sgm_file_is_refused_not_misread() -> None:
    r = Normalizer().normalize(Envelope(id="file", content=(FIX / "mini.sgm").read_text(encoding="latin-1")))
    assert isinstance(r, Rejection) and r.reason == "parse-error" and "split_stories" in r.detail
