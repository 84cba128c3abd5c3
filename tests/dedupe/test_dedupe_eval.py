"""Dedupe quality gates: generated variants of invented stories, and inputs written and labelled by hand.

The generated gate replays `streams.quality.evaluate.dedupe.gate` over tests/fixtures/dedupe/stories.json:
it is the generator the stage was tuned against, so it can only say the stage still does what it was tuned
to do. The hand-labelled gate replays tests/fixtures/dedupe/handmade/ (read by the normaliser, labels in
labels.json): re-sends, outlet republications (page text and HTML), an update, a correction and a kill,
and different stories that look alike, none of them made by that generator.

Floors are written by hand from the measurement named in each comment; nothing rewrites them.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from streams.dedupe import compare
from streams.model import Envelope, Rejection
from streams.normalize.normalizer import Normalizer
from streams.quality.evaluate.dedupe import (
    EXPECTED,
    Item,
    Report,
    Source,
    build,
    gate,
    load_sources,
    make_article,
    real_pairs,
    replay,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "dedupe"
HANDMADE = FIXTURES / "handmade"
SEEDS = range(1, 9)

# Generated: every variant of the 14 stories (rate 1.0), averaged over seeds 1-8. Measured 2026-11-30: every
# figure 1.0 (precision, recall, updates recognised, accuracy of each kind). Floors: the measurement - 0.01.
GENERATED_FLOORS = {
    "precision": 0.99, "recall": 0.99, "update_rate": 0.99, "accuracy_source": 0.99, "accuracy_resend": 0.99,
    "accuracy_republish": 0.99, "accuracy_trim": 0.99, "accuracy_edit": 0.99, "accuracy_update": 0.99,
    "accuracy_correction": 0.99, "accuracy_kill": 0.99,
}
# Hand-labelled: 19 inputs, 10 same-story pairs. Measured 2026-11-30: pairwise precision 1.0, recall 1.0, every
# look-alike pair kept apart. Floors: the measurement - 0.01 (one wrong pair in 10 fails).
HANDMADE_FLOORS = {"precision": 0.99, "recall": 0.99}
# Inputs the stage decides wrongly today, with what it decides. The test fails when that changes, so a fix
# removes the entry. (rba-2-correction, a correction sent as plain wire text with a small change, was taken for
# an outlet's copy repeating the marker until such a page needed the story to have a later version already.)
KNOWN_WRONG: dict[str, str] = {}


def below_floor(figures: dict[str, float | None], floors: dict[str, float]) -> list[str]:
    """The gate: each figure under its floor, or with nothing to score (None)."""
    return [f"{name} {figures.get(name)}" for name, floor in floors.items()
            if figures.get(name) is None or figures[name] < floor]  # type: ignore[operator]


def handmade_items() -> list[Item]:
    """The hand-written inputs read by the normaliser, each with its hand label."""
    labels = json.loads((HANDMADE / "labels.json").read_text(encoding="utf-8"))["inputs"]
    normalizer = Normalizer()
    items = []
    for name, label in labels.items():
        article = normalizer.normalize(Envelope(id=name, content=(HANDMADE / name).read_text(encoding="utf-8"),
                                                received_at=label["received_at"]))
        assert not isinstance(article, Rejection), (name, article)
        when = datetime.fromisoformat(label["received_at"].replace("Z", "+00:00"))
        items.append(Item(name, article, label["story"], label["kind"], when))
    return items


def handmade_report() -> Report:
    return replay(handmade_items())


@pytest.fixture(scope="module")
def generated() -> dict[str, float | None]:
    return gate(load_sources(str(FIXTURES / "stories.json")), SEEDS)


def test_generated_variants_hold_their_floors(generated: dict[str, float | None]) -> None:
    assert below_floor(generated, GENERATED_FLOORS) == []


def test_hand_labelled_pairs_hold_their_floors() -> None:
    rep = handmade_report()
    assert rep.gold_pairs == 10 and rep.rejections == 0
    assert below_floor({"precision": rep.precision, "recall": rep.recall}, HANDMADE_FLOORS) == [], (
        rep.false_merges, rep.missed)


def test_each_hand_labelled_input_is_decided_as_labelled() -> None:
    rep = handmade_report()
    labels = json.loads((HANDMADE / "labels.json").read_text(encoding="utf-8"))["inputs"]
    wrong = {name: rep.decision_of[name] for name, label in labels.items()
             if rep.decision_of[name] != EXPECTED[label["kind"]]}
    assert wrong == KNOWN_WRONG


def test_gates_fail_with_the_dedupe_threshold_at_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jaccard and containment thresholds at 1.0: only exact copies are the same story."""
    monkeypatch.setattr(compare, "RELATED_JACCARD", 1.0)
    monkeypatch.setattr(compare, "RELATED_CONTAINMENT", 1.0)
    rep = handmade_report()
    assert "recall" in " ".join(below_floor({"precision": rep.precision, "recall": rep.recall}, HANDMADE_FLOORS))
    failed = below_floor(gate(load_sources(str(FIXTURES / "stories.json")), SEEDS), GENERATED_FLOORS)
    assert {f.split()[0] for f in failed} >= {"recall", "update_rate"}, failed  # measured: 0.771, 0.777


def test_nothing_to_score_is_not_a_perfect_score() -> None:
    """One story and no copy of it: no pair to score, so precision and recall are None and the gate fails."""
    src = load_sources(str(FIXTURES / "stories.json"))[0]
    rep = replay([Item("a", make_article("wire:a", src.headline, src.paragraphs, src.when), "a", "source", src.when)])
    assert (rep.precision, rep.recall, rep.update_rate) == (None, None, None)
    assert below_floor(rep.as_dict(), HANDMADE_FLOORS) == ["precision None", "recall None"]
    assert gate([src], [1], rate=0.0)["recall"] is None


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
