"""Prometheus metrics of one worker: a registry of its own (no module globals), fed by the pipeline's observer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from streams import model

#: The stages `syndicate_stage_seconds` times (the pipeline calls the observer with these names).
STAGES = ("normalize", "tag", "dedupe", "route")
#: Stage times run from ~0.1 ms (dedupe on a small index) to tens of ms (a long HTML page): buckets in seconds.
STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
#: The topic each pipeline step reads, for `syndicate_inputs_total{topic}`.
STEP_INPUT = {"prepare": model.RAW, "decide": model.NORMALIZED}
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """What a worker exposes at /metrics. It is the pipeline's observer (`stage`, `outputs`); the lag poller
    sets the lag gauge; `remembered` and `healthy` are read when Prometheus scrapes."""

    def __init__(self, *, remembered: Callable[[], float] | None = None,
                 healthy: Callable[[], bool] | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.inputs = Counter("syndicate_inputs", "inputs taken by a pipeline step, by the topic read",
                              ["topic"], registry=r)
        self.decisions = Counter("syndicate_decisions", "decisions made, by kind", ["decision"], registry=r)
        self.dead_letters = Counter("syndicate_dead_letters", "inputs dead-lettered, by reason", ["reason"],
                                    registry=r)
        self.deliveries = Counter("syndicate_deliveries", "articles delivered, by partner", ["partner"], registry=r)
        self.stage_seconds = Histogram("syndicate_stage_seconds", "time one input spends in a stage", ["stage"],
                                       buckets=STAGE_BUCKETS, registry=r)
        self.lag = Gauge("syndicate_consumer_lag", "records not yet processed by the worker's consumer group",
                         ["topic", "partition"], registry=r)
        self.partner_lag = Gauge("syndicate_partner_lag", "records a partner's consumer group has not read",
                                 ["partner", "group"], registry=r)
        self.remembered = Gauge("syndicate_remembered_stories", "stories the dedupe state remembers", registry=r)
        self.healthy = Gauge("syndicate_healthy", "1 while every stage is healthy; 0 once the internal-error "
                             "policy has tripped", registry=r)
        if remembered is not None:
            self.remembered.set_function(remembered)
        self.healthy.set_function(lambda: 1.0 if healthy is None or healthy() else 0.0)
        for stage in STAGES:  # every stage shows from the start, at zero
            self.stage_seconds.labels(stage)
        for topic in STEP_INPUT.values():
            self.inputs.labels(topic)

    # -- the pipeline's observer --------------------------------------------------------------------------
    def stage(self, name: str, seconds: float) -> None:
        self.stage_seconds.labels(name).observe(seconds)

    def outputs(self, step: str, outputs: Sequence[Any]) -> None:
        """One input went through `step` (prepare or decide) and gave these outputs (pipeline.Output); or held
        deliveries were released (`tick`: deliveries counted, no input)."""
        if step in STEP_INPUT:
            self.inputs.labels(STEP_INPUT[step]).inc()
        for out in outputs:
            if out.topic == model.DECISIONS:
                self.decisions.labels(str(out.value.get("decision"))).inc()
            elif out.topic == model.DEAD_LETTER:
                self.dead_letters.labels(str(out.value.get("reason"))).inc()
            elif out.topic.startswith(model.PARTNER_PREFIX):
                self.deliveries.labels(out.topic.removeprefix(model.PARTNER_PREFIX)).inc()

    # -- set by the lag poller ----------------------------------------------------------------------------
    def set_lag(self, lags: dict[tuple[str, int], int]) -> None:
        for (topic, partition), lag in lags.items():
            self.lag.labels(topic, str(partition)).set(lag)

    def set_partner_lag(self, lags: dict[tuple[str, str], int]) -> None:
        for (partner, group), lag in lags.items():
            self.partner_lag.labels(partner, group).set(lag)

    def exposition(self) -> bytes:
        """The page /metrics serves (Prometheus text format)."""
        return bytes(generate_latest(self.registry))
