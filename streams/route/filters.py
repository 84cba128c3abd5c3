"""Subscription filters: a boolean expression over an article's subjects (with the Media Topic hierarchy), people,
organisations, places, keywords, language, urgency and length, compiled once per partner."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from streams.errors import SyndicateError
from streams.model import Article

MEDIATOPICS = Path(__file__).resolve().parents[1] / "tag" / "data" / "mediatopics.tsv"
#: The urgency a story without one counts as (IPTC's "normal" middle of 1..9).
DEFAULT_URGENCY = 5

Predicate = Callable[["ArticleView"], bool]


class FilterError(SyndicateError, ValueError):
    """A filter that the schema allows but that cannot be used; `field` is the path to fix."""

    exit_code = 2

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@lru_cache(maxsize=4)
def media_topic_parents(path: Path = MEDIATOPICS) -> dict[str, str]:
    """Media Topic code -> parent code ('' for a top-level topic), from the tagger's vocabulary table."""
    parents: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) >= 3 and cols[0].startswith("medtop:"):
            parents[cols[0]] = cols[2]
    return parents


def with_ancestors(codes: Sequence[str], parents: Mapping[str, str]) -> frozenset[str]:
    """The codes and every ancestor of each (diplomacy -> international relations -> politics)."""
    out: set[str] = set()
    for code in codes:
        seen = 0
        while code and code not in out and seen < 16:
            out.add(code)
            code = parents.get(code, "")
            seen += 1
    return frozenset(out)


def _plain_body(article: Article) -> str:
    return next((b.get("value", "") for b in article.get("bodies", ()) if b.get("contenttype") == "text/plain"), "")


class ArticleView:
    """What the filters ask of one article, computed once however many partners look at it."""

    def __init__(self, article: Article, parents: Mapping[str, str]) -> None:
        self.article = article
        self._parents = parents

    @cached_property
    def subjects(self) -> frozenset[str]:
        codes = [str(s["literal"]) for s in self.article.get("subjects", ()) if s.get("literal")]
        return with_ancestors(codes, self._parents)

    @cached_property
    def places(self) -> frozenset[str]:
        return frozenset(str(p["literal"]) for p in self.article.get("places", ())
                         if p.get("literal") and p.get("rel") != "author")

    def names(self, key: str) -> frozenset[str]:
        out: set[str] = set()
        for item in self.article.get(key, ()):
            if item.get("rel") == "author":
                continue  # a partner following a person wants stories about them, not by them
            out.update(str(item[k]).lower() for k in ("name", "uri") if item.get(k))
        return frozenset(out)

    @cached_property
    def people(self) -> frozenset[str]:
        return self.names("people")

    @cached_property
    def organisations(self) -> frozenset[str]:
        return self.names("organisations")

    @cached_property
    def text(self) -> str:
        head = " ".join(h.get("value", "") for h in self.article.get("headlines", ()))
        return f"{head}\n{_plain_body(self.article)}"

    @cached_property
    def words(self) -> int:
        for body in self.article.get("bodies", ()):
            if body.get("contenttype") == "text/plain":
                return int(body.get("wordcount") or len(str(body.get("value", "")).split()))
        return 0

    @property
    def language(self) -> str:
        return str(self.article.get("language") or "").lower()[:2]

    @property
    def urgency(self) -> int:
        value = self.article.get("urgency")
        return int(value) if isinstance(value, int) else DEFAULT_URGENCY

    @cached_property
    def credits(self) -> frozenset[str]:
        """The text credits: infosources with role source (the agency the copy is from), lower-case."""
        return frozenset(str(i["name"]).lower() for i in self.article.get("infosources", ())
                         if i.get("role") == "source" and i.get("name"))


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str]:
    """Whole words or phrases, case-insensitive; a trailing * matches any ending; spaces match any spacing."""
    parts = []
    for kw in keywords:
        prefix = kw.endswith("*")
        words = kw.rstrip("*").split()
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(body + (r"\w*" if prefix else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Compiler:
    """Turns a filter expression (schemas/partner.schema.json `$defs/filter`) into a predicate."""

    parents: Mapping[str, str]

    def compile(self, expr: Mapping[str, Any] | None, field: str = "filters") -> Predicate:
        if not expr:
            return lambda view: True
        tests = [self._term(key, value, f"{field}.{key}") for key, value in expr.items()]
        return lambda view: all(t(view) for t in tests)

    def _term(self, key: str, value: Any, field: str) -> Predicate:
        if key == "all":
            subs = [self.compile(e, f"{field}[{i}]") for i, e in enumerate(value)]
            return lambda view: all(s(view) for s in subs)
        if key == "any":
            subs = [self.compile(e, f"{field}[{i}]") for i, e in enumerate(value)]
            return lambda view: any(s(view) for s in subs)
        if key == "not":
            sub = self.compile(value, field)
            return lambda view: not sub(view)
        if key == "subjects":
            for i, code in enumerate(value):
                if code not in self.parents:
                    raise FilterError(f"{field}[{i}]", f"{code!r} is not an IPTC Media Topic")
            codes = frozenset(value)
            return lambda view: bool(codes & view.subjects)
        if key == "places":
            places = frozenset(value)
            return lambda view: bool(places & view.places)
        if key in ("people", "organisations"):
            names = frozenset(v.lower() for v in value)
            return (lambda view: bool(names & view.people)) if key == "people" else (
                lambda view: bool(names & view.organisations))
        if key == "keywords":
            pattern = keyword_pattern(value)
            return lambda view: pattern.search(view.text) is not None
        if key == "languages":
            langs = frozenset(v.lower()[:2] for v in value)
            return lambda view: view.language in langs
        if key == "urgency":
            return lambda view: view.urgency <= int(value)
        if key == "min_words":
            return lambda view: view.words >= int(value)
        raise FilterError(field, "unknown filter")  # the schema refuses it first; kept for direct callers
