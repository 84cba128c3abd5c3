"""Evidence: the story parts the tagger reads, the mentions it finds there, and the evidence records it returns."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from streams.model import Article
from streams.tag.gazetteer import Entity

#: The parts of a story, most prominent first; an entity's `rel` is the most prominent part it was found in.
PART_ORDER = ("headline", "dateline", "summary", "body", "caption")
PART_RANK = {p: i for i, p in enumerate((*PART_ORDER, "implied"))}


@dataclass(slots=True)
class Mention:
    """One surface form found in one part of the story, and the entity it stands for.

    Make one with `of`, `demonym` or `named` (keyword-only). They call the class with positional arguments on
    purpose: calling a class with keywords builds a dict each time, which made tagging some 5% slower.
    """

    kind: str  # person | organisation | place | country-adjective
    uri: str  # entity uri ("" for unknown entities until resolved)
    name: str
    part: str
    start: int
    end: int
    text: str
    method: str
    confidence: int
    country: str = ""
    literal: str = ""

    @classmethod
    def of(cls, *, entity: Entity, part: str, start: int, end: int, text: str, method: str,
           confidence: int) -> Mention:
        """A mention of a gazetteer entity."""
        return cls(entity.kind, entity.uri, entity.name, part, start, end, text, method, confidence, entity.country,
                   entity.literal)

    @classmethod
    def demonym(cls, *, code: str, text: str, part: str, start: int, end: int, confidence: int) -> Mention:
        """A country adjective ("Russian"): it counts for the country `code`."""
        return cls("country-adjective", f"urn:iso:std:3166:{code}", text, part, start, end, text, "demonym", confidence,
                   code, code)

    @classmethod
    def named(cls, *, kind: str, uri: str, text: str, part: str, start: int, end: int, method: str,
              confidence: int) -> Mention:
        """A mention of an entity the gazetteer does not know, named by rule: `text` is its name."""
        return cls(kind, uri, text, part, start, end, text, method, confidence)


class Evidence:
    """One story's evidence records, and the entities they support (one per uri, with its most prominent part)."""

    __slots__ = ("entities", "records")

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        #: uri -> output item plus `_kind` and `_conf` (the entity's confidence so far)
        self.entities: dict[str, dict[str, Any]] = {}

    def record(self, m: Mention) -> dict[str, Any]:
        """Add the evidence record of a mention and return it (callers may still add to it)."""
        ev: dict[str, Any] = {"type": m.kind, "name": m.name, "uri": m.uri, "literal": m.literal or None,
                              "part": m.part, "start": m.start, "end": m.end, "text": m.text,
                              "method": m.method, "confidence": m.confidence}
        self.records.append(ev)
        return ev

    def add_entity(self, *, kind: str, uri: str, name: str, literal: str, part: str, confidence: int) -> None:
        """Count one more mention of an entity: the first one makes it, independent ones raise its confidence."""
        cur = self.entities.get(uri)
        if cur is None:
            self.entities[uri] = {"_kind": kind, "name": name, "uri": uri, "literal": literal, "rel": part,
                                  "_conf": confidence}
            return
        if PART_RANK.get(part, 9) < PART_RANK.get(cur["rel"], 9):
            cur["rel"] = part
        # independent mentions raise confidence
        cur["_conf"] = min(99, max(cur["_conf"], confidence) + 5)

    def listed(self, kind: str, min_confidence: int) -> list[dict[str, Any]]:
        """The output items (`name`, `uri`, `literal`, `rel`) of one kind that reach `min_confidence`."""
        items = [v for v in self.entities.values() if v["_kind"] == kind and v["_conf"] >= min_confidence]
        items.sort(key=lambda v: (PART_RANK.get(v["rel"], 9), -v["_conf"], v["name"]))
        return [{k: v[k] for k in ("name", "uri", "literal", "rel") if v.get(k)} for v in items]


#: The wire's own credit in a dateline ("MOSCOW (Reuters) - ..."), at the start of the body or of any paragraph
#: (a page may print a line above the lede; a wrap-up has several datelines): it says who filed the story, not
#: what the story is about, so it is blanked (same length, spans stay valid) before tagging.
_DATELINE_CREDIT = re.compile(
    r"(?:^|\n)[^\n]{0,120}?(\((?:Reuters|Reuter|AP|AFP|dpa|Bloomberg)\))(?=\s*[-\u2013\u2014]|\s*$)", re.MULTILINE
)


def _lede_dateline(body: str) -> str | None:
    """The lede's wire dateline, when the story came without `located` (one the reader did not take apart:
    "BOSTON, Mass., march 4, Mar 4 (Reuters) -"): its city in capitals, then region and date."""
    m = _DATELINE_CREDIT.match(body)
    head = body[: m.start(1)].strip(" ,-") if m else ""
    city = head.split(",", 1)[0].lstrip("*}#|>_ ")
    return head if city[:1].isalpha() and city.isupper() and len(city) <= 40 and "\n" not in head else None


def _without_dateline_credit(body: str, located: str | None = None) -> str:
    """The text with the agency's credit in its datelines blanked; the lede's whole dateline ("MINSK, Aug 30
    (Reuters) -") when it names the story's `located` place, which is tagged from there as the dateline."""
    def blank(m: re.Match[str]) -> str:
        text = m.group(0)
        head = text[: m.start(1) - m.start(0)]
        if located and m.start(0) == 0 and head.strip().upper().startswith(located.strip().upper()):
            return " " * len(text)
        return head + " " * len(m.group(1))

    return _DATELINE_CREDIT.sub(blank, body)


def story_parts(article: Article) -> list[tuple[str, str]]:
    """The normalised story's taggable text as (part, text) pairs; never page chrome or bylines."""
    parts: list[tuple[str, str]] = []

    def add(part: str, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            parts.append((part, value))

    for h in article.get("headlines") or []:
        if isinstance(h, dict) and h.get("role", "main") == "main":
            add("headline", h.get("value"))
    for d in article.get("descriptions") or []:
        if isinstance(d, dict) and d.get("role") == "summary":
            add("summary", _without_dateline_credit(d["value"]) if isinstance(d.get("value"), str) else None)
    bodies = [b for b in article.get("bodies") or [] if isinstance(b, dict)]
    plain = [b for b in bodies if b.get("contenttype", "text/plain") == "text/plain"]
    body = plain[0].get("value") if plain else None
    located = article.get("located")
    if not (isinstance(located, str) and located.strip()):
        located = _lede_dateline(body) if isinstance(body, str) else None
    add("dateline", located)
    if isinstance(body, str):
        add("body", _without_dateline_credit(body, located if isinstance(located, str) else None))
    for a in article.get("associations") or []:
        if isinstance(a, dict):
            for d in a.get("descriptions") or []:
                if isinstance(d, dict):
                    add("caption", d.get("value"))
    return parts


def evidence_summary(evidence: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Group evidence surface texts by type (handy for logs and tests)."""
    out: dict[str, list[str]] = defaultdict(list)
    for ev in evidence:
        out[ev["type"]].append(ev["text"])
    return dict(out)
