"""The stages composed: `prepare` (envelope, normalise, tag) and `decide` (dedupe, route). No Kafka here:
the worker's loops (streams/runtime/) and the offline `syndicate process` call these same two methods and send
what they return."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import orjson

from streams import model
from streams.contracts import Contracts
from streams.dedupe.clock import StreamTime, WallClock, stream_time
from streams.dedupe.deduper import Deduper
from streams.guard.breaker import InternalErrorPolicy
from streams.guard.deadline import Deadline, Overrun
from streams.model import Article, Reason, Rejection
from streams.normalize.envelope import EnvelopeReader
from streams.normalize.memory import ChromeMemory, learn, strip_learned
from streams.normalize.normalizer import Normalizer
from streams.route.registry import Partner, load_partners
from streams.route.router import Delivery, Routed, Router
from streams.settings import Settings
from streams.tag.tagger import Tagger

log = logging.getLogger(__name__)

#: An input that holds a step longer than this is logged ("slow input ID: STEP took N ms").
SLOW_INPUT_SECONDS = 0.25

#: A clock the pipeline stamps inputs with when no broker timestamp is given: () -> epoch milliseconds.
Clock = Callable[[], int]


@dataclass(frozen=True, slots=True)
class Output:
    """One record to write: `topic` is the logical name (wire.articles, partner.<id>, ...)."""

    topic: str
    key: str | None
    value: dict[str, Any] | bytes  # bytes: a payload that is not JSON (a NewsML-G2 partner's XML), sent as is


def encode(value: dict[str, Any] | bytes) -> bytes:
    """An output value as the bytes that go on its topic: JSON for dicts, XML payloads as they are."""
    return value if isinstance(value, bytes) else orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def at_ms(ms: int) -> datetime:
    """Epoch milliseconds (stream time) as an aware UTC datetime (the route stage's clock)."""
    return datetime.fromtimestamp(ms / 1000, UTC)


@dataclass(frozen=True, slots=True)
class State:
    """The mutable state the stages keep. On workers the tables of the decide step's state store
    (streams/runtime/state.py, backed by a changelog topic); dicts offline and in unit tests."""

    chrome_counts: MutableMapping[str, Any]
    dedupe_stories: MutableMapping[str, Any]
    delivery_log: MutableMapping[str, Any]
    #: The dedupe stream-time watermark and arrival numbers: durable, like the stories (None: a dict of its own).
    dedupe_meta: MutableMapping[str, Any] | None = None
    #: Held deliveries (pause, embargo, window, rate): partner id -> its queue (streams/route/schedule.py).
    held: MutableMapping[str, Any] = field(default_factory=dict)

    @classmethod
    def in_memory(cls) -> State:
        return cls({}, {}, {})


def dead_letter(
    input_id: str, stage: str, rejection: Rejection, original: bytes | None, source: dict[str, Any] | None
) -> list[Output]:
    """The dead letter and the matching `rejected` decision for an input that failed at `stage`."""
    letter = {
        "input_id": input_id,
        "stage": stage,
        **rejection.to_dict(),
        "original_b64": base64.b64encode(original or b"").decode("ascii"),
        "source": source,
    }
    decision = {
        "input_id": input_id,
        "decision": "rejected",
        "uri": None,
        "version": None,
        **rejection.to_dict(),
    }
    return [Output(model.DEAD_LETTER, input_id, letter), Output(model.DECISIONS, input_id, decision)]


class Observer(Protocol):
    """Watches the pipeline (metrics): how long each stage took on one input, and what each step returned
    (`prepare` and `decide` for one input each; `tick` for held deliveries released, with no input)."""

    def stage(self, name: str, seconds: float) -> None: ...

    def outputs(self, step: str, outputs: Sequence[Output]) -> None: ...


class Pipeline:
    """Holds the stage objects (built once at start-up) and the state they were given.

    Every input a stage handles is recorded in `policy` (failed = dead-lettered `internal-error` there).
    `prepare` and `decide` never raise; whoever calls them checks `policy.tripped` after each input and
    stops taking input once a stage is broken (`run_offline` below; the Kafka loops).

    `clock` (epoch ms) stamps an input `decide` gets without a broker timestamp: `run_offline` passes the
    documented offline clock (`streams.dedupe.clock.OrderClock`); the default is the wall clock."""

    def __init__(self, settings: Settings, state: State, contracts: Contracts | None = None, *,
                 policy: InternalErrorPolicy | None = None, clock: Clock | None = None,
                 observer: Observer | None = None, deadline: Deadline | None = None) -> None:
        contracts = contracts or Contracts()
        self.settings = settings
        self.state = state
        self.reader = EnvelopeReader(contracts, settings.max_input_bytes)
        self.normalizer = Normalizer(credits=settings.accepted_credits)
        #: Site chrome learned across different stories: applied and taught in `decide`, around dedupe.
        self.memory = ChromeMemory(state.chrome_counts)
        self.tagger = Tagger.build()
        self.deduper = Deduper(
            state.dedupe_stories,
            state.dedupe_meta,
            horizon=timedelta(days=settings.dedupe_horizon_days),
            max_stories=settings.dedupe_max_stories,
            on_forget=self._forget_story,
        )
        self.partners = load_partners(settings.partners_path, contracts)
        self.router = Router(self.partners, state.delivery_log, state.held)
        self.policy = policy or InternalErrorPolicy(settings.internal_error_limit, settings.internal_error_window)
        self.observer = observer
        self.clock: Clock = clock or WallClock()
        self.deadline = deadline or Deadline(settings.input_budget_ms)
        self.clock_name = "wall-clock" if clock is None else "offline-clock"
        #: The stream time of the last input `decide` routed (epoch ms): offline, held deliveries are released
        #: as it moves on.
        self.last_stream_ms: int | None = None

    def set_partners(self, partners: Sequence[Partner]) -> None:
        """Apply a registry change (the live registry calls this); later records are routed with `partners`."""
        self.partners = list(partners)
        self.router.replace_partners(self.partners)

    def tick(self, now: datetime | None = None) -> list[Output]:
        """Held deliveries that may go at `now` (embargo passed, window open, rate room, partner resumed); None:
        the pipeline's clock. The Kafka loop calls it with the wall clock, `run_offline` with stream time.
        The observer is told of releases as step `tick` (deliveries with no input of their own)."""
        released = [_partner_output(d) for d in self.router.tick(now or at_ms(self.clock()))]
        return self._observed("tick", released) if released else released

    def _internal_error(self, stage: str, input_id: str, exc: Exception) -> Rejection:
        """Record the failure; log its traceback when it is the only one in the stage's window (a poisoned
        story, or the start of a breakage), one line otherwise (the policy keeps the first traceback)."""
        self.policy.record(stage, True, exc)
        if self.policy.failures(stage)[0] == 1:
            log.exception("%s failed on %s", stage, input_id)
        else:
            log.error("%s failed on %s: %s: %s", stage, input_id, type(exc).__name__, exc)
        return Rejection(Reason.INTERNAL_ERROR, f"{stage}: {type(exc).__name__}: {exc}")

    def prepare(
        self, raw: bytes | None, input_id: str, source: dict[str, Any] | None = None, timestamp: int | None = None
    ) -> list[Output]:
        """wire.raw value -> [wire.normalized record] or [dead letter, rejected decision]. Never raises.

        The record carries what `decide` needs for the input's stream time: the envelope's ``received_at`` and
        `timestamp`, the wire.raw record's Kafka timestamp (epoch ms), when given. The three stages share the
        input's time budget (`streams.guard.deadline`); the one running when it is spent is stopped and the input
        dead-lettered `too-slow` (not an internal error: the input did it, so the policy is told success)."""
        named = [input_id]  # the envelope's id once it is read
        started = time.perf_counter()
        try:
            outputs = self.deadline.run(lambda: self._prepare(raw, named, source, timestamp))
        except Overrun as over:
            log.warning("%s on %s", over, named[-1])
            if over.stage in ("normalize", "tag"):
                self.policy.record(over.stage, False)
            outputs = dead_letter(named[-1], over.stage, Rejection(Reason.TOO_SLOW, str(over)), raw, source)
        self._slow("prepare", named[-1], started)
        return self._observed("prepare", outputs)

    def _slow(self, step: str, input_id: str, started: float) -> None:
        """Log an input that held the step for more than SLOW_INPUT_SECONDS (the flood bench reads these)."""
        took = time.perf_counter() - started
        if took > SLOW_INPUT_SECONDS:
            log.warning("slow input %s: %s took %.0f ms", input_id, step, took * 1000)

    def _timed(self, stage: str, started: float) -> None:
        if self.observer is not None:
            self.observer.stage(stage, time.perf_counter() - started)

    def _observed(self, step: str, outputs: list[Output]) -> list[Output]:
        if self.observer is not None:
            self.observer.outputs(step, outputs)
        return outputs

    def _prepare(
        self, raw: bytes | None, named: list[str], source: dict[str, Any] | None, timestamp: int | None
    ) -> list[Output]:
        self.deadline.stage = "envelope"
        envelope = self.reader.read(raw)
        if isinstance(envelope, Rejection):
            return dead_letter(named[-1], "envelope", envelope, raw, source)
        input_id = envelope.id
        named.append(input_id)
        self.deadline.stage = "normalize"
        started = time.perf_counter()
        try:
            article = self.normalizer.normalize(envelope)
            self._timed("normalize", started)
            self.policy.record("normalize", False)
        except Exception as exc:
            article = self._internal_error("normalize", input_id, exc)
        if isinstance(article, Rejection):
            return dead_letter(input_id, "normalize", article, raw, source)
        self.deadline.stage = "tag"
        started = time.perf_counter()
        try:
            tagged, evidence = self.tagger.tag_with_evidence(article)
            self._timed("tag", started)
            self.policy.record("tag", False)
        except Exception as exc:
            return dead_letter(input_id, "tag", self._internal_error("tag", input_id, exc), raw, source)
        record: dict[str, Any] = {"input_id": input_id, "article": tagged, "tags": evidence}
        if envelope.received_at is not None:
            record["received_at"] = envelope.received_at
        if timestamp is not None:
            record["timestamp"] = int(timestamp)
        return [Output(model.NORMALIZED, input_id, record)]

    def _forget_story(self, uri: str) -> None:
        """Dedupe forgot story `uri` (horizon or count): who had it is forgotten too, so the delivery log stays
        as bounded as the stories (a later version of a forgotten story is a new story under a new uri)."""
        self.router.forget(uri)

    def _strip_chrome(self, article: Article, evidence: Any) -> tuple[Article, Any]:
        """The article without the site chrome the memory learned (re-tagged when something went), and the
        tags evidence that goes with it."""
        stripped, removed = strip_learned(article, self.memory)
        if not removed:
            return article, evidence
        log.debug("chrome memory removed %d lines from %s", len(removed), article.get("uri"))
        return self.tagger.tag_with_evidence(stripped)

    def stream_time(self, record: dict[str, Any], timestamp: int | None) -> StreamTime:
        """When the stream received the input of a wire.normalized `record`: its ``received_at``, clamped to the
        broker's time (the wire.raw timestamp the record carries, else `timestamp`, the wire.normalized record's
        own Kafka timestamp), else the broker's time; without either, the pipeline's clock."""
        broker = record.get("timestamp")
        if not isinstance(broker, int) or isinstance(broker, bool):
            broker = timestamp
        if broker is None:
            return stream_time(record.get("received_at"), self.clock(), self.clock_name)
        return stream_time(record.get("received_at"), int(broker), "kafka-timestamp")

    def decide(self, record: Any, original: bytes | None = None, timestamp: int | None = None) -> list[Output]:
        """wire.normalized record -> decision, canonical article and partner deliveries. Never raises.

        `timestamp` is the record's Kafka timestamp (epoch ms); see `stream_time`. Not under the time budget:
        it changes state, which a stage stopped half-way would leave inconsistent. Its input is what `prepare`
        made within its budget."""
        started = time.perf_counter()
        outputs = self._decide(record, original, timestamp)
        self._slow("decide", str(record.get("input_id", "?")) if isinstance(record, dict) else "?", started)
        return self._observed("decide", outputs)

    def _decide(self, record: Any, original: bytes | None, timestamp: int | None) -> list[Output]:
        input_id = str(record.get("input_id", "?")) if isinstance(record, dict) else "?"
        try:
            if not isinstance(record, dict) or not isinstance(record.get("article"), dict):
                raise ValueError("not a wire.normalized record (expected an object with `article`)")
            article: Article = record["article"]
            stripped, evidence = self._strip_chrome(article, record.get("tags"))
            started = time.perf_counter()
            received = self.stream_time(record, timestamp)
            self.last_stream_ms = received.ms
            outcome = self.deduper.process(input_id, stripped, received=received)
            self._timed("dedupe", started)
            if isinstance(outcome, Rejection):
                self.policy.record("dedupe", False)
                return dead_letter(input_id, "dedupe", outcome, original, None)
            decision, published = outcome
            if decision.uri:
                learn(article, decision.uri, self.memory)
            started = time.perf_counter()
            # routed at the input's stream time: holds (embargo, windows, rate) decide the same way on a replay
            routed = (self.router.route_all(published, decision.decision, at_ms(received.ms))
                      if published is not None else Routed([], []))
            deliveries = routed.deliveries
            self._timed("route", started)
            self.policy.record("dedupe", False)
        except Exception as exc:
            rejection = self._internal_error("dedupe", input_id, exc)
            return dead_letter(input_id, "dedupe", rejection, original, None)
        audit = decision.to_record()
        audit["deliveries"] = [d.partner_id for d in deliveries if d.uri == (published or {}).get("uri")]
        audit["held"] = [h.record() for h in routed.held]  # held for embargo, window, rate or pause: why, until when
        if evidence:
            audit["tags"] = evidence
        outputs = [Output(model.DECISIONS, input_id, audit)]
        if published is not None:
            outputs.append(Output(model.ARTICLES, published["uri"], published))
        outputs.extend(_partner_output(d) for d in deliveries)
        return outputs


def _partner_output(delivery: Delivery) -> Output:
    payload = delivery.article
    value = payload.encode("utf-8") if isinstance(payload, str) else payload
    return Output(model.partner_topic(delivery.partner_id), delivery.uri, value)
