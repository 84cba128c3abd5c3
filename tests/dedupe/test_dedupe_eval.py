"""Dedupe quality gate: the evaluator on our own invented stories must stay at or above the pinned baseline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from streams.quality.evaluate.dedupe import (
    Item,
    Source,
    build,
    gate,
    load_sources,
    make_article,
    real_pairs,
    replay,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "dedupe"
BASELINE = orjson.loads((FIXTURES / "baseline.json").read_bytes())


@pytest.fixture(scope="module")
def metrics() -> dict[str, float]:
    return gate(load_sources(str(FIXTURES / "stories.json")), BASELINE["seeds"])


@pytest.mark.parametrize("name", sorted(BASELINE["metrics"]))
def test_metric_not_below_baseline(metrics: dict[str, float], name: str) -> None:
    floor = BASELINE["metrics"][name] - BASELINE["tolerance"]
    assert metrics[name] >= floor, f"{name} dropped to {metrics[name]} (baseline {BASELINE['metrics'][name]})"


@pytest.mark.parametrize("name", sorted(BASELINE["targets"]))
def test_issue_targets_met_on_fixtures(metrics: dict[str, float], name: str) -> None:
    assert metrics[name] >= BASELINE["targets"][name]


def test_scoring_counts_a_wrong_merge_and_a_miss() -> None:
    """The scorer itself: one wrongly merged pair lowers precision, one missed copy lowers recall."""
    src = load_sources(str(FIXTURES / "stories.json"))
    a, b = src[0], src[1]
    items = [
        Item("a", make_article("wire:a", a.headline, a.paragraphs, a.when), "a", "source", a.when),
        # labelled a copy of a but it is b's text: the stage keeps it apart -> a missed pair
        Item("a-copy", make_article("wire:x", b.headline, b.paragraphs, b.when + timedelta(hours=1)), "a", "resend",
             b.when + timedelta(hours=1)),
        # labelled its own story but it is a's text: the stage merges it -> a wrong merge
        Item("c", make_article("wire:c", a.headline, a.paragraphs, a.when + timedelta(hours=2)), "c", "source",
             a.when + timedelta(hours=2)),
    ]
    rep = replay(items, real=(set(), set()))
    assert rep.pred_pairs == 1 and rep.gold_pairs == 1
    assert rep.precision == 0.0 and rep.recall == 0.0


def test_real_pair_labelling_rule() -> None:
    t = load_sources(str(FIXTURES / "stories.json"))[0].when
    body = ["The same body text of a real re-send, word for word."]
    srcs = [
        Source("r1", "ACME RAISES OUTPUT", body, t),
        Source("r2", "ACME RAISES OUTPUT", body, t + timedelta(hours=2)),  # re-send: same story
        Source("r3", "ACME RAISES OUTPUT", body, t + timedelta(days=9)),  # beyond 7 days: different
        Source("r4", "ZENITH <ZNT> REGULAR DIVIDEND", body, t + timedelta(hours=1)),  # other headline: ambiguous
        Source("r5", "ACME RAISES OUTPUT", ["Different figures today."], t + timedelta(days=1)),  # ambiguous
        Source("r6", "ACME RAISES OUTPUT", ["Other figures on Friday."], t + timedelta(days=5)),  # different
    ]
    same, ambiguous = real_pairs(srcs)
    assert same == {("r1", "r2")}
    assert ("r1", "r4") in ambiguous and ("r1", "r5") in ambiguous
    assert ("r1", "r3") not in same | ambiguous and ("r1", "r6") not in same | ambiguous
    assert build(srcs[:1], seed=1, rate=0.0)[0].kind == "source"
