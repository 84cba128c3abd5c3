"""The normalise stage: one raw envelope in any input format becomes a ninjs 2.1 article or a typed rejection.

``Normalizer.normalize(envelope)`` dispatches on the envelope's format (or detects it), lets the
format reader produce an :class:`~streams.normalize.formats.base.Extracted`, checks the text credit and
maps the result onto the article conventions of ``notes/common.md`` (ninjs 2.1; validated by
``schemas/article.schema.json`` in the tests and by the shared ninjs 2.1/2.2 schemas through
``syndicate validate``). It never raises: bad input and internal failures come back as
``Rejection``.

Where the dedupe stage finds the signals (ninjs 2.1 has no ``signals`` field and forbids extra
top-level fields, so existing ninjs fields carry them):

* kill: ``pubstatus == "canceled"`` (the ninjs / NewsML-G2 way of withdrawing an item);
* correction: a ``genres`` entry ``{"name": "Correction", "literal": "sig:correction",
  "uri": "http://cv.iptc.org/newscodes/signal/correction"}``;
* update: a ``genres`` entry ``{"name": "Update", "literal": "sig:update",
  "uri": "http://cv.iptc.org/newscodes/signal/update"}``; also ``version`` > "1" when the source
  numbers its versions.

The codes are IPTC's NewsML-G2 signal NewsCodes (``sig:``), so a consumer that knows NewsML reads
them as meant. Wire prefixes that carried them ("UPDATE 1-", "CORRECTED-", "REFILE-", "(RPT)")
are removed from the headline; editorial notes such as "(Corrects paragraph 3)" move from the
body to ``ednote``. The input's own id (``Envelope.id``) is kept in ``altids`` with role
``source-id``; an id the source itself gives (guid, NEWID, ninjs uri) with role ``item-id``.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import xxhash

from streams.model import FORMATS, Article, Envelope, Reason, Rejection
from streams.normalize.dates import parse_date, to_iso_z
from streams.normalize.formats.base import Caption, Extracted
from streams.normalize.formats.detect import detect_format
from streams.normalize.formats.markup_limits import MarkupTooComplex
from streams.normalize.formats.newsml import NewsMLError, parse_newsml
from streams.normalize.formats.ninjs import NinjsError, parse_ninjs
from streams.normalize.formats.reuters21578 import parse_reuters21578
from streams.normalize.formats.sanitize import clean_html
from streams.normalize.formats.text import parse_text
from streams.normalize.vocab import PHOTO_HOLDERS, REUTERS_WORD_RE, WIRE_DISPLAY, agency_name

#: Accept stories credited to these agencies (lower case). ``None`` accepts any credit.
DEFAULT_CREDITS: frozenset[str] = frozenset({"reuters"})
#: Inputs larger than this (UTF-8 bytes) are refused before any parsing.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
URI_PREFIX = "urn:syndicate:story:"
PICTURE_URI_PREFIX = "urn:syndicate:picture:"

SIGNAL_GENRES: dict[str, dict[str, str]] = {
    "correction": {
        "name": "Correction",
        "uri": "http://cv.iptc.org/newscodes/signal/correction",
        "literal": "sig:correction",
    },
    "update": {
        "name": "Update",
        "uri": "http://cv.iptc.org/newscodes/signal/update",
        "literal": "sig:update",
    },
}

#: Wire prefixes on headlines, upper case as the wire writes them ("UPDATE 2-", "(CORRECTED) -").
_PREFIX = re.compile(
    r"^\s*\(?\s*(?P<p>REFILE|RPT|REPEAT|CORRECTED|CORRECTION|UPDATE(?:\s*\d+)?|WRAPUP(?:\s*\d+)?|"
    r"KILL|WITHDRAWN|ADVISORY|RECASTS?)\s*\)?\s*(?:[-–—:]\s*|(?<=\))\s+)"
)
_KILL_BODY = re.compile(
    r"\b(?:Reuters is withdrawing this story|this story has been withdrawn|(?:story|item) (?:is )?withdrawn|"
    r"please (?:kill|delete|withdraw) (?:this|the) (?:story|item))\b",
    re.IGNORECASE,
)
_EDNOTE = re.compile(
    r"^\((?P<verb>corrects?|updates?|adds?|recasts?|refiles?|repeats?|changes?|fixes?)\b[^()]{0,300}\)\.?$",
    re.IGNORECASE,
)
#: A wire dateline: "MOSCOW (Reuters) -", "SANTIAGO, March 10 (Reuters) -", "MAKASSAR, Indonesia, June 14
#: (Reuters) -", or a date alone for stories filed without a place ("April 23 (Reuters) -").
_DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Za-z .'’-]{1,40}?)(?:,\s*[\w .]{2,30}?){0,2}|[A-Z][a-z]{2,8}\.?\s+\d{1,2})"
    r"\s*\((?P<org>[A-Za-z]+)\)\s*[-–—]"
)
_WS = re.compile(r"\s+")
#: Function words that make up roughly a third of running English text.
_EN_STOP = frozenset(
    {
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "that",
        "is",
        "was",
        "for",
        "on",
        "with",
        "he",
        "it",
        "as",
        "at",
        "by",
        "said",
        "have",
        "from",
        "be",
        "has",
        "his",
        "are",
        "its",
        "were",
        "not",
        "but",
        "which",
        "this",
        "they",
        "an",
        "had",
        "will",
        "would",
        "their",
        "been",
        "who",
        "after",
    }
)


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
        except Exception as exc:  # a reader bug must not crash the agent: it becomes data
            return Rejection(Reason.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}"[:500])

    def _normalize(self, envelope: Envelope) -> Article | Rejection:
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
            m = _DATELINE.match(para)
            if m:
                evidence.append(m.group("org"))
        if ex.byline:
            evidence.append(ex.byline)
        for para in ex.paragraphs[:3]:  # "Reuters is withdrawing this story" credits the kill notice
            m = _KILL_BODY.search(para)
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
        if not ex.paragraphs:
            return Rejection(Reason.EMPTY_BODY, "no story text found")
        credit = self.credit_of(ex)
        if credit is None and self.credits is not None:
            return Rejection(Reason.NO_REUTERS_CREDIT, f"no credit from {sorted(self.credits)} found")

        signals = list(ex.signals)
        headline = ex.headline
        if headline:
            headline, found = _strip_prefixes(headline)
            signals.extend(found)
        paragraphs, ednotes = [], []
        for p in ex.paragraphs:
            m = _EDNOTE.match(p)
            if m:
                ednotes.append(p)
                verb = m.group("verb").lower()
                signals.append("correction" if verb.startswith(("correct", "fix")) else "update")
            else:
                paragraphs.append(p)
        if any(_KILL_BODY.search(p) for p in paragraphs[:3]) or (headline and _KILL_BODY.search(headline)):
            signals.append("kill")
        if not paragraphs:
            return Rejection(Reason.EMPTY_BODY, "no story text found")
        if not headline:
            words = paragraphs[0].split()
            headline = " ".join(words[:14]) + ("…" if len(words) > 14 else "")

        body_text = "\n\n".join(paragraphs)
        source_id = ex.source_id
        if source_id and (":" in source_id or "/" in source_id):
            uri_key = "id:" + source_id
        elif source_id:
            uri_key = f"id:{fmt}:{source_id}"
        else:
            uri_key = "text:" + _fingerprint(headline) + "\n" + _fingerprint(body_text)
        article: Article = {
            "uri": URI_PREFIX + xxhash.xxh3_128_hexdigest(uri_key.encode("utf-8", "surrogatepass")),
            "type": "text",
            "version": _version(ex.version),
        }
        first = _date(ex.published) or _date(ex.modified) or _date(envelope.received_at)
        latest = _date(ex.modified) or first
        if first:
            article["firstcreated"] = to_iso_z(first)
        if latest:
            article["versioncreated"] = to_iso_z(latest)
        embargoed = _date(ex.embargoed)
        if embargoed:
            article["embargoed"] = to_iso_z(embargoed)
        if ex.urgency is not None:
            article["urgency"] = ex.urgency
        if "kill" in signals or ex.pubstatus == "canceled":
            article["pubstatus"] = "canceled"
        else:
            article["pubstatus"] = ex.pubstatus or "usable"
        article["language"] = ex.language or _guess_language(body_text)
        article["headlines"] = [{"role": "main", "value": headline}]
        if ex.standfirst:
            article["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": ex.standfirst}]
        html_body = clean_html(ex.body_html) if ex.body_html and not ednotes else ""
        if not html_body:
            html_body = paragraphs_html(paragraphs)
        article["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/plain",
                "value": body_text,
                "charcount": len(body_text),
                "wordcount": len(body_text.split()),
            },
            {"role": "main", "contenttype": "text/html", "value": html_body},
        ]
        if ex.byline:
            article["by"] = ex.byline
        if ex.authors:
            article["people"] = [{"name": a, "rel": "author"} for a in dict.fromkeys(ex.authors)]
        located = ex.dateline or _located(paragraphs)
        if located:
            article["located"] = located
        if ex.slug:
            article["slugline"] = ex.slug
        if ednotes:
            article["ednote"] = " ".join(ednotes)
        if credit:
            article["copyrightholder"] = credit
            article["copyrightnotice"] = f"Copyright {credit}"
        infosources = []
        if credit:
            infosources.append({"name": credit, "role": "source"})
        if ex.publisher and (not credit or ex.publisher.lower() != credit.lower()):
            infosources.append({"name": ex.publisher, "role": "publisher"})
        if infosources:
            article["infosources"] = infosources
        genres = [SIGNAL_GENRES[s] for s in dict.fromkeys(signals) if s in SIGNAL_GENRES]
        if genres:
            article["genres"] = [dict(g) for g in genres]
        altids = [{"role": "source-id", "value": envelope.id}]
        if source_id:
            altids.append({"role": "item-id", "value": source_id})
        article["altids"] = altids
        assoc = [_picture(i, c) for i, c in enumerate(_unique_captions(ex.captions), start=1)]
        if assoc:
            article["associations"] = assoc
        return article


def paragraphs_html(paragraphs: list[str]) -> str:
    """The HTML body of plain paragraphs: a run of two or more table rows (results, standings, earnings,
    prices) is one ``<pre>``, a row a line; every other paragraph a ``<p>``."""
    from streams.normalize.formats.text_region import is_table_row

    out: list[str] = []
    run: list[str] = []
    for p in [*paragraphs, ""]:
        if p and is_table_row(p):
            run.append(p)
            continue
        if len(run) >= 2:
            out.append("<pre>" + "\n".join(htmllib.escape(r, quote=False) for r in run) + "</pre>")
        else:
            out.extend(f"<p>{htmllib.escape(r, quote=False)}</p>" for r in run)
        run = []
        if p:
            out.append(f"<p>{htmllib.escape(p, quote=False)}</p>")
    return "".join(out)


def _display(credit: str) -> str:
    return WIRE_DISPLAY.get(credit, credit.title())


def _html_reader() -> Callable[[str], Extracted] | None:
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


def _strip_prefixes(headline: str) -> tuple[str, list[str]]:
    found: list[str] = []
    while True:
        m = _PREFIX.match(headline)
        if not m:
            break
        p = m.group("p")
        if p.startswith("UPDATE") or p.startswith(("WRAPUP", "RECAST")):
            found.append("update")
        elif p.startswith("CORRECT"):
            found.append("correction")
        elif p in ("KILL", "WITHDRAWN"):
            found.append("kill")
        rest = headline[m.end() :]
        if not rest.strip():
            break
        headline = rest
    return headline.strip(), found


def _fingerprint(text: str) -> str:
    """Case and spacing folded: a re-send that only re-wraps or re-spaces the text hashes the same."""
    return " ".join(text.lower().split())


def _date(text: str | None) -> datetime | None:
    return parse_date(text) if text else None


_DATE_TAIL = re.compile(r",?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\s*$")


def _located(paragraphs: list[str]) -> str | None:
    """The lede's dateline place, with its region when it gives one ("CANTON, Ohio"), without the date."""
    m = _DATELINE.match(paragraphs[0]) if paragraphs else None
    if not m or not m.group("place"):
        return None
    place = _DATE_TAIL.sub("", paragraphs[0][: m.start("org") - 1]).strip(" ,")
    return place or m.group("place").strip()


