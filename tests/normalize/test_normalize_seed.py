"""The seed (a Reuters story republished by The Independent, as page text with chrome) normalises exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.model import Envelope, Rejection
from streams.normalize.normalizer import Normalizer
from streams.quality.validate import ARTICLE_SCHEMA, load_validator, validation_errors

pytestmark = pytest.mark.shared  # reads the user's seed from ../shared; nothing of it is committed


@pytest.fixture(scope="module")
def seed(shared_dir: Path) -> str:
    return (shared_dir / "seed" / "independent-2017-02-13-us-russia-talks.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paragraphs(seed: str) -> list[str]:
    """The story's seven paragraphs, picked out of the page by their first and last line (not by the code
    under test): from "The Kremlin said on Monday" to the line that ends with "(such talks)"."."""
    lines = [line.strip() for line in seed.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if line.startswith("The Kremlin said on Monday"))
    last = next(i for i, line in enumerate(lines) if line.endswith('(such talks)".'))
    return lines[first : last + 1]


@pytest.fixture(scope="module")
def caption(seed: str) -> str:
    line = next(line for line in seed.splitlines() if line.startswith("Speaking separately") and "(" in line)
    return line[: line.rindex(" (")]


@pytest.fixture(scope="module")
def article(seed: str) -> dict:
    result = Normalizer().normalize(Envelope(id="seed-1", content=seed))
    assert not isinstance(result, Rejection), result
    return result


def test_headline_and_standfirst(article: dict) -> None:
    assert article["headlines"] == [
        {
            "role": "main",
            "value": "US-Russia talks between Donald Trump and Vladmir Putin 'possible before July G20 summit'",
        }
    ]
    assert article["descriptions"] == [
        {
            "role": "summary",
            "contenttype": "text/plain",
            "value": "Both leaders have advocated mending relations between their countries, "
            "which have deteriorated in recent years",
        }
    ]


def test_byline_and_authors(article: dict) -> None:
    assert article["by"] == "Maria Tsvetkova, Denis Pinchuk"
    assert article["people"] == [
        {"name": "Maria Tsvetkova", "rel": "author"},
        {"name": "Denis Pinchuk", "rel": "author"},
    ]


def test_dates_language_status(article: dict) -> None:
    assert article["firstcreated"] == "2017-02-13T13:04:00Z"
    assert article["versioncreated"] == "2017-02-13T13:04:00Z"
    assert article["language"] == "en"
    assert article["pubstatus"] == "usable"
    assert article["version"] == "1"
    assert article["type"] == "text"
    assert article["uri"].startswith("urn:syndicate:story:")


def test_body_is_exactly_the_seven_story_paragraphs(article: dict, paragraphs: list[str]) -> None:
    assert len(paragraphs) == 7
    plain, html = article["bodies"]
    assert plain["contenttype"] == "text/plain"
    assert plain["value"] == "\n\n".join(paragraphs)
    assert plain["charcount"] == len(plain["value"])
    assert plain["wordcount"] == len(plain["value"].split())
    assert html["contenttype"] == "text/html"
    assert html["value"].count("<p>") == 7
    assert html["value"].startswith("<p>The Kremlin said on Monday")


def test_one_caption_with_its_own_photo_credit(article: dict, caption: str) -> None:
    assocs = article["associations"]
    assert len(assocs) == 1
    pic = assocs[0]
    assert pic["type"] == "picture"
    assert pic["descriptions"] == [{"role": "caption", "value": caption}]
    assert pic["by"] == "MAXIM MARMUR"
    assert pic["copyrightholder"] == "AFP/Getty Images"
    # the photo credit is not the text credit
    assert article["copyrightholder"] == "Reuters"


def test_credit_and_publisher(article: dict) -> None:
    assert article["infosources"] == [
        {"name": "Reuters", "role": "source"},
        {"name": "The Independent", "role": "publisher"},
    ]
    assert {"role": "source-id", "value": "seed-1"} in article["altids"]


def test_no_chrome_anywhere(article: dict) -> None:
    text = json.dumps(article)
    for chrome in (
        "Elon Musk",
        "reproductive rights",
        "notifications",
        "Your support",
        "donation",
        "commenting forum",
        "Thank you for registering",
        "logged in",
        "paywalls",
    ):
        assert chrome not in text, chrome


def test_validates_against_the_article_schema(article: dict) -> None:
    assert validation_errors(article, load_validator(ARTICLE_SCHEMA)) == []


def test_uri_is_stable_across_resends(seed: str) -> None:
    content = seed
    a = Normalizer().normalize(Envelope(id="first", content=content))
    b = Normalizer().normalize(Envelope(id="second", content="\n" + content.replace("\n\n", "\n\n\n") + "\n"))
    assert isinstance(a, dict) and isinstance(b, dict)
    assert a["uri"] == b["uri"]
