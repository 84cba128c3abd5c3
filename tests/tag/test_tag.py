"""Tag stage: seed expectations on a hand-built article, ninjs validity, API contract, rules."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.model import Envelope, Rejection
from streams.normalize.normalizer import Normalizer
from streams.quality.validate import ARTICLE_SCHEMA, load_validator, validation_errors
from streams.tag.tagger import Tagger, story_parts

FIX = Path(__file__).parents[1] / "fixtures"
_TAGGER: dict[str, Tagger] = {}  # one tagger shared by the property test's examples


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.build()


@pytest.fixture(scope="module")
def seed_text(shared_dir: Path) -> str:
    """The user's seed page, read from ../shared (never committed): tests using it are marked `shared`."""
    return (shared_dir / "seed" / "independent-2017-02-13-us-russia-talks.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_article(seed_text: str) -> dict:
    """The seed's clean fields, built by hand from its lines (not by the normaliser): headline, standfirst,
    byline, the caption without its photo credit, and the seven story paragraphs."""
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if line.startswith("The Kremlin said on Monday"))
    last = next(i for i, line in enumerate(lines) if line.endswith('(such talks)".'))
    headline = next(line for line in lines if line.startswith("US-Russia talks"))
    standfirst = next(line for line in lines if line.startswith("Both leaders"))
    caption = next(line for line in lines if line.startswith("Speaking separately") and "(" in line)
    body = "\n\n".join(lines[first : last + 1])
    return {
        "uri": "urn:syndicate:story:5eed0000000000000000000000000001",
        "type": "text",
        "language": "en",
        "headlines": [{"role": "main", "value": headline}],
        "descriptions": [{"role": "summary", "contenttype": "text/plain", "value": standfirst}],
        "by": "Maria Tsvetkova, Denis Pinchuk",
        "people": [{"name": "Maria Tsvetkova", "rel": "author"}, {"name": "Denis Pinchuk", "rel": "author"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}],
        "associations": [{"name": "picture-1", "uri": "urn:syndicate:picture:seed-1", "type": "picture",
                          "descriptions": [{"role": "caption", "value": caption[: caption.rindex(" (")]}],
                          "by": "MAXIM MARMUR", "copyrightholder": "AFP/Getty Images"}],
        "infosources": [{"name": "Reuters", "role": "source"}],
    }


def names(article: dict, key: str, rel: str | None = None) -> set[str]:
    return {x["name"] for x in article.get(key, []) if rel is None or x.get("rel") != "author"}


def check_seed(out: dict) -> None:
    people = names(out, "people", rel="tagged")
    for who in ("Donald Trump", "Vladimir Putin", "Michael Flynn", "Sergei Kislyak", "Dmitry Peskov"):
        assert who in people, (who, people)
    assert "Elon Musk" not in people
    assert not any("Musk" in p for p in people)
    places = {p.get("literal") for p in out["places"]}
    assert {"US", "RU"} <= places
    assert "NATO" in names(out, "organisations")
    assert "Kremlin" in names(out, "organisations")
    subjects = {s["literal"]: s for s in out["subjects"]}
    assert "medtop:20000639" in subjects  # diplomacy
    assert "medtop:11000000" in subjects  # its top-level ancestor
    assert subjects["medtop:20000639"]["name"] == "diplomacy"
    assert "medtop:20000642" in subjects  # economic sanction
    assert "medtop:20000056" not in subjects  # "the Cold War" is no armed conflict
    # authors stay as they are, first, and are not re-tagged
    authors = [p for p in out["people"] if p.get("rel") == "author"]
    assert authors == [{"name": "Maria Tsvetkova", "rel": "author"}, {"name": "Denis Pinchuk", "rel": "author"}]
    assert sum(1 for p in out["people"] if p["name"] == "Maria Tsvetkova") == 1


