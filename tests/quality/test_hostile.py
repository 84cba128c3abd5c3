"""The nastiest inputs through the pure pipeline: each one a dead letter with its reason and its bytes, none a
story, and the stream after them decided as if they had never come."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import orjson
import pytest

from streams import model
from streams.contracts import Contracts
from streams.guard.deadline import DEFAULT_BUDGET_MS
from streams.pipeline import Pipeline, State
from streams.quality.hostile import MAKERS, Hostile, nastiest, signoff_backtracking_input
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STORY = (ROOT / "samples" / "backlog" / "02-coastline-rates.txt").read_text()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}), State.in_memory())


@pytest.fixture(scope="module")
def outcomes(pipeline: Pipeline) -> list[tuple[Hostile, list]]:
    return [(h, pipeline.prepare(h.value, h.key)) for h in nastiest()]


def test_the_set_covers_every_kind(outcomes: list) -> None:
    assert {h.kind for h, _ in outcomes} == set(MAKERS)


def test_each_hostile_input_is_a_dead_letter_with_its_reason_and_bytes(outcomes: list) -> None:
    contracts = Contracts()
    for hostile, outputs in outcomes:
        topics = [o.topic for o in outputs]
        assert topics == [model.DEAD_LETTER, model.DECISIONS], (hostile.kind, hostile.variant, topics)
        letter, decision = outputs[0].value, outputs[1].value
        assert letter["reason"] and letter["detail"] is not None, hostile.variant
        assert base64.b64decode(letter["original_b64"]) == hostile.value, hostile.variant
        assert decision["decision"] == "rejected" and decision["input_id"] == letter["input_id"]
        assert not list(contracts.dead_letter.iter_errors(letter)), hostile.variant


def test_hostile_html_is_refused_before_the_parsers_see_it(outcomes: list) -> None:
    reasons = {o[0].value["reason"] for h, o in outcomes if h.kind == "nested-html"}
    assert reasons == {"too-complex"}


def test_the_next_story_is_decided_as_if_nothing_had_come(pipeline: Pipeline, outcomes: list) -> None:
    (record,) = pipeline.prepare(orjson.dumps({"id": "after", "content": STORY}), "after")
    decided = pipeline.decide(record.value)
    fresh = Pipeline(pipeline.settings, State.in_memory())
    (alone,) = fresh.prepare(orjson.dumps({"id": "after", "content": STORY}), "after")
    assert [(o.topic, o.value.get("decision")) for o in decided] == [
        (o.topic, o.value.get("decision")) for o in fresh.decide(alone.value)]
    assert decided[0].value["decision"] == "new" and decided[0].value["deliveries"]


#: The Reuters-21578 signoff pattern as it was until issue 13: exponential on "Reuter" and a run of dots.
OLD_SIGNOFF = re.compile(r"(?:\s*\bReuters?(?:[\s.]+|\^M|\s+[A-Z]{1,3}\b|\d)*)+$", re.IGNORECASE)


def test_a_regex_that_backtracks_is_stopped_and_the_input_dead_lettered_too_slow(monkeypatch) -> None:
    """The budget on the real pipeline, with the pattern that shipped before the fix: the stage is stopped at
    the budget (800 ms by default), the input is a `too-slow` dead letter with its bytes, and the next story is
    decided as usual."""
    from streams.normalize.formats import reuters21578

    monkeypatch.setattr(reuters21578, "_SIGNOFF", OLD_SIGNOFF)
    pipeline = Pipeline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}), State.in_memory())
    hostile = signoff_backtracking_input()
    letter, decision = (o.value for o in pipeline.prepare(hostile.value, hostile.key))
    assert (letter["stage"], letter["reason"]) == ("normalize", "too-slow")
    assert f"budget per input is {DEFAULT_BUDGET_MS} ms" in letter["detail"]
    assert base64.b64decode(letter["original_b64"]) == hostile.value
    assert decision["decision"] == "rejected" and decision["reason"] == "too-slow"
    assert pipeline.policy.tripped is None  # the input did it, not a broken stage
    (record,) = pipeline.prepare(orjson.dumps({"id": "next", "content": STORY}), "next")
    assert pipeline.decide(record.value)[0].value["decision"] == "new"


def test_the_fixed_signoff_reads_the_same_input_at_once(pipeline: Pipeline) -> None:
    hostile = signoff_backtracking_input()
    letter = pipeline.prepare(hostile.value, hostile.key)[0].value
    assert letter["reason"] == "no-reuters-credit"  # read to the end: "Reuter" and dots then a letter is no signoff