def _guess_language(text: str) -> str:
    words = text[:1000].lower().split()
    if not words:
        return "und"
    hits = len(_EN_STOP.intersection(words)) and sum(map(_EN_STOP.__contains__, words))
    return "en" if hits * 10 >= len(words) else "und"


def _unique_captions(captions: tuple[Caption, ...]) -> list[Caption]:
    seen: set[str] = set()
    out = []
    for c in captions:
        if c.text not in seen:
            seen.add(c.text)
            out.append(c)
    return out


def split_photo_credit(credit: str | None) -> tuple[str | None, str | None]:
    """(photographer, rights holder) from a photo credit: "MAXIM MARMUR/AFP/Getty Images" →
    ("MAXIM MARMUR", "AFP/Getty Images"); "REUTERS/Maxim Shemetov" → ("Maxim Shemetov", "Reuters")."""
    if not credit:
        return None, None
    parts = [p.strip() for p in credit.split("/") if p.strip()]
    if len(parts) == 1:
        return None, parts[0]
    if parts[0].lower() in PHOTO_HOLDERS:
        return "/".join(parts[1:]), agency_name(parts[0])
    return parts[0], "/".join(parts[1:])


def _picture(i: int, caption: Caption) -> dict[str, Any]:
    pic: dict[str, Any] = {
        "name": f"picture-{i}",
        "uri": PICTURE_URI_PREFIX + xxhash.xxh3_128_hexdigest(caption.text.encode("utf-8", "surrogatepass")),
        "type": "picture",
        "descriptions": [{"role": "caption", "value": caption.text}],
    }
    by, holder = split_photo_credit(caption.credit)
    if by:
        pic["by"] = by
    if holder:
        pic["copyrightholder"] = holder
    return pic


def _version(found: str | None) -> str:
    """The source's version as ninjs allows it (a positive decimal without leading zeros: "007" is "7"), else "1"."""
    if found and found.isascii() and found.isdigit() and int(found) > 0:
        return str(int(found))
    return "1"
