"""Records of our topics as people read them: one compact line, or the whole record; and the `tail` filters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from lxml import etree

from streams.model import PARTNER_PREFIX


def kind(value: Any) -> str:
    """What a record is: decision, dead-letter, article (wire.articles and partner topics), or other."""
    if not isinstance(value, dict):
        return "other"
    if "decision" in value:
        return "decision"
    if "original_b64" in value:
        return "dead-letter"
    if "uri" in value and "headlines" in value:
        return "article"
    return "other"


def delivery(value: Any) -> dict[str, Any] | None:
    """uri, version and pubstatus of a record of a partner topic, whatever the partner's format: a ninjs or
    ninjs-text article, a teaser (JSON objects with `uri`), or a NewsML-G2 News Item (XML bytes); None when it
    is none of these."""
    if isinstance(value, dict):
        if not value.get("uri"):
            return None
        return {"uri": value["uri"], "version": value.get("version"), "pubstatus": value.get("pubstatus", "usable")}
    if not isinstance(value, bytes | str):
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(value.encode("utf-8") if isinstance(value, str) else value, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if etree.QName(root).localname != "newsItem" or not root.get("guid"):
        return None
    status = next((e.get("qcode", "") for e in root.iter("{*}pubStatus")), "stat:usable")
    return {"uri": root.get("guid"), "version": root.get("version"), "pubstatus": status.split(":")[-1] or "usable"}


def headline(article: dict[str, Any]) -> str:
    heads = article.get("headlines") or [{}]
    return str(heads[0].get("value", "")) if isinstance(heads[0], dict) else ""


def render(value: Any) -> str:
    """One readable line for a record of any of our topics."""
    what = kind(value)
    if what == "decision":
        line = f"{value['decision']:<10} {value.get('uri') or '-'} v{value.get('version') or '-'}"
        line += f"  {value.get('reason', '')}"
        if value.get("deliveries"):
            line += f"  -> {', '.join(value['deliveries'])}"
        held = [h for h in value.get("held") or () if isinstance(h, dict)]
        if held:
            line += "  held: " + ", ".join(
                f"{h.get('partner')} ({h.get('reason')}{' until ' + str(h['until']) if h.get('until') else ''})"
                for h in held)
        return f"[{value.get('input_id')}] {line}"
    if what == "dead-letter":
        why = f"{value.get('stage')}:{value.get('reason')} {str(value.get('detail', ''))[:120]}"
        return f"DEAD {value.get('input_id')} {why}"
    if what != "article":
        return repr(value)[:200]
    tags = [p.get("name") for p in value.get("people", []) if p.get("rel") != "author"][:4]
    tags += [p.get("literal") or p.get("name") for p in value.get("places", [])][:4]
    tags += [s.get("name") for s in value.get("subjects", [])][:3]
    status = "" if value.get("pubstatus", "usable") == "usable" else f" {value['pubstatus'].upper()}"
    return f"{value.get('uri')} v{value.get('version')}{status} | {headline(value)[:90]} | {', '.join(map(str, tags))}"


def full(value: Any) -> str:
    """The whole record, indented (`tail --full`)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()


def _tags(value: dict[str, Any], article_field: str, tag_type: str) -> list[dict[str, Any]]:
    """Tags of one type, from an article's field or from a decision's tag evidence."""
    if kind(value) == "decision":
        return [t for t in value.get("tags") or () if isinstance(t, dict) and t.get("type") == tag_type]
    return [t for t in value.get(article_field) or () if isinstance(t, dict)]


def _subject_code(code: str) -> str:
    code = code.strip().lower()
    return code if ":" in code or not code.isdigit() else f"medtop:{code}"


@dataclass(frozen=True, slots=True)
class Filter:
    """`tail` filters: every one given must hold. A record a filter cannot speak about does not match it
    (a dead letter has no partner; an article has no decision)."""

    partner: str | None = None
    subject: str | None = None
    person: str | None = None
    place: str | None = None
    decision: str | None = None

    @property
    def empty(self) -> bool:
        return not any((self.partner, self.subject, self.person, self.place, self.decision))

    def matches(self, topic: str, value: Any) -> bool:
        """`topic` is the logical name (wire.decisions, partner.<id>, ...) the record was read from."""
        if self.empty:
            return True
        if not isinstance(value, dict):
            return False
        what = kind(value)
        checks = (
            (self.partner, lambda: self._partner(topic, value, what)),
            (self.decision, lambda: what == "decision" and value.get("decision") == self.decision),
            (self.subject, lambda: self._subject(value)),
            (self.person, lambda: self._person(value)),
            (self.place, lambda: self._place(value)),
        )
        return all(check() for wanted, check in checks if wanted)

    def _partner(self, topic: str, value: dict[str, Any], what: str) -> bool:
        if what == "decision":
            return self.partner in (value.get("deliveries") or ())
        return what == "article" and topic == f"{PARTNER_PREFIX}{self.partner}"

    def _subject(self, value: dict[str, Any]) -> bool:
        code = _subject_code(self.subject or "")
        for tag in _tags(value, "subjects", "subject"):
            names = {str(tag.get(k, "")).lower() for k in ("literal", "name")}
            if code in names or str(tag.get("uri", "")).lower().endswith("/" + code.removeprefix("medtop:")):
                return True
        return False

    def _person(self, value: dict[str, Any]) -> bool:
        wanted = (self.person or "").lower()
        return any(wanted in str(t.get("name", "")).lower() for t in _tags(value, "people", "person"))

    def _place(self, value: dict[str, Any]) -> bool:
        wanted = (self.place or "").strip().upper()
        return any(_place_matches(t, wanted) for t in _tags(value, "places", "place"))


def _place_matches(tag: dict[str, Any], wanted: str) -> bool:
    return str(tag.get("literal") or "").upper() == wanted or str(tag.get("name", "")).upper() == wanted


def select(topic: str, values: Iterable[Any], wanted: Filter) -> list[Any]:
    """The values that pass `wanted` (for tests and offline use)."""
    return [v for v in values if wanted.matches(topic, v)]
