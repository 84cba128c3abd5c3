"""Metrics (pure): the pipeline's observer moves the counters named in the issue; the page parses as Prometheus."""

from __future__ import annotations

from pathlib import Path

import yaml
from prometheus_client.parser import text_string_to_metric_families

from streams.normalize.backlog import read_backlog
from streams.pipeline import Pipeline, State, at_ms
from streams.settings import Settings
from streams.watch.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "backlog"


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(metrics.exposition().decode()):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def run_samples(pipeline: Pipeline) -> None:
    """samples/backlog through prepare and decide, as the loops call them."""
    good, _ = read_backlog([SAMPLES], 5_000_000)
    for record in good:
        for out in pipeline.prepare(record.value, record.key):
            if out.topic == "wire.normalized":
                pipeline.decide(out.value)


def test_the_pipeline_observer_moves_every_counter() -> None:
    pipeline = Pipeline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}),
                        State.in_memory())
    metrics = Metrics(remembered=lambda: float(len(pipeline.state.dedupe_stories)),
                      healthy=lambda: pipeline.policy.tripped is None)
    pipeline.observer = metrics
    before = samples(metrics)
    assert before[("syndicate_inputs_total", (("topic", "wire.raw"),))] == 0
    assert before[("syndicate_healthy", ())] == 1 and before[("syndicate_remembered_stories", ())] == 0
    run_samples(pipeline)
    after = samples(metrics)
    assert after[("syndicate_inputs_total", (("topic", "wire.raw"),))] == 7
    assert after[("syndicate_inputs_total", (("topic", "wire.normalized"),))] == 6
    assert after[("syndicate_decisions_total", (("decision", "new"),))] == 5
    assert after[("syndicate_decisions_total", (("decision", "duplicate"),))] == 1
    assert after[("syndicate_decisions_total", (("decision", "rejected"),))] == 1
    assert after[("syndicate_dead_letters_total", (("reason", "no-reuters-credit"),))] == 1
    assert after[("syndicate_deliveries_total", (("partner", "markets-wire"),))] == 4
    for stage, count in (("normalize", 7), ("tag", 6), ("dedupe", 6), ("route", 6)):
        assert after[("syndicate_stage_seconds_count", (("stage", stage),))] == count
        assert after[("syndicate_stage_seconds_sum", (("stage", stage),))] > 0
    assert after[("syndicate_remembered_stories", ())] == 5


def test_lag_and_health_gauges() -> None:
    broken = {"now": False}
    metrics = Metrics(healthy=lambda: not broken["now"])
    metrics.set_lag({("wire.raw", 2): 17})
    metrics.set_partner_lag({("kremlin-watch", "kw"): 3})
    broken["now"] = True
    got = samples(metrics)
    assert got[("syndicate_consumer_lag", (("partition", "2"), ("topic", "wire.raw")))] == 17
    assert got[("syndicate_partner_lag", (("group", "kw"), ("partner", "kremlin-watch")))] == 3
    assert got[("syndicate_healthy", ())] == 0


def test_held_deliveries_released_by_tick_are_counted_as_deliveries_not_inputs(tmp_path: Path) -> None:
    registry = tmp_path / "partners.yaml"  # 12:00 UTC is 13:00 in Berlin: the night desk's window is closed
    registry.write_text(yaml.safe_dump({"partners": [
        {"id": "night", "name": "Night", "delivery": {"timezone": "Europe/Berlin", "windows": ["22:00-06:00"]}},
        {"id": "all", "name": "All"}]}))
    noon = 1_489_492_800_000  # 2017-03-14T12:00:00Z
    pipeline = Pipeline(Settings.load({"partners_path": registry}, env={}), State.in_memory(), clock=lambda: noon)
    metrics = Metrics()
    pipeline.observer = metrics
    run_samples(pipeline)
    before = samples(metrics)
    assert before[("syndicate_deliveries_total", (("partner", "all"),))] == 5
    assert ("syndicate_deliveries_total", (("partner", "night"),)) not in before  # all five held
    assert pipeline.tick(at_ms(noon + 3_600_000)) == []  # still closed: nothing observed
    released = pipeline.tick(at_ms(noon + 9 * 3_600_000))  # 22:00 in Berlin
    after = samples(metrics)
    assert len(released) == 5
    assert after[("syndicate_deliveries_total", (("partner", "night"),))] == 5
    assert after[("syndicate_deliveries_total", (("partner", "all"),))] == 5
    inputs = {k: v for k, v in after.items() if k[0] == "syndicate_inputs_total"}
    assert inputs == {k: v for k, v in before.items() if k[0] == "syndicate_inputs_total"}  # a release is no input
    assert set(inputs) == {("syndicate_inputs_total", (("topic", t),)) for t in ("wire.raw", "wire.normalized")}
