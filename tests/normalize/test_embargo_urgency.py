"""An embargo time and an urgency the source gives (ninjs, NewsML-G2) reach the article, in UTC, schema-valid."""

from __future__ import annotations

from pathlib import Path

import orjson

from streams.model import Envelope
from streams.normalize.normalizer import Normalizer
from streams.quality.validate import ARTICLE_SCHEMA, load_validator, validation_errors

ROOT = Path(__file__).resolve().parents[2]
NEWSML = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="1">
<itemMeta><itemClass qcode="ninat:text"/><versionCreated>2026-11-30T10:00:00Z</versionCreated>
<embargoed>2026-11-30T14:00:00+02:00</embargoed><pubStatus qcode="stat:usable"/></itemMeta>
<contentMeta><urgency>2</urgency><headline>Central bank raises rates</headline><creditline>Reuters</creditline>
</contentMeta><contentSet><inlineData contenttype="text/plain">LONDON (Reuters) - The bank raised rates on Monday
to curb inflation, it said in a statement.</inlineData></contentSet></newsItem>"""


def normalize(content: str, fmt: str) -> dict:
    out = Normalizer().normalize(Envelope("e1", content, fmt))
    assert isinstance(out, dict), out
    assert validation_errors(out, load_validator(ARTICLE_SCHEMA)) == []
    return out


def test_ninjs_embargo_and_urgency() -> None:
    doc = orjson.loads((ROOT / "samples" / "backlog" / "03-ninjs-tokyo-trade.json").read_bytes())
    article = normalize(orjson.dumps({**doc, "embargoed": "2030-01-01T07:00:00+01:00", "urgency": 3}).decode(),
                        "ninjs")
    assert article["embargoed"] == "2030-01-01T06:00:00Z" and article["urgency"] == 3
    plain = normalize(orjson.dumps({**doc, "urgency": 12}).decode(), "ninjs")
    assert "embargoed" not in plain and "urgency" not in plain  # out of range: left out


def test_newsml_embargo_and_urgency() -> None:
    article = normalize(NEWSML, "newsml")
    assert article["embargoed"] == "2026-11-30T12:00:00Z" and article["urgency"] == 2
