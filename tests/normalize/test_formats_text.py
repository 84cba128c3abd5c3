"""Page-text reader details: header finding, bylines, captions, credit line, publisher guess."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.normalize.chrome import is_chrome_line
from streams.normalize.formats.text import guess_publisher, parse_byline, parse_text


def test_bylines() -> None:
    assert parse_byline("Maria Tsvetkova,Denis Pinchuk") == (
        "Maria Tsvetkova, Denis Pinchuk",
        ("Maria Tsvetkova", "Denis Pinchuk"),
        None,
    )
    assert parse_byline("By Anika Solberg and Tomas Reyes")[1] == ("Anika Solberg", "Tomas Reyes")  # type: ignore[index]
    assert parse_byline("by Janie Gabbett, Reuters") == ("Janie Gabbett, Reuters", ("Janie Gabbett",), "Reuters")
    assert parse_byline("Reuters staff") == ("Reuters staff", (), "Reuters")
    assert parse_byline("The Kremlin said on Monday there was talk of a meeting.") is None


def test_publisher_guess() -> None:
    assert guess_publisher(["Get alerts from The Morning Star", "The Morning Star is reader funded"]) == (
        "The Morning Star"
    )
    assert guess_publisher(["Comments"]) is None


def test_page_without_header_shape() -> None:
    text = (
        "Bridge reopens after month of repairs\n\n"
        "LISBON (Reuters) - The main bridge into the city reopened on Friday after a month of repairs.\n\n"
        "Traffic was light in the morning, police said.\n\nReuters\n\nMost read\n\nThe ten best beaches\n"
    )
    ex = parse_text(text)
    assert ex.headline == "Bridge reopens after month of repairs"
    assert len(ex.paragraphs) == 2
    assert ex.credits == ("Reuters",)


def test_all_chrome_page_has_no_body() -> None:
    ex = parse_text("Advertisement\nMost read\nSign up for our newsletter\nComments\nShare this article\n")
    assert ex.paragraphs == ()
    assert ex.headline is None


def test_credit_line_variants() -> None:
    for line in ("Reuters", "REUTERS", "— Reuters", "(Reuters)", "Reuters contributed to this report"):
        ex = parse_text(f"A headline about some event today\n\nSome long paragraph of story text here ok.\n\n{line}\n")
        assert ex.credits == ("Reuters",), line


def test_one_line_captions_and_photo_credit_lines() -> None:
    text = (
        "Harbour cranes stand idle as dock strike enters its second day\n\n"
        "By Ana Costa\n12 May 2023\n\n"
        "Cranes stand idle at the port of Sines, Portugal, May 11, 2023. REUTERS/Pedro Nunes\n\n"
        "Photo: Pedro Nunes/Reuters\n\n"
        "A docker walks past idle containers (Reuters)\n\n"
        "LISBON (Reuters) - Dock workers at Portugal's largest port stayed off the job for a second day on Friday.\n\n"
        "Reuters\n"
    )
    ex = parse_text(text)
    assert [(c.text, c.credit) for c in ex.captions] == [
        ("Cranes stand idle at the port of Sines, Portugal, May 11, 2023.", "REUTERS/Pedro Nunes"),
        ("A docker walks past idle containers", "Reuters"),
    ]
    assert ex.paragraphs == (
        "LISBON (Reuters) - Dock workers at Portugal's largest port stayed off the job for a second day on Friday.",
    )


def test_updated_line_is_the_modified_date() -> None:
    text = (
        "Bank shares fall as bond yields climb to new highs\n\nBy Reuters\n"
        "Published: Nov 30, 2023 4:12 AM EST\nUpdated: Nov 30, 2023 6:40 AM EST\n\n"
        "NEW YORK (Reuters) - Bank shares fell on Thursday as bond yields climbed to new highs, traders said.\n"
    )
    ex = parse_text(text)
    assert ex.published == "Published: Nov 30, 2023 4:12 AM EST"
    assert ex.modified == "Updated: Nov 30, 2023 6:40 AM EST"
    assert ex.byline == "Reuters" and ex.credits == ("Reuters",)
    assert len(ex.paragraphs) == 1


def test_scripts_without_spaces_have_paragraphs() -> None:
    text = (
        "東京の株価、三日続落 輸出関連株に売り\n\n"
        "2023年5月12日\n\n"
        "東京株式市場では十二日、日経平均株価が三日続けて値下がりした。円高を受けて輸出関連株に売りが広がった。\n\n"
        "市場関係者は、来週発表される米国の物価統計を見極めたいとの声が多いと話した。\n"
    )
    ex = parse_text(text)
    assert len(ex.paragraphs) == 2
    assert ex.paragraphs[0].startswith("東京株式市場では")


# An invented page in the shape of the failures the story-region finder fixes: a donation appeal
# under the caption, a raw tracking pixel, a subhead, a tag list, teasers (headline, author, date,
# summary) and a readers' comment thread below the story, and no credit line to stop at.
_REGION_PAGE = (Path(__file__).parents[1] / "fixtures" / "normalize" / "marlow-page.txt").read_text(encoding="utf-8")

_REGION_BODY = (
    "LEEDS (Reuters) - A maker of kitchen appliances said on Tuesday it would close its plant in northern "
    "England next year, putting about 800 jobs at risk as it moves production to eastern Europe.",
    "The company said higher energy and labour costs had made the factory, which opened in 1968, too expensive to run.",
    "Union reaction",
    "The union representing most of the workers said it would fight the closure and called on the "
    "government to step in.",
    "Local officials said they would meet the company's managers later this week.",
)


def test_story_region_drops_appeals_markup_teasers_and_comments() -> None:
    ex = parse_text(_REGION_PAGE)
    assert ex.headline == "Factory closure puts 800 jobs at risk in northern town"
    assert ex.byline == "Ruth Okafor"
    assert ex.paragraphs == _REGION_BODY


def test_story_region_with_the_comments_first_is_still_the_story() -> None:
    # A comment-count link by the byline is no comment thread: the story below it stays.
    page = _REGION_PAGE.replace("Tuesday 3 October 2023 10:40 BST\n", "Tuesday 3 October 2023 10:40 BST\n12 comments\n")
    assert parse_text(page).paragraphs == _REGION_BODY


def test_agency_credit_by_the_date_is_no_end_of_story() -> None:
    text = (
        "Port workers end strike after pay deal\n"
        "By Ana Costa\n"
        "Associated Press\n"
        "12 May 2023\n"
        "LISBON (Reuters) - Dock workers at Portugal's largest port returned to work on Friday after a pay deal.\n"
        "The union said members had voted by a large majority to accept the offer.\n"
    )
    ex = parse_text(text)
    assert ex.byline == "Ana Costa"
    assert ex.standfirst is None
    assert len(ex.paragraphs) == 2
    assert "Associated Press" in ex.credits


def test_table_rows_stay_in_the_story() -> None:
    rows = [f"{i} Team {chr(64 + i)} {40 - i} {10 - i % 3} {i % 4}" for i in range(1, 13)]
    text = "\n".join(
        [
            "League standings after round 20",
            "The leaders kept their three-point lead at the top of the table after a win on Sunday.",
            "Here are the standings after the weekend's games:",
            *rows,
            "The next round of games will be played on Saturday, the league said.",
        ]
    )
    ex = parse_text(text)
    assert rows[0] in ex.paragraphs and rows[-1] in ex.paragraphs
    assert ex.paragraphs[-1].startswith("The next round")


_PIECES = [
    "Advertisement",
    "Most read",
    "Sign up for our free newsletter",
    "Comments",
    "Reuters",
    "By Ana Costa",
    "12 May 2023 10:00 GMT",
    "Harbour cranes stand idle as dock strike enters its second day",
    "LISBON (Reuters) - Dock workers at Portugal's largest port stayed off the job for a second day.",
    "The union said the strike would go on until the port authority agreed to talks on pay.",
    "Cranes at the port (REUTERS/Pedro Nunes)",
    "Ten things to do this weekend",
    '"We will not give up," a union leader said.',
    "(Reporting by Ana Costa; Editing by Mark Dent)",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.booleans())
def test_reader_invariants(pieces: list[str], blank_lines: bool) -> None:
    ex = parse_text(("\n\n" if blank_lines else "\n").join(pieces))
    assert not any(is_chrome_line(p) for p in ex.paragraphs)
    assert ex.headline is None or ex.headline not in ex.paragraphs
    repeated = [p for p in ex.paragraphs if ex.paragraphs.count(p) > 1]
    assert all(len(p.split()) < 6 for p in repeated)  # only short lines repeat (a table's rows, its headers)
    assert not any(p in ("Reuters", "REUTERS") for p in ex.paragraphs)  # an agency alone is a credit
    assert all(p.strip() == p and p for p in ex.paragraphs)
