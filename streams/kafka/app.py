"""The Faust app: agents that only connect topics to the pipeline's two steps, and the tables its state lives in."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import faust
from faust.types import TP, Message

from streams.kafka import codec, topics
from streams.kafka.feed import Feed, Inbound, json_or_none
from streams.kafka.progress import TABLES, Progress
from streams.kafka.refetch import fetch_range
from streams.pipeline import Output, Pipeline, State
from streams.settings import Settings

log = logging.getLogger(__name__)

Sink = Callable[[Sequence[Output]], Awaitable[None]]

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

    send = sink or send_to_kafka

    def normalize(record: Inbound) -> list[Output]:
        return pipeline.prepare(record.value, record.input_id, record.source)

    def decide(record: Inbound) -> list[Output]:
        return pipeline.decide(record.value, record.original)

    feeds = [
        Feed("normalize", raw_topic.get_topic_name(), normalize, lambda value: value,
             Progress(table(TABLES[topics.RAW], settings.raw_partitions))),
        Feed("dedupe", normalized.get_topic_name(), decide, json_or_none,
             Progress(table(TABLES[topics.NORMALIZED], 1))),
    ]

    @app.on_partitions_revoked.connect
    async def forget_progress(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        for feed in feeds:
            feed.progress.forget()

    def ack(record: Any) -> None:
        """Tell Faust's offset bookkeeping that a record we fetched ourselves is done, so commits move on."""
        message = Message(
            record.topic, record.partition, record.offset, record.timestamp / 1000, record.timestamp_type,
            record.headers, record.key, record.value, None, tp=TP(record.topic, record.partition),
            generation_id=app.consumer_generation_id,
        )
        app.consumer.ack(message)

    async def fill_gap(feed: Feed, message: Any) -> None:
        """Process the records Faust skipped before `message` (see streams/progress.py), in order."""
        gap = feed.progress.gap(message.partition, message.offset)
        if gap is None:
            return
        start, stop = gap
        try:
            fetched = await fetch_range(bootstrap=settings.bootstrap_servers, topic=message.topic,
                                        partition=message.partition, start=start, stop=stop)
        except Exception as exc:  # the agent must go on; the error names what is left to replay
            log.error("%s[%d]: offsets %d-%d were skipped by the consumer and could not be fetched (%s: %s); they "
                      "are NOT processed: replay them with `syndicate rewind`", message.topic, message.partition,
                      start, stop - 1, type(exc).__name__, exc)
            return
        missing = stop - start - len(fetched.records)
        log.warning("%s[%d]: offsets %d-%d were skipped by the consumer; processing %d of them now",
                    message.topic, message.partition, start, stop - 1, len(fetched.records))
        if missing and fetched.complete:
            log.warning("%s[%d]: %d of them are no longer in the log (retention)", message.topic,
                        message.partition, missing)
        elif missing:
            got = {r.offset for r in fetched.records}
            log.error("%s[%d]: offsets %s could not be fetched in time and are NOT processed; replay them with "
                      "`syndicate rewind`", message.topic, message.partition,
                      [o for o in range(start, stop) if o not in got])
        for record in fetched.records:
            await send(feed.step(Inbound(feed.decode(record.value), record.value, record.key, record.topic,
                                         record.partition, record.offset)))
            feed.progress.done(record.partition, record.offset)
            ack(record)

    async def consume(feed: Feed, stream: faust.StreamT) -> AsyncIterator[list[Output]]:
        """An agent's loop: fill any gap before the record, run the step, send its outputs, note progress."""
        async for event in stream.events():
            msg = event.message
            feed.busy = True
            try:
                await fill_gap(feed, msg)
                original = msg.value if isinstance(msg.value, bytes) else None
                key = msg.key if isinstance(msg.key, bytes) or msg.key is None else str(msg.key).encode()
                batch = feed.step(Inbound(event.value, original, key, msg.topic, msg.partition, msg.offset))
                await send(batch)
                feed.progress.done(msg.partition, msg.offset)
            finally:
                feed.busy = False
            yield batch

    @app.agent(raw_topic, name="normalize")
    async def normalize_agent(stream: faust.StreamT) -> Any:
        async for batch in consume(feeds[0], stream):
            yield batch

    @app.agent(normalized, name="dedupe")
    async def dedupe_agent(stream: faust.StreamT) -> Any:
        async for batch in consume(feeds[1], stream):
            yield batch

    stalled: dict[Any, int] = {}

    @app.timer(interval=TAIL_CHECK_SECONDS)
    async def check_tails() -> None:
        """Records at the end of a partition that Faust skipped have no later record to reveal the gap: if an
        idle agent's progress stays behind the end of an assigned partition, seek the consumer back to it."""
        if app.rebalancing or not app.flow_control.is_active():
            stalled.clear()
            return
        assigned = app.consumer.assignment()
        for feed in feeds:
            tps = [tp for tp in assigned if tp.topic == feed.topic]
            if not tps or feed.busy:
                continue
            ends = await app.consumer.highwaters(*tps)
            for tp in tps:
                expected, end = feed.progress.next_offset(tp.partition), ends.get(tp)
                if expected is None or end is None or end <= expected:
                    stalled.pop(tp, None)
                elif stalled.get(tp) != expected:
                    stalled[tp] = expected  # look again on the next check
                else:
                    stalled.pop(tp, None)
                    log.warning("%s[%d]: offsets %d-%d are in the log but were never processed; seeking back",
                                tp.topic, tp.partition, expected, end - 1)
                    await app.consumer.seek(tp, expected)

    app.syndicate_pipeline = pipeline  # type: ignore[attr-defined]
    return app
