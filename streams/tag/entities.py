"""People and organisations: rules that name capitalised runs the gazetteer does not know; surnames, acronyms, teams."""

from __future__ import annotations

import itertools
import re

from streams.tag.evidence import Mention
from streams.tag.gazetteer import Entity, not_team_names, slug, words

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
CONNECTORS = words("of de du la le van von der den del da di for and al bin y & on")
#: Connectors that are particles of people's names ("Ludwig van Beethoven", "Vincent van Gogh").
NAME_PARTICLES = words("de du la le van von der den del da di dos das al bin ben ibn y")
TITLE_WORDS = words(
    """Mr Mrs Ms Dr Sir Lord Lady Dame Mr. Mrs. Ms. Dr. President Prime Minister Secretary Chancellor Premier
    King Queen Prince Princess Pope Sheikh Judge Senator Sen Sen. Rep Rep. Gov Gov. Governor General Gen Gen.
    Col Col. Lt Capt Captain Admiral Chairman Spokesman Spokeswoman Ambassador Ministers Governor"""
)
_RESULT_RE = re.compile(r"\s+\d+(?:\s|$)")
LOC_PREP_RE = re.compile(r"\b(?:in|at|near|outside|from)\s+$")
PLACE_PREP_RE = re.compile(r"(?:\b(?:in|at|near|from|to|of|for|into|outside|across|around)\s+|^\s*)$", re.IGNORECASE)
PERSON_AFTER_RE = re.compile(r"^\s*(?:\(\s*[A-Z][a-z]|,\s+(?:who|whose)\s|(?:said|says|told|scored|beat|"
                             r"won|lost|finished|added|shot|carded)\b)")
#: A line of results ("Oakport 1 Grimley 0") or a standings row ("Douglas 3 1 1 1 3 2 4": six figures or more,
#: never a golfer's four rounds and total): the names on it are teams, whatever their first word.
_RESULT_LINE_RE = re.compile(r"[ \t]*(?:\d{1,3}[.)]?[ \t]+)?[A-Z][^\d\n]*?[ \t]+\d{1,3}[ \t]+"
                             r"[A-Z][^\d\n]*?[ \t]+\d{1,3}\b(?![.:,]\d)")
_STANDINGS_LINE_RE = re.compile(r"[ \t]*(?:\d{1,3}[.)]?[ \t]+)?[A-Z][^\d\n]*?(?:[ \t]+\d{1,3}){6,}[ \t]*(?:\n|$)")
#: Where a team stands (`EntityRules.team_slot`): a standings row's name, or a name in a result.
STANDINGS, RESULT = 2, 1
#: What may stand before a team on such a line: nothing but a rank, or the score of the team before it.
_ROW_HEAD_RE = re.compile(r"(?:[ \t]*(?:\d{1,3}[.)]?[ \t]+)?|.*\d[ \t]+)")
#: A name paired with another by "v" / "vs" ("Oakport v Grimley", "v Oakport").
_SLOT_AFTER_RE = re.compile(r"[ \t]+(?:(\d)|vs?\.?[ \t]+[A-Z])")  # a score (group 1) or "v Grimley" after
_SLOT_NEXT = frozenset("0123456789v \t")  # the character after the space after a team
_VERSUS_BEFORE = ("v ", "vs ", "v. ", "vs. ", "v\t", "vs\t")
_VERSUS_BEFORE_RE = re.compile(r"(?:^|\s)(?:v|vs)\.?[ \t]+$")
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
_DIGIT_RE = re.compile(r"\d")
#: What a rule returns when it does not name the run: (kind, confidence, method), all empty.
_NOTHING = ("", 0, "")


