"""A broken stage on the real broker: the worker stops taking input, says it is unhealthy, exits 3, and commits
nothing past the inputs it could not process; after the fix a restarted worker decides every input.

The stage is broken inside a worker the harness starts from tests/kafka/broken_stage.py (a monkeypatch in that
process only: as if a table the stage reads had gone missing). Each stage fails on every input; the policy is set
to trip at 5 of the last 10 so the test stays short."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.kafka import topics
from streams.quality.bench.crash import backlog
from streams.testing.harness import Stack, committed, produce, read_topic

pytestmark = pytest.mark.broker
LIMIT = 5
BROKEN = "tests.kafka.broken_stage"


@pytest.fixture()
def stack_with(bootstrap: str, tmp_path: Path) -> Iterator[Callable[[str], Stack]]:
    """Makes the test's stack with the given guarantee, the policy at 5 of the last 10; stops it afterwards."""
    made: list[Stack] = []

    def make(guarantee: str) -> Stack:
        made.append(Stack(bootstrap, tmp_path, extra_env={
            "SYNDICATE_PROCESSING_GUARANTEE": guarantee, "SYNDICATE_SESSION_TIMEOUT_MS": "6000",
            "SYNDICATE_INTERNAL_ERROR_LIMIT": str(LIMIT), "SYNDICATE_INTERNAL_ERROR_WINDOW": "10"}))
        made[-1].create_topics()
        return made[-1]

    yield make
    for one in made:
        one.stop_all()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Watch:
    """Polls a worker's /metrics and dashboard view until it exits: what its health said while it ran."""

    def __init__(self, proc: Any, port: int) -> None:
        self.proc, self.base = proc, f"http://127.0.0.1:{port}"
        self.healthy: list[str] = []  # the syndicate_healthy lines seen
        self.views: list[dict[str, Any]] = []  # the dashboard's health seen
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.proc.poll() is None:
            try:
                page = urllib.request.urlopen(f"{self.base}/metrics", timeout=2).read().decode()
                self.healthy += [line for line in page.splitlines() if line.startswith("syndicate_healthy ")]
                view = orjson.loads(urllib.request.urlopen(f"{self.base}/dashboard/api/view", timeout=2).read())
                self.views.append(view["health"])
            except OSError:
                pass  # not up yet, or gone
            time.sleep(0.1)


def dead_letters(stack: Stack, isolation: str) -> list[dict[str, Any]]:
    return [r["value"] for r in read_topic(stack.bootstrap, stack.topic(topics.DEAD_LETTER), isolation=isolation)]


def offsets_of(stack: Stack, topic: str) -> dict[str, tuple[int, int]]:
    """input id (the record key) -> (partition, offset) on `topic`."""
    return {r["key"].decode(): (r["partition"], r["offset"]) for r in read_topic(stack.bootstrap, stack.topic(topic))}


def below(where: dict[str, tuple[int, int]], done: dict[int, int | None]) -> set[str]:
    """The input ids whose offsets the group committed past."""
    return {i for i, (p, o) in where.items() if o < (done.get(p) or 0)}


def exit_message(stack: Stack, name: str) -> str:
    log = (stack.workdir / f"{name}.log").read_text()
    return next(line for line in log.splitlines() if line.startswith("syndicate worker: "))


def test_exactly_once_a_broken_tagger_stops_the_worker_and_its_inputs_wait_for_the_fix(
    stack_with: Callable[[str], Stack],
) -> None:
    stack = stack_with("exactly_once")
    records = backlog(25)
    ids = {key.decode() for key, _, _ in records}
    port = free_port()
    worker = stack.start_worker("broken", module=BROKEN, args=("tag", "worker"),
                                extra_env={"SYNDICATE_WEB_ENABLED": "1", "SYNDICATE_WEB_PORT": str(port)})
    watch = Watch(worker, port)
    # a first batch of 3 fails below the limit: dead-lettered and committed, as one poisoned story would be
    produce(stack.bootstrap, stack.topic(topics.RAW), records[:3])
    first = read_topic(stack.bootstrap, stack.topic(topics.DEAD_LETTER), until=3, timeout=60,
                       isolation="read_committed")
    assert len(first) == 3, stack.logs()
    produce(stack.bootstrap, stack.topic(topics.RAW), records[3:])
    assert worker.wait(90) == 3, stack.logs()
    watch.thread.join(10)
    message = exit_message(stack, "broken")
    assert message.startswith(f"syndicate worker: stage tag is broken: {LIMIT} of its last "), message
    assert "The worker stopped without committing the inputs it could not process" in message
    # it said so while it lingered: /metrics and the dashboard
    assert "syndicate_healthy 1.0" in watch.healthy and watch.healthy[-1] == "syndicate_healthy 0.0", watch.healthy
    assert watch.views and watch.views[-1]["healthy"] is False, watch.views
    assert watch.views[-1]["detail"].startswith("stage tag is broken"), watch.views[-1]

    # committed: only what was dead-lettered before the batch in which it tripped (fewer than the limit)
    where = offsets_of(stack, topics.RAW)
    done = committed(stack.bootstrap, f"{stack.app_id}.prepare", stack.topic(topics.RAW), 4)
    letters = dead_letters(stack, "read_committed")
    assert {d["input_id"] for d in letters} == below(where, done), (done, letters)
    assert 3 <= len(letters) < LIMIT and {(d["reason"], d["stage"]) for d in letters} == {("internal-error", "tag")}
    assert read_topic(stack.bootstrap, stack.topic(topics.NORMALIZED), isolation="read_committed") == []

    # the fix: a production worker decides every input; those not dead-lettered are decided for real
    stack.start_worker("fixed")
    decided = stack.decisions_for(ids, timeout=90)
    committed_decisions = {d["input_id"]: d for d in decided}
    assert set(committed_decisions) == ids, stack.logs()
    lost = {d["input_id"] for d in letters}
    assert all(committed_decisions[i]["decision"] != "rejected" for i in ids - lost), \
        [committed_decisions[i] for i in ids - lost]


def test_at_least_once_a_broken_dedupe_stops_decide_and_commits_nothing_past_it(
    stack_with: Callable[[str], Stack],
) -> None:
    stack = stack_with("at_least_once")
    records = backlog(25)
    ids = {key.decode() for key, _, _ in records}
    worker = stack.start_worker("broken", module=BROKEN, args=("dedupe", "worker"))
    produce(stack.bootstrap, stack.topic(topics.RAW), records)
    assert worker.wait(90) == 3, stack.logs()  # without the web server it exits at once
    message = exit_message(stack, "broken")
    assert message.startswith(f"syndicate worker: stage dedupe is broken: {LIMIT} of its last "), message

    where = offsets_of(stack, topics.NORMALIZED)
    done = committed(stack.bootstrap, f"{stack.app_id}.decide", stack.topic(topics.NORMALIZED), 1)
    letters = dead_letters(stack, "read_uncommitted")
    assert {d["input_id"] for d in letters} == below(where, done), (done, letters)
    assert len(letters) < LIMIT and all((d["reason"], d["stage"]) == ("internal-error", "dedupe") for d in letters)
    assert read_topic(stack.bootstrap, stack.topic(topics.ARTICLES)) == []

    stack.start_worker("fixed")
    decided = {d["input_id"]: d for d in stack.decisions_for(ids, timeout=90)}
    assert set(decided) == ids, stack.logs()
    lost = {d["input_id"] for d in letters}
    assert all(decided[i]["decision"] != "rejected" for i in ids - lost), [decided[i] for i in ids - lost]
