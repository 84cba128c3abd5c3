"""Page-text reader details: header finding, bylines, captions, credit line, publisher guess."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.chrome import is_chrome_line
from streams.formats.text import guess_publisher, parse_byline, parse_text


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
    assert len(set(ex.paragraphs)) == len(ex.paragraphs)
    assert all(p.strip() == p and p for p in ex.paragraphs)
