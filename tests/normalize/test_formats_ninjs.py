"""ninjs reader: 1.x and 2.x shapes, captions, signals, bad JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.normalize.formats.ninjs import NinjsError, parse_ninjs

FIX = Path(__file__).parents[1] / "fixtures" / "normalize"


def test_ninjs_2() -> None:
    ex = parse_ninjs((FIX / "story.ninjs.json").read_text())
    assert ex.headline == "UPDATE 1-Copper hits three-week high as smelter strike drags on"
    assert ex.standfirst == "Strike at Chilean smelter enters second week"
    assert len(ex.paragraphs) == 3 and "alert(1)" not in " ".join(ex.paragraphs)
    assert ex.body_html is not None and "<script" not in ex.body_html
    assert ex.signals == ("update",)
    assert ex.captions[0].text == "Copper cathodes at a warehouse"
    assert ex.captions[0].credit == "Juan Perez/Reuters"
    assert "Thomson Reuters" in ex.credits


def test_ninjs_1() -> None:
    ex = parse_ninjs((FIX / "story-v1.ninjs.json").read_text())
    assert ex.pubstatus == "canceled" and ex.signals == ("kill",)
    assert ex.paragraphs == (
        "Reuters is withdrawing this story. There will be no substitute.",
        "The story was sent in error.",
    )
    assert ex.byline == "Reuters staff"


def test_ninjs_1_associations_dict() -> None:
    doc = {
        "headline": "H",
        "body_text": "B",
        "associations": {"featureimage": {"type": "picture", "description_text": "A cat", "byline": "Jo Lee"}},
    }
    ex = parse_ninjs(json.dumps(doc))
    assert ex.captions[0].text == "A cat" and ex.captions[0].credit == "Jo Lee"


@pytest.mark.parametrize("bad", ["{", "42", '"x"', "null", "[]"])
def test_not_ninjs(bad: str) -> None:
    with pytest.raises(NinjsError):
        parse_ninjs(bad)
