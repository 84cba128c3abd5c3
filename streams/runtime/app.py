"""The worker: a Faust app (lifecycle, signals, web server, timers) hosting our two consume-transform-produce loops.

The loops (streams/runtime/loop.py) run the pipeline's `prepare` on wire.raw (consumer group `<app_id>.prepare`)
and `decide` on wire.normalized (group `<app_id>.decide`, its state in a `StateStore` backed by the compacted
changelog `<prefix><app_id>.decide-state`). Faust's own consumer, agents and tables are not used: see
docs/architecture.md, "The worker: what Faust does, what our loops do", for why.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any

import faust
from aiokafka.helpers import create_ssl_context
from faust.worker import Worker
from mode import Service

from streams.contracts import Contracts
from streams.errors import StageBrokenError
from streams.kafka import topics
from streams.kafka.security import security_of
from streams.pipeline import Pipeline, State
from streams.runtime import changelog
from streams.runtime.control import RegistryFollower
from streams.runtime.loop import StageLoop
from streams.runtime.records import Encoder
from streams.runtime.stages import DecideStage, PrepareStage, Restore, settle_heap
from streams.runtime.state import CHROME, DELIVERY_LOG, HELD, META, STORIES, StateStore
from streams.runtime.web import install as install_web
from streams.settings import Settings

log = logging.getLogger(__name__)

#: What a worker logs once its loops have subscribed (the test harness and scripts/demo.sh wait for it).
READY = "syndicate worker ready"

#: Exit code of a worker whose loop stopped because a stage is broken (the internal-error policy tripped): the
#: same as `syndicate process` (StageBrokenError).
EXIT_STAGE_BROKEN = StageBrokenError.exit_code

#: With the web server on, a worker whose stage broke keeps serving /metrics (`syndicate_healthy 0`) and the
#: dashboard (BROKEN, with the reason) this long before it exits, taking no input: time for a Prometheus scrape
#: or a look. Without the web server it exits at once.
BROKEN_LINGER_SECONDS = 10.0

#: Records per `getmany` batch. Larger batches amortise the per-batch commit (a transaction per partition);
#: at 50 stories/s a batch holds the few records that arrived since the last one, so latency is not affected.
PREPARE_BATCH = 200
DECIDE_BATCH = 500


class Runtime:
    """The pipeline, its state store and the two loops of one worker process."""

    def __init__(self, settings: Settings, *, restore: Restore | None = None) -> None:
        self.settings = settings
        self.store = StateStore()
        state = State(
            # Site chrome learned across different stories (streams/normalize/memory.py), in the decide step.
            chrome_counts=self.store.table(CHROME),
            # Packed bytes records (streams/dedupe/records.py); the index derived from them is rebuilt after every
            # restore inside the Deduper, never written to the changelog.
            dedupe_stories=self.store.table(STORIES),
            delivery_log=self.store.table(DELIVERY_LOG),
            dedupe_meta=self.store.table(META),
            held=self.store.table(HELD),
        )
        self.pipeline = Pipeline(settings, state)
        encoder = Encoder(settings.topic)
        read = restore or functools.partial(_read_changelog, settings)
        self.decide = DecideStage(self.pipeline, self.store, changelog=topics.state_topic(settings), restore=read)
        policy = getattr(self.pipeline, "policy", None)
        self.loops = [
            StageLoop(PrepareStage(self.pipeline), settings, topic=settings.topic(topics.RAW), encoder=encoder,
                      policy=policy, max_records=PREPARE_BATCH),
            StageLoop(self.decide, settings, topic=settings.topic(topics.NORMALIZED), encoder=encoder,
                      policy=policy, max_records=DECIDE_BATCH),
        ]
        self.follower: Any = None  # the live registry's follower (streams/runtime/control.py), when attached
        self.exit_code = 0
        self.stopped = asyncio.Event()  # set when a stage broke
        self._loops_stopped = False
        self.worker: Any = None  # the Faust worker hosting the loops, stopped when a stage breaks
        for loop in self.loops:
            loop.on_fatal = self._fatal

    @property
    def healthy(self) -> bool:
        return all(loop.stats.healthy for loop in self.loops)

    def stats(self) -> dict[str, Any]:
        return {loop.stage.name: loop.stats.snapshot() for loop in self.loops}

    async def start(self) -> None:
        for loop in self.loops:
            await loop.start()

    async def run(self) -> None:
        await asyncio.gather(*(loop.run() for loop in self.loops))

    async def stop(self) -> None:
        """Stop every loop (each commits its batch in hand first); once, however often it is called."""
        if self._loops_stopped:
            return
        self._loops_stopped = True
        for loop in self.loops:
            await loop.stop()

    async def _fatal(self, reason: str) -> None:
        self.exit_code = EXIT_STAGE_BROKEN
        self.stopped.set()

    def broken(self) -> StageBrokenError | None:
        """What the worker exits with when a stage broke (None while healthy or stopped by a signal)."""
        trip = self.pipeline.policy.tripped
        if self.exit_code != EXIT_STAGE_BROKEN or trip is None:
            return None
        return StageBrokenError(
            f"{trip.describe()}. The worker stopped without committing the inputs it could not process: once the "
            f"stage is fixed, a restarted worker processes them again. The first failure's traceback is logged "
            f"above (\"loop stopped\").")


async def _read_changelog(settings: Settings, topic: str, apply: Any) -> int:
    options = security_of(settings).aiokafka()
    return await changelog.read_to_end(settings.bootstrap_servers, topic, apply, options=options)


class LoopService(Service):
    """Starts the runtime's loops with the Faust worker and stops them (batch in hand committed) with it. It is
    one of the worker's own services, so the loops do not wait for Faust's consumer group to settle."""

    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime

    async def on_start(self) -> None:
        await self.runtime.start()
        log.info("%s: loops running", READY)

    @Service.task
    async def _run(self) -> None:
        await self.runtime.run()

    @Service.task
    async def _follow(self) -> None:
        """Registry changes (syndicate partners ...) reach the pipeline between batches, in offset order."""
        if self.runtime.follower is not None:
            await self.runtime.follower.run(self.runtime.stopped)

    @Service.task
    async def _watch(self) -> None:
        """A stage broke: every loop stops taking input (a healthy one commits its batch in hand first); the web
        server shows the worker unhealthy for `BROKEN_LINGER_SECONDS`; then the worker stops (exit code 3)."""
        runtime = self.runtime
        await runtime.stopped.wait()
        await runtime.stop()
        linger = BROKEN_LINGER_SECONDS if runtime.settings.web_enabled else 0.0
        log.error("a stage is broken: every loop has stopped taking input; the worker exits with code %d%s",
                  runtime.exit_code, f" in {linger:g} s (/metrics and the dashboard say why until then)"
                  if linger else "")
        await asyncio.sleep(linger)
        worker = getattr(runtime, "worker", None)
        if worker is not None:
            await worker.stop()

    async def on_stop(self) -> None:
        await self.runtime.stop()


def _faust_credentials(settings: Settings) -> Any:
    """SASL credentials for Faust's own clients when the broker needs them (streams/kafka/security.py)."""
    security = security_of(settings)
    if not security.sasl:
        return None
    if security.protocol == "SASL_SSL":
        return faust.SASLCredentials(username=security.username, password=security.password,
                                     mechanism=security.mechanism, ssl_context=create_ssl_context())
    return faust.SASLCredentials(username=security.username, password=security.password,
                                 mechanism=security.mechanism)


