"""What dedupe reads from an article: its text, clock, signal, source ids and channel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import xxhash

from streams.dedupe.clock import parse_ms
from streams.dedupe.fingerprint import headline_signal
from streams.model import Article

#: altids roles whose values identify a story at its source (hashed into ``s:`` index keys).
#: Default: item-id only, the source's own id shared by a story's versions. The normaliser puts the
#: envelope id in source-id, unique per input, so indexing it would cost ~70 B per story and match only a
#: redelivered envelope (an exact duplicate anyway); pass id_roles=("item-id", "source-id") when a
#: producer puts the story's id there.
ID_ROLES = ("item-id",)

_SIGNALS = ("kill", "correction", "update")


@dataclass(frozen=True, slots=True, kw_only=True)
class Input:
    """One article as dedupe sees it."""

    headline: str
    body: str
    dateline: int  # epoch seconds: the story's own time (editorial rules), else its stream time
    stream: int  # epoch milliseconds: when the stream received it (horizon, expiry, recency)
    pubstatus: str
    signal: str | None
    source_ids: tuple[int, ...]  # 64-bit hashes of the ids that name the story at its source
    republished: bool  # an outlet's copy (publisher other than the source)
    wire_item: bool  # carries the feed's own item id: an item of a wire feed, not a page copy
    uri: str | None


def read_input(article: Article, stream: int, id_roles: tuple[str, ...] = ID_ROLES) -> Input:
    """The `Input` of `article` received at stream time `stream` (epoch ms); its dateline is `dateline_of`, else
    the stream time."""
    headline, body = _text_of(article)
    dateline = dateline_of(article)
    return Input(
        headline=headline,
        body=body,
        dateline=stream // 1000 if dateline is None else dateline,
        stream=stream,
        pubstatus=str(article.get("pubstatus") or "usable"),
        signal=_signal(article, headline),
        source_ids=_source_ids(article, id_roles),
        republished=_republished(article),
        wire_item=_has_item_id(article),
        uri=article.get("uri") if isinstance(article.get("uri"), str) else None,
    )


def dateline_of(article: Article) -> int | None:
    """The article's own time (``versioncreated``, else ``firstcreated``) in epoch seconds, however wrong; None
    when it has none. It serves editorial rules only (`editorial_gap`); the horizon is stream time."""
    ms = parse_ms(article.get("versioncreated"))
    if ms is None:
        ms = parse_ms(article.get("firstcreated"))
    return None if ms is None else ms // 1000


def editorial_gap(inp: Input, dateline: int, stream: int, horizon_ms: int) -> float:
    """Seconds between a remembered version (its `dateline`, epoch s, and `stream` time, epoch ms) and `inp`, for
    editorial rules (a changed text 18 hours later is a follow-up). The datelines say, unless their gap and the
    stream-time gap disagree by more than the horizon: then one of the two datelines cannot be right (a story
    dated 2099, or 1900), and the stream-time gap is used, so a wrong dateline cannot decide for another input."""
    by_dateline = float(inp.dateline - dateline)
    by_stream = (inp.stream - stream) / 1000
    return by_dateline if abs(by_dateline - by_stream) * 1000 <= horizon_ms else by_stream


def items(article: Article, field: str) -> list[Any]:
    """The list an article field should hold, or [] when it holds something else."""
    value = article.get(field)
    return value if isinstance(value, list) else []


def _text_of(article: Article) -> tuple[str, str]:
    headline = ""
    for h in items(article, "headlines"):
        if isinstance(h, dict) and isinstance(h.get("value"), str):
            headline = h["value"]
            if h.get("role", "main") == "main":
                break
    body = ""
    html = ""
    for b in items(article, "bodies"):
        if not isinstance(b, dict) or not isinstance(b.get("value"), str):
            continue
        if b.get("contenttype", "text/plain") == "text/plain":
            body = b["value"]
            break
        if b.get("contenttype") == "text/html" and not html:
            html = b["value"]
    if not body and html:
        body = re.sub(r"</p>|<br\s*/?>", "\n\n", html)
        body = re.sub(r"<[^>]+>", " ", body)
    return headline, body




def _signal(article: Article, headline: str) -> str | None:
    if article.get("pubstatus") == "canceled":
        return "kill"
    found: set[str] = set()
    for g in items(article, "genres"):
        if isinstance(g, dict):
            for k in ("name", "literal", "uri"):
                v = g.get(k)
                if isinstance(v, str):
                    tail = re.split(r"[:/#]", v.lower())[-1]
                    if tail in _SIGNALS:
                        found.add(tail)
    for a in items(article, "altids"):
        if isinstance(a, dict) and a.get("role") == "signal" and isinstance(a.get("value"), str):
            v = a["value"].lower()
            if v in _SIGNALS:
                found.add(v)
    hs = headline_signal(headline)
    if hs:
        found.add(hs)
    version = article.get("version")
    if not found and isinstance(version, str) and version.isdigit() and int(version) > 1:
        found.add("update")  # the source numbers its versions
    for s in _SIGNALS:
        if s in found:
            return s
    return None


def _source_ids(article: Article, roles: tuple[str, ...] = ID_ROLES) -> tuple[int, ...]:
    """Hashes of the identifiers that name the story at its source (``altids`` with a role in `roles`)."""
    out = []
    for a in items(article, "altids"):
        if isinstance(a, dict) and a.get("role") in roles and isinstance(a.get("value"), str) and a["value"]:
            out.append(xxhash.xxh3_64_intdigest(f"{a['role']}\x00{a['value']}".encode()))
    return tuple(dict.fromkeys(out))


def _has_item_id(article: Article) -> bool:
    """True when the input carries its feed's own id (``altids`` role item-id: guid, NEWID, ninjs uri)."""
    return any(
        isinstance(a, dict) and a.get("role") == "item-id" and a.get("value") for a in items(article, "altids")
    )


def _republished(article: Article) -> bool:
    """True when an outlet other than the wire published this copy (an infosource with role publisher)."""
    sources: set[str] = set()
    publishers: set[str] = set()
    for s in items(article, "infosources"):
        if isinstance(s, dict) and isinstance(s.get("name"), str):
            name = s["name"].strip().lower()
            if s.get("role") == "publisher":
                publishers.add(name)
            else:
                sources.add(name)
    return bool(publishers - sources)
