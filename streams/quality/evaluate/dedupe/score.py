"""Replaying the inputs through a fresh Deduper and scoring its decisions against the gold clusters."""

from __future__ import annotations

import itertools
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from typing import Any, Protocol

from streams.dedupe import Decision, Deduper, state_bytes
from streams.model import Rejection
from streams.quality.corpora.fixtures import Source
from streams.quality.evaluate.dedupe.generate import EXPECTED, Item, build


class Decided(Protocol):
    """What scoring needs of a decision (a `Decision`, or one read back from ``wire.decisions``)."""

    @property
    def decision(self) -> str: ...

    @property
    def uri(self) -> str: ...


def _pairs(groups: Iterable[list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for g in groups:
        for a, b in combinations(sorted(g), 2):
            out.add((a, b))
    return out


@dataclass(slots=True)
class Report:
    """What one replay measured."""

    inputs: int = 0
    # None: nothing to score (no predicted pairs for precision, no gold pairs for recall, no update among the
    # inputs). A gate must read that as a failure, never as a perfect score.
    precision: float | None = None
    recall: float | None = None
    update_rate: float | None = None
    kind_accuracy: dict[str, float] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    pred_pairs: int = 0
    gold_pairs: int = 0
    excluded_pairs: int = 0
    false_merges: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    state_bytes: int = 0
    remembered: int = 0
    rejections: int = 0
    uri_of: dict[str, str] = field(default_factory=dict)  # input id -> the story uri it was given
    decision_of: dict[str, str] = field(default_factory=dict)  # input id -> its decision ("rejected" too)

    def as_dict(self) -> dict[str, float | None]:
        """The figures, rounded; None where there was nothing to score."""
        return {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "update_rate": _round(self.update_rate),
            **{f"accuracy_{k}": _round(v) for k, v in sorted(self.kind_accuracy.items())},
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def arrivals(items: list[Item], *, shuffle_within: timedelta | None = None, seed: int = 0
             ) -> list[tuple[Item, datetime]]:
    """The stream the items make: each with the time the stream receives it, in arrival order. In time order,
    an item arrives when it is dated (`Item.when`). With `shuffle_within` (e.g. a day), the arrival order
    is shuffled within each such window of time (seeded): the window's items arrive in a random order at the
    window's own arrival times, so stream time still grows with arrival while the datelines do not."""
    ordered = sorted(items, key=lambda it: (it.when, it.input_id))
    if not shuffle_within:
        return [(it, it.when) for it in ordered]
    rng = random.Random(seed)
    width = shuffle_within.total_seconds()
    out: list[tuple[Item, datetime]] = []
    for _, group in itertools.groupby(ordered, key=lambda it: it.when.timestamp() // width):
        window = list(group)
        times = [it.when for it in window]
        rng.shuffle(window)
        out += zip(window, times, strict=True)
    return out


def replay(items: list[Item], sources: list[Source] | None = None, *, horizon: timedelta = timedelta(days=7),
           real: tuple[set[tuple[str, str]], set[tuple[str, str]]] | None = None,
           shuffle_within: timedelta | None = None, seed: int = 0) -> Report:
    """Run the items through a fresh dict-backed Deduper in arrival order (`arrivals`: time order, or shuffled
    within windows of `shuffle_within`) and score the decisions."""
    stream = arrivals(items, shuffle_within=shuffle_within, seed=seed)
    items = [it for it, _ in stream]
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    dd = Deduper(stories, meta, horizon=horizon)
    decisions: dict[str, Decision] = {}
    rep = Report(inputs=len(items))
    t0 = time.perf_counter()
    for it, received in stream:
        res = dd.process(it.input_id, it.article, received=received)
        if isinstance(res, Rejection):
            rep.rejections += 1
            continue
        d, _ = res
        decisions[it.input_id] = d
        rep.uri_of[it.input_id] = d.uri
    rep.seconds = time.perf_counter() - t0
    rep.state_bytes = state_bytes(stories, meta)
    rep.remembered = len(stories)
    return score(rep, items, decisions, real)


def score(rep: Report, items: list[Item], decisions: Mapping[str, Decided],
          real: tuple[set[tuple[str, str]], set[tuple[str, str]]] | None = None) -> Report:
    """Score `decisions` (input id -> what was decided, for the inputs that were not rejected) against the
    gold clusters of `items` into `rep`: pairwise precision and recall, the confusion per kind of input."""
    cluster_of_uri: dict[str, list[str]] = defaultdict(list)
    for iid, d in decisions.items():
        cluster_of_uri[d.uri].append(iid)
    # gold clusters: generated variants join their source; real same-story pairs join via union-find
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    gold_of_item = {it.input_id: it.cluster for it in items}
    same, ambiguous = real if real is not None else (set(), set())
    for a, b in same:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    gold_groups: dict[str, list[str]] = defaultdict(list)
    for iid, c in gold_of_item.items():
        gold_groups[find(c)].append(iid)
    gold = _pairs(gold_groups.values())
    pred = _pairs(cluster_of_uri.values())
    excluded = set()
    if ambiguous:
        members: dict[str, list[str]] = defaultdict(list)
        for iid, c in gold_of_item.items():
            members[c].append(iid)
        for a, b in ambiguous:
            for x in members.get(a, ()):
                for y in members.get(b, ()):
                    excluded.add((min(x, y), max(x, y)))
    gold -= excluded
    pred_scored = pred - excluded
    tp = len(gold & pred_scored)
    rep.pred_pairs, rep.gold_pairs, rep.excluded_pairs = len(pred_scored), len(gold), len(excluded & (pred | gold))
    rep.precision = tp / len(pred_scored) if pred_scored else None
    rep.recall = tp / len(gold) if gold else None
    rep.false_merges = sorted(pred_scored - gold)[:20]
    rep.missed = sorted(gold - pred_scored)[:20]

    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for it in items:
        got = decisions.get(it.input_id)
        rep.decision_of[it.input_id] = got.decision if got else "rejected"
        confusion[it.kind][rep.decision_of[it.input_id]] += 1
    rep.confusion = {k: dict(v) for k, v in confusion.items()}
    for kind, counts in confusion.items():  # a kind is here only if some input was of that kind
        rep.kind_accuracy[kind] = counts[EXPECTED[kind]] / sum(counts.values())
    rep.update_rate = rep.kind_accuracy.get("update")
    return rep


def gate(sources: list[Source], seeds: Iterable[int], rate: float = 1.0) -> dict[str, float | None]:
    """Metrics averaged over seeds, every fixture story a different story (the test-suite quality gate). A
    metric some seed had nothing to score for is None: a gate fails on it."""
    figures = [replay(build(sources, seed=s, rate=rate), sources, real=(set(), set())).as_dict() for s in seeds]
    keys = {k for f in figures for k in f}
    out: dict[str, float | None] = {}
    for k in sorted(keys):
        values = [v for f in figures if (v := f.get(k)) is not None]
        out[k] = round(sum(values) / len(values), 4) if values and len(values) == len(figures) else None
    return out