class EntityRules:
    """Names what the gazetteer does not know: a capitalised run becomes a person or an organisation by its title,
    first name, suffix or context; after the scan, surnames and acronyms join the full names and, in sports copy,
    cities become teams."""

    def __init__(self, entities: dict[str, Entity], alias: dict[str, str], dateline: dict[str, str],
                 first_names: frozenset[str]) -> None:
        self.entities = entities
        self.dateline = dateline
        self.first_names = first_names
        self.place_words = frozenset(k for k, v in alias.items() if entities[v].kind == "place")
        #: places that never stand for a team (venues, world regions)
        self.not_teams = not_team_names()

    def classify(self, part: str, text: str, toks: list[tuple[str, int, int]], out: list[Mention],
                 titled: bool) -> None:
        """Name an unknown run `toks` of `text` (a person, an organisation or a place by its context) into `out`;
        `titled`: a title word came just before it."""
        while toks and (toks[-1][0] in CONNECTORS or toks[-1][0] in STOPWORDS):
            toks = toks[:-1]
        if not toks:
            return
        words = [t[0] for t in toks]
        slot = self.team_slot(text, toks[0][1], toks[-1][2])
        if slot and "and" not in words and (slot == STANDINGS or len(words) == 1 or words[0] not in self.first_names
                                            or words[-1] in ORG_SUFFIXES):
            s = " ".join(words)
            out.append(Mention.named(kind="organisation", uri=f"urn:syndicate:org:{slug(s)}", text=s, part=part,
                                     start=toks[0][1], end=toks[-1][2], method="team", confidence=50))
            return
        last_title = max((j for j, w in enumerate(words) if w in TITLE_WORDS), default=-1)
        if 0 <= last_title < len(words) - 1 and not any(w in CONNECTORS for w in words):
            toks, words, titled = toks[last_title + 1 :], words[last_title + 1 :], True
        start, end = toks[0][1], toks[-1][2]
        s = " ".join(words)
        if len(s) < 2 or _DIGIT_RE.search(s):
            return
        before = text[max(0, start - 40) : start]
        named = self._by_form(words, titled, before)
        if named is None:
            self._classify_each(part, text, toks, out, titled)
            return
        if not named[0]:
            if LOC_PREP_RE.search(before) and (uri := self.dateline.get(s.upper())) is not None \
                    and words[0] not in self.first_names:
                out.append(Mention.of(entity=self.entities[uri], part=part, start=start, end=end, text=s,
                                      method="place-context", confidence=55))
                return
            named = self._by_context(text, words, s=s, end=end, before=before, titled=titled)
        kind, conf, method = named
        if not kind:
            return
        uri = f"urn:syndicate:{'org' if kind == 'organisation' else kind}:{slug(s)}"
        out.append(Mention.named(kind=kind, uri=uri, text=s, part=part, start=start, end=end, method=method,
                                 confidence=conf))

    def _by_form(self, words: list[str], titled: bool, before: str) -> tuple[str, int, str] | None:
        """What the run's words make it by their form alone: (kind, confidence, method) for an organisation by its
        suffix or a person with name particles, `_NOTHING` when its form does not say, None for a join of names
        to split ("and", "&", or a connector between names that are no one name)."""
        if "and" in words or "&" in words:
            return None
        has_conn = any(w in CONNECTORS for w in words)
        last = words[-1]
        if len(words) > 1 and (last in ORG_SUFFIXES or last.rstrip(".") in ORG_SUFFIXES
                               or (has_conn and words[0] in ORG_HEADS)):
            return "organisation", 60, "org-suffix"
        if has_conn and all(w in NAME_PARTICLES for w in words if w in CONNECTORS) and len(words) >= 3 \
                and words[-1][:1].isupper() and words[0][:1].isupper() and words[0] not in NAME_PARTICLES \
                and not any(w in self.place_words for w in words):
            # "Vincent van Gogh", "Ana de Souza": particles inside one name
            if words[0] in self.first_names or titled or TITLE_RE.search(before):
                return "person", 60, "first-name"
            return "person", 25, "name-shape"
        if has_conn:
            return None
        return _NOTHING

    def _by_context(self, text: str, words: list[str], *, s: str, end: int, before: str,
                    titled: bool) -> tuple[str, int, str]:
        """What the run `s` (its `words`, ending at `end` of `text`, after `before`) is by the words around it and
        its shape: (kind, confidence, method), `_NOTHING` for nothing."""
        if titled or TITLE_RE.search(before):
            if all(w[:1].isupper() and not w.isupper() for w in words) or len(words) > 1:
                return "person", 70, "title"
            return _NOTHING
        if len(words) >= 2 and (words[0] in self.first_names or _INITIAL_RE.match(words[0])) \
                and words[-1] not in self.place_words and not _ARTICLE_BEFORE_RE.search(before) \
                and not any(w in NOT_NAME_WORDS for w in words):
            return "person", 60, "first-name"
        if len(words) == 1 and 2 <= len(s) <= 5 and s.isupper() and s.isalpha() and s not in STOP_ACRONYMS:
            return "organisation", 40, "acronym"
        if _RESULT_RE.match(text, end) and words[0] not in self.first_names:
            return "organisation", 40, "team"
        if 2 <= len(words) <= 3 and all(w[0].isupper() and w[1:].islower() and w.isalpha() for w in words):
            if (PERSON_AFTER_RE.match(text[end : end + 24]) or _LIST_NUMBER_RE.search(before)) \
                    and words[-1] not in self.place_words and not _ARTICLE_BEFORE_RE.search(before) \
                    and not any(w in NOT_NAME_WORDS for w in words):
                return "person", 50, "name-context"
            return "person", 25, "name-shape"  # below min_confidence: evidence only
        if len(words) == 1:
            return "single", 0, "unknown"
        return _NOTHING

    def _classify_each(self, part: str, text: str, toks: list[tuple[str, int, int]], out: list[Mention],
                       titled: bool) -> None:
        """A join of names, each classified on its own: "Britain and France"-style joins were handled by the
        gazetteer; split what is left at its connectors (only the first name keeps `titled`)."""
        sub: list[tuple[str, int, int]] = []
        for t in [*toks, ("of", 0, 0)]:
            if t[0] in CONNECTORS:
                if sub:
                    self.classify(part, text, sub, out, titled)
                sub, titled = [], False
            else:
                sub.append(t)

    def team_slot(self, text: str, start: int, end: int) -> int:
        """Whether the name at text[start:end] stands where sports copy puts a team: STANDINGS (the name of a
        standings row), RESULT (on a line of results right before its score, or paired with another name by "v")
        or 0 (neither)."""
        if text[end + 1 : end + 2] not in _SLOT_NEXT and "v" not in text[max(0, start - 4) : start]:
            return 0  # the common case, decided fast: a word follows, no "v" before
        hint = _SLOT_AFTER_RE.match(text, end)
        if hint is None:
            if text.endswith(_VERSUS_BEFORE, max(0, start - 5), start) and text[start - 1] in " \t" \
                    and _VERSUS_BEFORE_RE.search(text, max(0, start - 5), start):
                return RESULT
            return 0
        if hint.group(1) is None:
            return RESULT  # "Oakport v Grimley"
        if not _RESULT_RE.match(text, end):
            return 0
        line = text.rfind("\n", 0, start) + 1
        if not _ROW_HEAD_RE.fullmatch(text, line, start):
            return 0
        if _STANDINGS_LINE_RE.match(text, line):
            return STANDINGS
        return RESULT if _RESULT_LINE_RE.match(text, line) else 0

    def teams(self, parts: list[tuple[str, str]], mentions: list[Mention]) -> None:
        """In sports copy a city or region used as a name (not after "in", "at"...) is a team."""
        texts = dict(parts)
        for m in mentions:
            if m.kind != "place" or m.literal or m.part not in ("body", "headline", "summary") \
                    or m.name in self.not_teams:
                continue
            text = texts.get(m.part, "")
            before = text[max(0, m.start - 12) : m.start]
            if PLACE_PREP_RE.search(before) or _VENUE_RE.match(text, m.end):
                continue  # "at Leicester", and "Leicester: Leicestershire beat Somerset" (the venue of a result)
            m.kind, m.uri, m.method, m.country = "organisation", f"urn:syndicate:org:{slug(m.text)}", "team", ""
            m.name, m.confidence = m.text, 50


