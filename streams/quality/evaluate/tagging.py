"""Tagging quality: places on Reuters-21578 and PER/ORG/LOC entity sets on CoNLL-2003 (precision/recall/F1).

Reuters-21578 (a directory holding ``reut2-NNN.sgm``): each story becomes an article with headline
(TITLE), ``located`` (DATELINE city) and body (BODY) only; gold labels never reach the tagger. The
tagger's country places (ISO alpha-2 ``literal``, including implied countries) are compared with the
gold ``PLACES`` mapped from 1987 codes to today's ISO codes (``ussr`` -> RU, ``west-germany`` -> DE,
``czechoslovakia`` -> CZ, ``yugoslavia`` -> RS, ``zaire`` -> CD, ...). Micro-averaged over
(story, country) pairs, on stories with at least one gold place. Reported for all files and for a
development split (000-011, used for tuning) and a held-out split (012-017).

CoNLL-2003 (an IOB2 ``.txt`` file; ``-DOCSTART-`` separates documents): each document becomes an
article (first sentence headline, a ``CITY YYYY-MM-DD`` second sentence the dateline, the rest the
body, sentences separated by blank lines). Per document and per type (PER, ORG, LOC; MISC ignored)
the set of gold entity strings is compared with the set of surface strings the tagger's evidence
reports (gazetteer or rule mentions, not implied countries nor demonyms). Strings are normalised by
lower-casing, collapsing whitespace and dropping a leading "the" and a possessive "'s"; within a
document a one-word PER string that is the last word of a longer PER string in the same set is
folded into it (surname-only mentions resolve to the full name), on both sides alike.
Micro-averaged over PER/ORG/LOC.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from streams.model import Article
from streams.tag.tagger import Tagger

#: Reuters-21578 place codes whose name pycountry does not resolve -> ISO 3166-1 alpha-2 today.
REUTERS_PLACES = {
    "usa": "US", "uk": "GB", "ussr": "RU", "west-germany": "DE", "east-germany": "DE", "czechoslovakia": "CZ",
    "yugoslavia": "RS", "zaire": "CD", "burma": "MM", "kampuchea": "KH", "yemen-arab-republic": "YE",
    "yemen-demo-republic": "YE", "netherlands-antilles": "CW", "western-samoa": "WS", "congo": "CG",
    "uae": "AE", "vatican": "VA", "macao": "MO", "hong-kong": "HK", "swaziland": "SZ", "ivory-coast": "CI",
    "south-korea": "KR", "north-korea": "KP", "taiwan": "TW", "iran": "IR", "syria": "SY", "vietnam": "VN",
    "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "cape-verde": "CV", "brunei": "BN",
    "libya": "LY", "trinidad-tobago": "TT", "british-virgin-islands": "VG", "us-virgin-islands": "VI",
    "antigua": "AG", "turkey": "TR", "russia": "RU", "moldova": "MD", "micronesia": "FM",
}
#: Reuters-21578 TOPICS -> the Media Topic our rules should assign (only topics with a clear counterpart).
REUTERS_TOPICS = {
    "earn": "20000178", "acq": "20000204", "crude": "20001243", "nat-gas": "20001243", "grain": "20000210",
    "wheat": "20000210", "corn": "20000210", "soybean": "20000210", "oilseed": "20000210", "sugar": "20000210",
    "coffee": "20000210", "cocoa": "20000210", "cotton": "20000210", "livestock": "20000210",
    "veg-oil": "20000210", "rice": "20000210", "money-fx": "20000391", "dlr": "20000355", "yen": "20000355",
    "interest": "20000371", "trade": "20000373", "ship": "20000291", "gold": "20000388", "silver": "20000388",
    "copper": "20000388", "zinc": "20000388", "tin": "20000388", "aluminium": "20000388", "lead": "20000388",
    "nickel": "20000388", "iron-steel": "20000388", "money-supply": "20000379", "gnp": "20000359",
    "cpi": "20000370", "wpi": "20000370", "jobs": "20000365", "bop": "20000375",
}
DEV_FILES = frozenset(f"{i:03d}" for i in range(12))


def reuters_code(code: str) -> str | None:
    """1987 Reuters-21578 place code -> ISO alpha-2 (None if it is not a country we can map)."""
    if code in REUTERS_PLACES:
        return REUTERS_PLACES[code]
    import pycountry

    try:
        return str(pycountry.countries.lookup(code.replace("-", " ")).alpha_2)
    except LookupError:
        return None


# ----------------------------------------------------------------------------- Reuters-21578


def _stories(text: str) -> list[tuple[str, str]]:
    try:
        from streams.normalize.formats.reuters21578 import split_stories

        return list(split_stories(text))
    except ImportError:
        out = []
        for m in re.finditer(r"<REUTERS\b[^>]*NEWID=\"(\d+)\"[^>]*>.*?</REUTERS>", text, re.S):
            out.append((m.group(1), m.group(0)))
        return out


def _tag(sgml: str, name: str) -> str:
    m = re.search(rf"<{name}(?:\s[^>]*)?>(.*?)</{name}>", sgml, re.S)
    if not m:
        return ""
    v = re.sub(r"&#\d+;", " ", m.group(1))
    return html.unescape(v)


def reuters_article(sgml: str) -> Article:
    """Headline, dateline and body of one story; no gold label is copied into the article."""
    title = " ".join(_tag(sgml, "TITLE").split())
    dateline = " ".join(_tag(sgml, "DATELINE").split())
    body = _tag(sgml, "BODY")
    if not body:  # TYPE="UNPROC"/"BRIEF" stories keep their text directly in <TEXT>
        body = re.sub(r"<(TITLE|DATELINE|AUTHOR)>.*?</\1>", " ", _tag(sgml, "TEXT"), flags=re.S)
        body = re.sub(r"<[^>]*>", " ", body)
    body = re.sub(r"\s*Reuter\s*$", "", body.strip())
    paras = [" ".join(p.split()) for p in re.split(r"\n\s{2,}|\n(?=\s)", body) if p.strip()]
    city = re.split(r",\s*(?:[A-Z][a-z]{2,4}\.?\s*\d)", dateline)[0].strip().rstrip(",- ") if dateline else ""
    art: Article = {"type": "text", "headlines": [{"role": "main", "value": title}] if title else []}
    if city:
        art["located"] = city
    if paras:
        art["bodies"] = [{"role": "main", "contenttype": "text/plain", "value": "\n\n".join(paras)}]
    return art


def reuters_items(
    corpus: Path, files: Iterable[str] | None = None, label: str = "PLACES"
) -> Iterable[tuple[str, str, Article, set[str]]]:
    """(file number, story id, article, gold codes) for stories with at least one gold label.

    label PLACES gives ISO country codes; TOPICS gives the Media Topic codes of REUTERS_TOPICS.
    """
    wanted = None if files is None else set(files)
    for path in sorted(corpus.glob("reut2-*.sgm")):
        num = path.stem.split("-")[-1]
        if wanted is not None and num not in wanted:
            continue
        for sid, sgml in _stories(path.read_text(encoding="latin-1")):
            codes = re.findall(r"<D>(.*?)</D>", _tag(sgml, label))
            if label == "PLACES":
                gold = {c for c in (reuters_code(p) for p in codes) if c}
            else:
                gold = {REUTERS_TOPICS[t] for t in codes if t in REUTERS_TOPICS}
            if gold:
                yield num, sid, reuters_article(sgml), gold


class PRF:
    """Micro-averaged precision / recall / F1 counters."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, gold: set[str], pred: set[str]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def scores(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def as_dict(self) -> dict[str, float | int]:
        p, r, f = self.scores()
        return {"precision": p, "recall": r, "f1": f, "tp": self.tp, "fp": self.fp, "fn": self.fn}

    def line(self, name: str) -> str:
        p, r, f = self.scores()
        return f"{name:<28} P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={self.tp} fp={self.fp} fn={self.fn})"


