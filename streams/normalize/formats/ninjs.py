"""Read an IPTC ninjs story (1.x `headline`/`body_text`, 2.x `headlines[]`/`bodies[]`) into an `Extracted`."""

from __future__ import annotations

import re
from typing import Any

import orjson

from streams.errors import InputError
from streams.normalize.formats.base import Caption, Extracted, urgency_of
from streams.normalize.formats.sanitize import clean_html, html_paragraphs

_PARA = re.compile(r"\n\s*\n|\r\n\s*\r\n")
_WS = re.compile(r"[ \t\r\f\v]+")


class NinjsError(InputError):
    """The content is not a ninjs object."""


def _s(value: Any) -> str | None:
    """A field as text: a string stripped (None when blank), a number written out; None for anything else."""
    if isinstance(value, str):
        v = value.strip()
        return v or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _list(value: Any) -> list[Any]:
    """The value when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def _pick(items: Any, role: str | None = None, contenttype: str | None = None) -> str | None:
    """The value of the first object in a ninjs array with this role (and content type)."""
    if not isinstance(items, list):
        return None
    fallback = None
    for it in items:
        if not isinstance(it, dict):
            continue
        value = _s(it.get("value"))
        if value is None:
            continue
        ct = it.get("contenttype")
        if contenttype and ct and ct != contenttype:
            continue
        if role is None or it.get("role") == role:
            return value
        if fallback is None and it.get("role") in (None, "main", "default"):
            fallback = value
    return fallback


def _names(items: Any) -> list[str]:
    """The ``name`` of each object in a ninjs array (``infosources``), those that have one."""
    if not isinstance(items, list):
        return []
    return [n for n in (_s(i.get("name")) for i in items if isinstance(i, dict)) if n]


def _text_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain-text body: split at blank lines, else (none there) at every line."""
    parts = _PARA.split(text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [p for p in (_WS.sub(" ", x).strip() for x in parts) if p]


def _captions(assoc: Any) -> list[Caption]:
    """Picture captions from ``associations`` (2.x a list, 1.x an object), credited "photographer/rights holder"."""
    items: list[Any]
    if isinstance(assoc, dict):  # ninjs 1.x: {"featureimage": {...}}
        items = list(assoc.values())
    elif isinstance(assoc, list):
        items = assoc
    else:
        return []
    out = []
    for a in items:
        if not isinstance(a, dict) or a.get("type") not in ("picture", "graphic", None):
            continue
        text = _pick(a.get("descriptions"), "caption") or _s(a.get("description_text")) or _s(a.get("headline"))
        if not text:
            continue
        by, holder = _s(a.get("by")) or _s(a.get("byline")), _s(a.get("copyrightholder"))
        credit = "/".join(x for x in (by, holder) if x) or None
        out.append(Caption(text=text, credit=credit))
    return out


def parse_ninjs(content: str) -> Extracted:
    """Parse a ninjs JSON document (an object, or a list whose first item is the story)."""
    doc = _document(content)
    body_html, paragraphs = _body(doc)
    version = _s(doc.get("version"))
    pubstatus = _s(doc.get("pubstatus"))
    authors = [_s(p.get("name")) for p in _list(doc.get("people")) if isinstance(p, dict) and p.get("rel") == "author"]
    return Extracted(
        headline=_pick(doc.get("headlines"), "main") or _s(doc.get("headline")),
        standfirst=(
            _pick(doc.get("descriptions"), "summary")
            or _s(doc.get("description_text"))
            or _pick(doc.get("descriptions"), "abstract")
        ),
        byline=_s(doc.get("by")) or _s(doc.get("byline")),
        authors=tuple(a for a in authors if a),
        dateline=_s(doc.get("located")),
        published=_s(doc.get("firstcreated")) or _s(doc.get("contentcreated")),
        modified=_s(doc.get("versioncreated")),
        paragraphs=tuple(paragraphs),
        body_html=body_html,
        captions=tuple(_captions(doc.get("associations"))),
        credits=_credits(doc),
        publisher=next(
            (
                _s(i.get("name"))
                for i in _list(doc.get("infosources"))
                if isinstance(i, dict) and i.get("role") == "publisher"
            ),
            None,
        ),
        language=_s(doc.get("language")),
        source_id=_s(doc.get("uri")) or _s(doc.get("guid")),
        version=version,
        pubstatus=pubstatus if pubstatus in ("usable", "withheld", "canceled") else None,
        signals=_signals(doc, version, pubstatus),
        slug=_s(doc.get("slugline")),
        embargoed=_s(doc.get("embargoed")),
        urgency=urgency_of(doc.get("urgency")),
    )


def _document(content: str) -> dict[str, Any]:
    """The story's JSON object; NinjsError if the content is no JSON or holds no object."""
    try:
        doc = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise NinjsError(f"invalid JSON: {exc}") from None
    if isinstance(doc, list) and doc:
        doc = doc[0]
    if not isinstance(doc, dict):
        raise NinjsError("a ninjs document is a JSON object")
    return doc


def _body(doc: dict[str, Any]) -> tuple[str | None, list[str]]:
    """(sanitised HTML body, paragraphs): the paragraphs of the plain-text body (2.x ``bodies``, 1.x
    ``body_text``), else of the HTML body (``text/html`` in ``bodies``, 1.x ``body_html``)."""
    body_html_raw = _pick(doc.get("bodies"), "main", "text/html") or _s(doc.get("body_html"))
    body_text = None
    bodies = doc.get("bodies")
    if isinstance(bodies, list):
        for b in bodies:
            if isinstance(b, dict) and b.get("contenttype") in (None, "text/plain") and _s(b.get("value")):
                body_text = _s(b.get("value"))
                break
    body_text = body_text or _s(doc.get("body_text"))
    body_html = clean_html(body_html_raw) if body_html_raw else None
    if body_text:
        return body_html, _text_paragraphs(body_text)
    if body_html_raw:
        return body_html, html_paragraphs(body_html_raw)
    return body_html, []


def _credits(doc: dict[str, Any]) -> tuple[str, ...]:
    """Text-credit evidence: the rights fields (holder, credit line, notice, usage terms), then the infosources."""
    credits = []
    for field in ("copyrightholder", "creditline", "copyrightnotice", "usageterms"):
        v = _s(doc.get(field))
        if v:
            credits.append(v)
    credits.extend(_names(doc.get("infosources")))
    return tuple(credits)


def _signals(doc: dict[str, Any], version: str | None, pubstatus: str | None) -> tuple[str, ...]:
    """update (a version above 1), kill (``pubstatus`` canceled), correction (a correction genre)."""
    signals = []
    if version and version.isdigit() and int(version) > 1:
        signals.append("update")
    if pubstatus == "canceled":
        signals.append("kill")
    for g in _list(doc.get("genres")):
        if isinstance(g, dict):
            lit = (_s(g.get("literal")) or _s(g.get("name")) or "").lower()
            if lit in ("sig:correction", "correction"):
                signals.append("correction")
    return tuple(dict.fromkeys(signals))
