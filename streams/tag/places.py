"""Places: the dateline's place, and which countries a story is about (country-relevance weights and scores)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from streams.tag.evidence import Evidence, Mention
from streams.tag.gazetteer import Entity, words

_DATELINE_DATE_RE = re.compile(
    r"[,\s]*\b(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b.*$|\s+-\s*$",
    re.IGNORECASE | re.DOTALL,
)
#: US state abbreviations as written in datelines ("RICHMOND, Va.", "NORTH DIGHTON, MA."), upper-cased without dots.
US_STATE_ABBR_UPPER = frozenset(
    a.upper().replace(".", "")
    for a in words(
        """Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont Neb Nebr
        Nev N.H N.J N.M N.Y N.C N.D Okla Ore Pa R.I S.C S.D Tenn Tex Vt Va Wash W.Va Wis Wisc Wyo D.C Ia Ida Me
        AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK
        OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"""
    )
)

#: Confidence (percent of the implying mention's) that a place, organisation or person implies its country.
IMPLIED_CONFIDENCE = {"place": 80, "organisation": 60, "person": 55}


class Places:
    """The dateline's place, and the country-relevance model (see the `streams.tag.tagger` module docstring)."""

    def __init__(self, entities: dict[str, Entity], dateline: dict[str, str], alias_upper: dict[str, str]) -> None:
        self.entities = entities
        self.dateline = dateline
        self.alias_upper = alias_upper
        #: Country relevance model (tuned on Reuters-21578 files 000-011 only).
        self.part_weights = {"headline": 3.0, "dateline": 3.0, "summary": 2.0, "caption": 1.0, "lead": 1.5,
                             "body": 0.75}
        self.method_weights = {"gazetteer": 1.0, "dateline": 1.0, "dateline-region": 1.0, "demonym": 0.6,
                               "implied-by-place": 0.5, "implied-by-organisation": 0.3,
                               "implied-by-person": 0.3}
        self.country_threshold = 2.5
        self.country_min_top = 0.5

    def in_dateline(self, text: str) -> list[Mention]:
        """'TOKYO', 'RICHMOND, Va. Feb 26', 'Scarborough, Ontario', 'NEW YORK, March 3 -' -> places."""
        core = _DATELINE_DATE_RE.sub("", text).strip(" ,-\u2013\u2014").lstrip("*}#|>_ ")
        city, _, region = core.partition(",")
        city, region = city.strip(), region.strip().rstrip(".").strip()
        out: list[Mention] = []
        uri = self.dateline.get(city.upper())
        if region:
            key = region.replace(" ", "").replace(".", "").upper()
            ru = self.dateline.get(region.upper()) or self.alias_upper.get(region.upper())
            if key in US_STATE_ABBR_UPPER:
                ru = "urn:iso:std:3166:US"
            if ru:
                e = self.entities[ru]
                if uri is None or self.entities[uri].country != e.country:
                    uri = None
                    start = text.find(region)
                    out.append(Mention.of(entity=e, part="dateline", start=max(start, 0),
                                          end=max(start, 0) + len(region), text=region, method="dateline-region",
                                          confidence=90))
        if uri:
            e = self.entities[uri]
            start = max(text.find(city), 0)
            out.append(Mention.of(entity=e, part="dateline", start=start, end=start + len(city), text=city,
                                  method="dateline", confidence=95))
        return out

    def weight(self, part: str, start: int, method: str, lead: int) -> float:
        """Country-relevance weight of one mention (see the module docstring of `streams.tag.tagger`)."""
        w = self.part_weights["lead"] if part == "body" and start < lead else self.part_weights.get(part, 1.0)
        if method == "implied-by-place" and part == "dateline":
            method = "dateline"
        return w * self.method_weights.get(method, 1.0)


class CountryTally:
    """One story's country scores: countries named or meant by a demonym weigh in with their mentions, other
    entities imply theirs; `close` decides which countries the story is about."""

    __slots__ = ("entities", "evidence", "implied", "lead", "places", "scores", "weight")

    def __init__(self, places: Places, evidence: Evidence, lead: int) -> None:
        self.places = places
        self.entities = places.entities
        self.weight = places.weight
        self.evidence = evidence
        self.lead = lead
        self.scores: dict[str, float] = defaultdict(float)
        self.implied: dict[tuple[str, str], dict[str, Any]] = {}

    def demonym(self, m: Mention, ev: dict[str, Any]) -> None:
        """A country adjective: its evidence record `ev` and its entity become the country's."""
        e = self.entities[m.uri]
        ev["type"], ev["name"] = "place", e.name
        self.named(m, ev)
        self.evidence.add_entity(kind="place", uri=m.uri, name=e.name, literal=m.literal, part=m.part,
                                 confidence=m.confidence)

    def named(self, m: Mention, ev: dict[str, Any]) -> None:
        """A mention of the country itself: its weight goes into its evidence record `ev` and the score."""
        w = ev["weight"] = round(self.weight(m.part, m.start, m.method, self.lead), 2)
        self.scores[m.literal] += w

    def implied_by(self, m: Mention) -> None:
        """A place, organisation or person mention that implies its country (one evidence item per pair)."""
        country = self.entities.get(f"urn:iso:std:3166:{m.country}")
        if country is None:
            return
        kind = m.kind
        method = f"implied-by-{kind}"
        w = self.weight(m.part, m.start, method, self.lead)
        self.scores[m.country] += w
        conf = IMPLIED_CONFIDENCE[kind] * m.confidence // 100
        item = self.implied.get((m.country, m.uri))
        if item is None:
            self.implied[(m.country, m.uri)] = {
                "type": "place", "name": country.name, "uri": country.uri, "literal": m.country,
                "part": "implied", "start": m.start, "end": m.end, "text": m.text, "method": method,
                "confidence": conf, "via": m.uri, "via_part": m.part, "mentions": 1, "weight": round(w, 2)}
            self.evidence.add_entity(kind="place", uri=country.uri, name=country.name, literal=m.country,
                                     part="implied", confidence=conf)
        else:
            item["mentions"] += 1
            item["weight"] = round(item["weight"] + w, 2)

    def close(self) -> None:
        """Add the implied-country records to the evidence and give each country its confidence: 0 for one the
        story is not about."""
        self.evidence.records.extend(self.implied.values())
        places, ents = self.places, self.evidence.entities
        top = max(self.scores.values(), default=0.0)
        for code, sc in self.scores.items():
            uri = f"urn:iso:std:3166:{code}"
            if uri in ents:
                about = sc >= places.country_threshold or (sc >= top - 1e-6 and sc >= places.country_min_top)
                ents[uri]["_conf"] = int(min(99, 30 + 15 * sc)) if about else 0
