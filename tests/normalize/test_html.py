"""Unit tests for the HTML article reader: metadata, captions and credits, sanitising, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.normalize.formats.base import Caption, Extracted
from streams.normalize.formats.html import parse_html
from streams.normalize.formats.markup_limits import MarkupTooComplex

FIXTURES = Path(__file__).parents[1] / "fixtures" / "html"


def _page(name: str) -> Extracted:
    return parse_html((FIXTURES / f"{name}.html").read_text(encoding="utf-8"))


HOSTILE = """<html><head><title>Hostile page</title>
<script>alert('head')</script></head><body>
<article class="story-body">
<p onclick="steal()">The port reopened on Monday after a two-day strike ended with a pay deal, union leaders said.</p>
<script>document.write('<p>injected text from a script tag that must never appear</p>')</script>
<style>p { color: red }</style>
<p>Dock workers accepted a four percent rise, <a href="javascript:alert(1)" onmouseover="x()">the union</a> said,
and <a href="https://example.org/deal">the deal</a> runs for <em>two</em> years.</p>
<iframe src="https://evil.example/frame"></iframe>
<p>Shipping lines said delayed containers would be cleared by the end of the week, and <img src=x onerror="alert(2)">
no more stoppages were planned.</p>
<object data="movie.swf"></object><embed src="x.swf">
</article></body></html>"""


def test_scripts_styles_and_handlers_never_reach_body_html() -> None:
    got = parse_html(HOSTILE)
    assert got.body_html is not None
    lowered = got.body_html.lower()
    for bad in ("<script", "alert", "<style", "color: red", "onclick", "onmouseover", "onerror", "<iframe",
                "<object", "<embed", "javascript:", "<img", "injected"):  # fmt: skip
        assert bad not in lowered, bad
    assert all("injected" not in p for p in got.paragraphs)
    assert '<a href="https://example.org/deal"' in got.body_html
    assert "<em>two</em>" in got.body_html
    assert got.body_html.startswith("<p>")
    assert len(got.paragraphs) == 3


def test_body_html_keeps_structure() -> None:
    got = _page("captions_lists")
    assert got.body_html is not None
    assert "<ul><li>Single bus fares rise" in got.body_html
    assert "<h2>Parking charges go up</h2>" in got.body_html
    assert "<blockquote>" in got.body_html


def test_captions_keep_photo_credit_apart() -> None:
    got = _page("captions_lists")
    assert got.captions == (
        Caption("Buses queue at the central interchange during the morning rush.", "ROBERTO NERI/AFP/Getty Images"),
        Caption("New bicycle parks will hold 600 bikes each.", "Metro Times/Kai Lund"),
    )
    # Photo credits are picture rights, not text credit.
    assert got.credits == ()
    assert all("Getty" not in p and "bicycle parks will hold" not in p for p in got.paragraphs)


def test_reuters_text_credit_evidence() -> None:
    got = _page("wire_wordpress")
    assert got.dateline == "OSLOHAVN"
    # "(Reuters) -" dateline and JSON-LD sourceOrganization; the signoff names no agency.
    assert got.credits == ("Reuters",)
    assert got.captions == (Caption("A ferry leaves the old terminal at dawn.", "JANE DOE/Coastal Photo Agency"),)


def test_credit_evidence_names_the_agency() -> None:
    html = (
        "<html><head><title>t</title></head><body><article>"
        "<p>ST. JOSEPH, Mich. (AP) \u2014 Health authorities reported a sixth case on Tuesday, officials said.</p>"
        "<p>The outbreak began in a care home in the county, and more tests are expected this week, they said.</p>"
        "</article></body></html>"
    )
    got = parse_html(html)
    assert got.dateline == "ST. JOSEPH"
    assert got.credits == ("AP",)
    plain = parse_html(
        "<html><body><p>" + "A story with no agency credit at all, just words. " * 3 + "</p></body></html>"
    )
    assert plain.credits == ()


def test_metadata_from_meta_tags_and_json_ld() -> None:
    got = _page("wire_wordpress")
    assert got.headline == "Harbour authority approves new ferry terminal"
    assert got.standfirst == "The terminal will double passenger capacity by 2029, officials said."
    assert got.byline == "Elena Varga, Tomas Lind"
    assert got.authors == ("Elena Varga", "Tomas Lind")
    assert got.published == "2031-03-04T09:15:00Z"  # kept as written; the normaliser parses it
    assert got.modified == "2031-03-04T11:02:00Z"
    assert got.publisher == "The Coastal Gazette"
    assert got.language == "en-GB"
    assert got.paragraphs[0].startswith("OSLOHAVN (Reuters) - The harbour authority")


def test_boilerplate_is_dropped() -> None:
    text = "\n".join(_page("wire_wordpress").paragraphs)
    for chrome in ("cookies", "Share on", "Advertisement", "newsletter", "Port strike", "comments",
                   "taxpayers", "Most read", "All rights reserved", "Home"):  # fmt: skip
        assert chrome not in text, chrome


def test_json_ld_article_body_filters_extra_blocks() -> None:
    got = _page("jsonld_body")
    assert len(got.paragraphs) == 4
    assert not any("You may also like" in p or "funded by readers" in p for p in got.paragraphs)
    assert got.byline == "Reuters"
    assert got.credits == ("Reuters",)


def test_json_ld_excerpt_does_not_truncate_the_body() -> None:
    paragraphs = [f"Paragraph {i} of the story says something long enough to count as prose, with commas, "
                  f"and more words after them to make it a real paragraph number {i}." for i in range(8)]  # fmt: skip
    excerpt = paragraphs[0][:120]
    html = (
        '<html><head><script type="application/ld+json">'
        f'{{"@type": "NewsArticle", "articleBody": "{excerpt} {excerpt} {excerpt}"}}</script></head>'
        "<body><div class='body'>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div></body></html>"
    )
    assert parse_html(html).paragraphs == tuple(paragraphs)


def test_old_cms_br_paragraphs_and_header_lines() -> None:
    got = _page("old_cms_br")
    assert len(got.paragraphs) == 4
    assert got.headline == "Council backs tram extension"
    assert got.published == "12/05/2032"
    assert not any("Print this story" in p or "Front page" in p for p in got.paragraphs)


def test_closing_credit_line_and_one_element_per_author() -> None:
    got = _page("credit_line_end")
    assert got.credits == ("Reuters",)  # the closing credit line is the credit, not a paragraph (as in page text)
    assert got.paragraphs[-1].endswith("the grid operator said.")
    assert got.byline == "Ana Petrova, Luca Bianchi"
    assert got.authors == ("Ana Petrova", "Luca Bianchi")
    assert got.standfirst == "Rescue teams are using helicopters to reach residents"
    assert not any("Avalanche warning" in p or "Rescue teams are using" in p for p in got.paragraphs)
    assert got.captions == (Caption("Snow covers a road near the pass on Wednesday", "KARL MEYER/AFP/Getty Images"),)


def test_comment_thread_is_not_the_article() -> None:
    got = _page("comments_unmarked")
    assert len(got.paragraphs) == 5
    assert got.paragraphs[0].startswith("The central library will open on Sundays")
    assert got.byline is None


def test_unmarked_author_line_becomes_byline() -> None:
    got = _page("div_soup")
    assert got.byline == "Priya Raman"
    assert len(got.paragraphs) == 4


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "<", "<html>", "<html><body></body></html>", "\x00\x00", "<p>", "<script>only()</script>",
     '<script type="application/ld+json">{broken', "<div>" * 500, "&#xD800;&#0;"],
)  # fmt: skip
def test_garbage_without_text_gives_nothing(junk: str) -> None:
    assert parse_html(junk) == Extracted()


def test_garbage_with_text_gives_only_that_text() -> None:
    plain = parse_html("not html at all")
    assert plain.paragraphs == ("not html at all",) and plain.body_html == "<p>not html at all</p>"
    cells = parse_html("<table><tr><td>x" * 300)  # 300 nested tables, one cell of text each
    assert cells.paragraphs and {w for p in cells.paragraphs for w in p.split()} == {"x"}
    assert cells.body_html is not None and set(re.sub(r"<[^>]*>|\s", "", cells.body_html)) == {"x"}
    assert set(re.findall(r"</?(\w+)", cells.body_html)) <= {"table", "tbody", "tr", "td", "p"}  # rows stay rows


def test_markup_too_deep_for_the_parsers_is_refused_with_a_typed_error() -> None:
    """The one exception parse_html raises: an InputError the normalizer turns into a `too-complex` dead letter
    (Lexbor cannot be stopped once it parses, and 5,000 nested elements are quadratic for it)."""
    with pytest.raises(MarkupTooComplex):
        parse_html("<div>" * 5000)


def test_non_string_input_is_empty() -> None:
    assert parse_html(b"<p>bytes</p>") == Extracted()  # type: ignore[arg-type]
    assert parse_html(None) == Extracted()  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdivpscrtyl&#;{}:[]\n")) | st.characters(), max_size=400))
def test_random_markup_never_raises(text: str) -> None:
    got = parse_html(text)
    assert isinstance(got, Extracted)
    # a body exists exactly when paragraphs were found, and no script survives into it
    assert (got.body_html is None) == (not got.paragraphs), got
    assert all(p.strip() for p in got.paragraphs)
    assert "<script" not in (got.body_html or "").lower()
