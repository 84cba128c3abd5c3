"""The ceiling for `bench e2e`: a Faust agent that copies wire.raw bytes to an output topic, nothing else."""

from __future__ import annotations

from typing import Any

import faust

from streams.kafka import topics
from streams.settings import Settings

OUT = "bench.passthrough"


def create_passthrough_app(settings: Settings) -> faust.App:
    app = faust.App(
        f"{settings.app_id}-passthrough",
        broker=f"kafka://{settings.bootstrap_servers}",
        store="memory://",
        datadir=str(settings.data_dir),
        web_enabled=False,
        topic_partitions=settings.raw_partitions,
        consumer_auto_offset_reset="earliest",
        key_serializer="raw",
        value_serializer="raw",
    )
    source = app.topic(settings.topic(topics.RAW), key_serializer="raw", value_serializer="raw")
    sink = app.topic(settings.topic(OUT), key_serializer="raw", value_serializer="raw")

    @app.agent(source, name="passthrough")
    async def passthrough(stream: faust.StreamT) -> Any:
        async for event in stream.events():
            await sink.send(key=event.message.key, value=event.value)
            yield None

    return app


def main() -> None:
    import asyncio

    from faust.worker import Worker

    from streams.kafka.topics import create_topics

    settings = Settings.load()
    asyncio.run(create_topics(settings.bootstrap_servers, {settings.topic(OUT): settings.raw_partitions}))
    Worker(create_passthrough_app(settings), loglevel="info", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main()