def predicted_countries(article: Article) -> set[str]:
    return {p["literal"] for p in article.get("places", []) if len(p.get("literal", "")) == 2}


def eval_places(tagger: Tagger, corpus: Path, errors: int = 0) -> dict[str, PRF]:
    res = {"all": PRF(), "dev 000-011": PRF(), "held-out 012-017": PRF()}
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for num, _sid, art, gold in reuters_items(corpus):
        pred = predicted_countries(tagger.tag(art))
        res["all"].add(gold, pred)
        res["dev 000-011" if num in DEV_FILES else "held-out 012-017"].add(gold, pred)
        fp.update(pred - gold)
        fn.update(gold - pred)
    if errors:
        print("most frequent false positives:", fp.most_common(errors))
        print("most frequent misses:", fn.most_common(errors))
    return res


def eval_subjects(tagger: Tagger, corpus: Path, errors: int = 0) -> dict[str, PRF]:
    """Subjects vs Reuters TOPICS mapped to Media Topics, scored only on the mapped codes."""
    scope = set(REUTERS_TOPICS.values())
    res = {"all": PRF(), "dev 000-011": PRF(), "held-out 012-017": PRF()}
    per: dict[str, PRF] = {}
    for num, _sid, art, gold in reuters_items(corpus, label="TOPICS"):
        pred = {s["literal"].split(":")[1] for s in tagger.tag(art).get("subjects", [])} & scope
        res["all"].add(gold, pred)
        res["dev 000-011" if num in DEV_FILES else "held-out 012-017"].add(gold, pred)
        for code in gold | pred:
            per.setdefault(code, PRF()).add(gold & {code}, pred & {code})
    if errors:
        for code, prf in sorted(per.items()):
            print("  " + prf.line(f"{code} {tagger.topics[code][0]}"))
    return res


