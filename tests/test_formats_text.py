"""Page-text reader details: header finding, bylines, captions, credit line, publisher guess."""

from __future__ import annotations

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
