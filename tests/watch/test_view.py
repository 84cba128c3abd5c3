"""`tail` filters and views on records of every kind (pure: no broker)."""

from __future__ import annotations

import orjson
import pytest

from streams.watch.view import Filter, full, kind, render

ARTICLE = {
    "uri": "urn:s:1", "version": 1, "headlines": [{"value": "Kremlin talks"}],
    "people": [{"name": "Anna Volkova", "rel": "author"}, {"name": "Vladimir Putin", "rel": "headline"}],
    "places": [{"name": "Moscow"}, {"name": "Russia", "literal": "RU"}],
    "subjects": [{"name": "diplomacy", "literal": "medtop:20000639",
                  "uri": "http://cv.iptc.org/newscodes/mediatopic/20000639"}],
}
DECISION = {
    "input_id": "a", "decision": "new", "uri": "urn:s:1", "version": 1, "reason": "r",
    "deliveries": ["kremlin-watch", "baltic-desk"],
    "tags": [{"type": "person", "name": "Vladimir Putin"}, {"type": "place", "name": "Poland", "literal": "PL"},
             {"type": "subject", "name": "economy", "literal": "medtop:04000000"}],
}
DEAD = {"input_id": "x", "stage": "envelope", "reason": "invalid-json", "detail": "d", "original_b64": ""}


def test_kinds() -> None:
    assert [kind(v) for v in (ARTICLE, DECISION, DEAD, 3, {"a": 1})] == [
        "article", "decision", "dead-letter", "other", "other"]


@pytest.mark.parametrize(("wanted", "topic", "value", "expected"), [
    (Filter(), "wire.articles", ARTICLE, True),
    (Filter(partner="kremlin-watch"), "wire.decisions", DECISION, True),
    (Filter(partner="markets-wire"), "wire.decisions", DECISION, False),
    (Filter(partner="kremlin-watch"), "partner.kremlin-watch", ARTICLE, True),
    (Filter(partner="kremlin-watch"), "partner.baltic-desk", ARTICLE, False),
    (Filter(partner="kremlin-watch"), "wire.dead-letter", DEAD, False),
    (Filter(decision="new"), "wire.decisions", DECISION, True),
    (Filter(decision="kill"), "wire.decisions", DECISION, False),
    (Filter(decision="new"), "wire.articles", ARTICLE, False),
    (Filter(subject="20000639"), "wire.articles", ARTICLE, True),
    (Filter(subject="medtop:20000639"), "wire.articles", ARTICLE, True),
    (Filter(subject="Diplomacy"), "wire.articles", ARTICLE, True),
    (Filter(subject="04000000"), "wire.articles", ARTICLE, False),
    (Filter(subject="04000000"), "wire.decisions", DECISION, True),
    (Filter(person="putin"), "wire.articles", ARTICLE, True),
    (Filter(person="peskov"), "wire.articles", ARTICLE, False),
    (Filter(person="putin"), "wire.decisions", DECISION, True),
    (Filter(place="ru"), "wire.articles", ARTICLE, True),
    (Filter(place="moscow"), "wire.articles", ARTICLE, True),
    (Filter(place="PL"), "wire.articles", ARTICLE, False),
    (Filter(place="PL"), "wire.decisions", DECISION, True),
    (Filter(place="PL", decision="new", partner="baltic-desk"), "wire.decisions", DECISION, True),
    (Filter(place="PL", decision="update"), "wire.decisions", DECISION, False),
    (Filter(person="putin"), "wire.dead-letter", DEAD, False),
    (Filter(person="putin"), "wire.raw", b"not json", False),
])
def test_filters(wanted: Filter, topic: str, value: object, expected: bool) -> None:
    assert wanted.matches(topic, value) is expected


def test_views() -> None:
    assert render(DECISION) == "[a] new        urn:s:1 v1  r  -> kremlin-watch, baltic-desk"
    held = {**DECISION, "held": [{"partner": "night", "reason": "window", "until": "2026-11-30T21:00:00Z"},
                                 {"partner": "paused", "reason": "paused", "until": None}]}
    assert render(held) == ("[a] new        urn:s:1 v1  r  -> kremlin-watch, baltic-desk  held: night (window until "
                            "2026-11-30T21:00:00Z), paused (paused)")
    assert render(ARTICLE) == "urn:s:1 v1 | Kremlin talks | Vladimir Putin, Moscow, RU, diplomacy"
    assert orjson.loads(full(DEAD)) == DEAD and full(DEAD).count("\n") == len(DEAD) + 1
