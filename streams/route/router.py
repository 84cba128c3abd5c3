"""The route stage: which partners may have an article, in which form (pure matching + a delivery log)."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field

from streams.model import Article
from streams.route.registry import Partner


@dataclass(frozen=True, slots=True)
class Delivery:
    partner_id: str
    article: Article


@dataclass
class Router:
    """Decides deliveries. `delivery_log` (uri -> partner ids that had any version) is a Faust table on
    workers and a dict offline: updates, corrections and kills follow the story to whoever had it."""

    partners: Sequence[Partner]
    delivery_log: MutableMapping[str, list[str]] = field(default_factory=dict)

    def route(self, article: Article, decision: str) -> list[Delivery]:
        if decision in ("duplicate", "rejected"):
            return []
        uri = article["uri"]
        had = set(self.delivery_log.get(uri) or ())
        chosen: list[Partner] = []
        for partner in self.partners:
            if partner.id in had:
                chosen.append(partner)  # any later version, correction or kill goes to who had it
            elif decision != "kill" and partner.matches(article):
                chosen.append(partner)
        if not chosen:
            return []
        new_ids = sorted(had | {p.id for p in chosen})
        if new_ids != sorted(had):
            self.delivery_log[uri] = new_ids  # reassign: a table persists assignments, not mutation
        return [Delivery(p.id, p.render(article)) for p in chosen]
