"""Dedupe stage: decide new / duplicate / update / correction / kill for each article, with bounded state.

State lives in two mappings the caller passes in (dicts offline; on workers, two tables of the decide step's
`streams.runtime.state.StateStore`, written to a compacted Kafka changelog), values always reassigned, never
mutated in place:

``stories[story_id]`` -- one compact record per remembered story, ``bytes``: its latest version's fingerprint (a
bottom-k sketch, figures, paragraph hashes, headline words), times, version, ids and index keys, packed
(`streams.dedupe.records`; the changelog stores it as it is, `streams.runtime.state.encode_value`).

``meta`` -- JSON ints: ``~w`` (the latest stream time seen, epoch ms) and ``~q`` (the next arrival number).

The candidate index (every MinHash LSH band key, exact text, headline and source id -> the stories listed under
it) and the expiry heap are derived from the records: in memory, in compact arrays (`streams.dedupe.index`),
rebuilt by `Deduper.rebuild_index` after a restart. Memory is bounded by stream time (the horizon) and by a
count (``max_stories``: over it, the story received longest ago is forgotten, and logged).

Time (see `streams.dedupe.clock`): the horizon and expiry are measured in STREAM time, when the stream received
each input (the ``received`` argument: the envelope's ``received_at`` clamped to the broker's timestamp, or the
offline clock; epoch ms). The watermark is the latest stream time seen; stories whose latest version was received
before watermark - horizon are never matched and are evicted (whole hour buckets) during the ``process`` call that
moves the watermark past them. A story's own dateline (``versioncreated``, else ``firstcreated``) is remembered
for editorial rules only (a changed text 18 hours later is a follow-up, `streams.dedupe.inputs.editorial_gap`), so
no dateline, however wrong, moves the horizon: a story dated 2099 or 1900 is judged and remembered like any other,
and an old backlog replayed into a running worker is compared with everything received within the horizon.

Values are reassigned, never mutated in place (a state table only writes ``table[key] = value`` to its changelog,
not changes made inside a value).

Decisions (thresholds are the named constants in `streams.dedupe.thresholds`; `streams.dedupe.fingerprint`
says how texts are compared, `streams.dedupe.compare` which stories are related, `streams.dedupe.decide`
what a related input is to its story):

* kill -- ``pubstatus`` canceled (or a KILL/WITHDRAWN headline prefix): the story named by the same
  ``item-id`` (``id_roles``), else by the same headline (wire prefixes removed), else by text
  containment >= SIGNAL_CONTAINMENT; version n+1, published with ``pubstatus`` canceled. A kill that
  names nothing known is passed on under its own uri and remembered as a notice: the story it names,
  arriving after it (same item-id, or same headline and dated before the kill), is a duplicate of it.
* duplicate -- the same text (exact hash) as a remembered version; or a copy of a related story
  (Jaccard >= RELATED_JACCARD or containment either way >= RELATED_CONTAINMENT) that is an outlet's
  republication (an ``infosources`` publisher other than the wire) or carries no feed item id
  (``altids`` item-id: a page read as text): page chrome, trims and copy-desk edits never make an
  update; or a wire re-send that adds almost nothing (< UPDATE_MIN_NEW new shingles, same headline,
  no new figures, no new paragraph).
* update / correction -- a related wire copy that changes the headline or adds text or figures, or
  any related copy the source marks (genres ``sig:update``/``sig:correction`` as the normaliser sets
  them, an ``altids`` role ``signal``, a ``version`` > 1, an UPDATE n-/CORRECTED- headline prefix),
  or one with the same item-id; version n+1 under the story's uri with an ``ednote`` of what changed.
* new -- anything else. In particular, recurring templated reports: a related text whose figures were
  replaced (some old ones gone, new ones present) without keeping the old text is a different story,
  and short notices (< SHORT_BODY shingles: "Qtly div 12 cts vs 12 cts prior") match only under the
  same headline (or a contained one, when one text contains the other).

Each remembered story keeps its latest version's fingerprint and, once updated, its first version's
(``o``), so a late copy of version 1 is still recognised.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.dedupe.clock import StreamTime
from streams.dedupe.compare import candidates
from streams.dedupe.decide import Decision, method_of, verdict
from streams.dedupe.fingerprint import fingerprint
from streams.dedupe.index import StoryIndex
from streams.dedupe.inputs import ID_ROLES, Input, read_input
from streams.dedupe.outcomes import Outcomes, duplicate
from streams.model import Article, Reason, Rejection

URI_PREFIX = "urn:syndicate:story:"
#: Remembered stories at most, by default (SYNDICATE_DEDUPE_MAX_STORIES): ~110 MB of dedupe memory.
MAX_STORIES = 100_000


class Deduper:
    """The dedupe stage over caller-owned state (see the module docstring for the layout). A Deduper given
    mappings that already hold stories (a restart) must `rebuild_index` before its first `process`."""

    def __init__(
        self,
        stories: MutableMapping[str, Any],
        meta: MutableMapping[str, Any] | None = None,
        *,
        horizon: timedelta = timedelta(days=7),
        max_stories: int = MAX_STORIES,
        uri_prefix: str = URI_PREFIX,
        id_roles: tuple[str, ...] = ID_ROLES,
        on_forget: Callable[[str], None] | None = None,
    ) -> None:
        self.store = StoryIndex(
            stories, {} if meta is None else meta, horizon=int(horizon.total_seconds() * 1000),
            max_stories=max_stories, uri_prefix=uri_prefix, on_forget=on_forget,
        )
        self.uri_prefix = uri_prefix
        self.id_roles = id_roles
        self._rebuilt = False
        self._outcomes = Outcomes(self.store, uri_prefix)

    @property
    def stories(self) -> MutableMapping[str, Any]:
        return self.store.stories

    def __len__(self) -> int:
        """How many stories are remembered."""
        return len(self.store)

    @property
    def meta(self) -> MutableMapping[str, Any]:
        return self.store.meta

    @property
    def horizon(self) -> int:
        """Milliseconds of stream time a story is remembered after its latest version (behind the watermark)."""
        return self.store.horizon

    def process(
        self, input_id: str, article: Article, *, received: StreamTime | datetime | int | None = None
    ) -> tuple[Decision, Article | None] | Rejection:
        """Decide what `article` is and return the decision with the article to publish (None if dropped).

        `received` is the input's stream time: a `StreamTime` (the pipeline's, saying which clock gave it), a
        datetime, or epoch milliseconds; None means now (the wall clock). Bad input (not an article, no text and
        no source id) becomes a `Rejection`; nothing raises.
        """
        if not isinstance(article, dict):
            return Rejection(Reason.INVALID_ARTICLE, f"expected a ninjs object, got {type(article).__name__}")
        if not self._rebuilt:  # given stories remembered before (a restart) but no index yet: derive it
            self._rebuilt = True
            if not len(self.store) and len(self.stories):
                self.rebuild_index()
        try:
            return self._process(str(input_id), article, _stream_time(received))
        except Exception as exc:  # a stage never raises on input
            return Rejection(Reason.INTERNAL_ERROR, f"dedupe: {type(exc).__name__}: {exc}")

    def rebuild_index(self) -> int:
        """Derive the index and the expiry heap again from `stories` (the durable state) and return how many
        stories there are. Every index entry is derivable from the story records (their key groups and
        times), so the index lives in memory and costs no state writes; it is rebuilt in arrival order, so it
        lists exactly what the index of an uninterrupted run lists."""
        self._rebuilt = True
        return self.store.rebuild()

    def _process(
        self, input_id: str, article: Article, received: StreamTime
    ) -> tuple[Decision, Article | None] | Rejection:
        inp = read_input(article, received.ms, self.id_roles)
        if not (inp.headline.strip() or inp.body.strip()) and not inp.source_ids:
            return Rejection(Reason.EMPTY_BODY, "dedupe: no headline, body or source id to recognise the story by")
        decision, published = self._decide(input_id, article, inp)
        evidence = {**decision.evidence, "received": received.evidence()}
        reason = decision.reason if received.note is None else f"{decision.reason}; {received.note}"
        return replace(decision, reason=reason, evidence=evidence), published

    def _decide(self, input_id: str, article: Article, inp: Input) -> tuple[Decision, Article | None]:
        watermark = self.store.advance(inp.stream)
        cutoff = watermark - self.store.horizon
        fp = fingerprint(inp.headline, inp.body)
        matches = candidates(self.store, fp, inp, cutoff)
        best = matches[0] if matches else None

        if best is not None and best.rec.get("notice"):  # a kill arrived before the story it names
            if inp.signal == "kill":
                return duplicate(input_id, best, "the same kill notice again", best.evidence(method_of(best)))
            return self._outcomes.killed_before(input_id, inp, fp, best)
        if inp.signal == "kill":
            return self._outcomes.kill(input_id, article, inp, fp, best)
        if best is None:
            return self._outcomes.new(
                input_id=input_id, article=article, inp=inp, fp=fp, reason="no similar story within the horizon",
                evidence={},
            )
        ev = best.evidence(method_of(best))
        kind, reason = verdict(inp, best)
        if kind == "duplicate":
            return duplicate(input_id, best, reason, ev)
        return self._outcomes.version(
            input_id=input_id, article=article, inp=inp, fp=fp, m=best, kind=kind, evidence=ev
        )


def now_utc() -> datetime:
    """The processing time, for callers that pass ``received``."""
    return datetime.now(UTC)


def _stream_time(received: StreamTime | datetime | int | None) -> StreamTime:
    if isinstance(received, StreamTime):
        return received
    if received is None:
        return StreamTime(int(now_utc().timestamp() * 1000), "wall-clock")
    if isinstance(received, datetime):
        return StreamTime(int(received.timestamp() * 1000), "given")
    return StreamTime(int(received), "given")