def create_app(settings: Settings, runtime: Runtime | None = None) -> faust.App:
    """The Faust app of a worker hosting `runtime` (built from `settings` when not given): `run_worker` starts
    the runtime's `LoopService` with it."""
    runtime = runtime or Runtime(settings)
    app = faust.App(
        settings.app_id,
        broker=f"kafka://{settings.bootstrap_servers}",
        store="memory://",
        datadir=str(settings.data_dir),
        web_enabled=settings.web_enabled,
        web_port=settings.web_port,
        # Faust's own consumer reads only its leader-election topic; after a SIGKILL its group waits for the
        # dead member's session to expire before the web server comes back (Faust's default is 60 s).
        broker_session_timeout=10.0,
        broker_heartbeat_interval=3.0,
        broker_credentials=_faust_credentials(settings),
    )
    app.syndicate_runtime = runtime  # type: ignore[attr-defined]
    app.syndicate_pipeline = runtime.pipeline  # type: ignore[attr-defined]
    return app


def run_worker(settings: Settings, partner_ids: list[str]) -> int:
    """`syndicate worker`: run until stopped (SIGTERM/SIGINT: exit 0) or until a stage breaks (exit 3). The
    worker's metrics (and, with the web server on, the dashboard) are installed on its Faust app."""
    runtime = Runtime(settings)
    runtime.decide.freeze_gc = True
    listeners: list[Callable[[list[Any]], None]] = [runtime.pipeline.set_partners]  # + the dashboard's feed

    def registry_changed(partners: list[Any]) -> None:
        for listener in listeners:
            listener(partners)

    runtime.follower = RegistryFollower.loaded(settings, Contracts(), registry_changed)
    app = create_app(settings, runtime)
    install_web(app, settings, partner_ids, runtime.pipeline, on_partners=listeners)
    settle_heap()  # the pipeline's tables and automata, built once, are never garbage
    worker = Worker(app, LoopService(runtime), loglevel=settings.log_level, quiet=True)
    runtime.worker = worker
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        if runtime.exit_code == 0 and exc.code not in (0, None):
            raise
    broken = runtime.broken()
    if broken is not None:
        raise broken  # the CLI prints it and exits 3, as `syndicate process` does
    return runtime.exit_code
