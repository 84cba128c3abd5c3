"""SIGKILLs mid-stream on the real broker, each landing while the worker has uncommitted work in hand, compared
with `syndicate process` on the same backlog (the full run: `syndicate bench crash --kills 20`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from streams.quality.bench.crash import backlog, crash_run
from streams.testing.harness import Stack

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]
PARTNERS = ROOT / "config" / "partners.yaml"


def stack_for(bootstrap: str, workdir: Path, guarantee: str) -> Stack:
    stack = Stack(bootstrap, workdir, extra_env={"SYNDICATE_PROCESSING_GUARANTEE": guarantee,
                                                 "SYNDICATE_SESSION_TIMEOUT_MS": "6000"})
    stack.create_topics()
    return stack


@pytest.fixture()
def exactly_once(bootstrap: str, tmp_path: Path) -> Iterator[Stack]:
    stack = stack_for(bootstrap, tmp_path, "exactly_once")
    yield stack
    stack.stop_all()


@pytest.fixture()
def at_least_once(bootstrap: str, tmp_path: Path) -> Iterator[Stack]:
    stack = stack_for(bootstrap, tmp_path, "at_least_once")
    yield stack
    stack.stop_all()


def test_three_kills_mid_stream_leave_every_version_once_for_read_committed_partners(
    exactly_once: Stack, tmp_path: Path
) -> None:
    records = backlog(110)  # 132 inputs at 4/s: the stream outlasts three kills and restarts
    ids = {key.decode() for key, _, _ in records}
    report = crash_run(exactly_once, records, kills=3, rate=4, partners_path=PARTNERS, out_dir=tmp_path)
    # the faults happened: three SIGKILLs, each while a transaction holding decisions was open and before the last
    # input was sent; the restarted worker processed those inputs again (their first decisions were aborted)
    assert len(report.kills) == 3 and all(k.in_hand and k.sent < len(records) for k in report.kills), report.kills
    assert report.aborted > 0
    # and nothing shows: every input has exactly one committed decision, every partner topic holds each
    # (uri, version) once and exactly what `syndicate process` delivers on the same backlog
    assert report.problems(ids, exactly_once=True) == [], exactly_once.logs()
    assert sum(len(kafka) for kafka, _ in report.partners.values()) > 50
    assert all(kafka for kafka, _ in report.partners.values()), {p: len(k) for p, (k, _) in report.partners.items()}


def test_at_least_once_a_kill_mid_stream_replays_inputs_and_loses_nothing(
    at_least_once: Stack, tmp_path: Path
) -> None:
    # 192 inputs at 20/s: at-least-once, work is in hand only from a batch's decisions to its offset commit (a few
    # ms), so the batches come often and the kill (after a third is sent) has about 6 s of stream to catch one
    records = backlog(160)
    ids = {key.decode() for key, _, _ in records}
    report = crash_run(at_least_once, records, kills=1, rate=20, partners_path=PARTNERS, out_dir=tmp_path)
    # killed with decisions written but their wire.normalized offsets not committed: those inputs come again
    assert report.kills[0].in_hand and report.kills[0].sent < len(records), report.kills
    assert report.replayed > 0
    # every input decided, every partner has every version `syndicate process` delivers and nothing else (a
    # version may come twice: at-least-once, see docs/architecture.md "Delivery guarantees")
    assert report.problems(ids, exactly_once=False) == [], at_least_once.logs()
