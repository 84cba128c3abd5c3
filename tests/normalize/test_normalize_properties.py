"""Whatever comes in, `Normalizer.normalize` returns an article or a typed rejection and never raises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.model import FORMATS, Envelope, Rejection
from streams.normalize.normalizer import Normalizer
from streams.quality.validate import ARTICLE_SCHEMA, load_validator, validation_errors

FIX = Path(__file__).parents[1] / "fixtures"
PAGE = (FIX / "normalize" / "marlow-page.txt").read_text(encoding="utf-8")  # an invented seed-shaped page
SGM = (FIX / "normalize" / "mini.sgm").read_text(encoding="latin-1")
VALIDATOR = load_validator(ARTICLE_SCHEMA)
NORMALIZERS = [Normalizer(), Normalizer(credits=None)]

CODES = {
    "invalid-json", "invalid-utf8", "invalid-envelope", "missing-content", "empty-body", "unknown-format",
    "parse-error", "too-large", "too-complex", "no-reuters-credit", "internal-error",
}  # fmt: skip


def check(content: Any, fmt: str | None = None, *, allow_internal: bool = False) -> None:
    for n in NORMALIZERS:
        result = n.normalize(Envelope(id="p", content=content, format=fmt))
        if isinstance(result, Rejection):
            assert result.reason in CODES
            if not allow_internal:
                assert result.reason != "internal-error", result.detail
        else:
            assert isinstance(result, dict)
            assert validation_errors(result, VALIDATOR) == []
            json.dumps(result)


formats = st.sampled_from([None, *FORMATS])
chrome_lines = st.sampled_from(
    ["Advertisement", "Most read", "Comments", "Sign up for our newsletter", "Reuters", "Share this article",
     "Thank you for registering", "We use cookies on this site", ""]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000), formats)
def test_any_text(text: str, fmt: str | None) -> None:
    check(text, fmt)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000), formats)
def test_any_bytes_as_latin1_or_raw(data: bytes, fmt: str | None) -> None:
    check(data.decode("latin-1"), fmt)
    check(data, fmt)


@settings(max_examples=60, deadline=None)
@given(st.lists(chrome_lines, max_size=40))
def test_all_chrome_pages(lines: list[str]) -> None:
    check("\n\n".join(lines), "text")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(PAGE)), st.integers(0, len(PAGE)), st.text(max_size=50))
def test_mutilated_page(a: int, b: int, junk: str) -> None:
    lo, hi = sorted((a, b))
    check(PAGE[:lo] + junk + PAGE[hi:])
    check(PAGE.encode("utf-8").decode("latin-1"))  # mojibake


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(SGM)), st.integers(0, len(SGM)))
def test_truncated_sgml(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    check(SGM[lo:hi], "reuters21578")


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.sampled_from(
            ["uri", "headline", "headlines", "bodies", "body_text", "body_html", "value", "role", "by",
             "version", "pubstatus", "associations", "descriptions", "firstcreated", "infosources", "name"]
        ), c, max_size=6),
        max_leaves=20,
    )
)  # fmt: skip
def test_any_json(doc: Any) -> None:
    check(json.dumps(doc), "ninjs")


def test_html_with_scripts_and_handlers() -> None:
    page = (
        "<html><head><script>alert(1)</script></head><body onload='evil()'>"
        "<h1>Headline of a story here</h1><p onclick='x()'>LONDON (Reuters) - Body text of the story, "
        "long enough to count as a paragraph for anyone.<script>document.cookie</script></p>"
        "<img src=x onerror=alert(2)><iframe src='http://evil'></iframe></body></html>"
    )
    for n in NORMALIZERS:
        result = n.normalize(Envelope(id="h", content=page))
        assert isinstance(result, dict), result  # a Reuters story under the scripts: kept, and made safe
        text, html = (b["value"] for b in result["bodies"])
        assert text == "LONDON (Reuters) - Body text of the story, long enough to count as a paragraph for anyone."
        assert html == f"<p>{text}</p>"
        dumped = json.dumps(result)
        for bad in ("<script", "onclick", "onerror", "onload", "<iframe", "alert(", "document.cookie"):
            assert bad not in dumped


def test_twenty_megabytes_is_refused_quickly() -> None:
    big = ("Reuters " * 10 + "\n") * 250_000  # ~20 MB
    assert len(big) > 20_000_000
    for n in NORMALIZERS:
        r = n.normalize(Envelope(id="big", content=big))
        assert isinstance(r, Rejection) and r.reason == "too-large"


def test_large_but_allowed_page_and_no_body_page() -> None:
    """A 1.4 MB story under the size limit is kept whole; a page with a headline and no story, or with only
    control characters and lone surrogates, is rejected as empty-body (a typed rejection, no crash)."""
    paragraphs = [f"Paragraph {i} of a long story that goes on and on, officials said." for i in range(20000)]
    for n in NORMALIZERS:
        big = n.normalize(Envelope(id="big", content="A headline for a very long story\n\n"
                                   + "\n\n".join(paragraphs) + "\n\nReuters\n"))
        assert isinstance(big, dict), big
        assert big["headlines"][0]["value"] == "A headline for a very long story"
        assert big["bodies"][0]["value"].split("\n\n") == paragraphs
        assert validation_errors(big, VALIDATOR) == []
        for empty in ("A headline for a story without body\n\nReuters\n",
                      "\x00\x01\x02 \ud800 lone surrogate and NULs \udfff\n\nReuters"):
            rejected = n.normalize(Envelope(id="e", content=empty))
            assert isinstance(rejected, Rejection) and rejected.reason == "empty-body", rejected


def test_non_string_content() -> None:
    for n in NORMALIZERS:
        assert isinstance(n.normalize(Envelope(id="n", content=None)), Rejection)  # type: ignore[arg-type]
        assert isinstance(n.normalize(Envelope(id="n", content=12)), Rejection)  # type: ignore[arg-type]
