"""The scores the evaluations and `--through` share: micro-averaged PRF, the extraction benchmark's shingle
match, bag-of-words token overlap, and the entity and place sets compared with gold labels.

Shingle scoring follows scrapinghub/article-extraction-benchmark `evaluate.py` exactly:

* tokens are `re.findall(r"\\w+", text)` -- case is kept (the benchmark's IGNORECASE flag does not
  change what `\\w+` matches);
* shingles are 4-token tuples counted as a multiset (texts under 4 tokens give one short shingle);
* per page, TP/FP/FN are the clipped count differences, then normalised to sum to 1;
* precision is averaged over pages with TP+FP > 0, recall over pages with TP+FN > 0 (a page with
  nothing on either side counts 1.0); F1 is the harmonic mean of those two means.

Entity strings are normalised by lower-casing, collapsing whitespace and dropping a leading "the" and a
possessive "'s"; within a document a one-word PER string that is the last word of a longer PER string in
the same set is folded into it (surname-only mentions resolve to the full name), on both sides alike.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from streams.model import Article
from streams.quality.corpora.conll2003 import CONLL_TYPES

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
NGRAM = 4

TpFpFn = tuple[float, float, float]


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


def split_counters() -> dict[str, PRF]:
    """Counters for all of Reuters-21578 and its two splits (files 000-011 and 012-017)."""
    return {"all": PRF(), "dev 000-011": PRF(), "held-out 012-017": PRF()}


def add_split(res: dict[str, PRF], dev: bool, gold: set[str], pred: set[str]) -> None:
    """Count one story into "all" and its split's counter of `split_counters`."""
    res["all"].add(gold, pred)
    res["dev 000-011" if dev else "held-out 012-017"].add(gold, pred)


# --------------------------------------------------------------------------------------------- tokens


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokeniser: word characters, case kept."""
    return _TOKEN_RE.findall(text or "")


def token_overlap(gold: str, got: str) -> tuple[int, int, int]:
    """Bag-of-words match of two texts: (tokens in both, counted as multisets; gold tokens; got tokens)."""
    gold_tokens, got_tokens = Counter(tokenize(gold)), Counter(tokenize(got))
    return sum((gold_tokens & got_tokens).values()), sum(gold_tokens.values()), sum(got_tokens.values())


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n tokens gives one shorter shingle."""
    tokens = tokenize(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_match(true: str | None, pred: str | None, n: int = NGRAM) -> TpFpFn:
    """TP/FP/FN over shingles, normalised to sum to 1 so long pages weigh no more than short ones."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def page_f1(tp: float, fp: float, fn: float) -> float:
    p, r = precision_score(tp, fp, fn), recall_score(tp, fp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


def aggregate(rows: Iterable[TpFpFn]) -> dict[str, float]:
    """The benchmark's corpus figures: mean precision, mean recall, their harmonic mean."""
    items = list(rows)
    precisions = [precision_score(*r) for r in items if r[0] + r[1] > 0]
    recalls = [recall_score(*r) for r in items if r[0] + r[2] > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    mean_page_f1 = statistics.mean(page_f1(*row) for row in items) if items else 0.0
    return {"precision": p, "recall": r, "f1": f1, "mean_page_f1": mean_page_f1, "pages": float(len(items))}


# ------------------------------------------------------------------------------------------- tags


def predicted_countries(article: Article) -> set[str]:
    """The article's country places (ISO alpha-2 literals)."""
    return {p["literal"] for p in article.get("places", []) if len(p.get("literal", "")) == 2}


def norm_entity(s: str) -> str:
    s = " ".join(s.lower().replace(" 's", "").replace("'s", "").split())
    s = s.removeprefix("the ")
    return s.strip(" .,")


def fold_surnames(names: set[str]) -> set[str]:
    multi = {n.split()[-1] for n in names if " " in n}
    return {n for n in names if " " in n or n not in multi}


def predicted_entities(evidence: list[dict[str, Any]], min_confidence: int = 35) -> dict[str, set[str]]:
    """PER/ORG/LOC surface strings of the tagger's evidence (not implied places, demonyms nor weak mentions)."""
    out: dict[str, set[str]] = {t: set() for t in CONLL_TYPES}
    rev = {v: k for k, v in CONLL_TYPES.items()}
    for ev in evidence:
        typ = rev.get(ev["type"])
        if typ is None or ev["part"] == "implied" or ev["method"] == "demonym" or ev["confidence"] < min_confidence:
            continue
        out[typ].add(ev["text"])
    return out


def entity_sets(
    gold: Mapping[str, Iterable[str]], pred: Mapping[str, Iterable[str]]
) -> Iterator[tuple[str, set[str], set[str]]]:
    """(type, gold, predicted) per type of `CONLL_TYPES`, strings normalised and PER surnames folded."""
    for t in CONLL_TYPES:
        g = {norm_entity(x) for x in gold.get(t, ())}
        p = {norm_entity(x) for x in pred.get(t, ())}
        if t == "PER":
            g, p = fold_surnames(g), fold_surnames(p)
        yield t, g, p


def typed(t: str, names: set[str]) -> set[str]:
    """``{"PER:john smith", ...}``: strings of one type, for the counters over several types."""
    return {f"{t}:{x}" for x in names}
