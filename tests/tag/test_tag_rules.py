"""Tag stage: the rules that name what the gazetteer does not know (teams, lists of people, names in full)."""

from __future__ import annotations

import pytest

from streams.tag.tagger import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.build()


def tagged(tagger: Tagger, body: str, headline: str = "SOCCER - RESULTS") -> tuple[set[str], set[str]]:
    """(people, organisations) the tagger delivers for a story."""
    art = {"type": "text", "headlines": [{"role": "main", "value": headline}],
           "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}]}
    out = tagger.tag(art)
    return ({p["name"] for p in out.get("people", [])}, {o["name"] for o in out.get("organisations", [])})


def test_the_names_on_a_results_line_or_a_standings_row_are_teams(tagger: Tagger) -> None:
    body = ("Results of league matches on Saturday:\n"
            "Grimley 1 Oakport 0\n"
            "Postponed: Vexham v Morland.\n"
            "Standings (played, won, drawn, lost, goals for, against, points):\n"
            "Queen of Harbour 3 2 0 1 5 4 6\n"
            "Douglas 3 1 1 1 3 2 4\n")  # a first name alone on a standings row is a team
    people, orgs = tagged(tagger, body)
    assert {"Grimley", "Oakport", "Vexham", "Morland", "Queen of Harbour", "Douglas"} <= orgs
    assert not people


def test_a_golfer_and_his_rounds_stay_a_person(tagger: Tagger) -> None:
    people, orgs = tagged(tagger, "Leading scores:\nMark Brooks 67 70 68 69 274\n", "GOLF - LEADING SCORES")
    assert "Mark Brooks" in people and not orgs


def test_a_surname_read_as_a_team_is_the_person_named_in_full(tagger: Tagger) -> None:
    body = "Harold Quimby took four wickets.\nBowling: Quimby 10 2 31 4\nDrake 1 Quimby 4"
    people, orgs = tagged(tagger, body, "CRICKET - SCOREBOARD")
    assert "Harold Quimby" in people and "Quimby" not in orgs


def test_names_listed_with_people_are_people(tagger: Tagger) -> None:
    body = ("Teams:\nRuritania - Ashok Velaratne (captain), Sunil Kadawatte, Mahesh Perambala,\n"
            "Nimal Gunasekera.\n"
            "Coach John Brook named Jim Bean, Harold Quimby, Oakport forward Jack Wilde and Toft.")
    people, _ = tagged(tagger, body, "CRICKET - TEAMS")
    assert {"Ashok Velaratne", "Sunil Kadawatte", "Mahesh Perambala", "Nimal Gunasekera"} <= people
    assert {"Jim Bean", "Harold Quimby", "Jack Wilde", "Toft"} <= people
    assert "Oakport" not in people  # "Oakport forward Jack Wilde": not an item of the list


def test_names_in_full(tagger: Tagger) -> None:
    # a first name before the surname of someone the gazetteer knows is someone else
    people, _ = tagged(tagger, "Oleg Medvedev beat Petr Kroslak 6-4 6-3.", "TENNIS - RESULTS")
    assert {"Oleg Medvedev", "Petr Kroslak"} <= people and "Dmitry Medvedev" not in people
    # a possessive ends the name; particles stay inside it
    people, _ = tagged(tagger, "Anna Berg ended Karl Moser's Grand Slam run, said Vincent van Gogh.", "TENNIS")
    assert {"Karl Moser", "Vincent van Gogh"} <= people
    assert not any("Grand Slam" in p for p in people)
