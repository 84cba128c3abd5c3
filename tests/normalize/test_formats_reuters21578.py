"""Reuters-21578 SGML: splitting a file, entities, BRIEF/UNPROC stories, signoff, gold labels kept apart."""

from __future__ import annotations

from pathlib import Path

from streams.normalize.formats.reuters21578 import gold_labels, parse_reuters21578, split_stories, unescape

SGM = (Path(__file__).parents[1] / "fixtures" / "normalize" / "mini.sgm").read_text(encoding="latin-1")


def test_split_stories_gives_newids_and_whole_elements() -> None:
    stories = split_stories(SGM)
    assert [sid for sid, _ in stories] == ["101", "102", "103", "104"]
    for _, sgml in stories:
        assert sgml.startswith("<REUTERS") and sgml.endswith("</REUTERS>")


def test_full_story() -> None:
    ex = parse_reuters21578(split_stories(SGM)[0][1])
    assert ex.headline == "PRAIRIE WHEAT STOCKS <PWS> SEEN LOWER"
    assert ex.dateline == "WINNIPEG"
    assert ex.published == "3-MAR-1987 10:15:22.41"
    assert ex.slug == "BC-PRAIRIE-WHEAT-STOCKS"
    assert ex.byline == "Helen Marsh, Reuters" and ex.authors == ("Helen Marsh",)
    assert len(ex.paragraphs) == 3
    assert ex.paragraphs[0] == (
        "Wheat stocks held on prairie farms are expected to be lower at the end of March than a year ago, "
        "the grain council said."
    )
    assert not any("Reuter" in p for p in ex.paragraphs)
    assert "Reuter" in ex.credits and "Reuters" in ex.credits
    assert ex.source_id == "reuters21578:101"


def test_brief_and_unproc() -> None:
    brief = parse_reuters21578(split_stories(SGM)[1][1])
    assert brief.headline == "RIVERTON BANK SAYS QUARTERLY NET UP 20 PCT"
    assert brief.paragraphs == (brief.headline,)
    unproc = parse_reuters21578(split_stories(SGM)[2][1])
    assert unproc.headline == "LAKESIDE RESERVE BANK WEEKLY REPORT - MARCH 3"
    assert unproc.paragraphs[1] == "Net free reserves.............512 vs.......498"
    assert "Reuter" in unproc.credits


def test_gold_labels_only_through_their_own_function() -> None:
    sgml = split_stories(SGM)[0][1]
    assert gold_labels(sgml) == {"TOPICS": ["grain", "wheat"], "PLACES": ["canada"], "PEOPLE": [], "ORGS": []}
    ex = parse_reuters21578(sgml)
    assert "canada" not in repr(ex).lower()


def test_unescape_drops_control_entities() -> None:
    assert unescape("&#2;A &lt;B> &amp; C&#3;&#31;") == "A <B> & C"


def test_garbage_does_not_raise() -> None:
    assert split_stories("no stories here") == []
    ex = parse_reuters21578("<REUTERS NEWID='x'><TEXT>&#99999999;</TEXT>")
    assert ex.paragraphs == ()


def _story(body: str, date: str = "26-FEB-1987 15:01:01.79", unknown: str = "reute") -> str:
    return (
        f'<REUTERS NEWID="9"><DATE>{date}</DATE><UNKNOWN>^! 16#838#</UNKNOWN><UNKNOWN>{unknown}</UNKNOWN>'
        f"<TEXT><TITLE>T</TITLE><BODY>{body}</BODY></TEXT></REUTERS>"
    )


def test_signoff_debris_and_repeats_are_removed() -> None:
    for tail in ("REUTER...^M", "REUTER E", "Reuter4", "REUTER\n Reuter\n&#3;", "reuter^M"):
        ex = parse_reuters21578(_story(f"Profit rose.\n    Sales fell. {tail}"))
        assert ex.paragraphs == ("Profit rose.", "Sales fell."), tail
        assert "Reuter" in ex.credits


def test_second_unknown_header_and_date_debris() -> None:
    ex = parse_reuters21578(_story("Text here.", date="27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM"))
    assert ex.published == "27-MAR-1987 00:02:59.13"
    assert "Reuters" in ex.credits  # the "reute" wire code sits in the second header
