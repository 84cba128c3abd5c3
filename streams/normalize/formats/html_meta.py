"""Page metadata for `formats.html`: headline, byline, dates, publisher, JSON-LD, captions, credits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from streams.normalize.formats.base import Caption
from streams.normalize.formats.html_vocab import (
    ARTICLE_TYPES,
    BYLINE_SELECTORS,
    DATELINE_RE,
    PHOTO_CREDIT_RE,
    PUBLISHED_META_KEYS,
    TITLE_SEP_RE,
    norm,
)
from streams.normalize.vocab import (
    AGENCY_IN_CREDIT,
    AGENCY_ONLY_RE,
    AGENCY_OPEN_RE,
    ANONYMOUS_BYLINE_RE,
    BY_RE,
    BYLINE_ORG_RE,
    REUTERS_CREDIT_RE,
    REUTERS_WORD_RE,
    SPLIT_AUTHORS_RE,
    STAFF_RE,
    agency_name,
)


@dataclass(slots=True)
class PageMeta:
    """Metadata found in <head> and JSON-LD before the body is touched."""

    meta: dict[str, str] = field(default_factory=dict)
    ld: list[dict[str, Any]] = field(default_factory=list)
    article_ld: dict[str, Any] | None = None


# ---------------------------------------------------------------------------------------- metadata


def read_meta(tree: LexborHTMLParser) -> PageMeta:
    out = PageMeta()
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
        value = attrs.get("content")
        if key and value and key.lower() not in out.meta:
            out.meta[key.lower()] = value
    canonical = tree.css_first('link[rel="canonical"]')
    if canonical is not None and canonical.attributes.get("href"):
        out.meta.setdefault("canonical", canonical.attributes.get("href") or "")
    for node in tree.css('script[type="application/ld+json"]'):
        raw = node.text(deep=True)
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = orjson.loads(raw.strip().rstrip(";"))
        except orjson.JSONDecodeError:
            continue
        out.ld.extend(_flatten_ld(data))
    out.article_ld = _pick_article(out.ld)
    return out


def _pick_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The JSON-LD object describing the article: an Article type, preferring one with articleBody."""
    best: dict[str, Any] | None = None
    best_rank = 0
    for obj in objects:
        types = obj.get("@type")
        names = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        lowered = {str(t).lower() for t in names}
        rank = 0
        if lowered & ARTICLE_TYPES:
            rank = 2 if "webpage" not in lowered else 1
        if "articleBody" in obj:
            rank += 2
        if rank > best_rank:
            best, best_rank = obj, rank
    return best


def _flatten_ld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten_ld(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict):
            yield from _flatten_ld(main, depth + 1)


def _ld_names(value: Any) -> list[str]:
    """Names in a JSON-LD person/organisation value: a string, an object with name, or a list."""
    if isinstance(value, str):
        return [norm(value)] if norm(value) else []
    if isinstance(value, dict):
        name = value.get("name")
        return _ld_names(name) if isinstance(name, str) else []
    if isinstance(value, list):
        names: list[str] = []
        for item in value[:20]:
            names.extend(_ld_names(item))
        return names
    return []


def find_publisher(meta: PageMeta) -> str | None:
    site = norm(meta.meta.get("og:site_name"))
    if site:
        return site
    if meta.article_ld is not None:
        names = _ld_names(meta.article_ld.get("publisher"))
        if names:
            return names[0]
    return norm(meta.meta.get("application-name") or meta.meta.get("publisher")) or None


def find_headline(meta: PageMeta, h1: str, title: str, publisher: str | None) -> str:
    og = norm(meta.meta.get("og:title") or meta.meta.get("twitter:title"))
    ld = norm(str(meta.article_ld.get("headline") or "")) if meta.article_ld else ""
    # An <h1> that agrees with og:title or <title> is the cleanest form (no " | Site" suffix).
    if h1 and 10 <= len(h1) <= 300 and (h1 in og or h1 in title or h1 == ld):
        return h1
    for cand in (og, ld, h1, title):
        if cand:
            return _strip_site(cand, publisher)
    return ""


