"""Scores of what was delivered: bodies against the rendered gold lines, tags against the corpus's gold labels.

Bodies, per input (the delivered text body against the gold lines the renderer reports):

* token recall and precision: multisets of ``\\w+`` tokens (case kept), so nothing lost is hidden by
  anything added; a rejected input delivers nothing (recall 0);
* the article-extraction benchmark's 4-gram shingle precision, recall and F1 (averaged over inputs as the
  benchmark does, `streams.quality.scoring.aggregate`);
* rows kept: of the gold table rows, the share that come out as a line of their own in the text body
  (spacing folded), and whether the HTML body holds them in a ``<pre>`` or ``<table>``.

Tags: places as ISO countries against Reuters-21578 PLACES (as `syndicate eval tagging` scores the tagger
alone); people, organisations and places against the CoNLL-2003 gold strings per document, with the
surface forms of the delivered article's entities (the evidence of its decision, kept only for the uris
the article carries), normalised as the tagger's own evaluation does.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from streams.quality.corpora.conll2003 import CONLL_TYPES
from streams.quality.scoring import (
    PRF,
    aggregate,
    entity_sets,
    predicted_countries,
    predicted_entities,
    shingle_match,
    token_overlap,
    typed,
)
from streams.quality.through.deliver import Delivered
from streams.quality.through.render_text import Rendered

_WS = re.compile(r"\s+")


def _fold(line: str) -> str:
    return _WS.sub(" ", line).strip()


@dataclass(slots=True)
class BodyScore:
    """One input's body figures."""

    input_id: str
    group: dict[str, str]  # split, kind, outlet, ...
    decision: str
    reason: str | None
    recall: float
    precision: float
    tp_fp_fn: tuple[float, float, float]
    gold_tokens: int
    rows: int = 0
    rows_kept: int = 0
    html_table: bool | None = None


def text_body(article: dict[str, Any] | None) -> str:
    for body in (article or {}).get("bodies") or ():
        if body.get("contenttype") == "text/plain":
            return str(body.get("value") or "")
    return ""


def html_body(article: dict[str, Any] | None) -> str:
    for body in (article or {}).get("bodies") or ():
        if body.get("contenttype") == "text/html":
            return str(body.get("value") or "")
    return ""


def score_body(r: Rendered, got: Delivered | None) -> BodyScore:
    """How much of the rendered story's body came out for this input."""
    gold_text = "\n".join(r.gold)
    article = got.article if got else None
    body = text_body(article)
    if article and article.get("ednote"):  # "(Corrects ...)" notes move from the body to ednote: delivered
        body += "\n" + str(article["ednote"])
    hit, n_gold, n_got = token_overlap(gold_text, body)
    group = {"split": r.story.split, "kind": r.story.kind, "outlet": r.outlet or "-",
             "decision": got.decision if got else "missing"}
    score = BodyScore(
        input_id=r.envelope.id,
        group=group,
        decision=got.decision if got else "missing",
        reason=got.reason if got else "no decision",
        recall=hit / n_gold if n_gold else 1.0,
        precision=hit / n_got if n_got else (1.0 if not n_gold else 0.0),
        tp_fp_fn=shingle_match(gold_text, body),
        gold_tokens=n_gold,
    )
    rows = [_fold(line) for line, row in zip(r.gold, r.story.rows, strict=True) if row]
    if rows:
        delivered = {_fold(line) for line in body.split("\n")}
        score.rows = len(rows)
        score.rows_kept = sum(1 for row in rows if row in delivered)
        markup = html_body(article)
        score.html_table = "<pre" in markup or "<table" in markup
    return score


@dataclass(slots=True)
class BodySummary:
    """Body figures over a set of inputs."""

    inputs: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    recall_mean: float = 0.0
    recall_micro: float = 0.0
    recall_min: float = 0.0
    below_099: int = 0
    precision_mean: float = 0.0
    f1: float = 0.0  # the benchmark's: harmonic mean of mean shingle precision and recall
    rows: int = 0
    rows_kept: float = 1.0
    html_tables: float = 1.0

    def as_dict(self) -> dict[str, Any]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def summarise_bodies(scores: list[BodyScore]) -> BodySummary:
    if not scores:
        return BodySummary()
    rejected = [s for s in scores if s.decision in ("rejected", "missing")]
    recalls = [s.recall for s in scores]
    tables = [s for s in scores if s.rows]
    figures = aggregate(s.tp_fp_fn for s in scores)
    return BodySummary(
        inputs=len(scores),
        rejected=len(rejected),
        reasons=dict(Counter(s.reason or "?" for s in rejected)),
        recall_mean=statistics.mean(recalls),
        recall_micro=sum(s.recall * s.gold_tokens for s in scores) / max(1, sum(s.gold_tokens for s in scores)),
        recall_min=min(recalls),
        below_099=sum(1 for r in recalls if r < 0.99),
        precision_mean=statistics.mean(s.precision for s in scores),
        f1=figures["f1"],
        rows=sum(s.rows for s in tables),
        rows_kept=sum(s.rows_kept for s in tables) / max(1, sum(s.rows for s in tables)),
        html_tables=sum(1 for s in tables if s.html_table) / len(tables) if tables else 1.0,
    )


def grouped(scores: list[BodyScore], key: str) -> dict[str, BodySummary]:
    groups: dict[str, list[BodyScore]] = {}
    for s in scores:
        groups.setdefault(s.group[key], []).append(s)
    return {name: summarise_bodies(g) for name, g in sorted(groups.items())}


# ---------------------------------------------------------------------------------------------- tags


def delivered_uris(article: dict[str, Any] | None) -> set[str]:
    out: set[str] = set()
    for key in ("people", "organisations", "places"):
        for item in (article or {}).get(key) or ():
            if item.get("uri"):
                out.add(str(item["uri"]))
    return out


def delivered_entities(got: Delivered | None) -> dict[str, set[str]]:
    """PER/ORG/LOC surface strings of the entities the delivered article carries."""
    if got is None or got.article is None:
        return {t: set() for t in CONLL_TYPES}
    uris = delivered_uris(got.article)
    evidence = [e for e in got.tags if e.get("uri") in uris]
    found = predicted_entities(evidence, 0)
    for person in got.article.get("people") or ():
        if person.get("rel") == "author" and person.get("name"):
            found["PER"].add(str(person["name"]))  # a byline's people are delivered as people too
    return found


def add_entities(res: dict[str, PRF], gold: dict[str, frozenset[str]], pred: dict[str, set[str]]) -> None:
    """Score one document into `res` (per type, "micro" and "PER+ORG"), as `eval_conll` scores the tagger."""
    for t, g, p in entity_sets(gold, pred):
        res[t].add(g, p)
        res["micro"].add(typed(t, g), typed(t, p))
        if t in ("PER", "ORG"):
            res["PER+ORG"].add(typed(t, g), typed(t, p))


def entity_counters() -> dict[str, PRF]:
    return {t: PRF() for t in (*CONLL_TYPES, "PER+ORG", "micro")}


def delivered_countries(got: Delivered | None) -> set[str]:
    return predicted_countries(got.article) if got is not None and got.article is not None else set()