# ----------------------------------------------------------------------------- CoNLL-2003

CONLL_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}
_DATE_LINE = re.compile(r"^([A-Z][A-Z .'\-]+?)\s+\d{4}-\d{2}-\d{2}$")


def conll_docs(path: Path) -> Iterable[list[list[tuple[str, str]]]]:
    """Documents as lists of sentences of (token, IOB2 tag)."""
    doc: list[list[tuple[str, str]]] = []
    sent: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("-DOCSTART-"):
                if sent:
                    doc.append(sent)
                if doc:
                    yield doc
                doc, sent = [], []
            elif not line:
                if sent:
                    doc.append(sent)
                sent = []
            else:
                cols = line.split()
                sent.append((cols[0], cols[-1]))
    if sent:
        doc.append(sent)
    if doc:
        yield doc


def conll_gold(doc: list[list[tuple[str, str]]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {t: set() for t in CONLL_TYPES}
    for sent in doc:
        cur: list[str] = []
        typ = ""
        for tok, tag in [*sent, ("", "O")]:
            if tag.startswith("I-") and cur and tag[2:] == typ:
                cur.append(tok)
                continue
            if cur and typ in out:
                out[typ].add(" ".join(cur))
            cur, typ = ([tok], tag[2:]) if tag != "O" else ([], "")
    return out


def conll_article(doc: list[list[tuple[str, str]]]) -> Article:
    sents = [" ".join(t for t, _ in s) for s in doc]
    art: Article = {"type": "text", "headlines": [{"role": "main", "value": sents[0]}]}
    rest = sents[1:]
    if rest and (m := _DATE_LINE.match(rest[0])):
        art["located"] = m.group(1)
        rest = rest[1:]
    if rest:
        art["bodies"] = [{"role": "main", "contenttype": "text/plain", "value": "\n\n".join(rest)}]
    return art


def norm_entity(s: str) -> str:
    s = " ".join(s.lower().replace(" 's", "").replace("'s", "").split())
    s = s.removeprefix("the ")
    return s.strip(" .,")


def fold_surnames(names: set[str]) -> set[str]:
    multi = {n.split()[-1] for n in names if " " in n}
    return {n for n in names if " " in n or n not in multi}


def predicted_entities(evidence: list[dict[str, Any]], min_confidence: int = 35) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {t: set() for t in CONLL_TYPES}
    rev = {v: k for k, v in CONLL_TYPES.items()}
    for ev in evidence:
        typ = rev.get(ev["type"])
        if typ is None or ev["part"] == "implied" or ev["method"] == "demonym" or ev["confidence"] < min_confidence:
            continue
        out[typ].add(ev["text"])
    return out


def eval_conll(tagger: Tagger, path: Path, errors: int = 0) -> dict[str, PRF]:
    res = {t: PRF() for t in (*CONLL_TYPES, "micro")}
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for doc in conll_docs(path):
        gold = conll_gold(doc)
        _art, evidence = tagger.tag_with_evidence(conll_article(doc))
        pred = predicted_entities(evidence, tagger.min_confidence)
        for t in CONLL_TYPES:
            g = {norm_entity(x) for x in gold[t]}
            p = {norm_entity(x) for x in pred[t]}
            if t == "PER":
                g, p = fold_surnames(g), fold_surnames(p)
            res[t].add(g, p)
            res["micro"].add({f"{t}:{x}" for x in g}, {f"{t}:{x}" for x in p})
            fp.update(f"{t}:{x}" for x in p - g)
            fn.update(f"{t}:{x}" for x in g - p)
    if errors:
        print("most frequent false positives:", fp.most_common(errors))
        print("most frequent misses:", fn.most_common(errors))
    return res


# ----------------------------------------------------------------------------- plug-in


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", choices=("auto", "places", "subjects", "entities"), default="auto",
                        help="places or subjects (Reuters-21578 directory), entities (CoNLL-2003 file); "
                        "auto: places for a directory, entities for a file")
    parser.add_argument("--errors", type=int, default=0, help="also print the N most frequent errors")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    from streams.quality.through.command import add_options

    add_options(parser)


def run(args: argparse.Namespace) -> int:
    """Score the task on the corpus; exit 1 when there was nothing to score (not a perfect score)."""
    if getattr(args, "through", None):
        from streams.quality.through.command import run_tagging

        return run_tagging(args)
    corpus = Path(args.corpus)
    task = args.task
    if task == "auto":
        task = "places" if corpus.is_dir() else "entities"
    as_json = getattr(args, "json", False)
    say = (lambda *_: None) if as_json else print
    t0 = time.perf_counter()
    tagger = Tagger.build()
    say(f"tagger built in {time.perf_counter() - t0:.2f}s")
    t1 = time.perf_counter()
    if task in ("places", "subjects"):
        if not any(corpus.glob("reut2-*.sgm")):
            print(f"no reut2-*.sgm in {corpus}", file=sys.stderr)
            return 2
        if task == "places":
            res = eval_places(tagger, corpus, args.errors)
            say("Reuters-21578 places (story, country) pairs, micro-averaged:")
        else:
            res = eval_subjects(tagger, corpus, args.errors)
            say("Reuters-21578 subjects vs TOPICS mapped to Media Topics (mapped codes only), micro-averaged:")
    else:
        res = eval_conll(tagger, corpus, args.errors)
        say("CoNLL-2003 entity sets per document (PER/ORG/LOC), micro-averaged:")
    overall = res.get("all") or res["micro"]
    if as_json:
        print(json.dumps({"corpus": str(corpus), "task": task, "scores": {k: v.as_dict() for k, v in res.items()}}))
    else:
        for name, prf in res.items():
            print("  " + prf.line(name))
        print(f"evaluated in {time.perf_counter() - t1:.1f}s")
    if overall.tp + overall.fp + overall.fn == 0:
        print(f"nothing to score in {corpus}: no gold labels and no predictions", file=sys.stderr)
        return 1
    return 0