#: What follows a place that names where a game was played: "Leicester: ...", "London (The Oval): ...".
_VENUE_RE = re.compile(r"\s*(?:\([^()\n]{1,40}\))?\s*:")


#: What separates the items of a list of names: a comma, "and", "&" or ";", maybe after a note in brackets
#: ("Ashok Velaratne (captain), Sunil Kadawatte").
_LIST_SEP_RE = re.compile(r"\s*(?:\([^()\n]{0,30}\)\s*)?(?:,|;|&|\band\b)\s*")
#: What stands after and before a whole item of such a list (not "Oakport" in "..., Oakport forward Jack Wilde").
_ITEM_END_RE = re.compile(r"\s*(?:\([^()\n]{0,30}\)\s*)?(?:[,;&.]|\band\b|\n|$)")
_ITEM_START_RE = re.compile(r"(?:^|[,;:&\n]|\s-|\band)\s*$")
_MID_LIST_RE = re.compile(r"(?:[,;:&]|\s-|\band)\s*$")  # a word alone: only inside the list, never a sentence's first


def person_lists(parts: list[tuple[str, str]], mentions: list[Mention]) -> None:
    """Names listed next to a person ("Jim Bean, Harold Quimby, Sunil Kadawatte, ...") are people too, when
    the rules had only their shape to go on (a capitalised pair, or a word alone)."""
    texts = dict(parts)
    by_part: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.kind:
            by_part.setdefault(m.part, []).append(m)
    for part, ms in by_part.items():
        if len(ms) < 2:
            continue
        ms.sort(key=lambda m: m.start)
        text = texts.get(part, "")
        pairs = [(a, b) for a, b in itertools.pairwise(ms) if _LIST_SEP_RE.fullmatch(text, a.end, b.start)]
        run: list[Mention] = []
        for a, b in pairs:  # three or more capitalised pairs in a row, listed: people ("Sunil Kadawatte, ...")
            if a.method == "name-shape" and b.method == "name-shape":
                run = run if run and run[-1] is a else [a]
                run.append(b)
                if len(run) >= 3:
                    for x in run:
                        x.confidence, x.method = 50, "list"
        changed = True
        while changed:
            changed = False
            for a, b in pairs:
                for x, y in ((a, b), (b, a)):
                    if x.method in ("name-shape", "unknown") and y.kind == "person" and y.confidence >= 50 \
                            and _ITEM_END_RE.match(text, x.end) \
                            and (_ITEM_START_RE if x.method == "name-shape" else _MID_LIST_RE).search(
                                text, max(0, x.start - 4), x.start):
                        x.kind, x.uri, x.method, x.confidence = "person", f"urn:syndicate:person:{slug(x.text)}", \
                            "list", 50
                        changed = True


def resolve_surnames(mentions: list[Mention]) -> None:
    """Single-word mentions that are the surname of a person named in full elsewhere in the story,
    and acronyms of organisations named in full."""
    full: dict[str, Mention] = {}
    for m in mentions:
        if m.kind == "person" and " " in m.text:
            full.setdefault(m.text.split()[-1], m)
            full.setdefault(m.name.split()[-1], m)
    for m in mentions:
        if (m.kind in ("single", "person") or m.method == "team") and " " not in m.text and m.text in full:
            f = full[m.text]
            if f.uri != m.uri:
                m.kind, m.uri, m.name, m.country = "person", f.uri, f.name, f.country
                m.method, m.confidence = "surname", max(m.confidence, 65)
    # acronyms of organisations named in full in the story: "Nuclear Regulatory Commission (NRC)"
    initials: dict[str, Mention] = {}
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

