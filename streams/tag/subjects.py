"""Subjects: IPTC Media Topics found by the keyword rules in data/subject_rules.tsv, scored by where keywords are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from streams.tag.gazetteer import DATA, read_table

MEDIATOPIC_URI = "http://cv.iptc.org/newscodes/mediatopic/"
#: Minimum weighted score to assign a topic; weights: headline 3, summary 2, body/caption/dateline 1.
SUBJECT_THRESHOLD = 2.0
#: How much more evidence a topic whose keywords are weak alone needs (`weak` in data/subject_rules.tsv).
WEAK_FACTOR = 1.5
PART_WEIGHT = {"headline": 3.0, "summary": 2.0, "dateline": 1.0, "body": 1.0, "caption": 1.0}
SPORT_HEAD_RE = re.compile(
    r"^\s*(?:SOCCER|FOOTBALL|CRICKET|TENNIS|GOLF|BASEBALL|BASKETBALL|RUGBY(?: UNION| LEAGUE)?|CYCLING|"
    r"ATHLETICS|BOXING|MOTOR RACING|MOTORCYCLING|ICE HOCKEY|NHL|NBA|NFL|HORSE RACING|SWIMMING|SKIING|"
    r"SQUASH|BADMINTON|VOLLEYBALL|HANDBALL|SAILING|ROWING|OLYMPICS|SPORT|AMERICAN FOOTBALL)\b[^\n]{0,40}? - ",
    re.IGNORECASE,  # outlets retitle the wire's capitals: "Cricket - english county championship scores"
)
#: The Media Topic of all sport: a story strongly about one of its topics is sports copy.
SPORT = "15000000"

_NONWORD_RE = re.compile(r"[^a-z0-9]+")
#: Phrases in which "war" is no armed conflict; "trade war" stays a trade-dispute keyword.
_NOT_WAR_RE = re.compile(
    r" (?:cold|price|trade|tariff|currency|bidding|takeover|turf|culture) wars? | war of words "
)


def _not_war(m: re.Match[str]) -> str:
    return " tradewar " if "trade" in m.group() or "tariff" in m.group() else " "


@dataclass(frozen=True, slots=True)
class SubjectRule:
    """One topic's keyword rule: a row of data/subject_rules.tsv (its header says how the rules are used)."""

    code: str  # Media Topic code without "medtop:"
    weak: bool  # the keywords are weak evidence alone: the topic needs WEAK_FACTOR times the score
    keywords: tuple[str, ...]  # lower case, matched on word boundaries; "*" = any suffix


def load_subject_rules(data: Path = DATA) -> list[SubjectRule]:
    """The rules of data/subject_rules.tsv, in file order."""
    rules: list[SubjectRule] = []
    for code, _label, weak, keywords in read_table("subject_rules", ("code", "label", "weak", "keywords"), data):
        if weak not in ("", "yes"):
            raise ValueError(f"{data / 'subject_rules.tsv'}: topic {code}: weak must be 'yes' or empty, not {weak!r}")
        rules.append(SubjectRule(code, weak == "yes", tuple(k for k in keywords.split("|") if k)))
    return rules


def load_topics(path: Path) -> dict[str, tuple[str, str, str]]:
    """Media Topics of a `code<TAB>label<TAB>parent<TAB>toplevel` file: code -> (label, parent, toplevel)."""
    topics: dict[str, tuple[str, str, str]] = {}
    with path.open(encoding="utf-8") as f:
        next(f)
        for line in f:
            code, label, parent, top = line.rstrip("\n").split("\t")
            topics[code.removeprefix("medtop:")] = (label, parent.removeprefix("medtop:"),
                                                    top.removeprefix("medtop:"))
    return topics


@dataclass(slots=True)
class Subject:
    """A topic's keyword evidence in one story: its weighted score and its first hits (part, keyword)."""

    code: str
    score: float = 0.0
    hits: list[tuple[str, str]] = field(default_factory=list)


class Subjects:
    """Keyword matcher for the subject rules; `find` scores a story's topics, `items` lists those assigned."""

    def __init__(self, topics: dict[str, tuple[str, str, str]], rules: list[SubjectRule]) -> None:
        self.topics = topics  # code -> (label, parent, toplevel)
        self.weak = frozenset(r.code for r in rules if r.weak)
        self.automaton = ahocorasick.Automaton()
        for rule in rules:
            code = rule.code
            if code not in topics:
                continue
            for w in rule.keywords:
                # keys are whole words of space-normalised text: " key " (exact) or " key" (prefix)
                key = " " + _NONWORD_RE.sub(" ", w.rstrip("*").lower()).strip() + ("" if w.endswith("*") else " ")
                prev: tuple[str, ...] = self.automaton.get(key, ("", ()))[1]
                if code not in prev:
                    self.automaton.add_word(key, (key.strip(), (*prev, code)))
        self.automaton.make_automaton()

    def find(self, parts: list[tuple[str, str]]) -> dict[str, Subject]:
        """Every topic with a keyword in the story, by code, in the order first hit."""
        found: dict[str, Subject] = {}
        for part, text in parts:
            low = " " + _NONWORD_RE.sub(" ", text.lower()) + " "
            if " war " in low:
                low = _NOT_WAR_RE.sub(_not_war, low)
            w = PART_WEIGHT.get(part, 1.0)
            for _end, (key, codes) in self.automaton.iter(low):
                for code in codes:
                    s = found.get(code)
                    if s is None:
                        s = found[code] = Subject(code)
                    s.score += w
                    if len(s.hits) < 5:
                        s.hits.append((part, key))
        return found

    def is_sport(self, parts: list[tuple[str, str]], found: dict[str, Subject]) -> bool:
        """Sports copy: a sport in the headline's slug ("SOCCER - ..."), or strong evidence of a sport topic."""
        head = next((t for p, t in parts if p == "headline"), "")
        if SPORT_HEAD_RE.match(head):
            return True
        return any(s.score >= 2 * SUBJECT_THRESHOLD for c, s in found.items()
                   if self.topics.get(c, ("", "", ""))[2] == SPORT)

    def items(self, found: dict[str, Subject], evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The `subjects` items of the topics assigned, with their top-level topics; their keyword hits go into
        `evidence`."""
        chosen: dict[str, tuple[int, int, str]] = {}
        for code, s in found.items():
            need = SUBJECT_THRESHOLD * (WEAK_FACTOR if code in self.weak else 1.0)
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
