"""The shared agency vocabulary: one base list, and context additions that differ on purpose (pinned here)."""

from __future__ import annotations

from streams.normalize import vocab


def test_every_context_knows_the_base_agencies() -> None:
    for name in vocab.WIRE_AGENCIES:
        assert vocab.STAFF_RE.match(f"By {name} staff")
        assert vocab.CREDIT_LINE_RE.match(name)
        assert vocab.ADDITIONAL_RE.match(f"Additional reporting by {name}")
        assert vocab.AGENCY_ONLY_RE.match(name)
        assert vocab.BYLINE_ORG_RE.search(f"By Jo Lee, {name}")
        assert vocab.AGENCY_OPEN_RE.match(f"({name}) - The")
        assert name.lower() in vocab.PHOTO_HOLDERS


def test_context_additions_stay_in_their_context() -> None:
    # Page-text credit lines know the Press Association; HTML bylines and openings do not.
    assert vocab.CREDIT_LINE_RE.match("PA")
    assert not vocab.AGENCY_ONLY_RE.match("PA")
    assert not vocab.AGENCY_OPEN_RE.match("(PA) - The")
    # "Associated Press" is spelled out in bylines and staff lines, never in an opening.
    assert vocab.AGENCY_ONLY_RE.match("The Associated Press")
    assert vocab.STAFF_RE.match("Associated Press staff")
    assert not vocab.AGENCY_OPEN_RE.match("(Associated Press) - The")
    assert not vocab.ADDITIONAL_RE.match("Additional reporting by Associated Press")
    # Openings also know CNN desks and dpa.
    assert vocab.AGENCY_OPEN_RE.match("(CNN Business) - The")
    assert vocab.AGENCY_OPEN_RE.match("(dpa) - The")


def test_agency_names() -> None:
    assert vocab.agency_name("REUTERS") == "Reuters"
    assert vocab.agency_name("Reuter") == "Reuters"
    assert vocab.agency_name("AFP") == "AFP"
    assert vocab.WIRE_DISPLAY == {"reuters": "Reuters", "afp": "AFP", "ap": "AP"}
