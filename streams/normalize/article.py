"""From what a reader found to the ninjs 2.1 article: headline, bodies, dates, rights, signals, ids and pictures.

`build_article` maps an :class:`~streams.normalize.formats.base.Extracted` onto the article conventions of
``notes/common.md``; `streams.normalize.normalizer` reads the input, checks the credit and calls it.

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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import xxhash

from streams.model import Article, Envelope
from streams.normalize.dates import parse_date, to_iso_z
from streams.normalize.formats.base import Caption, Extracted
from streams.normalize.formats.sanitize import clean_html
from streams.normalize.formats.text_region import is_table_row
from streams.normalize.vocab import PHOTO_HOLDERS, agency_name

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
KILL_BODY = re.compile(
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
DATELINE = re.compile(
    r"^(?:(?P<place>[A-Z][A-Za-z .'’-]{1,40}?)(?:,\s*[\w .]{2,30}?){0,2}|[A-Z][a-z]{2,8}\.?\s+\d{1,2})"
    r"\s*\((?P<org>[A-Za-z]+)\)\s*[-–—]"
)

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


def build_article(ex: Extracted, text: StoryText, envelope: Envelope, *, fmt: str, credit: str | None) -> Article:
    """The ninjs article for a story whose text `story_text` read off `ex`, credited to `credit` (None: no
    credit the settings ask for)."""
    article: Article = {
        "uri": _story_uri(ex.source_id, fmt, text),
        "type": "text",
        "version": _version(ex.version),
    }
    article.update(_times(ex, envelope))
    if ex.urgency is not None:
        article["urgency"] = ex.urgency
    if "kill" in text.signals or ex.pubstatus == "canceled":
        article["pubstatus"] = "canceled"
    else:
        article["pubstatus"] = ex.pubstatus or "usable"
    article["language"] = ex.language or _guess_language(text.body)
    article["headlines"] = [{"role": "main", "value": text.headline}]
    if ex.standfirst:
        article["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": ex.standfirst}]
    article["bodies"] = _bodies(ex, text)
    article.update(_people_and_place(ex, text))
    article.update(_rights(ex, credit))
    genres = [SIGNAL_GENRES[s] for s in dict.fromkeys(text.signals) if s in SIGNAL_GENRES]
    if genres:
        article["genres"] = [dict(g) for g in genres]
    altids = [{"role": "source-id", "value": envelope.id}]
    if ex.source_id:
        altids.append({"role": "item-id", "value": ex.source_id})
    article["altids"] = altids
    assoc = [_picture(i, c) for i, c in enumerate(_unique_captions(ex.captions), start=1)]
    if assoc:
        article["associations"] = assoc
    return article


@dataclass(frozen=True, slots=True)
class StoryText:
    """A story's text with the wire's furniture read off it: the headline without its wire prefixes, the body
    paragraphs without the editorial notes, and the signals both carried (the reader's own first)."""

    headline: str
    paragraphs: list[str]
    body: str  # the plain-text body: the paragraphs, a blank line between two
    ednotes: list[str]
    signals: list[str]


def story_text(ex: Extracted) -> StoryText | None:
    """The headline, paragraphs, editorial notes and signals of `ex`; None when only notes are left."""
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
    if any(KILL_BODY.search(p) for p in paragraphs[:3]) or (headline and KILL_BODY.search(headline)):
        signals.append("kill")
    if not paragraphs:
        return None
    if not headline:
        words = paragraphs[0].split()
        headline = " ".join(words[:14]) + ("…" if len(words) > 14 else "")
    return StoryText(headline, paragraphs, "\n\n".join(paragraphs), ednotes, signals)


def _story_uri(source_id: str | None, fmt: str, text: StoryText) -> str:
    """The story's uri: from the id the source gives (qualified by the format unless it looks global), else
    from its folded headline and body."""
    if source_id and (":" in source_id or "/" in source_id):
        uri_key = "id:" + source_id
    elif source_id:
        uri_key = f"id:{fmt}:{source_id}"
    else:
        uri_key = "text:" + _fingerprint(text.headline) + "\n" + _fingerprint(text.body)
    return URI_PREFIX + xxhash.xxh3_128_hexdigest(uri_key.encode("utf-8", "surrogatepass"))


def _times(ex: Extracted, envelope: Envelope) -> Article:
    """``firstcreated``, ``versioncreated`` and ``embargoed`` in UTC, those the story (or its envelope) gives."""
    out: Article = {}
    first = _date(ex.published) or _date(ex.modified) or _date(envelope.received_at)
    latest = _date(ex.modified) or first
    if first:
        out["firstcreated"] = to_iso_z(first)
    if latest:
        out["versioncreated"] = to_iso_z(latest)
    embargoed = _date(ex.embargoed)
    if embargoed:
        out["embargoed"] = to_iso_z(embargoed)
    return out


def _bodies(ex: Extracted, text: StoryText) -> list[dict[str, Any]]:
    """The plain-text and HTML bodies. The reader's sanitised HTML is kept unless notes were taken out of the
    text (it would still print them); else the HTML is built from the paragraphs."""
    body_text = text.body
    html_body = clean_html(ex.body_html) if ex.body_html and not text.ednotes else ""
    if not html_body:
        html_body = paragraphs_html(text.paragraphs)
    return [
        {
            "role": "main",
            "contenttype": "text/plain",
            "value": body_text,
            "charcount": len(body_text),
            "wordcount": len(body_text.split()),
        },
        {"role": "main", "contenttype": "text/html", "value": html_body},
    ]


def _people_and_place(ex: Extracted, text: StoryText) -> Article:
    """``by``, ``people`` (the authors), ``located``, ``slugline`` and ``ednote``, those the story gives."""
    out: Article = {}
    if ex.byline:
        out["by"] = ex.byline
    if ex.authors:
        out["people"] = [{"name": a, "rel": "author"} for a in dict.fromkeys(ex.authors)]
    located = ex.dateline or _located(text.paragraphs)
    if located:
        out["located"] = located
    if ex.slug:
        out["slugline"] = ex.slug
    if text.ednotes:
        out["ednote"] = " ".join(text.ednotes)
    return out


def _rights(ex: Extracted, credit: str | None) -> Article:
    """``copyrightholder``, ``copyrightnotice`` and ``infosources``: the text credit, and the publisher when it
    is another."""
    out: Article = {}
    if credit:
        out["copyrightholder"] = credit
        out["copyrightnotice"] = f"Copyright {credit}"
    infosources = []
    if credit:
        infosources.append({"name": credit, "role": "source"})
    if ex.publisher and (not credit or ex.publisher.lower() != credit.lower()):
        infosources.append({"name": ex.publisher, "role": "publisher"})
    if infosources:
        out["infosources"] = infosources
    return out


def paragraphs_html(paragraphs: list[str]) -> str:
    """The HTML body of plain paragraphs: a run of two or more table rows (results, standings, earnings,
    prices) is one ``<pre>``, a row a line; every other paragraph a ``<p>``."""
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


def _strip_prefixes(headline: str) -> tuple[str, list[str]]:
    """The headline without its wire prefixes ("UPDATE 2-", "REFILE-"), and the signals they carried."""
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
    """A date as written, in UTC (None when absent or unreadable)."""
    return parse_date(text) if text else None


_DATE_TAIL = re.compile(r",?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\s*$")


def _located(paragraphs: list[str]) -> str | None:
    """The lede's dateline place, with its region when it gives one ("CANTON, Ohio"), without the date."""
    m = DATELINE.match(paragraphs[0]) if paragraphs else None
    if not m or not m.group("place"):
        return None
    place = _DATE_TAIL.sub("", paragraphs[0][: m.start("org") - 1]).strip(" ,")
    return place or m.group("place").strip()


def _guess_language(text: str) -> str:
    """"en" when English function words make up a tenth of the first 1,000 characters' words, else "und"."""
    words = text[:1000].lower().split()
    if not words:
        return "und"
    hits = len(_EN_STOP.intersection(words)) and sum(map(_EN_STOP.__contains__, words))
    return "en" if hits * 10 >= len(words) else "und"


def _unique_captions(captions: tuple[Caption, ...]) -> list[Caption]:
    """The captions, each text once (the first with it kept), in order."""
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
    """The `i`-th picture association: the caption, its photographer and rights holder from its credit."""
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
