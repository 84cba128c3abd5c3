"""The internal-error policy inside a loop, without a broker: the batch in which it trips is dropped whole (no
outputs, no offsets), earlier batches keep their `internal-error` dead letters, and the worker's exit error says
why (the same stopping on the real broker: tests/kafka/test_broken_stage.py)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import TopicPartition

from streams.errors import StageBrokenError
from streams.kafka import topics
from streams.runtime.app import EXIT_STAGE_BROKEN, Runtime
from streams.runtime.loop import StageLoop
from streams.settings import Settings
from streams.tag.tagger import Tagger

ROOT = Path(__file__).resolve().parents[2]
STORY = (ROOT / "samples" / "backlog" / "01-northgate-kremlin-baltic.txt").read_text()
RAW = "p.wire.raw"


class Record:
    """The fields of an aiokafka ConsumerRecord a loop reads."""

    def __init__(self, partition: int, offset: int) -> None:
        self.topic, self.partition, self.offset, self.timestamp = RAW, partition, offset, 1_700_000_000_000
        self.key = f"s{partition}-{offset}".encode()
        self.value = orjson.dumps({"id": self.key.decode(), "content": STORY})


def batch(*spans: tuple[int, int, int]) -> dict[TopicPartition, list[Any]]:
    """(partition, first offset, count) -> a `getmany` result."""
    return {TopicPartition(RAW, p): [Record(p, o) for o in range(first, first + n)] for p, first, n in spans}


@pytest.fixture()
def runtime(tmp_path: Path) -> Runtime:
    settings = Settings.load({"data_dir": tmp_path, "app_id": "trip-test", "topic_prefix": "p.",
                              "partners_path": ROOT / "config" / "partners.yaml",
                              "internal_error_limit": 3, "internal_error_window": 5}, env={})

    async def no_changelog(topic: str, apply: Any) -> int:
        return 0

    return Runtime(settings, restore=no_changelog)


def ready(loop: StageLoop, *partitions: int) -> None:
    for p in partitions:
        tp = TopicPartition(RAW, p)
        loop.ready.add(tp)
        loop.expected[tp] = 0


def bad_normalized(decide: StageLoop) -> dict[TopicPartition, list[Any]]:
    """A wire.normalized batch of one record that is not JSON (an internal error of decide's own), its
    partition made ready."""
    tp = TopicPartition("p.wire.normalized", 0)
    decide.ready.add(tp)
    decide.expected[tp] = 0
    record = Record(0, 0)
    record.topic, record.value = tp.topic, b"{not json"
    return {tp: [record]}


def broken_tagger(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Any, article: Any) -> Any:
        raise FileNotFoundError("streams/tag/data/places.tsv")

    monkeypatch.setattr(Tagger, "tag_with_evidence", broken)


def dead_letters(work: Any) -> list[dict[str, Any]]:
    return [orjson.loads(v) for w in work.values() for t, _, v, _ in w.records if t == f"p.{topics.DEAD_LETTER}"]


def test_a_healthy_batch_is_committed_and_the_worker_stays_healthy(runtime: Runtime) -> None:
    prepare = runtime.loops[0]
    ready(prepare, 0, 1)
    work = prepare._process(batch((0, 0, 2), (1, 0, 2)), {})
    assert work is not None and {p: w.next_offset for p, w in work.items()} == {0: 2, 1: 2}
    assert dead_letters(work) == [] and runtime.healthy and runtime.broken() is None


def test_failures_below_the_limit_are_dead_lettered_and_committed(runtime: Runtime,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    prepare = runtime.loops[0]
    ready(prepare, 0)
    broken_tagger(monkeypatch)
    work = prepare._process(batch((0, 0, 2)), {})  # 2 internal errors, the limit is 3: one poisoned story's case
    assert work is not None and work[0].next_offset == 2  # committed past them, with their dead letters
    assert [(d["input_id"], d["reason"], d["stage"]) for d in dead_letters(work)] == [
        ("s0-0", "internal-error", "tag"), ("s0-1", "internal-error", "tag")]
    assert runtime.healthy and prepare.stats.internal_errors == 2


def test_the_batch_in_which_the_policy_trips_is_dropped_whole(runtime: Runtime, monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    prepare = runtime.loops[0]
    ready(prepare, 0, 1, 2)
    assert prepare._process(batch((0, 0, 1)), {}) is not None  # a healthy batch first
    broken_tagger(monkeypatch)
    assert prepare._process(batch((0, 1, 2)), {}) is not None  # 2 failures: written with their dead letters
    with caplog.at_level(logging.ERROR, logger="streams.runtime.loop"):
        # the third failure trips it: nothing of this batch (partitions 1 and 2 included) is returned to write
        assert prepare._process(batch((1, 0, 2), (0, 3, 4), (2, 0, 1)), {}) is None
    assert not runtime.healthy and prepare.stats.healthy is False and prepare._stopping
    assert prepare.stats.failure is not None and prepare.stats.failure.startswith("stage tag is broken: 3 of its last")
    (message,) = [r.getMessage() for r in caplog.records if "loop stopped" in r.getMessage()]
    assert message.startswith("prepare loop stopped: stage tag is broken: 3 of its last 4 inputs failed")
    assert "(p.wire.raw: partition 0 from offset 3, partition 1 from offset 0, partition 2 from offset 0)" in message
    assert message.rstrip().endswith("FileNotFoundError: streams/tag/data/places.tsv")
    assert "Traceback (most recent call last)" in message


def test_a_stateful_stage_forgets_what_the_dropped_batch_changed(runtime: Runtime,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    decide = runtime.loops[1]
    asyncio.run(runtime.decide.restore())
    forgotten: list[bool] = []
    monkeypatch.setattr(runtime.decide, "forget", lambda: forgotten.append(True))
    for _ in range(3):
        runtime.pipeline.policy.record("dedupe", True, "KeyError: x")
    assert decide._process(bad_normalized(decide), {}) is None and forgotten == [True]


def test_a_loop_does_not_stop_for_another_loops_stage(runtime: Runtime) -> None:
    """prepare's tagger tripped the (shared) policy; decide dead-letters a bad record of its own as usual and
    commits it, until the worker stops every loop."""
    for _ in range(3):
        runtime.pipeline.policy.record("tag", True, "FileNotFoundError: x")
    asyncio.run(runtime.decide.restore())
    decide = runtime.loops[1]
    work = decide._process(bad_normalized(decide), {})
    assert work is not None and work[0].next_offset == 1 and decide.stats.healthy


def test_the_worker_exits_with_the_reason_and_code_3(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare = runtime.loops[0]
    ready(prepare, 0)
    broken_tagger(monkeypatch)
    assert prepare._process(batch((0, 0, 3)), {}) is None
    assert runtime.broken() is None  # until the loop reports it (on_fatal)
    asyncio.run(prepare.on_fatal("x"))  # type: ignore[misc]
    error = runtime.broken()
    assert isinstance(error, StageBrokenError) and error.exit_code == EXIT_STAGE_BROKEN == 3
    assert str(error).startswith("stage tag is broken: 3 of its last 3 inputs failed with internal-error (the policy "
                                 "trips at 3 of the last 5: SYNDICATE_INTERNAL_ERROR_LIMIT, "
                                 "SYNDICATE_INTERNAL_ERROR_WINDOW). The worker stopped without committing")