def _strip_site(title: str, publisher: str | None) -> str:
    parts = TITLE_SEP_RE.split(title)
    if len(parts) < 2:
        return title
    if publisher:
        low = publisher.lower()
        kept = [p for p in parts if p.lower() != low and low not in p.lower()]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    longest = max(parts, key=len)
    return longest if len(longest) >= 0.6 * len(title) else title


def find_byline(tree: LexborHTMLParser, meta: PageMeta) -> tuple[str | None, tuple[str, ...]]:
    authors: list[str] = []
    if meta.article_ld is not None:
        authors.extend(_ld_names(meta.article_ld.get("author")))
    if not authors:
        for key in ("author", "article:author", "sailthru.author", "parsely-author", "dc.creator"):
            value = norm(meta.meta.get(key))
            if value and not value.startswith("http"):
                authors.extend(a for a in SPLIT_AUTHORS_RE.split(BY_RE.sub("", value)) if a)
                break
    byline_text = None
    nodes: list[LexborNode] = []
    for selector in BYLINE_SELECTORS:
        nodes = [n for n in tree.css(selector)[:12] if not _in_comments(n)][:6]  # one per author
        if nodes:
            break
    texts: list[str] = []
    for node in nodes:
        text = BY_RE.sub("", norm(re.split(r"\s[|\u00b7\u2022]\s", node.text(separator=" "))[0]))
        text = BYLINE_ORG_RE.sub("", text)
        if 2 < len(text) < 200 and not any(text in seen for seen in texts):  # nested wrappers repeat
            texts.append(text)
    if len(texts) > 1:  # "Associated Press" under the names is the credit, not another author
        texts = [t for t in texts if not AGENCY_ONLY_RE.match(t)] or texts
    if texts:
        byline_text = texts[0] if len(texts) == 1 or len(texts[0]) >= 60 else ", ".join(t for t in texts if len(t) < 60)
        if not authors and not _names_no_one(byline_text):
            authors.extend(a for a in SPLIT_AUTHORS_RE.split(byline_text) if a and len(a) < 60)
    seen: dict[str, None] = {}
    agencies: list[str] = []  # an agency or the staff as the author: the byline, not a person
    for name in authors:
        name = BY_RE.sub("", name).strip()
        if name and _names_no_one(name):
            agencies.append(name)
        elif name and not name.startswith("http") and len(name) < 80:
            seen.setdefault(name, None)
    unique = tuple(seen)
    byline = ", ".join(unique) if unique else byline_text or (agencies[0] if agencies else None)
    return (byline or None), unique


def _names_no_one(byline: str) -> bool:
    """An agency or the staff, not a person: "Reuters", "From Reuters", "Staff and agencies" (a credit, not
    an author)."""
    return bool(AGENCY_ONLY_RE.match(byline) or STAFF_RE.match(byline) or ANONYMOUS_BYLINE_RE.match(byline))


def _in_comments(node: LexborNode) -> bool:
    """Inside a form or a comment thread (a commenter's name is not the byline)."""
    parent = node.parent
    for _ in range(12):
        if parent is None:
            return False
        if parent.tag == "form":
            return True
        attrs = parent.attributes
        if "comment" in f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower():
            return True
        parent = parent.parent
    return False


def find_dates(tree: LexborHTMLParser, meta: PageMeta) -> tuple[str | None, str | None]:
    ld = meta.article_ld or {}
    published = ld.get("datePublished") or ld.get("dateCreated")
    modified = ld.get("dateModified")
    for key in PUBLISHED_META_KEYS:
        if published:
            break
        published = meta.meta.get(key)
    for key in ("article:modified_time", "og:updated_time", "datemodified", "last-modified"):
        if modified:
            break
        modified = meta.meta.get(key)
    if not published:
        node = tree.css_first("time[datetime]")
        if node is not None:
            published = node.attributes.get("datetime")
    pub = norm(str(published)) if published else None
    mod = norm(str(modified)) if modified else None
    return pub or None, mod or None


# ---------------------------------------------------------------------------------------- captions