@pytest.mark.shared
def test_seed_hand_built(tagger: Tagger, seed_article: dict) -> None:
    before = copy.deepcopy(seed_article)
    out, evidence = tagger.tag_with_evidence(seed_article)
    assert seed_article == before, "input must not be mutated"
    assert out is not seed_article
    check_seed(out)
    # alias forms resolve to canonical entities, with evidence of where they came from
    putin = [e for e in evidence if e["name"] == "Vladimir Putin" and e["type"] == "person"]
    assert {e["text"] for e in putin} >= {"Vladmir Putin", "Vladimir Putin"}
    assert {e["part"] for e in putin} >= {"headline", "body"}
    nato = [e for e in evidence if e["name"] == "NATO"]
    assert nato and nato[0]["text"] == "Nato" and nato[0]["part"] == "caption"
    moscow = [e for e in evidence if e["type"] == "place" and e["text"] == "Moscow" and e["part"] == "implied"]
    assert moscow and moscow[0]["literal"] == "RU"
    for e in evidence:
        assert 0 <= e["confidence"] <= 100
        assert e["part"] in {"headline", "summary", "dateline", "body", "caption", "implied"}


@pytest.mark.shared
def test_seed_chrome_never_read(tagger: Tagger, seed_article: dict) -> None:
    art = dict(seed_article, description_chrome="Elon Musk's pro-Trump PAC")  # unknown fields are ignored
    assert all("Musk" not in text for _, text in story_parts(art))
    assert "Elon Musk" not in names(tagger.tag(art), "people")


@pytest.mark.shared
def test_seed_end_to_end(tagger: Tagger, seed_text: str) -> None:
    article = Normalizer().normalize(Envelope(id="seed-1", content=seed_text))
    assert not isinstance(article, Rejection), article
    out = tagger.tag(article)
    check_seed(out)
    assert validation_errors(out, load_validator(ARTICLE_SCHEMA)) == []


@pytest.mark.shared
def test_output_is_ninjs_valid(tagger: Tagger, seed_article: dict) -> None:
    out = tagger.tag(seed_article)
    allowed = {"name", "uri", "literal", "rel"}
    for key in ("people", "organisations", "places"):
        for item in out[key]:
            assert set(item) <= allowed, item
    for s in out["subjects"]:
        assert set(s) <= {"name", "uri", "literal", "rel", "relevance", "confidence"}
        assert 0 <= s["relevance"] <= 100 and 0 <= s["confidence"] <= 100
        assert s["uri"].startswith("http://cv.iptc.org/newscodes/mediatopic/")
    for p in out["places"]:
        if p["uri"].startswith("urn:iso:std:3166:"):
            assert p["literal"] == p["uri"].rsplit(":", 1)[1] and len(p["literal"]) == 2
    full = dict(seed_article, version="1", firstcreated="2017-02-13T13:04:00Z",
                versioncreated="2017-02-13T13:04:00Z", pubstatus="usable")
    assert validation_errors(tagger.tag(full), load_validator(ARTICLE_SCHEMA)) == []


def test_dateline_implies_country(tagger: Tagger) -> None:
    art = {"type": "text", "headlines": [{"role": "main", "value": "Stocks close higher"}], "located": "TOKYO",
           "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Stocks closed higher on Friday."}]}
    out = tagger.tag(art)
    jp = [p for p in out["places"] if p.get("literal") == "JP"]
    assert jp and jp[0]["name"] == "Japan"
    for located, code in (("HARTFORD, Conn.", "US"), ("RICHMOND, Va. Feb 26", "US"), ("CORNING, N.Y.", "US"),
                          ("Scarborough, Ontario", "CA"), ("MONTREAL", "CA"), ("NEW YORK, March 3 -", "US"),
                          ("ZURICH", "CH"), ("SYDNEY", "AU"), ("LIMA", "PE"), ("ST LOUIS", "US"), ("ST. PAUL", "US"),
                          ("CLARINDA, Ia.", "US"), ("NORTH DIGHTON, MA.", "US"), ("****LONDON", "GB"), ("BASLE", "CH")):
        art = {"type": "text", "located": located,
               "bodies": [{"role": "main", "contenttype": "text/plain", "value": "Profits rose."}]}
        assert code in {p.get("literal") for p in tagger.tag(art)["places"]}, located
    # a stoplisted city name is a place in a dateline only, never in running text
    art = {"type": "text", "bodies": [{"role": "main", "contenttype": "text/plain",
                                       "value": "Sydney Smith said in March that profits rose in Lima trading."}]}
    assert not tagger.tag(art).get("places")


