"""Tag stage: people, organisations, places (with implied countries) and IPTC Media Topic subjects.

Input is the normalised story only: headline, standfirst (`descriptions` role summary), body
text/plain, `located` (dateline) and picture captions (`associations[*].descriptions`). Author
people (`rel: "author"`) are kept as they are and never re-tagged.

Output stays ninjs 2.1-valid:

* `people` / `organisations` / `places` items carry only `name`, `uri`, `literal`, `rel`.
  `rel` is the most prominent part of the story the entity came from, one of
  ``headline``, ``dateline``, ``summary``, ``body``, ``caption`` (priority in that order), or
  ``implied`` for a country no part names but a city, region, person or organisation implies.
  Countries have `literal` = ISO 3166-1 alpha-2 and `uri` = ``urn:iso:std:3166:<CC>``; cities use
  their GeoNames URI where known; people/organisations ``urn:syndicate:person|org:<slug>``.
* `subjects` items carry `name`, `uri` (``http://cv.iptc.org/newscodes/mediatopic/<n>``), `literal`
  (``medtop:<n>``), `rel` (``direct`` for a keyword-matched topic, ``ancestor`` for its top-level
  topic), `relevance` and `confidence` (0-100).
* `places` lists the countries the story is *about*: each country mention is weighted by where it
  is (headline 3, dateline 3, summary 2, lead paragraph 1.5, later body 0.75, caption 1) and how
  (name 1.0, demonym 0.6, implied by a city/region 0.5, by a known person/organisation 0.3); a
  country is listed when its score reaches 2.5, or it is the story's top country with at least 0.5
  (weights tuned on Reuters-21578 files 000-011 only). A country merely mentioned in passing stays
  in the evidence with its weight. Cities, regions and other places are listed when mentioned.
* Per-entity confidence and every mention are in the evidence list `Tagger.tag_with_evidence`
  returns beside the article, for the decision record. One item per mention: ``type`` (person,
  organisation, place, subject), ``name``/``uri``/``literal`` of the canonical entity, ``part``,
  ``start``/``end`` (character span in that part's text), ``text`` (surface form), ``method``
  (gazetteer, dateline, dateline-region, demonym, title, first-name, name-context, org-suffix,
  acronym, acronym-of, team, surname, place-context, keyword; name-shape is evidence only, below
  the confidence floor) and ``confidence`` (0-100); country
  mentions also carry their relevance ``weight``. Countries implied by another entity are one item
  per (country, entity) with ``part: "implied"``, ``method: implied-by-place|organisation|person``,
  ``via`` (the entity's uri), ``via_part``, ``mentions`` and summed ``weight``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streams.model import Article
from streams.tag.entities import EntityRules, person_lists, resolve_surnames
from streams.tag.evidence import Evidence, Mention, evidence_summary, story_parts
from streams.tag.gazetteer import DATA, Entity, build_tables, load_first_names, upper_aliases
from streams.tag.places import CountryTally, Places
from streams.tag.scanner import Scanner
from streams.tag.subjects import Subject, SubjectRule, Subjects, load_subject_rules, load_topics

__all__ = ["Tagger", "evidence_summary", "story_parts"]


class Tagger:
    """Entity and subject tagger; build once with `Tagger.build()` and share it (it holds no per-story state)."""

    def __init__(
        self,
        *,
        entities: dict[str, Entity],
        alias: dict[str, str],
        demonyms: dict[str, str],
        dateline: dict[str, str],
        first_names: frozenset[str],
        topics: dict[str, tuple[str, str, str]],
        subject_rules: list[SubjectRule],
        dateline_only: frozenset[str] = frozenset(),
    ) -> None:
        self.entities = entities
        self.alias = alias
        self.demonyms = demonyms
        self.dateline = dateline
        self.first_names = first_names
        self.topics = topics  # code -> (label, parent, toplevel)
        alias_upper = upper_aliases(entities, alias)
        in_text = {k: v for k, v in dateline.items() if k not in dateline_only}
        self.rules = EntityRules(entities, alias, in_text, first_names)
        self.scanner = Scanner(entities, alias, alias_upper, demonyms, self.rules)
        self.places = Places(entities, dateline, alias_upper)
        self.subjects = Subjects(topics, subject_rules)
        self.lead_chars = 250
        self.min_confidence = 35

    @classmethod
    def build(cls, mediatopics: Path | None = None) -> Tagger:
        """Build the tables and automata (about a second); call once at start-up."""
        entities, alias, demonyms, dateline, dateline_only = build_tables()
        topics = load_topics(mediatopics or DATA / "mediatopics.tsv")
        return cls(entities=entities, alias=alias, demonyms=demonyms, dateline=dateline,
                   first_names=load_first_names(), topics=topics, subject_rules=load_subject_rules(),
                   dateline_only=dateline_only)

    def tag(self, article: Article) -> Article:
        """Return a NEW article with people/organisations/places/subjects added."""
        return self.tag_with_evidence(article)[0]

    def tag_with_evidence(self, article: Article) -> tuple[Article, list[dict[str, Any]]]:
        """Return (new article, evidence list: one dict per mention/inference with part, span, confidence)."""
        parts = story_parts(article)
        mentions: list[Mention] = []
        for part, text in parts:
            if part == "dateline":
                mentions.extend(self.places.in_dateline(text))
            else:
                mentions.extend(self.scanner.scan(part, text))
        person_lists(parts, mentions)
        resolve_surnames(mentions)
        subjects = self.subjects.find(parts)
        if self.subjects.is_sport(parts, subjects):
            self.rules.teams(parts, mentions)
        lead = next((len(t.split("\n\n", 1)[0]) for p, t in parts if p == "body"), 0)
        return self._assemble(article, mentions, subjects, max(lead, self.lead_chars))

    def _assemble(self, article: Article, mentions: list[Mention], subjects: dict[str, Subject],
                  lead: int = 0) -> tuple[Article, list[dict[str, Any]]]:
        """The tagged article and its evidence: every mention's record and entity, the countries the story is
        about, the subjects."""
        evidence = Evidence()
        countries = CountryTally(self.places, evidence, lead)
        people = article.get("people")
        authors = [p for p in people if isinstance(p, dict) and p.get("rel") == "author"] \
            if isinstance(people, list) else []
        author_names = {str(p.get("name") or "").lower() for p in authors}
        record, add_entity = evidence.record, evidence.add_entity
        for m in mentions:
            kind = m.kind
            if not kind or (kind == "person" and author_names and m.name.lower() in author_names):
                continue
            ev = record(m)
            if kind == "country-adjective":
                countries.demonym(m, ev)
                continue
            add_entity(kind=kind, uri=m.uri, name=m.name, literal=m.literal, part=m.part, confidence=m.confidence)
            if m.literal and kind == "place":
                countries.named(m, ev)
            elif m.country and kind in ("place", "organisation", "person"):
                countries.implied_by(m)
        countries.close()
        out = dict(article)
        for key, kind in (("people", "person"), ("organisations", "organisation"), ("places", "place")):
            tagged = evidence.listed(kind, self.min_confidence)
            if key == "people":
                tagged = authors + tagged
            if tagged:
                out[key] = tagged
            elif key in out and key != "people":
                out[key] = []
        subj = self.subjects.items(subjects, evidence.records)
        if subj:
            out["subjects"] = subj
        return out, evidence.records
