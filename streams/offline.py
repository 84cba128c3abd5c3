"""`syndicate process`: the whole pipeline without Kafka, the same two steps, one JSON-lines file per topic."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from streams import model
from streams.dedupe.clock import OrderClock
from streams.errors import StageBrokenError
from streams.guard.breaker import InternalErrorPolicy
from streams.normalize.backlog import read_backlog
from streams.pipeline import Clock, Output, Pipeline, State, at_ms, dead_letter
from streams.route.router import Held
from streams.settings import Settings

__all__ = ["run_offline"]


def _write_line(out: Any, value: Any) -> None:
    """One JSON line; a non-JSON payload (NewsML-G2 XML) is written as a JSON string holding the document."""
    out.write(orjson.dumps(value.decode("utf-8") if isinstance(value, bytes) else value) + b"\n")


def run_offline(
    settings: Settings, paths: Sequence[Path], out_dir: Path, clock: Clock | None = None, *,
    until: datetime | None = None, held_out: list[Held] | None = None, pipeline: Pipeline | None = None,
) -> Counter[str]:
    """The whole pipeline without Kafka: same Pipeline, in-memory state, one JSONL file per topic.

    The files are written in a hidden directory inside `out_dir` and moved into place when the run is
    done, so a run stopped by a broken stage (StageBrokenError: the internal-error policy tripped) leaves
    `out_dir` as it was instead of leaving a dead-letter file full of `internal-error`.

    Stream time offline: an input's ``received_at`` (clamped like on Kafka), else the offline clock `clock`,
    by default `OrderClock()`: the time the run started plus one millisecond per input in backlog order.

    Deliveries are routed at each input's stream time; held ones (embargo, windows, rate) are released as it
    moves on and, after the last input, at `until` (when later); what is still held then goes to
    DIR/held.jsonl, with the reason (and to `held_out`).

    `pipeline`: one built beforehand (with in-memory state and its own clock), so that a benchmark can time
    the run without the build."""
    pipeline = pipeline or Pipeline(settings, State.in_memory(), clock=clock or OrderClock())
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        counts = _process_into(pipeline, paths, work, until)
        end = max(until or datetime.min.replace(tzinfo=UTC), at_ms(pipeline.last_stream_ms or 0))
        held = pipeline.router.still_held(end)
        with (work / "held.jsonl").open("wb") as f:
            for h in held:
                _write_line(f, {"partner": h.partner_id, "uri": h.uri, "version": h.version, "reason": h.reason,
                                "until": h.until})
        if held:
            counts["held"] = len(held)
        if held_out is not None:
            held_out.extend(held)
    except StageBrokenError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise StageBrokenError(f"{exc}\nNothing was written to {out_dir}.") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    for path in sorted(work.rglob("*.jsonl")):
        target = out_dir / path.relative_to(work)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    shutil.rmtree(work)
    return counts


def _check(policy: InternalErrorPolicy) -> None:
    trip = policy.tripped
    if trip is not None:
        raise StageBrokenError(f"{trip.describe()}. The first failure in that window:\n{trip.first_traceback}")


def _process_into(pipeline: Pipeline, paths: Sequence[Path], out_dir: Path, until: datetime | None) -> Counter[str]:
    (out_dir / "partners").mkdir(exist_ok=True)
    files: dict[str, Any] = {}

    def file_for(logical: str) -> Any:
        if logical not in files:
            if logical.startswith(model.PARTNER_PREFIX):
                path = out_dir / "partners" / f"{logical.removeprefix(model.PARTNER_PREFIX)}.jsonl"
            else:
                path = out_dir / {model.ARTICLES: "articles.jsonl", model.DECISIONS: "decisions.jsonl",
                                  model.DEAD_LETTER: "dead-letter.jsonl"}[logical]
            files[logical] = path.open("wb")
        return files[logical]

    for name in (model.ARTICLES, model.DECISIONS, model.DEAD_LETTER):
        file_for(name)
    for partner in pipeline.partners:
        file_for(model.partner_topic(partner.id))
    counts: Counter[str] = Counter()

    def write(outputs: Sequence[Output]) -> None:
        for o in outputs:
            _write_line(file_for(o.topic), o.value)
            if o.topic == model.DECISIONS and isinstance(o.value, dict):
                counts[o.value["decision"]] += 1
            elif o.topic.startswith(model.PARTNER_PREFIX):
                counts[o.topic] += 1

    good, refused = read_backlog(paths, pipeline.settings.max_input_bytes)
    try:
        for r in refused:
            for o in dead_letter(r.origin, "ingest", r.rejection, r.original, {"path": r.origin}):
                _write_line(file_for(o.topic), o.value)
            counts["rejected"] += 1
        for record in good:
            prepared = pipeline.prepare(record.value, record.key, {"path": record.origin})
            _check(pipeline.policy)
            for out in prepared:
                if out.topic != model.NORMALIZED:
                    write([out])
                    continue
                write(pipeline.decide(out.value))
                _check(pipeline.policy)
                if pipeline.last_stream_ms is not None:
                    write(pipeline.tick(at_ms(pipeline.last_stream_ms)))
        last = at_ms(pipeline.last_stream_ms or 0)
        write(pipeline.tick(max(until, last) if until else last))
    finally:
        for f in files.values():
            f.close()
    return counts