def test_rules_for_unknown_entities(tagger: Tagger) -> None:
    body = ("Zorblax Widget Corp said it would buy a plant. Spokesman Harold Quimby said talks went well.\n\n"
            "Quimby added that the deal would close in May.")
    art = {"type": "text", "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}]}
    out, ev = tagger.tag_with_evidence(art)
    assert "Zorblax Widget Corp" in names(out, "organisations")
    assert "Harold Quimby" in names(out, "people")
    art2 = {"bodies": [{"role": "main", "contenttype": "text/plain",
                        "value": "The Nuclear Regulatory Commission (NRC) said on Monday the NRC would act."}]}
    assert names(tagger.tag(art2), "organisations") == {"Nuclear Regulatory Commission"}
    surname = [e for e in ev if e["text"] == "Quimby"]
    assert surname and surname[0]["name"] == "Harold Quimby"


def test_alias_forms_resolve(tagger: Tagger) -> None:
    body = ("President Putin spoke to reporters. Putin said Nato should stay out. The Dutch central bank and "
            "the Kremlin both declined to comment, as did Bundesbank officials in Frankfurt.")
    out, evidence = tagger.tag_with_evidence({"bodies": [{"role": "main", "contenttype": "text/plain",
                                                          "value": body}]})
    assert "Vladimir Putin" in names(out, "people")
    putin = [e for e in evidence if e["name"] == "Vladimir Putin" and e["type"] == "person"]
    assert [e["text"] for e in putin] == ["Putin", "Putin"]  # "President Putin": the title is not the name
    assert {"NATO", "Kremlin", "Netherlands Central Bank", "Bundesbank"} <= names(out, "organisations")
    # Russia is what the story is about; Germany is only implied in passing (kept in the evidence)
    assert "RU" in {p.get("literal") for p in out["places"]}
    assert "DE" not in {p.get("literal") for p in out["places"]}
    assert any(e["literal"] == "DE" and e["part"] == "implied" for e in evidence)


def test_author_in_body_is_not_tagged_again(tagger: Tagger) -> None:
    art = {"people": [{"name": "Maria Tsvetkova", "rel": "author"}],
           "bodies": [{"role": "main", "contenttype": "text/plain",
                       "value": "Reporter Maria Tsvetkova met Dmitry Peskov in Moscow."}]}
    out = tagger.tag(art)
    assert [p["name"] for p in out["people"]] == ["Maria Tsvetkova", "Dmitry Peskov"]
    assert out["people"][0] == {"name": "Maria Tsvetkova", "rel": "author"}


def test_bad_input_does_not_raise(tagger: Tagger) -> None:
    for art in ({}, {"headlines": None, "bodies": "x"}, {"bodies": [{"value": None}], "associations": [1]},
                {"people": "x", "headlines": "abc", "located": 5}, {"people": [None, {"rel": "author", "name": None}]},
                {"associations": [{"descriptions": "x"}], "descriptions": [None, {"role": "summary", "value": 3}]}):
        before = copy.deepcopy(art)
        out = tagger.tag(art)
        assert art == before and out is not art  # a new article; the input is untouched
        # nothing is invented from malformed fields: the article comes back as it was, its authors kept
        authors = [p for p in art.get("people") or () if isinstance(p, dict) and p.get("rel") == "author"]
        assert out == {**art, **({"people": authors} if authors else {})}, out


_words = st.sampled_from(
    ["Moscow", "U.S.", "Mr", "Putin", "said", "the", "Bank", "of", "Japan", "Corp", "and", "Inc.", "-", "'s",
     "NEW", "YORK", "A.", "van", "1987", "\n", "\n\n", ".", ",", "Dmitry", "O'Neill", "Jean-Claude", "&"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, max_size=40), st.text(max_size=60))
def test_any_text_is_safe(words: list[str], noise: str) -> None:
    tagger = _TAGGER.get("t") or _TAGGER.setdefault("t", Tagger.build())
    text = " ".join(words) + noise
    art = {"headlines": [{"role": "main", "value": text.upper()}], "located": text[:20],
           "bodies": [{"role": "main", "contenttype": "text/plain", "value": text}]}
    out, evidence = tagger.tag_with_evidence(art)
    for key in ("people", "organisations", "places"):
        for item in out.get(key, []):
            assert set(item) <= {"name", "uri", "literal", "rel"} and item["uri"].startswith(("urn:", "http"))
    for ev in evidence:
        if ev["part"] in ("headline", "body") and "start" in ev:
            source = art["bodies"][0]["value"] if ev["part"] == "body" else art["headlines"][0]["value"]
            assert " ".join(source[ev["start"] : ev["end"]].split()) == ev["text"], ev


def test_the_wire_credit_in_a_dateline_is_not_an_organisation(tagger: Tagger) -> None:
    def orgs(body: str) -> set[str]:
        art = {"type": "text", "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}]}
        return names(tagger.tag(art), "organisations")

    assert "Reuters" not in orgs("MOSCOW (Reuters) - The Kremlin said on Tuesday that NATO troops were a threat.")
    assert "Kremlin" in orgs("MOSCOW (Reuters) - The Kremlin said on Tuesday that NATO troops were a threat.")
    assert "Reuters" in orgs("LONDON, March 2 - Shares in Reuters Holdings rose after Reuters reported profits.")


def test_a_headline_with_no_case_is_read_as_in_capitals(tagger: Tagger) -> None:
    """An outlet's sentence case of a wire headline in capitals ("Ccc accepts ... to egypt") still names its
    countries; a headline that keeps its case is read as written."""
    def places(headline: str) -> tuple[set[str], list[str]]:
        art = {"type": "text", "headlines": [{"role": "main", "value": headline}], "located": "WASHINGTON",
               "bodies": [{"role": "main", "contenttype": "text/plain", "value": "The bid was accepted."}]}
        out, ev = tagger.tag_with_evidence(art)
        return ({p["literal"] for p in out["places"] if p.get("literal")},
                [e["text"] for e in ev if e["part"] == "headline" and e["type"] == "place"])

    codes, texts = places("Ccc accepts export bonus for cattle to egypt")
    assert codes == {"EG", "US"} and texts == ["egypt"]  # the mention keeps its text as written
    assert places("U.s. export bonus poultry feed for north yemen")[0] == {"US", "YE"}
    assert places("Thailand buys cranes from yugoslavia")[0] == {"TH", "RS", "US"}
    assert places("Poultry prices: turkey sales stall in Ohio")[0] == {"US"}  # cased: "turkey" is a bird


def test_a_lede_dateline_the_reader_did_not_take_apart_still_places_the_story(tagger: Tagger) -> None:
    """A story without `located` whose lede opens with a wire dateline ("BOSTON, Mass., march 4, Mar 4 (Reuters) -")
    is placed by it, as by `located`; a sentence that merely quotes the agency is no dateline."""
    def places(body: str) -> set[str]:
        art = {"type": "text", "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}]}
        return {p.get("literal") or p["name"] for p in tagger.tag(art).get("places", [])}

    assert places("BOSTON, Mass., march 4, Mar 4 (Reuters) - \n\nShr 17 cts vs 15 cts") == {"Boston", "US"}
    assert places("****LONDON, Mar 5 (Reuters) - Traders said cargoes were bought.") == {"London", "GB"}
    assert places("Traders in the city said (Reuters) - nothing") == set()
