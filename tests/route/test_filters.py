"""Subscription filters: the boolean expression, the Media Topic hierarchy, keywords, urgency, length, rights."""

from __future__ import annotations

from typing import Any

import pytest

from streams.contracts import Contracts
from streams.route import PartnerConfigError, check_definition


def story(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "uri": "urn:s:1", "version": "1", "language": "en",
        "headlines": [{"role": "main", "value": "EU weighs new sanctions on Moscow"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": "BRUSSELS (Reuters) - The European Union "
                    "discussed a gas pipeline ban on Tuesday.", "wordcount": 12}],
        "people": [{"name": "Ursula von der Leyen", "rel": "body"}],
        "organisations": [{"name": "European Union", "uri": "urn:syndicate:org:eu", "rel": "headline"}],
        "places": [{"name": "Belgium", "literal": "BE", "rel": "dateline"}],
        "subjects": [{"name": "diplomacy", "literal": "medtop:20000639", "rel": "direct"}],
        "infosources": [{"name": "Reuters", "role": "source"}],
    }
    base.update(extra)
    return base


def wants(filters: dict[str, Any], article: dict[str, Any] | None = None, **definition: Any) -> bool:
    partner = check_definition({"id": "p", "name": "P", "filters": filters, **definition}, Contracts())
    return partner.matches(article or story())


def test_a_subject_includes_its_descendants() -> None:
    assert wants({"subjects": ["medtop:11000000"]})  # politics includes diplomacy (via international relations)
    assert wants({"subjects": ["medtop:20000638"]})  # international relations, the parent
    assert not wants({"subjects": ["medtop:04000000"]})  # economy is another branch
    assert not wants({"subjects": ["medtop:20000639"]}, story(subjects=[{"literal": "medtop:11000000"}]))


def test_the_current_yaml_form_is_and_across_fields_or_within() -> None:
    assert wants({"places": ["RU", "BE"], "organisations": ["european union"]})
    assert not wants({"places": ["RU"], "organisations": ["european union"]})


def test_keywords_in_headline_or_body_whole_words_with_prefix_wildcard() -> None:
    assert wants({"keywords": ["sanction*"]})
    assert wants({"keywords": ["gas  pipeline"]})  # any spacing between the words of a phrase
    assert not wants({"keywords": ["sanction"]})  # whole word: "sanctions" is not "sanction"
    assert not wants({"keywords": ["pipe"]})


def test_any_all_not_nest() -> None:
    expr = {"any": [{"places": ["RU"]}, {"all": [{"places": ["BE"]}, {"not": {"keywords": ["football"]}}]}]}
    assert wants(expr)
    assert not wants(expr, story(headlines=[{"value": "Football: Belgium win"}]))
    assert not wants({"subjects": ["medtop:11000000"], "not": {"people": ["Ursula von der Leyen"]}})


def test_language_urgency_and_length() -> None:
    assert wants({"languages": ["en-GB"]})
    assert not wants({"languages": ["fr"]})
    assert not wants({"urgency": 3})  # no urgency counts as 5
    assert wants({"urgency": 3}, story(urgency=2))
    assert wants({"min_words": 12}) and not wants({"min_words": 13})


def test_text_credits_a_partner_is_not_licensed_for_are_never_delivered() -> None:
    ap = story(infosources=[{"name": "AP", "role": "source"}])
    assert not wants({}, ap)  # default licence: Reuters
    assert wants({}, ap, rights={"text_credits": ["AP", "Reuters"]})
    assert not wants({}, story(infosources=[]))  # no credit: never
    assert wants({}, story(infosources=[]), rights={"text_credits": ["any"]})
    both = story(infosources=[{"name": "Reuters", "role": "source"}, {"name": "AP", "role": "source"}])
    assert not wants({}, both)  # a part of it is AP's


@pytest.mark.parametrize("definition,message", [
    ({"filters": {"places": ["Russia"]}}, "filters.places[0]: 'Russia' does not match '^[A-Z]{2}$'"),
    ({"filters": {"subjects": ["medtop:99999999"]}}, "filters.subjects[0]: 'medtop:99999999' is not an IPTC Media"),
    ({"filters": {"any": [{"subjects": ["medtop:99999999"]}]}}, "filters.any[0].subjects[0]:"),
    ({"delivery": {"timezone": "Mars/Olympus"}}, "delivery.timezone: 'Mars/Olympus' is not an IANA time zone"),
    ({"delivery": {"windows": ["25:00-06:00"]}}, "delivery.windows[0]:"),
    ({"rights": {"embargo": "ignore"}}, "rights.embargo:"),
    ({"filters": {"colour": ["red"]}}, "filters: Additional properties are not allowed"),
])
def test_a_bad_definition_names_the_field_and_the_reason(definition: dict[str, Any], message: str) -> None:
    with pytest.raises(PartnerConfigError) as err:
        check_definition({"id": "p", "name": "P", **definition}, Contracts())
    assert str(err.value).startswith(message), str(err.value)
