"""The route stage: which partners receive an article, in which form, and when (pure matching, a delivery log
and the held deliveries, both passed in as state)."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from streams.model import Article
from streams.route.filters import ArticleView, media_topic_parents
from streams.route.formats import render
from streams.route.registry import Partner
from streams.route.schedule import empty_queue, entry, hold_of, iso, parse_time, release, why_held


@dataclass(frozen=True, slots=True)
class Delivery:
    """One record for partner.<id>: `article` is the payload in the partner's format (a dict, or XML text)."""

    partner_id: str
    article: Any
    uri: str | None = None


@dataclass(frozen=True, slots=True)
class Held:
    """A delivery still waiting, and why (for `syndicate process`, `partners show` and the decision record):
    `reason` in words, `code` one of schedule.HOLD_REASONS, `until` the earliest time it may go (ISO, or None
    when not known)."""

    partner_id: str
    uri: str
    version: Any
    reason: str
    code: str = ""
    until: str | None = None

    def record(self) -> dict[str, Any]:
        """As the decision record lists it: {partner, reason, until}."""
        return {"partner": self.partner_id, "reason": self.code, "until": self.until}


@dataclass(frozen=True, slots=True)
class Routed:
    """What routing one article gave: deliveries now (this article, or earlier held ones released with it) and
    the partners this article is held for."""

    deliveries: list[Delivery]
    held: list[Held]


@dataclass
class Router:
    """Decides deliveries. `delivery_log` (uri -> partner ids that were given any version) and `held` (partner id
    -> its queue of waiting deliveries) are tables on workers and dicts offline: updates, corrections and kills
    follow the story to whoever had it, and a held delivery survives a restart."""

    partners: Sequence[Partner]
    delivery_log: MutableMapping[str, list[str]] = field(default_factory=dict)
    held: MutableMapping[str, Any] = field(default_factory=dict)

    def replace_partners(self, partners: Sequence[Partner]) -> None:
        """A registry change: later routing uses `partners`; a removed partner's held deliveries are dropped."""
        ids = {p.id for p in partners}
        for old in self.partners:
            if old.id not in ids and self.held.get(old.id):
                del self.held[old.id]
        self.partners = list(partners)

    def forget(self, uri: str) -> None:
        """Forget who had story `uri` (dedupe no longer remembers it, so no version of it can follow)."""
        if uri in self.delivery_log:
            del self.delivery_log[uri]

    def route(self, article: Article, decision: str, now: datetime) -> list[Delivery]:
        return self.route_all(article, decision, now).deliveries

    def route_all(self, article: Article, decision: str, now: datetime) -> Routed:
        """`route`, and which partners the article is held for (with why and until when)."""
        if decision in ("duplicate", "rejected"):
            return Routed([], [])
        uri = article["uri"]
        had = set(self.delivery_log.get(uri) or ())
        view = ArticleView(article, media_topic_parents())
        kill = decision == "kill" or article.get("pubstatus") == "canceled"
        chosen: list[Partner] = []
        for partner in self.partners:
            if kill:
                if partner.id in had:
                    chosen.append(partner)  # a kill reaches everyone who had any version, whatever the rights
            elif partner.wants(view) or (partner.id in had and partner.licensed(view)):
                chosen.append(partner)  # later versions follow the story, never past the partner's rights
        if not chosen:
            return Routed([], [])
        new_ids = sorted(had | {p.id for p in chosen})
        if new_ids != sorted(had):
            self.delivery_log[uri] = new_ids  # reassign: a table persists assignments, not mutation
        out = Routed([], [])
        for partner in chosen:
            sent, queued = self._offer(partner, article, kill, partner.id in had, now)
            out.deliveries.extend(sent)
            waiting = self._still_waiting(partner, queued, now) if queued is not None else None
            if waiting is not None:
                out.held.append(waiting)
        return out

    def _still_waiting(self, partner: Partner, seq: int, now: datetime) -> Held | None:
        """The entry `seq` of the partner's queue, if it is still there (not released at once)."""
        state = self.held.get(partner.id) or empty_queue()
        item = next((i for i in state["queue"] if i["seq"] == seq), None)
        return _held(partner, state, item, now) if item is not None else None

    def _offer(self, partner: Partner, article: Article, kill: bool, had: bool,
               now: datetime) -> tuple[list[Delivery], int | None]:
        """The deliveries that go now, and the sequence number the article was queued under (None: not queued)."""
        uri = article["uri"]
        state = self.held.get(partner.id) or empty_queue()
        queue = list(state["queue"])
        earlier = [item for item in queue if item["uri"] == uri]
        sent_before = had and (not earlier or bool(earlier[0]["sent_before"]))
        if kill:
            queue = [item for item in queue if item["uri"] != uri]  # held versions of a killed story never go
            if not sent_before:
                if earlier:
                    self._store(partner.id, {**state, "queue": queue})
                return [], None
        embargo = parse_time(article.get("embargoed"))
        not_before = embargo if (partner.embargo == "hold" and not kill and embargo and embargo > now) else None
        direct = (not queue and not_before is None and not partner.policy.paused
                  and partner.policy.rate_max is None and partner.policy.window_open(now))
        payload = render(partner, article)
        if direct:
            if earlier:
                self._store(partner.id, {**state, "queue": queue})
            return [Delivery(partner.id, payload, uri)], None
        queue.append(entry(seq=state["seq"], uri=uri, version=article.get("version"), payload=payload, kill=kill,
                           not_before=not_before, sent_before=sent_before, queued_at=now))
        released, new_state = release(partner.policy, {**state, "seq": state["seq"] + 1, "queue": queue}, now)
        self._store(partner.id, new_state)
        return [Delivery(partner.id, item["payload"], item["uri"]) for item in released], state["seq"]

    def _store(self, partner_id: str, state: dict[str, Any]) -> None:
        if state["queue"] or state.get("sent"):
            self.held[partner_id] = state
        elif partner_id in self.held:
            del self.held[partner_id]

    def tick(self, now: datetime) -> list[Delivery]:
        """Release what may go at `now` (embargoes passed, windows open, rate room, resumed partners), in order."""
        out: list[Delivery] = []
        for partner in self.partners:
            state = self.held.get(partner.id)
            if not state or not state.get("queue"):
                continue
            released, new_state = release(partner.policy, state, now)
            if released or new_state != state:
                self._store(partner.id, new_state)
            out.extend(Delivery(partner.id, item["payload"], item["uri"]) for item in released)
        return out

    def still_held(self, now: datetime) -> list[Held]:
        """Every delivery still waiting at `now`, with the reason."""
        out = []
        for partner in self.partners:
            state = self.held.get(partner.id) or empty_queue()
            for item in state["queue"]:
                out.append(_held(partner, state, item, now))
        return out


def _held(partner: Partner, state: dict[str, Any], item: dict[str, Any], now: datetime) -> Held:
    code, until = hold_of(partner.policy, state, item, now)
    return Held(partner.id, item["uri"], item.get("version"), why_held(partner.policy, state, item, now), code,
                iso(until) if until is not None else None)
