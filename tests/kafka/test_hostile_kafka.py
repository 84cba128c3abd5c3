"""The nastiest inputs through a live worker on the real broker: each a dead letter with its exact bytes (5 MB
ones too: every topic takes records that large), the stories among them decided, and the worker still running."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import orjson
import pytest

from streams.kafka import topics
from streams.quality.bench.flood import _dead_letters
from streams.quality.bench.monitor import Feeder
from streams.quality.hostile import nastiest
from streams.testing.harness import Stack

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]


def test_hostile_inputs_on_kafka_are_dead_lettered_with_their_bytes_and_stories_still_go_through(
    bootstrap: str, tmp_path: Path
) -> None:
    stack = Stack(bootstrap, tmp_path)
    stack.create_topics()
    hostile = nastiest()
    stories = [(f"story-{p.stem}".encode(), orjson.dumps({"id": f"story-{p.stem}", "content": p.read_text()}))
               for p in sorted((ROOT / "samples" / "backlog").glob("0[1-3]*.txt"))]
    records = [(h.key.encode(), h.value, n % 4) for n, h in enumerate(hostile)]
    records[5:5] = [(k, v, 0) for k, v in stories[:1]]
    records += [(k, v, 0) for k, v in stories[1:]]
    try:
        worker = stack.start_worker()
        feeder = Feeder(stack.bootstrap, stack.topic(topics.RAW), records, rate=None)
        feeder.start()
        feeder.join()
        assert feeder.error is None
        keys = {h.key for h in hostile} | {k.decode() for k, _ in stories}
        decisions = {d["input_id"]: d for d in stack.decisions_for(keys, timeout=180)}
        letters = asyncio.run(_dead_letters(stack.bootstrap, stack.topic(topics.DEAD_LETTER),
                                            {h.key.encode() for h in hostile}, timeout=60))
        assert worker.poll() is None, stack.logs()
    finally:
        stack.stop_all()


    for h in hostile:
        _stage, reason, digest = letters[h.key.encode()]
        assert reason and digest == hashlib.blake2b(h.value, digest_size=16).digest(), (h.kind, h.variant)
        assert decisions[h.key]["decision"] == "rejected"
    assert max(len(h.value) for h in hostile) > 4_000_000  # records of 5 MB went through the broker both ways
    assert all(decisions[k.decode()]["decision"] != "rejected" for k, _ in stories[:2]), \
        [decisions[k.decode()] for k, _ in stories]
