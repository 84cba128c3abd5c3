"""The normalise stage: one raw envelope in any input format becomes a ninjs 2.1 article or a typed rejection.

``Normalizer.normalize(envelope)`` dispatches on the envelope's format (or detects it), lets the
format reader produce an :class:`~streams.normalize.formats.base.Extracted`, checks the text credit and
maps the result onto the article conventions of ``notes/common.md`` (ninjs 2.1; validated by
``schemas/article.schema.json`` in the tests and by the shared ninjs 2.1/2.2 schemas through
``syndicate validate``). It never raises: bad input and internal failures come back as
``Rejection``.

How the article carries the signals dedupe reads (kill, correction, update) and the input's ids:
`streams.normalize.article`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from streams.model import FORMATS, Article, Envelope, Reason, Rejection
from streams.normalize.article import DATELINE, KILL_BODY, build_article, story_text
from streams.normalize.formats.base import Extracted
from streams.normalize.formats.detect import detect_format
from streams.normalize.formats.markup_limits import MarkupTooComplex
from streams.normalize.formats.newsml import NewsMLError, parse_newsml
from streams.normalize.formats.ninjs import NinjsError, parse_ninjs
from streams.normalize.formats.reuters21578 import parse_reuters21578
from streams.normalize.formats.text import parse_text
from streams.normalize.vocab import REUTERS_WORD_RE, WIRE_DISPLAY

#: Accept stories credited to these agencies (lower case). ``None`` accepts any credit.
DEFAULT_CREDITS: frozenset[str] = frozenset({"reuters"})
#: Inputs larger than this (UTF-8 bytes) are refused before any parsing.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class Normalizer:
    """Turns envelopes into articles. Holds only configuration: what one input becomes depends on that input
    alone (the chrome learned across stories is applied later, in the pipeline's decide step)."""

    def __init__(
        self,
        credits: frozenset[str] | None = DEFAULT_CREDITS,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.credits = frozenset(c.lower() for c in credits) if credits is not None else None
        self.max_bytes = max_bytes
        self._credit_res = (
            [(c, re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE)) for c in sorted(self.credits)]
            if self.credits is not None
            else []
        )

    # -- entry point -------------------------------------------------------------------------------
    def normalize(self, envelope: Envelope) -> Article | Rejection:
        """The article for this envelope, or why there is none. Never raises."""
        try:
            return self._normalize(envelope)
        except Exception as exc:  # a reader bug must not stop the stream: it becomes a dead letter
            return Rejection(Reason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])

    def _normalize(self, envelope: Envelope) -> Article | Rejection:
        """Size, encoding and format checks, then the format's reader and the article."""
        content: Any = envelope.content
        if isinstance(content, bytes | bytearray):
            if len(content) > self.max_bytes:
                return Rejection(Reason.TOO_LARGE, f"{len(content)} bytes > {self.max_bytes}")
            try:
                content = bytes(content).decode("utf-8")
            except UnicodeDecodeError as exc:
                return Rejection(Reason.INVALID_UTF8, str(exc)[:200])
        if not isinstance(content, str):
            return Rejection(Reason.MISSING_CONTENT, "content is not text")
        if len(content) > self.max_bytes or (
            len(content) * 4 > self.max_bytes and len(content.encode("utf-8", "surrogatepass")) > self.max_bytes
        ):
            return Rejection(Reason.TOO_LARGE, f"content larger than {self.max_bytes} bytes")
        if not content.strip():
            return Rejection(Reason.MISSING_CONTENT, "empty content")
        content = _clean_text(content)
        fmt = envelope.format or detect_format(content)
        if fmt not in FORMATS:
            return Rejection(Reason.UNKNOWN_FORMAT, f"format {fmt!r}")
        extracted = self._extract(fmt, content, envelope)
        if isinstance(extracted, Rejection):
            return extracted
        return self._build(extracted, envelope, fmt)

    # -- reading ---------------------------------------------------------------------------------
    def _extract(self, fmt: str, content: str, envelope: Envelope) -> Extracted | Rejection:
        """What the format's reader finds in `content`; a reader's refusal becomes a `Rejection`."""
        try:
            if fmt == "text":
                return parse_text(content)
            if fmt == "ninjs":
                return parse_ninjs(content)
            if fmt == "newsml":
                return parse_newsml(content)
            if fmt == "reuters21578":
                if content.count("<REUTERS ") > 1:
                    return Rejection(Reason.PARSE_ERROR, "several <REUTERS> stories: split the file with split_stories")
                return parse_reuters21578(content)
            parse_html = _html_reader()
            if parse_html is None:
                return Rejection(Reason.UNKNOWN_FORMAT, "the html reader is not available")
            return parse_html(content)
        except (NinjsError, NewsMLError) as exc:
            return Rejection(Reason.PARSE_ERROR, str(exc)[:500])
        except MarkupTooComplex as exc:
            return Rejection(Reason.TOO_COMPLEX, f"HTML: {exc}")

    # -- credit ----------------------------------------------------------------------------------
    def credit_of(self, ex: Extracted) -> str | None:
        """The accepted text credit ("Reuters"), or None if the story carries none we accept."""
        evidence = list(ex.credits)
        for para in ex.paragraphs[:2]:
            m = DATELINE.match(para)
            if m:
                evidence.append(m.group("org"))
        if ex.byline:
            evidence.append(ex.byline)
        for para in ex.paragraphs[:3]:  # "Reuters is withdrawing this story" credits the kill notice
            m = KILL_BODY.search(para)
            if m:
                evidence.append(m.group(0))
        if self.credits is None:
            for e in evidence:
                if REUTERS_WORD_RE.search(e):
                    return "Reuters"
            return ex.credits[0] if ex.credits else None
        for e in evidence:
            for credit, rx in self._credit_res:
                if rx.search(e) or (credit == "reuters" and REUTERS_WORD_RE.search(e)):
                    return _display(credit)
        return None

    # -- building --------------------------------------------------------------------------------
    def _build(self, ex: Extracted, envelope: Envelope, fmt: str) -> Article | Rejection:
        """The ninjs article for what a reader found, or why there is none (no story text, no accepted credit)."""
        if not ex.paragraphs:
            return Rejection(Reason.EMPTY_BODY, "no story text found")
        credit = self.credit_of(ex)
        if credit is None and self.credits is not None:
            return Rejection(Reason.NO_REUTERS_CREDIT, f"no credit from {sorted(self.credits)} found")
        text = story_text(ex)
        if text is None:
            return Rejection(Reason.EMPTY_BODY, "no story text found")
        return build_article(ex, text, envelope, fmt=fmt, credit=credit)


def _display(credit: str) -> str:
    """How an accepted credit is printed ("reuters" -> "Reuters")."""
    return WIRE_DISPLAY.get(credit, credit.title())


def _html_reader() -> Callable[[str], Extracted] | None:
    """The HTML reader, imported when first needed: where it cannot be imported (its parsers missing), the
    other formats still work and an HTML input is `unknown-format` (tests/normalize/test_normalize.py)."""
    try:
        from streams.normalize.formats.html import parse_html
    except ImportError:
        return None
    return parse_html


def _clean_text(s: str) -> str:
    """Drop NULs and lone surrogates, which no parser (or Kafka's JSON) accepts."""
    if "\x00" in s:
        s = s.replace("\x00", "")
    if not s.isascii():
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            s = s.encode("utf-8", "replace").decode("utf-8")
    return s

