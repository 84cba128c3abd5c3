"""Pages the C parsers would take seconds or minutes on are refused before parsing; real pages pass."""

from __future__ import annotations

import gzip

import pytest

from streams.normalize.formats.markup_limits import (
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    MAX_OPEN_FORMATTING,
    MarkupTooComplex,
    check_markup,
)

SHAPES = {
    "nested divs": "<div>" * 100_000 + "x",
    "nested unclosed spans": "<span>" * (MAX_DEPTH + 1),
    "one element, many attributes": "<div " + " ".join(f"a{i}=1" for i in range(MAX_ATTRIBUTES + 1)) + ">x",
    "formatting reopened by every paragraph": "".join(f"<b class=c{i}>" for i in range(MAX_OPEN_FORMATTING + 1))
    + "<p>x" * 10,
    "upper case": "<DIV>" * (MAX_DEPTH + 1),
    "hidden after a script closed in another case": "<script>x</SCRIPT>" + "<div>" * (MAX_DEPTH + 1),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_shapes_that_make_the_parsers_quadratic_are_refused(shape: str) -> None:
    with pytest.raises(MarkupTooComplex):
        check_markup("<html><body>" + SHAPES[shape])


@pytest.mark.parametrize("html", [
    "plain text, no tags at all",
    "<p>unclosed paragraphs" * 100_000,  # p closes p: flat, however many
    "<ul>" + "<li>item" * 100_000 + "</ul>",
    "<div>x</div>" * 100_000,
    "<div>" * MAX_DEPTH + "</div>" * MAX_DEPTH + "<div>" * MAX_DEPTH,  # closed, then as deep again
    "<script>" + "<div>" * 100_000 + "</script><p>text",  # markup inside a script is text
    "<b><i>bold italic</i></b>" * 50_000,
])
def test_flat_or_closed_markup_passes(html: str) -> None:
    check_markup(html)


@pytest.mark.shared
def test_every_page_of_the_html_corpus_passes(shared_dir) -> None:
    pages = sorted((shared_dir / "corpora" / "aeb-dev" / "html").glob("*.html.gz"))
    assert pages
    for page in pages:
        check_markup(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))
