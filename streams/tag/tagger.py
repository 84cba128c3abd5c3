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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from streams.model import Article
from streams.tag.gazetteer import Entity, build_tables, load_first_names, not_team_names, read_table, slug, words

MEDIATOPIC_URI = "http://cv.iptc.org/newscodes/mediatopic/"
DATA = Path(__file__).parent / "data"


def _subject_rules() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Topic rules of data/subject_rules.tsv (its header says how they are used): medtop code -> keywords, and the
    topics whose keywords are weak alone."""
    rules: dict[str, tuple[str, ...]] = {}
    weak: set[str] = set()
    for code, _label, flag, keywords in read_table("subject_rules", ("code", "label", "weak", "keywords")):
        rules[code] = tuple(k for k in keywords.split("|") if k)
        if flag == "yes":
            weak.add(code)
    return rules, frozenset(weak)


#: Topic rules: medtop code -> keywords (lowercase, matched on word boundaries; "*" = any suffix).
SUBJECT_RULES, WEAK_TOPICS = _subject_rules()

#: Minimum weighted score to assign a topic; weights: headline 3, summary 2, body/caption/dateline 1.
SUBJECT_THRESHOLD = 2.0
PART_WEIGHT = {"headline": 3.0, "summary": 2.0, "dateline": 1.0, "body": 1.0, "caption": 1.0}
PART_ORDER = ("headline", "dateline", "summary", "body", "caption")

#: Capitalised words that start sentences or are titles, never entity starts on their own.
STOPWORDS = words(
    """The A An In On At For But And Or If When While He She It They We I You This That These Those His Her
    Their Our Its As After Before Since Under Over With Without By From To Of Not No Yes There Here What Who
    Why How Where Which Also Some Many Most Any All Both Each Other Such Only Even Still Yet So Then Than
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July
    August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Mr Mrs Ms Dr Sir Lord Lady Dame Mr. Mrs. Ms. Dr. President Vice Prime Minister Ministers Secretary
    Chancellor Premier King Queen Prince Princess Pope Sheikh Judge Justice Senator Sen Sen. Rep Rep. Gov
    Gov. Governor General Gen Gen. Col Col. Lt Capt Captain Admiral Chairman Chief Director Spokesman
    Spokeswoman Ambassador Foreign Finance Trade Economy Defence Defense Interior Agriculture Energy Deputy
    Acting Former Officials Official Analysts Analyst Dealers Traders Reuter Sources Government
    Top Asked Speaking According Obviously However Meanwhile Last Next New Early Late First Second Third
    One Two Three Four Five Six Seven Eight Nine Ten Earlier Later Despite Although Because Though During
    Shares Share Net Shr Revs Qtr Oper Avg Mths Year Note Notes Total Loss Profit Sales Results Group
    Saturday's Sunday's Monday's Tuesday's Wednesday's Thursday's Friday's Today Tomorrow Yesterday
    Do Does Did Is Are Was Were Be Been Has Have Had Will Would Can Could Should May Might Must Let
    My Me Him Them Us Your OK Oh Well Just Now Cold War Internet Web Mass Inc Corp Co Ltd"""
)
#: Words before a name that make it a person.
TITLE_RE = re.compile(
    r"(?:\b(?:President|Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Dame|Senator|Sen|Rep|Gov|Governor|General|Gen|Col|Judge|"
    r"King|Queen|Prince|Princess|Pope|Sheikh|Chancellor|Premier|Minister|Secretary|Chairman|Ambassador|"
    r"spokesman|spokeswoman|spokesperson|minister|president|chairman|secretary|ambassador|adviser|advisor|"
    r"director|chief|leader|premier|chancellor|governor|senator|analyst|economist|coach|striker|midfielder|"
    r"defender|goalkeeper|captain|manager|champion|driver|rider|seed|holder|winger|forward|batsman|bowler|"
    r"skipper|teammate|compatriot|opponent|officer|lawyer|attorney|commander|envoy|negotiator|presenter|"
    r"executive|trader|dealer|official)\.?,?[ \t]+|\b(?:told|said|according\s+to)[ \t]+)$"
)
SAID_RE = re.compile(r"^,?\s+(?:said|says|told|added|stated|announced|scored|won|beat|who|,\s+\d+,)\b")
ORG_SUFFIXES = words(
    """Corp Corporation Inc Incorporated Ltd Limited Co Company Plc PLC AG SA NV BV SpA GmbH Bank Banks Group
    Holdings Holding Industries Industry Airlines Airways Motors Motor Securities Partners Associates
    Party Association Union Council Ministry Committee Commission Agency Authority Board Bureau Federation
    Institute Fund Foundation Trust Organisation Organization Exchange University College School Club
    Front Army Movement Alliance Society Department Office Services Service Systems Technologies
    Communications Petroleum Oil Energy Electric Chemical Chemicals Steel Mining Resources Insurance
    Financial Capital Investment Investments Enterprises International Inc. Corp. Co. Ltd. Brothers
    Rovers United City Athletic Wanderers Albion County Town Hotspur Forest Villa Palace Rangers Celtic
    Parliament Assembly Congress Senate Cabinet Television Radio News Times Post Journal Press Agency
    Airport"""
)
STRONG_ORG_SUFFIXES = words(
    """City United Rovers Rangers Athletic Wanderers Albion Hotspur Orient Newsroom Desk Bureau
    Corp Corporation Inc Ltd Plc PLC AG GmbH Bank Group Holdings Industries Airlines Airways Motors
    Securities Party Association Union Council Ministry Committee Commission Agency Authority Federation
    Institute Fund Organisation Organization Exchange University Front Army Movement Alliance"""
)
ORG_HEADS = words("Bank Ministry University Council Commission Institute Federation Association Party")
ABBREV = words("Corp. Inc. Co. Ltd. Mr. Mrs. Ms. Dr. St. Gen. Jr. Sr. Bros. Gov. Sen. Rep. Col. Lt. Mt.")
CONNECTORS = words("of de du la le van von der den del da di for and al bin y & on")

_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’&\-]*\.?)"
_CONNECTOR = r"(?:of|de|du|la|le|van|von|der|den|del|da|di|for|and|al|bin|y|&|on)"
#: A run of capitalised words (with connectors between them). It starts with a literal character
#: class and checks the preceding character after it, which lets the regex engine skip ahead fast.
RUN_RE = re.compile(
    rf"[A-Z](?<![\w&][A-Z])(?:\.(?:[A-Z]\.)+|[\w'’&\-]*\.?)(?:{_GAP}(?:{_CONNECTOR}{_GAP})?{_WORD})*"
)
TOKEN_RE = re.compile(r"\S+")
_DATELINE_DATE_RE = re.compile(
    r"[,\s]*\b(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b.*$|\s+-\s*$",
    re.IGNORECASE | re.DOTALL,
)
#: US state abbreviations as written in datelines ("RICHMOND, Va."), upper-cased without dots.
US_STATE_ABBR_UPPER = frozenset(
    a.upper().replace(".", "")
    for a in words(
        """Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont Neb Nebr
        Nev N.H N.J N.M N.Y N.C N.D Okla Ore Pa R.I S.C S.D Tenn Tex Vt Va Wash W.Va Wis Wisc Wyo D.C"""
    )
)


@dataclass(slots=True)
class _Mention:
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


@dataclass(slots=True)
class _Subject:
    code: str
    score: float = 0.0
    hits: list[tuple[str, str]] = field(default_factory=list)


class Tagger:
    """Entity and subject tagger; build once with `Tagger.build()` and share it (it holds no per-story state)."""

    def __init__(
        self,
        entities: dict[str, Entity],
        alias: dict[str, str],
        demonyms: dict[str, str],
        dateline: dict[str, str],
        first_names: frozenset[str],
        topics: dict[str, tuple[str, str, str]],
    ) -> None:
        self.entities = entities
        self.alias = alias
        self.alias_upper: dict[str, str] = {}
        for k, v in alias.items():
            e = entities[v]
            if (len(k) >= 4 or "." in k or e.kind == "place") and not (e.kind == "person" and " " not in k):
                self.alias_upper.setdefault(k.upper(), v)
        self.demonyms = demonyms
        self.demonyms_upper = {k.upper(): v for k, v in demonyms.items() if len(k) >= 4}
        self.dateline = dateline
        self.first_names = first_names
        #: places that never stand for a team (venues, world regions)
        self.not_teams = not_team_names()
        self.place_words = frozenset(k for k, v in alias.items() if entities[v].kind == "place")
        self.topics = topics  # code -> (label, parent, toplevel)
        # aliases with a lower-case word ("Dutch central bank") never form a capitalised run
        self.phrases = ahocorasick.Automaton()
        for k, v in alias.items():
            if not k.startswith("the ") and entities[v].kind != "place" \
                    and any(w[:1].islower() and w not in CONNECTORS for w in k.split()):
                self.phrases.add_word(k, (k, v))
        if len(self.phrases):
            self.phrases.make_automaton()
        self.max_tokens = max(len(k.split()) for k in alias)
        self.multi_first = frozenset(k.split()[0] for k in (*alias, *demonyms) if " " in k)
        #: Country relevance model (tuned on Reuters-21578 files 000-011 only).
        self.part_weights = {"headline": 3.0, "dateline": 3.0, "summary": 2.0, "caption": 1.0, "lead": 1.5,
                             "body": 0.75}
        self.method_weights = {"gazetteer": 1.0, "dateline": 1.0, "dateline-region": 1.0, "demonym": 0.6,
                               "implied-by-place": 0.5, "implied-by-organisation": 0.3,
                               "implied-by-person": 0.3}
        self.country_threshold = 2.5
        self.country_min_top = 0.5
        self.lead_chars = 250
        self.min_confidence = 35
        self.automaton = ahocorasick.Automaton()
        for code, keywords in SUBJECT_RULES.items():
            if code not in topics:
                continue
            for w in keywords:
                # keys are whole words of space-normalised text: " key " (exact) or " key" (prefix)
                key = " " + _NONWORD_RE.sub(" ", w.rstrip("*").lower()).strip() + ("" if w.endswith("*") else " ")
                prev: tuple[str, ...] = self.automaton.get(key, ("", ()))[1]
                if code not in prev:
                    self.automaton.add_word(key, (key.strip(), (*prev, code)))
        self.automaton.make_automaton()

    @classmethod
    def build(cls, mediatopics: Path | None = None) -> Tagger:
        """Build the tables and automata (about a second); call once at start-up."""
        entities, alias, demonyms, dateline = build_tables()
        topics: dict[str, tuple[str, str, str]] = {}
        path = mediatopics or DATA / "mediatopics.tsv"
        with path.open(encoding="utf-8") as f:
            next(f)
            for line in f:
                code, label, parent, top = line.rstrip("\n").split("\t")
                topics[code.removeprefix("medtop:")] = (label, parent.removeprefix("medtop:"),
                                                        top.removeprefix("medtop:"))
        return cls(entities, alias, demonyms, dateline, load_first_names(), topics)

    # ------------------------------------------------------------------ public API

    def tag(self, article: Article) -> Article:
        """Return a NEW article with people/organisations/places/subjects added."""
        return self.tag_with_evidence(article)[0]

    def tag_with_evidence(self, article: Article) -> tuple[Article, list[dict[str, Any]]]:
        """Return (new article, evidence list: one dict per mention/inference with part, span, confidence)."""
        parts = story_parts(article)
        mentions: list[_Mention] = []
        for part, text in parts:
            if part == "dateline":
                mentions.extend(self._dateline(text))
            else:
                mentions.extend(self._entities(part, text))
        self._resolve_surnames(mentions)
        subjects = self._subjects(parts)
        if self._is_sport(parts, subjects):
            self._teams(parts, mentions)
        lead = next((len(t.split("\n\n", 1)[0]) for p, t in parts if p == "body"), 0)
        return self._assemble(article, mentions, subjects, max(lead, self.lead_chars))

    # ------------------------------------------------------------------ entities

    def _dateline(self, text: str) -> list[_Mention]:
        """'TOKYO', 'RICHMOND, Va. Feb 26', 'Scarborough, Ontario', 'NEW YORK, March 3 -' -> places."""
        core = _DATELINE_DATE_RE.sub("", text).strip(" ,-\u2013\u2014")
        city, _, region = core.partition(",")
        city, region = city.strip(), region.strip().rstrip(".").strip()
        out: list[_Mention] = []
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
                    out.append(self._mk(e, "dateline", max(start, 0), max(start, 0) + len(region), region,
                                        "dateline-region", 90))
        if uri:
            e = self.entities[uri]
            start = max(text.find(city), 0)
            out.append(self._mk(e, "dateline", start, start + len(city), city, "dateline", 95))
        return out

    def _mk(self, e: Entity, part: str, start: int, end: int, text: str, method: str, conf: int) -> _Mention:
        return _Mention(e.kind, e.uri, e.name, part, start, end, text, method, conf, e.country, e.literal)

    def _entities(self, part: str, text: str) -> list[_Mention]:
        caps = _mostly_upper(text)
        out: list[_Mention] = []
        if not caps and len(self.phrases):
            for end, (key, uri) in self.phrases.iter(text):
                start = end - len(key) + 1
                if (start and text[start - 1].isalnum()) or (end + 1 < len(text) and text[end + 1].isalnum()):
                    continue
                out.append(self._mk(self.entities[uri], part, start, end + 1, key, "gazetteer", 85))
        alias, entities = self.alias, self.entities
        for run in RUN_RE.finditer(text):
            g = run.group()
            if g in STOPWORDS:
                continue
            start = run.start()
            if not caps and " " not in g and "\n" not in g and "-" not in g:
                # fast path for the common one-word run
                if g[-1] == "." and g not in ABBREV and not (len(g) == 2 or "." in g[:-1]):
                    g = g[:-1]
                if g[-2:] in ("'s", "’s"):
                    g = g[:-2]
                if g in STOPWORDS or not g:
                    continue
                uri = alias.get(g)
                if uri is not None:
                    e = entities[uri]
                    conf = 70 if e.kind == "person" else (90 if len(g) > 3 else 75)
                    out.append(self._mk(e, part, start, start + len(g), g, "gazetteer", conf))
                    continue
                code = self.demonyms.get(g)
                if code is not None:
                    out.append(_Mention("country-adjective", f"urn:iso:std:3166:{code}", g, part, start,
                                        start + len(g), g, "demonym", 60, code, code))
                    continue
                self._classify(part, text, [(g, start, start + len(g))], out, False)
                continue
            for chunk in _chunks(g, start):
                if caps:
                    self._match_caps(part, chunk, out)
                else:
                    self._match_run(part, text, chunk, out)
        return out

    def _match_caps(self, part: str, toks: list[tuple[str, int, int]], out: list[_Mention]) -> None:
        i, n = 0, len(toks)
        while i < n:
            for k in range(min(self.max_tokens, n - i), 0, -1):
                s = " ".join(t[0] for t in toks[i : i + k])
                uri = self.alias_upper.get(s)
                if uri:
                    e = self.entities[uri]
                    out.append(self._mk(e, part, toks[i][1], toks[i + k - 1][2], s, "gazetteer", 80))
                    i += k
                    break
                code = self.demonyms_upper.get(s)
                if code:
                    out.append(_Mention("country-adjective", f"urn:iso:std:3166:{code}", s, part, toks[i][1],
                                        toks[i + k - 1][2], s, "demonym", 60, code, code))
                    i += k
                    break
            else:
                i += 1

    def _match_run(self, part: str, text: str, toks: list[tuple[str, int, int]], out: list[_Mention]) -> None:
        whole = toks
        while whole and whole[0][0] in STOPWORDS and whole[0][0] not in TITLE_WORDS:
            whole = whole[1:]
        if len(whole) >= 2 and whole[-1][0] in STRONG_ORG_SUFFIXES and not any(t[0] == "and" for t in whole):
            ofs = [j for j, t in enumerate(whole) if t[0] == "of"]
            if ofs and (whole[0][0] in self.first_names or whole[0][0] in TITLE_WORDS):
                # "Lynn Reaser of Barnett Banks Inc": the person first, then the organisation
                self._match_run(part, text, whole[: ofs[0]], out)
                whole = whole[ofs[0] + 1 :]
            s = " ".join(t[0] for t in whole)
            if s not in self.alias and " ".join(t[0] for t in toks) not in self.alias:
                out.append(_Mention("organisation", f"urn:syndicate:org:{slug(s)}", s, part, whole[0][1],
                                    whole[-1][2], s, "org-suffix", 65))
                return
        i, n = 0, len(toks)
        unknown: list[tuple[str, int, int]] = []
        titled = False
        while i < n:
            tok = toks[i][0]
            if tok in CONNECTORS:
                if unknown:
                    unknown.append(toks[i])
                i += 1
                continue
            matched = False
            for k in range(min(self.max_tokens, n - i) if tok in self.multi_first else 1, 0, -1):
                if toks[i + k - 1][0] in CONNECTORS:
                    continue
                s = " ".join(t[0] for t in toks[i : i + k])
                uri = self.alias.get(s)
                if uri is None and k == 1 and "-" in s:
                    continue
                if uri:
                    e = self.entities[uri]
                    if unknown:
                        self._classify(part, text, unknown, out, titled)
                        unknown = []
                    conf = 90 if k > 1 or len(s) > 3 else 75
                    if e.kind == "person" and k == 1:
                        conf = 70
                    j = i + 1 if k > 1 and toks[i][0] in TITLE_WORDS else i
                    s = " ".join(t[0] for t in toks[j : i + k])
                    out.append(self._mk(e, part, toks[j][1], toks[i + k - 1][2], s, "gazetteer", conf))
                    i += k
                    matched = True
                    titled = False
                    break
                code = self.demonyms.get(s)
                if code:
                    if unknown:
                        self._classify(part, text, unknown, out, titled)
                        unknown = []
                    out.append(_Mention("country-adjective", f"urn:iso:std:3166:{code}", s, part, toks[i][1],
                                        toks[i + k - 1][2], s, "demonym", 60, code, code))
                    i += k
                    matched = True
                    titled = False
                    break
            if matched:
                continue
            if "-" in tok and not unknown:  # "US-Russia", "Russia-based"
                pos = toks[i][1]
                for piece in tok.split("-"):
                    uri = self.alias.get(piece)
                    code = self.demonyms.get(piece)
                    if uri and self.entities[uri].kind == "place":
                        out.append(self._mk(self.entities[uri], part, pos, pos + len(piece), piece,
                                            "gazetteer", 70))
                    elif code:
                        out.append(_Mention("country-adjective", f"urn:iso:std:3166:{code}", piece, part, pos,
                                            pos + len(piece), piece, "demonym", 55, code, code))
                    pos += len(piece) + 1
                i += 1
                continue
            if tok in STOPWORDS and not unknown:
                if tok in TITLE_WORDS:
                    titled = True
                i += 1
                continue
            unknown.append(toks[i])
            i += 1
        if unknown:
            self._classify(part, text, unknown, out, titled)

    def _classify(self, part: str, text: str, toks: list[tuple[str, int, int]], out: list[_Mention],
                  titled: bool) -> None:
        while toks and (toks[-1][0] in CONNECTORS or toks[-1][0] in STOPWORDS):
            toks = toks[:-1]
        if not toks:
            return
        words = [t[0] for t in toks]
        last_title = max((j for j, w in enumerate(words) if w in TITLE_WORDS), default=-1)
        if 0 <= last_title < len(words) - 1 and not any(w in CONNECTORS for w in words):
            toks, words, titled = toks[last_title + 1 :], words[last_title + 1 :], True
        start, end = toks[0][1], toks[-1][2]
        s = " ".join(words)
        if len(s) < 2 or _DIGIT_RE.search(s):
            return
        before = text[max(0, start - 40) : start]
        after = text[end : end + 24]
        has_conn = any(w in CONNECTORS for w in words)
        last = words[-1]
        kind, conf, method = "", 0, ""
        split = False
        if "and" in words or "&" in words:
            split = True
        elif len(words) > 1 and (last in ORG_SUFFIXES or last.rstrip(".") in ORG_SUFFIXES
                                 or (has_conn and words[0] in ORG_HEADS)):
            kind, conf, method = "organisation", 60, "org-suffix"
        elif has_conn:
            split = True
        if split:
            # "Britain and France"-style joins were handled by the gazetteer; split what is left.
            sub: list[tuple[str, int, int]] = []
            for t in [*toks, ("of", 0, 0)]:
                if t[0] in CONNECTORS:
                    if sub:
                        self._classify(part, text, sub, out, titled)
                    sub, titled = [], False
                else:
                    sub.append(t)
            return
        if kind:
            pass
        elif LOC_PREP_RE.search(before) and (uri := self.dateline.get(s.upper())) is not None \
                and words[0] not in self.first_names:
            e = self.entities[uri]
            out.append(self._mk(e, part, start, end, s, "place-context", 55))
            return
        elif titled or TITLE_RE.search(before):
            if all(w[:1].isupper() and not w.isupper() for w in words) or len(words) > 1:
                kind, conf, method = "person", 70, "title"
        elif len(words) >= 2 and (words[0] in self.first_names or _INITIAL_RE.match(words[0])) \
                and words[-1] not in self.place_words and not _ARTICLE_BEFORE_RE.search(before) \
                and not any(w in NOT_NAME_WORDS for w in words):
            kind, conf, method = "person", 60, "first-name"
        elif len(words) == 1 and 2 <= len(s) <= 5 and s.isupper() and s.isalpha() and s not in STOP_ACRONYMS:
            kind, conf, method = "organisation", 40, "acronym"
        elif _RESULT_RE.match(after) and words[0] not in self.first_names:
            kind, conf, method = "organisation", 40, "team"
        elif 2 <= len(words) <= 3 and all(w[0].isupper() and w[1:].islower() and w.isalpha() for w in words):
            if (PERSON_AFTER_RE.match(after) or _LIST_NUMBER_RE.search(before)) \
                    and words[-1] not in self.place_words and not _ARTICLE_BEFORE_RE.search(before) \
                    and not any(w in NOT_NAME_WORDS for w in words):
                kind, conf, method = "person", 50, "name-context"
            else:
                kind, conf, method = "person", 25, "name-shape"  # below min_confidence: evidence only
        elif len(words) == 1:
            kind, conf, method = "single", 0, "unknown"
        if not kind:
            return
        uri = f"urn:syndicate:{'org' if kind == 'organisation' else kind}:{slug(s)}"
        out.append(_Mention(kind, uri, s, part, start, end, s, method, conf))

    def _is_sport(self, parts: list[tuple[str, str]], subjects: dict[str, _Subject]) -> bool:
        head = next((t for p, t in parts if p == "headline"), "")
        if SPORT_HEAD_RE.match(head):
            return True
        return any(s.score >= 2 * SUBJECT_THRESHOLD for c, s in subjects.items()
                   if self.topics.get(c, ("", "", ""))[2] == "15000000")

    def _teams(self, parts: list[tuple[str, str]], mentions: list[_Mention]) -> None:
        """In sports copy a city or region used as a name (not after "in", "at"...) is a team."""
        texts = dict(parts)
        for m in mentions:
            if m.kind != "place" or m.literal or m.part not in ("body", "headline", "summary") \
                    or m.name in self.not_teams:
                continue
            before = texts.get(m.part, "")[max(0, m.start - 12) : m.start]
            if PLACE_PREP_RE.search(before):
                continue
            m.kind, m.uri, m.method, m.country = "organisation", f"urn:syndicate:org:{slug(m.text)}", "team", ""
            m.name, m.confidence = m.text, 50

    def _resolve_surnames(self, mentions: list[_Mention]) -> None:
        """Single-word mentions that are the surname of a person named in full elsewhere in the story,
        and acronyms of organisations named in full."""
        full: dict[str, _Mention] = {}
        for m in mentions:
            if m.kind == "person" and " " in m.text:
                full.setdefault(m.text.split()[-1], m)
                full.setdefault(m.name.split()[-1], m)
        for m in mentions:
            if m.kind in ("single", "person") and " " not in m.text and m.text in full:
                f = full[m.text]
                if f.uri != m.uri:
                    m.kind, m.uri, m.name, m.country = "person", f.uri, f.name, f.country
                    m.method, m.confidence = "surname", max(m.confidence, 65)
        # acronyms of organisations named in full in the story: "Nuclear Regulatory Commission (NRC)"
        initials: dict[str, _Mention] = {}
        for m in mentions:
            if m.kind == "organisation" and " " in m.name:
                initials.setdefault("".join(w[0] for w in m.name.split() if w[:1].isupper()), m)
        for m in mentions:
            if m.kind in ("organisation", "single") and m.method in ("acronym", "unknown") and m.text in initials:
                f = initials[m.text]
                m.kind, m.uri, m.name, m.country = "organisation", f.uri, f.name, f.country
                m.method, m.confidence = "acronym-of", max(m.confidence, 70)
        for m in mentions:
            if m.kind == "single":
                m.kind = ""

    # ------------------------------------------------------------------ subjects

    def _subjects(self, parts: list[tuple[str, str]]) -> dict[str, _Subject]:
        found: dict[str, _Subject] = {}
        for part, text in parts:
            low = " " + _NONWORD_RE.sub(" ", text.lower()) + " "
            if " war " in low:
                low = _NOT_WAR_RE.sub(_not_war, low)
            w = PART_WEIGHT.get(part, 1.0)
            for _end, (key, codes) in self.automaton.iter(low):
                for code in codes:
                    s = found.get(code)
                    if s is None:
                        s = found[code] = _Subject(code)
                    s.score += w
                    if len(s.hits) < 5:
                        s.hits.append((part, key))
        return found

    # ------------------------------------------------------------------ output

    def _weight(self, part: str, start: int, method: str, lead: int) -> float:
        """Country-relevance weight of one mention (see the module docstring)."""
        w = self.part_weights["lead"] if part == "body" and start < lead else self.part_weights.get(part, 1.0)
        if method == "implied-by-place" and part == "dateline":
            method = "dateline"
        return w * self.method_weights.get(method, 1.0)

    def _country_scores(self, evidence: list[dict[str, Any]], lead: int) -> dict[str, float]:
        """How much the story is about each country, from an evidence list (used for tuning)."""
        scores: dict[str, float] = defaultdict(float)
        for ev in evidence:
            lit = ev.get("literal") or ""
            if ev["type"] == "place" and len(lit) == 2:
                scores[lit] += ev.get("weight") or self._weight(ev.get("via_part", ev["part"]), ev["start"],
                                                                ev["method"], lead)
        return scores

    def _assemble(self, article: Article, mentions: list[_Mention], subjects: dict[str, _Subject],
                  lead: int = 0) -> tuple[Article, list[dict[str, Any]]]:
        evidence: list[dict[str, Any]] = []
        ents: dict[str, dict[str, Any]] = {}
        scores: dict[str, float] = defaultdict(float)
        implied: dict[tuple[str, str], dict[str, Any]] = {}
        people = article.get("people")
        authors = [p for p in people if isinstance(p, dict) and p.get("rel") == "author"] \
            if isinstance(people, list) else []
        author_names = {str(p.get("name") or "").lower() for p in authors}
        add_ent = self._add_ent
        for m in mentions:
            kind = m.kind
            if not kind or (kind == "person" and author_names and m.name.lower() in author_names):
                continue
            ev: dict[str, Any] = {"type": kind, "name": m.name, "uri": m.uri, "literal": m.literal or None,
                                  "part": m.part, "start": m.start, "end": m.end, "text": m.text,
                                  "method": m.method, "confidence": m.confidence}
            evidence.append(ev)
            if kind == "country-adjective":
                e = self.entities[m.uri]
                ev["type"], ev["name"] = "place", e.name
                w = ev["weight"] = round(self._weight(m.part, m.start, m.method, lead), 2)
                scores[m.literal] += w
                add_ent(ents, "place", m.uri, e.name, m.literal, m.part, m.confidence)
                continue
            add_ent(ents, kind, m.uri, m.name, m.literal, m.part, m.confidence)
            if m.literal and kind == "place":
                w = ev["weight"] = round(self._weight(m.part, m.start, m.method, lead), 2)
                scores[m.literal] += w
            elif m.country and kind in ("place", "organisation", "person"):
                country = self.entities.get(f"urn:iso:std:3166:{m.country}")
                if country is None:
                    continue
                method = f"implied-by-{kind}"
                w = self._weight(m.part, m.start, method, lead)
                scores[m.country] += w
                conf = {"place": 80, "organisation": 60, "person": 55}[kind] * m.confidence // 100
                item = implied.get((m.country, m.uri))
                if item is None:
                    implied[(m.country, m.uri)] = {
                        "type": "place", "name": country.name, "uri": country.uri, "literal": m.country,
                        "part": "implied", "start": m.start, "end": m.end, "text": m.text, "method": method,
                        "confidence": conf, "via": m.uri, "via_part": m.part, "mentions": 1, "weight": round(w, 2)}
                    add_ent(ents, "place", country.uri, country.name, m.country, "implied", conf)
                else:
                    item["mentions"] += 1
                    item["weight"] = round(item["weight"] + w, 2)
        evidence.extend(implied.values())
        top = max(scores.values(), default=0.0)
        for code, sc in scores.items():
            uri = f"urn:iso:std:3166:{code}"
            if uri in ents:
                about = sc >= self.country_threshold or (sc >= top - 1e-6 and sc >= self.country_min_top)
                ents[uri]["_conf"] = int(min(99, 30 + 15 * sc)) if about else 0
        out = dict(article)
        for key, kind in (("people", "person"), ("organisations", "organisation"), ("places", "place")):
            items = [v for v in ents.values() if v["_kind"] == kind and v["_conf"] >= self.min_confidence]
            items.sort(key=lambda v: (PART_RANK.get(v["rel"], 9), -v["_conf"], v["name"]))
            tagged = [{k: v[k] for k in ("name", "uri", "literal", "rel") if v.get(k)} for v in items]
            if key == "people":
                tagged = authors + tagged
            if tagged:
                out[key] = tagged
            elif key in out and key != "people":
                out[key] = []
        subj = self._subject_items(subjects, evidence)
        if subj:
            out["subjects"] = subj
        return out, evidence

    def _add_ent(self, ents: dict[str, dict[str, Any]], kind: str, uri: str, name: str, literal: str,
                 part: str, conf: int) -> None:
        cur = ents.get(uri)
        if cur is None:
            ents[uri] = {"_kind": kind, "name": name, "uri": uri, "literal": literal, "rel": part, "_conf": conf}
            return
        if PART_RANK.get(part, 9) < PART_RANK.get(cur["rel"], 9):
            cur["rel"] = part
        # independent mentions raise confidence
        cur["_conf"] = min(99, max(cur["_conf"], conf) + 5)

    def _subject_items(self, subjects: dict[str, _Subject], evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
        chosen: dict[str, tuple[int, int, str]] = {}
        for code, s in subjects.items():
            need = SUBJECT_THRESHOLD * (1.5 if code in WEAK_TOPICS else 1.0)
            if s.score < need:
                continue
            relevance = int(min(100, 30 + 10 * s.score))
            confidence = int(min(95, 40 + 8 * s.score))
            chosen[code] = (relevance, confidence, "direct")
            for part, hit in s.hits:
                evidence.append({"type": "subject", "name": self.topics[code][0], "uri": MEDIATOPIC_URI + code,
                                 "literal": f"medtop:{code}", "part": part, "text": hit, "method": "keyword",
                                 "confidence": confidence})
        for code, (rel, conf, _) in list(chosen.items()):
            top = self.topics[code][2]
            if top and top != code:
                cur = chosen.get(top)
                if cur is None or (cur[2] == "ancestor" and cur[0] < rel):
                    chosen[top] = (rel, conf, "ancestor")
        items = []
        for code, (rel, conf, how) in sorted(chosen.items(), key=lambda kv: (-kv[1][0], kv[0])):
            items.append({"name": self.topics[code][0], "uri": MEDIATOPIC_URI + code, "literal": f"medtop:{code}",
                          "rel": how, "relevance": rel, "confidence": conf})
        return items


PART_RANK = {p: i for i, p in enumerate((*PART_ORDER, "implied"))}
TITLE_WORDS = words(
    """Mr Mrs Ms Dr Sir Lord Lady Dame Mr. Mrs. Ms. Dr. President Prime Minister Secretary Chancellor Premier
    King Queen Prince Princess Pope Sheikh Judge Senator Sen Sen. Rep Rep. Gov Gov. Governor General Gen Gen.
    Col Col. Lt Capt Captain Admiral Chairman Spokesman Spokeswoman Ambassador Ministers Governor"""
)
_RESULT_RE = re.compile(r"^\s+\d+(?:\s|$)")
SPORT_HEAD_RE = re.compile(
    r"^\s*(?:SOCCER|FOOTBALL|CRICKET|TENNIS|GOLF|BASEBALL|BASKETBALL|RUGBY(?: UNION| LEAGUE)?|CYCLING|"
    r"ATHLETICS|BOXING|MOTOR RACING|MOTORCYCLING|ICE HOCKEY|NHL|NBA|NFL|HORSE RACING|SWIMMING|SKIING|"
    r"SQUASH|BADMINTON|VOLLEYBALL|HANDBALL|SAILING|ROWING|OLYMPICS|SPORT|AMERICAN FOOTBALL)\b[^\n]{0,40}? - ")
LOC_PREP_RE = re.compile(r"\b(?:in|at|near|outside|from)\s+$")
PLACE_PREP_RE = re.compile(r"(?:\b(?:in|at|near|from|to|of|for|into|outside|across|around|IN|AT)\s+|^\s*)$")
PERSON_AFTER_RE = re.compile(r"^\s*(?:\(\s*[A-Z][a-z]|,\s+(?:who|whose)\s|(?:said|says|told|scored|beat|"
                             r"won|lost|finished|added|shot|carded)\b)")
_LIST_NUMBER_RE = re.compile(r"(?:^|\n)\s*\d{1,2}\s*[.)-]?\s*$")
_ARTICLE_BEFORE_RE = re.compile(r"\b(?:the|a|an|its|their|our)\s+$", re.IGNORECASE)
#: Words that do not occur in people's names (plural offices, publications, facilities).
NOT_NAME_WORDS = words(
    """Departments Ministries Bulletin Report Survey Index Review Facility Plant Project Program Programme
    Stadium Park Street Road Avenue Square Bridge River Valley Island Islands Mountains Airport Station Coop
    Cooperative Fund Trust Center Centre Hospital University College School Museum Festival Championship
    Championships Cup League Series Open Games Tour Award Prize Act Bill Accord Treaty Agreement Plan Index"""
)
_INITIAL_RE = re.compile(r"^(?:[A-Z]\.)+$")
STOP_ACRONYMS = words(
    "GMT EST EDT CET BST AM PM TV OK ID AGM CEO CFO USD DM GDP GNP VAT NO PCT EURO CAPS NOTE ERA RBI PMI XI MO "
    "IAS BTP AIDS HIV FOB CIF YR QTR SHR NET REVS AVG LTD INC CORP CO"
)


_LOWER_RE = re.compile(r"[a-z]")
_NONWORD_RE = re.compile(r"[^a-z0-9]+")
#: Phrases in which "war" is no armed conflict; "trade war" stays a trade-dispute keyword.
_NOT_WAR_RE = re.compile(
    r" (?:cold|price|trade|tariff|currency|bidding|takeover|turf|culture) wars? | war of words "
)


def _not_war(m: re.Match[str]) -> str:
    return " tradewar " if "trade" in m.group() or "tariff" in m.group() else " "
_UPPER_RE = re.compile(r"[A-Z]")
_DIGIT_RE = re.compile(r"\d")


def _mostly_upper(text: str) -> bool:
    head = text[:200]
    if head.upper() == head:
        return head.lower() != head
    n = len(head)
    lower = n - len(_LOWER_RE.sub("", head))
    upper = n - len(_UPPER_RE.sub("", head))
    return upper > 4 * lower


def _chunks(run: str, offset: int) -> list[list[tuple[str, int, int]]]:
    """Words of a run with their offsets (possessive "'s" dropped), split where a word ends a
    sentence ("Moscow." but not "U.S.", "Corp." or an initial "H.")."""
    chunks: list[list[tuple[str, int, int]]] = []
    cur: list[tuple[str, int, int]] = []
    for m in TOKEN_RE.finditer(run):
        t = m.group()
        s = offset + m.start()
        e = s + len(t)
        if len(t) > 2 and t[-1] in "s'’" and (t[-1] != "s" or t[-2] in "'’"):
            cut = 1 if t[-1] != "s" else 2
            t, e = t[:-cut], e - cut
        if t[-1] == "." and t not in ABBREV and not (len(t) == 2 or "." in t[:-1]):
            cur.append((t[:-1], s, e - 1))
            chunks.append(cur)
            cur = []
        else:
            cur.append((t, s, e))
    if cur:
        chunks.append(cur)
    return chunks


#: The wire's own credit in a dateline ("MOSCOW (Reuters) - ..."): it says who filed the story, not what the
#: story is about, so it is blanked (same length, spans stay valid) before tagging.
_DATELINE_CREDIT = re.compile(r"^(.{0,120}?)(\((?:Reuters|Reuter|AP|AFP|dpa|Bloomberg)\))", re.DOTALL)


def _without_dateline_credit(body: str) -> str:
    m = _DATELINE_CREDIT.match(body)
    return body if m is None else body[: m.start(2)] + " " * len(m.group(2)) + body[m.end(2) :]


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
            add("summary", d.get("value"))
    add("dateline", article.get("located"))
    bodies = [b for b in article.get("bodies") or [] if isinstance(b, dict)]
    plain = [b for b in bodies if b.get("contenttype", "text/plain") == "text/plain"]
    for b in plain[:1]:
        if isinstance(b.get("value"), str):
            add("body", _without_dateline_credit(b["value"]))
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