def find_captions(body: LexborNode) -> tuple[Caption, ...]:
    captions: list[Caption] = []
    for fig in body.css("figure"):
        cap = fig.css_first("figcaption")
        if cap is None:
            continue
        credit = None
        credit_node = cap.css_first('[class*="credit"], [class*="copyright"], [class*="source"], small, cite')
        if credit_node is not None:
            credit = norm(credit_node.text(separator=" ")) or None
        text = norm(cap.text(separator=" "))
        if credit:
            text = norm(text.replace(credit, ""))
        else:
            match = PHOTO_CREDIT_RE.search(text)
            if match:
                cand = match.group("paren") or match.group("label")
                if match.group("label") or AGENCY_IN_CREDIT.search(cand):
                    credit = cand.strip()
                    text = text[: match.start()].strip()
        if credit:
            credit = re.sub(r"^(?:photo|image|picture|credit)s?\s*(?:credit)?\s*[:\-]\s*", "", credit, flags=re.I)
            credit = credit.strip("() ") or None
        if text or credit:
            captions.append(Caption(text=text, credit=credit))
        if len(captions) >= 50:
            break
    # Captions outside <figure>: CMS wrappers with "caption" and "credit" in their class names.
    for cap in body.css('[class*="caption" i]'):
        if len(captions) >= 50 or cap.css_first('[class*="caption" i]') is not None:
            continue
        if _inside(cap, ("figure", "figcaption"), 8):
            continue
        text = norm(cap.text(separator=" "))
        if not text or len(text) > 400:
            continue
        parent = cap.parent
        credit_node = parent.css_first('[class*="credit" i]') if parent is not None else None
        credit = norm(credit_node.text(separator=" ")) if credit_node is not None else None
        if credit and credit in text:
            text = norm(text.replace(credit, ""))
        captions.append(Caption(text=text, credit=credit or None))
    return tuple(captions)


def _inside(node: LexborNode, tags: tuple[str, ...], levels: int) -> bool:
    parent = node.parent
    while parent is not None and levels > 0:
        if parent.tag in tags:
            return True
        parent = parent.parent
        levels -= 1
    return False


# ------------------------------------------------------------------------------- dateline, credits


def dateline_and_credits(paragraphs: tuple[str, ...], meta: PageMeta) -> tuple[str | None, tuple[str, ...]]:
    """The dateline place and the text-credit evidence, as agency names ("Reuters", "AP").

    Evidence: an agency in the dateline ("WASHINGTON (Reuters) -") or opening the story
    ("(Reuters) -"), a closing credit line naming it ("Reuters", "Reporting by ... for Reuters"),
    and JSON-LD / <meta> author, publisher, sourceOrganization naming it. Names, not sentences,
    so that the normaliser can use the first one as the credit when it accepts any agency.
    """
    dateline = None
    credits: list[str] = []
    if paragraphs:
        for first in paragraphs[:3]:  # a slug or kicker line may precede the lede
            match = DATELINE_RE.match(first)
            if match:
                dateline = match.group("place").strip()
                if match.group("agency"):
                    credits.append(_agency_name(match.group("agency")))
                break
            match = AGENCY_OPEN_RE.match(first)
            if match:
                credits.append(_agency_name(match.group("agency")))
                break
        for para in paragraphs[-3:]:
            if REUTERS_CREDIT_RE.match(para) and REUTERS_WORD_RE.search(para):
                credits.append("Reuters")
    ld = meta.article_ld or {}
    for key in ("author", "publisher", "sourceOrganization", "creator", "copyrightHolder"):
        for name in _ld_names(ld.get(key)):
            if REUTERS_WORD_RE.search(name):
                credits.append("Reuters")
    for key in ("author", "article:author", "dc.source", "source", "original-source", "syndication-source"):
        if REUTERS_WORD_RE.search(meta.meta.get(key) or ""):
            credits.append("Reuters")
    return dateline, tuple(dict.fromkeys(credits))


def _agency_name(raw: str) -> str:
    return agency_name(norm(raw))
