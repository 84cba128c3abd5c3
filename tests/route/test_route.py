"""The route stage: partner registry validation, filters, rights, and versions following the story."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.contracts import Contracts
from streams.route import Partner, PartnerConfigError, Router, load_partners
from streams.route.formats import render

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def article(uri: str = "urn:s:1", **extra: object) -> dict:
    base = {
        "uri": uri,
        "version": "1",
        "language": "en",
        "headlines": [{"role": "main", "value": "Kremlin talks"}],
        "bodies": [
            {"role": "main", "contenttype": "text/plain", "value": "Body."},
            {"role": "main", "contenttype": "text/html", "value": "<p>Body.</p>"},
        ],
        "people": [
            {"name": "Maria Tsvetkova", "rel": "author"},
            {"name": "Vladimir Putin", "uri": "urn:syndicate:person:vladimir-putin", "rel": "mentioned"},
        ],
        "places": [{"name": "Russia", "literal": "RU"}],
        "subjects": [{"name": "politics", "literal": "medtop:11000000"}],
        "infosources": [{"name": "Reuters", "role": "source"}],
        "associations": [
            {"name": "picture-1", "uri": "urn:p:1", "type": "picture", "copyrightholder": "AFP/Getty Images"},
            {"name": "picture-2", "uri": "urn:p:2", "type": "picture", "copyrightholder": "Reuters"},
        ],
    }
    base.update(extra)
    return base


def test_shipped_registry_is_valid_with_three_kinds_of_filter() -> None:
    partners = load_partners(ROOT / "config" / "partners.yaml", Contracts())
    assert len(partners) >= 3
    kinds = [set(p.definition.get("filters") or {}) for p in partners]
    assert all(any(kind in k for k in kinds) for kind in ("people", "places", "subjects"))


@pytest.mark.parametrize(
    "yaml_text,field",
    [
        ("partners:\n  - id: a\n    name: A\n    filters: {places: [Russia]}\n", "partners[0].filters.places[0]"),
        ("partners:\n  - id: Bad Id\n    name: A\n", "partners[0].id"),
        ("partners:\n  - id: a\n    name: A\n    colour: red\n", "partners[0]"),
        ("partners:\n  - id: a\n    name: A\n    format: pdf\n", "partners[0].format"),
        ("partners:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", "partners[1].id"),
    ],
)
def test_bad_registry_names_file_and_field(tmp_path: Path, yaml_text: str, field: str) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(yaml_text)
    with pytest.raises(PartnerConfigError) as err:
        load_partners(path, Contracts())
    assert str(path) in str(err.value)
    assert f": {field}:" in str(err.value)


def test_filters_and_across_fields_or_within() -> None:
    filters = {"places": ["RU", "UA"], "people": ["vladimir putin"]}
    p = Partner.from_mapping({"id": "p", "name": "P", "filters": filters})
    assert p.matches(article())
    assert not p.matches(article(places=[{"name": "France", "literal": "FR"}]))
    assert not p.matches(article(people=[{"name": "Vladimir Putin", "rel": "author"}]))  # authors don't count
    assert Partner.from_mapping({"id": "all", "name": "All"}).matches(article())


def test_render_respects_format_and_picture_rights() -> None:
    text_only = Partner.from_mapping({"id": "t", "name": "T", "format": "ninjs-text",
                                      "rights": {"picture_credits": ["Reuters"]}})
    out = render(text_only, article())
    assert isinstance(out, dict)
    assert [b["contenttype"] for b in out["bodies"]] == ["text/plain"]
    assert [a["uri"] for a in out["associations"]] == ["urn:p:2"]  # the AFP/Getty picture is not ours to pass on
    no_pictures = Partner.from_mapping({"id": "n", "name": "N"})
    assert "associations" not in render(no_pictures, article())


def test_updates_and_kills_follow_the_story_to_whoever_had_it() -> None:
    russia = Partner.from_mapping({"id": "ru", "name": "RU", "filters": {"places": ["RU"]}})
    france = Partner.from_mapping({"id": "fr", "name": "FR", "filters": {"places": ["FR"]}})
    log: dict = {}
    router = Router([russia, france], log)
    assert [d.partner_id for d in router.route(article(), "new", NOW)] == ["ru"]
    assert log == {"urn:s:1": ["ru"]}
    # v2 no longer mentions Russia but moves to France: both get it (ru had v1, fr matches now)
    moved = article(version="2", places=[{"name": "France", "literal": "FR"}])
    assert sorted(d.partner_id for d in router.route(moved, "update", NOW)) == ["fr", "ru"]
    killed = article(pubstatus="canceled", places=[])
    assert sorted(d.partner_id for d in router.route(killed, "kill", NOW)) == ["fr", "ru"]
    assert router.route(article(uri="urn:s:2", places=[]), "kill", NOW) == []  # nobody had it
    assert router.route(article(), "duplicate", NOW) == []
