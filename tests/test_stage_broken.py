"""The internal-error policy on the offline path: one poisoned story is dead-lettered, a broken stage stops
`syndicate process` with exit code 3 and the first traceback, and leaves the output directory as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.cli import main
from streams.errors import StageBrokenError, SyndicateError
from streams.offline import run_offline
from streams.pipeline import Pipeline, State
from streams.settings import Settings
from streams.tag.tagger import Tagger

ROOT = Path(__file__).resolve().parent.parent
STORY = (ROOT / "samples" / "backlog" / "02-coastline-rates.txt").read_text()
NOT_REUTERS = (ROOT / "samples" / "backlog" / "05-not-reuters.txt").read_text()
ORIGINAL_TAG = Tagger.tag_with_evidence


@pytest.fixture()
def backlog(tmp_path: Path) -> Path:
    """12 envelopes; each story differs by its first line, so every one is decided on its own."""
    path = tmp_path / "feed.jsonl"
    lines = [orjson.dumps({"id": f"s{n}", "content": f"Story number {n}.\n{STORY}"}) for n in range(12)]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _settings(**changes: Any) -> Settings:
    return Settings.load({"partners_path": ROOT / "config" / "partners.yaml", **changes}, env={})


def _break_tagger(monkeypatch: pytest.MonkeyPatch, fail_on: set[int] | None = None) -> list[int]:
    """Make the tagger raise on every call (or on the calls numbered in `fail_on`); returns the call log."""
    calls: list[int] = []

    def tag_with_evidence(self: Tagger, article: Any) -> Any:
        calls.append(len(calls))
        if fail_on is None or calls[-1] in fail_on:
            raise RuntimeError("gazetteer table failed to load")
        return ORIGINAL_TAG(self, article)

    monkeypatch.setattr(Tagger, "tag_with_evidence", tag_with_evidence)
    return calls


def _lines(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(x) for x in path.read_bytes().splitlines()]


def test_every_stage_an_input_reaches_is_recorded() -> None:
    pipeline = Pipeline(_settings(), State.in_memory())
    (record,) = pipeline.prepare(orjson.dumps({"id": "a", "content": STORY}), "a")
    pipeline.decide(record.value)
    pipeline.prepare(orjson.dumps({"id": "b", "content": NOT_REUTERS}), "b")  # rejected: bad input, not a bug
    pipeline.prepare(b"{oops", "c")  # refused by the envelope reader before any stage
    failures = {stage: pipeline.policy.failures(stage) for stage in ("normalize", "tag", "dedupe")}
    assert failures == {"normalize": (0, 2), "tag": (0, 1), "dedupe": (0, 1)}
    pipeline.decide({"input_id": "x"})  # not a wire.normalized record: dedupe raised
    assert pipeline.policy.failures("dedupe") == (1, 2)


def test_one_poisoned_story_is_dead_lettered_and_the_run_goes_on(backlog: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _break_tagger(monkeypatch, fail_on={4})
    counts = run_offline(_settings(internal_error_limit=3, internal_error_window=10), [backlog], tmp_path / "o")
    letters = _lines(tmp_path / "o" / "dead-letter.jsonl")
    assert [(x["input_id"], x["stage"], x["reason"]) for x in letters] == [("s4", "tag", "internal-error")]
    assert counts["new"] + counts["update"] + counts["duplicate"] == 11 and counts["rejected"] == 1
    assert not list((tmp_path / "o").glob(".partial-*"))


def test_a_broken_stage_stops_the_run_with_the_first_traceback(backlog: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "decisions.jsonl").write_text("from the last good run\n")
    calls = _break_tagger(monkeypatch)
    with pytest.raises(StageBrokenError) as err:
        run_offline(_settings(internal_error_limit=3, internal_error_window=10), [backlog], out)
    assert len(calls) == 3  # stopped at the third failure, not after dead-lettering all twelve
    message = str(err.value)
    assert message.startswith("stage tag is broken: 3 of its last 3 inputs failed with internal-error")
    assert "Traceback (most recent call last):" in message
    assert "RuntimeError: gazetteer table failed to load" in message
    assert message.endswith(f"Nothing was written to {out}.")
    assert isinstance(err.value, SyndicateError) and err.value.exit_code == 3
    assert sorted(p.name for p in out.iterdir()) == ["decisions.jsonl"]  # the last good run, untouched
    assert (out / "decisions.jsonl").read_text() == "from the last good run\n"


def test_syndicate_process_exits_3_with_the_traceback(backlog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    _break_tagger(monkeypatch)
    code = main(["process", str(backlog), "--out", str(tmp_path / "o"),
                 "--internal-error-limit", "5", "--internal-error-window", "10"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("syndicate process: stage tag is broken: 5 of its last 5 inputs failed")
    assert "RuntimeError: gazetteer table failed to load" in err
    assert not (tmp_path / "o" / "dead-letter.jsonl").exists()


def test_a_bug_outside_the_stages_is_a_crash_with_its_traceback(backlog: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a SyndicateError: the CLI does not dress it up as a clean message (Python prints the traceback)."""
    monkeypatch.chdir(ROOT)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("streams.offline.run_offline", broken)
    with pytest.raises(ZeroDivisionError):
        main(["process", str(backlog), "--out", str(tmp_path / "o")])


def test_the_log_has_one_traceback_per_window_then_one_line_per_failure(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _break_tagger(monkeypatch)
    pipeline = Pipeline(_settings(internal_error_limit=3, internal_error_window=10), State.in_memory())
    for n in range(3):
        pipeline.prepare(orjson.dumps({"id": f"s{n}", "content": STORY}), f"s{n}")
    failures = [r for r in caplog.records if "tag failed" in r.getMessage()]
    assert [r.exc_info is not None for r in failures] == [True, False, False]
    assert failures[1].getMessage() == "tag failed on s1: RuntimeError: gazetteer table failed to load"
    assert pipeline.policy.tripped is not None
