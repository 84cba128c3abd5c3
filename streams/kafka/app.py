"""The Faust app: topics, the tables state lives in, and agents that run the pipeline's two steps through the guard."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

import faust

from streams.kafka import codec, topics
from streams.kafka.feed import Feed, Inbound, json_or_none
from streams.kafka.guard import Guard, Sink
from streams.kafka.progress import TABLES, Progress
from streams.kafka.refetch import fetch_range
from streams.pipeline import Output, Pipeline, State
from streams.settings import Settings

log = logging.getLogger(__name__)

#: Producer batching window. Faust's default (0) sends every record in its own produce request; with a
#: decision, an article and partner copies per input that was most of the worker's time (py-spy, bench e2e).
#: 5 ms adds at most 5 ms of latency per hop and lets a batch form.
PRODUCER_LINGER_SECONDS = 0.005

#: How often a worker checks that nothing it was assigned sits unprocessed at the end of a partition (a gap
#: Faust left behind with no later record to reveal it). A partition must look stuck on two checks in a row.
TAIL_CHECK_SECONDS = 5.0


def create_app(settings: Settings, sink: Sink | None = None) -> faust.App:
    """Build the app. `sink` replaces sending to Kafka (the agent-wiring tests collect outputs with it)."""
    codec.register()
    app = faust.App(
        settings.app_id,
        broker=f"kafka://{settings.bootstrap_servers}",
        store=settings.store,
        datadir=str(settings.data_dir),
        processing_guarantee=settings.processing_guarantee,
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        topic_partitions=settings.raw_partitions,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        table_standby_replicas=0,
        key_serializer="raw",
        value_serializer="raw",
        producer_linger=PRODUCER_LINGER_SECONDS,
    )
    json_out: dict[str, Any] = {"key_serializer": "raw", "value_serializer": codec.NAME}
    raw_topic = app.topic(settings.topic(topics.RAW), key_serializer="raw", value_serializer="raw")
    normalized = app.topic(settings.topic(topics.NORMALIZED), partitions=1, **json_out)

    def table(name: str, partitions: int) -> Any:
        t: Any = app.Table(name, default=None, partitions=partitions)
        # Tables take their codec from key/value types (Faust's "json" by default); ours is orjson.
        t.key_serializer = t.value_serializer = codec.NAME
        return t

    stories = table("dedupe-stories", 1)
    state = State(
        chrome_counts=table("chrome-lines", settings.raw_partitions),
        dedupe_stories=stories,
        # The dedupe index is derived from the stories table, so it lives in memory and is rebuilt when the
        # table recovers: a table here cost ~18 changelog writes per new story and halved throughput.
        dedupe_index={},
        delivery_log=table("delivery-log", 1),
        dedupe_meta=table("dedupe-meta", 1),
    )
    pipeline = Pipeline(settings, state)

    @stories.on_recover
    async def rebuild_dedupe_index() -> None:
        remembered = pipeline.deduper.rebuild_index()
        log.info("dedupe index rebuilt from %d remembered stories", remembered)

    outputs: dict[str, Any] = {}

    def topic_for(logical: str) -> Any:
        if logical not in outputs:
            outputs[logical] = app.topic(settings.topic(logical), **json_out)
        return outputs[logical]

    async def send_to_kafka(batch: Sequence[Output]) -> None:
        for out in batch:
            await topic_for(out.topic).send(key=out.key.encode() if out.key else None, value=out.value)

    def normalize(record: Inbound) -> list[Output]:
        return pipeline.prepare(record.value, record.input_id, record.source, record.timestamp)

    def decide(record: Inbound) -> list[Output]:
        return pipeline.decide(record.value, record.original, record.timestamp)

    feeds = [
        Feed("normalize", raw_topic.get_topic_name(), normalize, lambda value: value,
             Progress(table(TABLES[topics.RAW], settings.raw_partitions))),
        Feed("dedupe", normalized.get_topic_name(), decide, json_or_none,
             Progress(table(TABLES[topics.NORMALIZED], 1))),
    ]
    guard = Guard(app, feeds, send=sink or send_to_kafka,
                  fetch=functools.partial(fetch_range, bootstrap=settings.bootstrap_servers))

    @app.on_partitions_revoked.connect
    async def forget_progress(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        guard.forget()

    @app.agent(raw_topic, name="normalize")
    async def normalize_agent(stream: faust.StreamT) -> Any:
        async for batch in guard.consume(feeds[0], stream):
            yield batch

    @app.agent(normalized, name="dedupe")
    async def dedupe_agent(stream: faust.StreamT) -> Any:
        async for batch in guard.consume(feeds[1], stream):
            yield batch

    app.timer(interval=TAIL_CHECK_SECONDS)(guard.check_tails)
    app.syndicate_pipeline = pipeline  # type: ignore[attr-defined]
    return app
