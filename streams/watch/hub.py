"""The dashboard's model: what the topics said lately (records fed in by a tailer), as one JSON view and story paths.

Pure and bounded: minute buckets for the last hour, the latest stories and dead letters, and a path index
over the last `keep_paths` input ids and uris (older ones are forgotten, oldest first)."""

from __future__ import annotations

import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from streams import model
from streams.watch.view import delivery, headline, kind

MINUTES = 60  # per-minute history kept (the charts show the last 30)


@dataclass
class Minute:
    """Counts of one minute: inputs in, articles out, decisions by kind, deliveries, dead letters."""

    inputs: int = 0
    articles: int = 0
    deliveries: int = 0
    dead: int = 0
    decisions: Counter[str] = field(default_factory=Counter)


def _tags(article: dict[str, Any]) -> dict[str, list[str]]:
    def names(key: str, limit: int = 6) -> list[str]:
        out = []
        for tag in article.get(key) or ():
            if isinstance(tag, dict) and tag.get("rel") != "author":
                label = tag.get("name") or tag.get("literal")
                if label and label not in out:
                    out.append(str(label))
        return out[:limit]

    return {"people": names("people"), "organisations": names("organisations"), "places": names("places"),
            "subjects": names("subjects")}


class Hub:
    """Fed with records of our topics (`record`) and figures from the broker (`set_*`); read by the web routes
    (`view`, `path`). `version` moves on every change, so a live page knows when to redraw."""

    def __init__(self, *, keep_stories: int = 25, keep_dead: int = 10, keep_paths: int = 5000,
                 clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.version = 0
        self.minutes: OrderedDict[int, Minute] = OrderedDict()
        self.totals = Minute()
        self.dead_by_reason: Counter[str] = Counter()
        self.deliveries_by_partner: Counter[str] = Counter()
        self.stories: deque[dict[str, Any]] = deque(maxlen=keep_stories)
        self.dead: deque[dict[str, Any]] = deque(maxlen=keep_dead)
        self.articles: OrderedDict[tuple[str, Any], dict[str, Any]] = OrderedDict()  # (uri, version) -> summary
        self.paths: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()  # input id or uri -> events
        self.keep_paths = keep_paths
        self.worker_lag: dict[tuple[str, int], int] = {}
        self.partner_lag: dict[tuple[str, str], int] = {}
        self.partners: list[str] = []
        #: The live registry (partner id -> paused), once the worker's follower has told the hub: the view then
        #: lists exactly these partners (a removed one goes, an added one comes, paused ones say so).
        self.registry: dict[str, bool] | None = None
        self.health: dict[str, Any] = {"healthy": True, "detail": ""}
        self.started = clock()

    # -- fed by the tailer and the poller ----------------------------------------------------------------
    def _minute(self, at_ms: int) -> Minute:
        key = at_ms // 60_000
        if key not in self.minutes:
            self.minutes[key] = Minute()
            self.minutes = OrderedDict(sorted(self.minutes.items())[-MINUTES:])
        return self.minutes.get(key, Minute())  # a record older than the hour kept counts in totals only

    def inputs(self, count: int, at_ms: int | None = None) -> None:
        """`count` new records on wire.raw (from its end offsets)."""
        if count > 0:
            self._minute(at_ms or int(self.clock() * 1000)).inputs += count
            self.totals.inputs += count
            self.version += 1

    def record(self, logical: str, value: Any, at_ms: int) -> None:
        """One record read from `logical` (wire.decisions, wire.articles, wire.dead-letter, partner.<id>): a
        decoded JSON value, or the raw bytes of a partner record that is not JSON (NewsML-G2)."""
        what = kind(value)
        minute = self._minute(at_ms)
        if logical == model.DECISIONS and what == "decision":
            self._decision(value, at_ms, minute)
        elif logical == model.ARTICLES and what == "article":
            minute.articles += 1
            self.totals.articles += 1
            self._article(value, at_ms)
        elif logical == model.DEAD_LETTER and what == "dead-letter":
            minute.dead += 1
            self.totals.dead += 1
            self.dead_by_reason[str(value.get("reason"))] += 1
            letter = {k: value.get(k) for k in ("input_id", "stage", "reason")}
            letter["detail"] = str(value.get("detail", ""))[:200]
            letter["at"] = at_ms
            self.dead.appendleft(letter)
            self._event(str(value.get("input_id")), {"kind": "dead-letter", "at": at_ms, **letter})
        elif logical.startswith(model.PARTNER_PREFIX) and (delivered := delivery(value)) is not None:
            partner = logical.removeprefix(model.PARTNER_PREFIX)  # any format: ninjs, teaser, NewsML-G2 bytes
            minute.deliveries += 1
            self.totals.deliveries += 1
            self.deliveries_by_partner[partner] += 1
            self._event(str(delivered["uri"]), {"kind": "delivery", "at": at_ms, "partner": partner, **delivered})
        else:
            return
        self.version += 1

    def _decision(self, value: dict[str, Any], at_ms: int, minute: Minute) -> None:
        decision = str(value.get("decision"))
        minute.decisions[decision] += 1
        self.totals.decisions[decision] += 1
        uri, version = value.get("uri"), value.get("version")
        story: dict[str, Any] = {
            "input_id": value.get("input_id"), "decision": decision, "uri": uri, "version": version,
            "reason": value.get("reason"), "deliveries": list(value.get("deliveries") or ()), "at": at_ms,
            "headline": "", "tags": {},
        }
        known = self.articles.get((str(uri), str(version)))
        if known:
            story.update(headline=known["headline"], tags=known["tags"])
        self.stories.appendleft(story)
        event = {"kind": "decision", "at": at_ms, **{k: story[k] for k in (
            "input_id", "decision", "uri", "version", "reason", "deliveries")}}
        event["evidence"] = value.get("evidence")
        self._event(str(value.get("input_id")), event)
        if uri:
            self._event(str(uri), event)

    def _article(self, value: dict[str, Any], at_ms: int) -> None:
        uri, version = str(value.get("uri")), str(value.get("version"))
        summary = {"headline": headline(value), "tags": _tags(value)}
        self.articles[(uri, version)] = summary
        while len(self.articles) > self.keep_paths:
            self.articles.popitem(last=False)
        for story in self.stories:  # the decision may have come first
            if str(story["uri"]) == uri and str(story["version"]) == version and not story["headline"]:
                story.update(summary)
        self._event(uri, {"kind": "article", "at": at_ms, "uri": uri, "version": value.get("version"),
                          "pubstatus": value.get("pubstatus", "usable"), **summary})

    def _event(self, key: str, event: dict[str, Any]) -> None:
        events = self.paths.pop(key, [])
        events.append(event)
        self.paths[key] = events[-100:]
        while len(self.paths) > self.keep_paths:
            self.paths.popitem(last=False)

    def set_partners(self, partners: Iterable[tuple[str, bool]]) -> None:
        """The live registry changed: (id, paused) of each partner, in the registry's order."""
        registry = dict(partners)
        if registry != self.registry:
            self.registry = registry
            self.partners = list(registry)
            self.version += 1

    def set_worker_lag(self, lags: dict[tuple[str, int], int]) -> None:
        if lags != self.worker_lag:
            self.worker_lag = dict(lags)
            self.version += 1

    def set_partner_lag(self, lags: dict[tuple[str, str], int]) -> None:
        if lags != self.partner_lag:
            self.partner_lag = dict(lags)
            self.version += 1

    def set_health(self, healthy: bool, detail: str = "") -> None:
        if (healthy, detail) != (self.health["healthy"], self.health["detail"]):
            self.health = {"healthy": healthy, "detail": detail}
            self.version += 1

    # -- read by the web routes ---------------------------------------------------------------------------
    def view(self, minutes: int = 30) -> dict[str, Any]:
        """Everything the dashboard shows, as one JSON-able dict."""
        now = int(self.clock() * 1000) // 60_000
        series = []
        for key in range(now - minutes + 1, now + 1):
            m = self.minutes.get(key, Minute())
            series.append({"minute": key * 60_000, "in": m.inputs, "out": m.articles, "deliveries": m.deliveries,
                           "dead": m.dead, "decisions": dict(m.decisions)})
        if self.registry is not None:
            partners = sorted(self.registry)
        else:
            partners = sorted(set(self.partners) | set(self.deliveries_by_partner) | {p for p, _ in self.partner_lag})
        paused = self.registry or {}
        return {
            "version": self.version,
            "health": self.health,
            "totals": {"in": self.totals.inputs, "out": self.totals.articles, "deliveries": self.totals.deliveries,
                       "dead": self.totals.dead, "decisions": dict(self.totals.decisions)},
            "minutes": series,
            "partners": [{"id": p, "paused": paused.get(p, False),
                          "deliveries": self.deliveries_by_partner.get(p, 0),
                          "lag": [{"group": g, "lag": n} for (q, g), n in sorted(self.partner_lag.items()) if q == p]}
                         for p in partners],
            "worker_lag": [{"topic": t, "partition": p, "lag": n} for (t, p), n in sorted(self.worker_lag.items())],
            "dead_letters": {"by_reason": dict(self.dead_by_reason.most_common()), "latest": list(self.dead)},
            "stories": list(self.stories),
        }

    def path(self, query: str) -> dict[str, Any]:
        """One story's path: every decision, version, delivery and dead letter seen for an input id or a uri,
        and for the uris its inputs were decided into (so an input id shows its story's later versions)."""
        query = query.strip()
        keys = [query] if query in self.paths else [k for k in self.paths if query and query in k][:5]
        seen_keys: list[str] = []
        for key in keys:
            if key not in seen_keys:
                seen_keys.append(key)
            for event in self.paths.get(key, ()):
                uri = event.get("uri")
                if uri and str(uri) not in seen_keys and str(uri) in self.paths:
                    seen_keys.append(str(uri))
        events: list[dict[str, Any]] = []
        for key in seen_keys:
            for event in self.paths.get(key, ()):
                if event not in events:
                    events.append(event)
        events.sort(key=lambda e: (e["at"], ("decision", "article", "delivery", "dead-letter").index(e["kind"])))
        uris = sorted({str(e["uri"]) for e in events if e.get("uri")})
        return {"query": query, "found": bool(events), "keys": seen_keys, "uris": uris, "events": events}
