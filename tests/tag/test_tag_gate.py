"""Quality gate for the tag stage on our own invented Reuters-style stories (tests/fixtures/tagging/stories.json).

Floors are written by hand below, each from a measurement named in its comment; nothing rewrites them
from the current output. Raise a floor when the tagger improves; lowering one needs a reason in the commit.

Gold, labelled by hand per story: `places` (the countries the story is about, ISO alpha-2), `people`,
`orgs`, and for subjects the one main Media Topic (`subjects`, what recall is scored on) plus
`subjects_also`, other topics a desk editor would accept for the story (e.g. "central bank" beside
"interest rates" for a central bank's rate decision). A predicted subject counts towards precision when it
is one of those or the top-level ancestor of one (the tagger adds the top-level topic by design); any other
predicted subject is a false positive. Predictions are never intersected with the gold.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.tag.tagger import Tagger

FIX = Path(__file__).parents[1] / "fixtures" / "tagging"
TASKS = ("places", "people", "organisations", "subjects")

# Measured 2026-11-30 on the 34 stories (`pytest tests/tag/test_tag_gate.py -s` prints the figures):
#   places        P 0.9744 R 0.7308 F1 0.8352
#   people        P 1.0    R 1.0    F1 1.0
#   organisations P 1.0    R 1.0    F1 1.0
#   subjects      P 0.9571 R 0.7059 F1 0.8125  (precision against subjects + subjects_also + their top level)
# Each floor is the measurement less 0.01: one more error on this small set fails the gate. Stories t29-t34
# (added 2026-11-30) name their country only in the dateline, as much real wire copy does: without them
# the gate could not see the dateline rule go (removing it traded t07 and t21 for countries the dateline's
# weight had hidden in t04 and t11, and places recall rose).
FLOORS: dict[str, dict[str, float]] = {
    "places": {"precision": 0.9644, "recall": 0.7208, "f1": 0.8252},
    "people": {"precision": 0.99, "recall": 0.99, "f1": 0.99},
    "organisations": {"precision": 0.99, "recall": 0.99, "f1": 0.99},
    "subjects": {"precision": 0.9471, "recall": 0.6959, "f1": 0.8025},
}


def _prf(right_predicted: int, predicted: int, found: int, gold: int) -> dict[str, float]:
    """Precision over what was predicted, recall over the gold; nothing to score is 0, never 1."""
    p = right_predicted / predicted if predicted else 0.0
    r = found / gold if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def scores(tagger: Tagger) -> dict[str, dict[str, float]]:
    stories = json.loads((FIX / "stories.json").read_text(encoding="utf-8"))
    counts = {k: [0, 0, 0, 0] for k in TASKS}  # right predicted, predicted, gold found, gold
    for s in stories:
        art = {"type": "text", "headlines": [{"role": "main", "value": s["headline"]}], "located": s["dateline"],
               "bodies": [{"role": "main", "contenttype": "text/plain", "value": s["body"]}]}
        out = tagger.tag(art)
        accepted = set(s["subjects"] + s["subjects_also"])
        accepted |= {f"medtop:{tagger.topics[a.removeprefix('medtop:')][2]}" for a in accepted}  # their top level
        triples = {  # (predicted, accepted as right, gold for recall)
            "places": ({p["literal"] for p in out.get("places", []) if len(p.get("literal", "")) == 2},
                       set(s["places"]), set(s["places"])),
            "people": ({p["name"] for p in out.get("people", []) if p.get("rel") != "author"}, set(s["people"]),
                       set(s["people"])),
            "organisations": ({o["name"] for o in out.get("organisations", [])}, set(s["orgs"]), set(s["orgs"])),
            "subjects": ({x["literal"] for x in out.get("subjects", [])}, accepted, set(s["subjects"])),
        }
        for key, (pred, right, gold) in triples.items():
            c = counts[key]
            c[0] += len(pred & right)
            c[1] += len(pred)
            c[2] += len(gold & pred)
            c[3] += len(gold)
    return {k: _prf(*v) for k, v in counts.items()}


def below_floor(figures: dict[str, dict[str, float]]) -> list[str]:
    """The gate: every (task, metric) under its floor."""
    return [f"{task} {metric} {figures[task][metric]} < {floor}" for task, floors in FLOORS.items()
            for metric, floor in floors.items() if figures[task][metric] < floor]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.build()


def test_tagging_holds_its_floors(tagger: Tagger) -> None:
    figures = scores(tagger)
    print(json.dumps(figures, indent=1))
    assert below_floor(figures) == []


def test_gate_fails_with_the_dateline_rule_removed(tagger: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(type(tagger.places), "in_dateline", lambda self, text: [])
    failed = below_floor(scores(tagger))
    assert failed and all(f.startswith("places") for f in failed), failed  # measured: recall 0.6731, F1 0.7955
    assert any(f.startswith("places recall") for f in failed), failed


def test_subject_precision_counts_wrong_topics(tagger: Tagger, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tagger that adds a wrong topic to every story loses subject precision and keeps its recall (it would
    have kept a perfect precision when the predictions were intersected with the gold)."""
    before = scores(tagger)["subjects"]
    real = tagger.subjects.items

    def with_a_wrong_topic(*args, **kwargs):  # type: ignore[no-untyped-def]
        return [*real(*args, **kwargs), {"name": "sport", "literal": "medtop:15000000", "rel": "direct"}]

    monkeypatch.setattr(tagger.subjects, "items", with_a_wrong_topic)
    after = scores(tagger)["subjects"]
    assert after["recall"] == before["recall"] > 0
    assert after["precision"] < 0.7 < before["precision"]
    assert "subjects precision" in " ".join(below_floor({**scores(tagger), "subjects": after}))
