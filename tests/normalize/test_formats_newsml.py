"""NewsML-G2 reader: item metadata, inline XHTML and text, no entity expansion."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.normalize.formats.newsml import NewsMLError, parse_newsml

FIX = Path(__file__).parents[1] / "fixtures" / "normalize"


def test_newsml_item() -> None:
    ex = parse_newsml((FIX / "story.newsml.xml").read_text())
    assert ex.headline == "CORRECTED-Wheat exports from the Black Sea rise in May"
    assert ex.source_id == "urn:newsml:example.com:20200602:WHEAT-EXPORTS"
    assert ex.version == "3"
    assert ex.pubstatus == "usable"
    assert set(ex.signals) == {"correction", "update"}
    assert ex.dateline == "KYIV"
    assert ex.byline == "Olga Petrenko, Reuters"
    assert "Reuters" in ex.credits
    assert ex.published == "2020-06-02T09:30:00+02:00"
    assert ex.modified == "2020-06-02T14:00:00Z"
    assert len(ex.paragraphs) == 3
    assert ex.body_html is not None and ex.body_html.startswith("<p>KYIV (Reuters)")
    assert ex.language == "en"


def test_inline_data_and_canceled() -> None:
    xml = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1" version="1">
      <itemMeta><pubStatus qcode="stat:canceled"/></itemMeta>
      <contentMeta><headline>Story withdrawn</headline></contentMeta>
      <contentSet><inlineData>First para.

Second para.</inlineData></contentSet></newsItem>"""
    ex = parse_newsml(xml)
    assert ex.pubstatus == "canceled" and "kill" in ex.signals
    assert ex.paragraphs == ("First para.", "Second para.")


def test_entities_are_not_expanded() -> None:
    xml = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>
    <newsItem guid="g"><contentMeta><headline>&b;</headline></contentMeta></newsItem>"""
    ex = parse_newsml(xml)
    assert "aaaaaaaaaa" not in (ex.headline or "")


@pytest.mark.parametrize("bad", ["<a", "<root/>", "not xml"])
def test_not_newsml(bad: str) -> None:
    with pytest.raises(NewsMLError):
        parse_newsml(bad)
