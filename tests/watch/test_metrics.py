"""Metrics (pure): the pipeline's observer moves the counters named in the issue; the page parses as Prometheus."""

from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from streams.pipeline import Pipeline, State
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


def test_the_pipeline_observer_moves_every_counter() -> None:
    from streams.normalize.backlog import read_backlog

    pipeline = Pipeline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}),
                        State.in_memory())
    metrics = Metrics(remembered=lambda: float(len(pipeline.state.dedupe_stories)),
                      healthy=lambda: pipeline.policy.tripped is None)
    pipeline.observer = metrics
    before = samples(metrics)
    assert before[("syndicate_inputs_total", (("topic", "wire.raw"),))] == 0
    assert before[("syndicate_healthy", ())] == 1 and before[("syndicate_remembered_stories", ())] == 0
    good, _ = read_backlog([SAMPLES], 5_000_000)
    for record in good:
        for out in pipeline.prepare(record.value, record.key):
            if out.topic == "wire.normalized":
                pipeline.decide(out.value)
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
