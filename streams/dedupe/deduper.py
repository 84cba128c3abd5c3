"""Dedupe stage: decide new / duplicate / update / correction / kill for each article, with bounded state.

State lives in two mappings the caller passes in (Faust tables on workers, dicts offline):

``stories[story_id]`` -- one compact JSON record per remembered story (its latest version's
fingerprint: a base64 bottom-k sketch, figures, paragraph hashes, headline words; see `_record`).

``index[key]`` -- small lists of story ids, so every lookup is a handful of ``get`` calls:
``b:<hex>`` (one of the story's MinHash LSH band keys), ``x:<hex>`` (exact text),
``h:<hex>`` (headline without wire prefixes), ``s:<hex>`` (the source's own id), ``t:<minute>`` (the
stories whose latest version falls in that minute, for expiry) and the bookkeeping keys ``~w``
(watermark, epoch seconds) and ``~b`` (sorted list of the hours that have minute buckets).

Time: a story's clock is its own ``versioncreated`` (else ``firstcreated``); ``now`` is used only
when the article has no time or claims a time more than `FUTURE_SLACK` after ``now``. The watermark is
the largest clock seen; stories whose latest version is older than watermark - horizon are never
matched and are evicted (whole hour buckets) during the ``process`` call that moves the watermark past
them. Replays therefore decide exactly as the live stream does, whatever the wall clock says.

Values are reassigned, never mutated in place (a Faust table only persists ``table[key] = value``).

Decisions (thresholds are the named constants below; `streams.dedupe.fingerprint` says how texts are compared):

* kill -- ``pubstatus`` canceled (or a KILL/WITHDRAWN headline prefix): the story named by the same
  ``item-id`` (``id_roles``), else by the same headline (wire prefixes removed), else by text
  containment >= SIGNAL_CONTAINMENT; version n+1, published with ``pubstatus`` canceled. A kill that
  names nothing known is passed on under its own uri and not remembered.
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

import base64
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import ciso8601
import xxhash

from streams.dedupe.fingerprint import (
    Fingerprint,
    fingerprint,
    headline_signal,
    pack,
    similarities,
    unpack,
)
from streams.model import Article, Rejection

DECISIONS = ("new", "duplicate", "update", "correction", "kill")
URI_PREFIX = "urn:syndicate:story:"

# --- calibrated thresholds (chosen on generated variants of Reuters-21578; see notes/dedupe-readme.md) ---
#: Two texts are "the same story" when their shingle Jaccard reaches this ...
RELATED_JACCARD = 0.5
#: ... or when one contains this much of the other (a trimmed copy; an update that adds paragraphs).
RELATED_CONTAINMENT = 0.8
#: A kill or correction names its story more loosely: its text may be a short notice.
SIGNAL_CONTAINMENT = 0.5
#: Above this Jaccard and with the same headline and figures, a same-channel re-send is a duplicate
#: (a typo fix), not an update worth a new version.
MINOR_EDIT_JACCARD = 0.9
#: An update from the wire must add at least this fraction of new shingles, or new figures, or change
#: the headline; less is a re-send with minor edits (a typo or ticker fix).
UPDATE_MIN_NEW = 0.1
#: ... and keep this much of the old text to be an update when figures changed too (else: a template).
UPDATE_KEEPS_OLD = 0.9
#: Bodies shorter than this many shingles are templated notices ("Qtly div 12 cts vs 12 cts prior"):
#: identical text under different headlines is then a different story.
SHORT_BODY = 30
#: Headline word Jaccard under which two short notices with the same body are different stories.
HEADLINE_SAME = 0.5
#: A short text is still the same story (a trimmed table under a shortened headline; a copy in page
#: chrome; an update that adds lines) when one text contains the other (containment at least
#: SHORT_COPY_CONTAINMENT) and the headline words are mostly the story's (share of the shorter
#: headline's words found in the other at least HEADLINE_CONTAINED).
SHORT_COPY_CONTAINMENT = 0.95
HEADLINE_CONTAINED = 0.8
#: Index lists keep at most this many story ids (hot keys: a shingle common to many stories).
INDEX_CAP = 24
#: A wire story whose text changed this long after the story's latest version, unmarked, is a new story:
#: wires send updates within hours; a day later the same wording is the next recurring report ("GRAIN
#: SHIPS LOADING AT PORTLAND", "FED ADDS RESERVES VIA CUSTOMER REPURCHASES") or a follow-up. Without
#: this rule a template's daily reports chain into one story that never expires. Exact copies and
#: outlets' republications are still duplicates at any age within the horizon.
FOLLOW_UP_SECONDS = 18 * 3600
#: Stories under the same headline verified as candidates (besides those sharing text keys).
HEADLINE_CANDIDATES = 4
#: At most this many candidates are verified per article (the most recently stored first).
MAX_CANDIDATES = 48
#: A story claiming to be newer than ``now`` by more than this is clocked at ``now``.
FUTURE_SLACK = timedelta(hours=1)
#: Stories are listed for expiry under minute keys ``t:<epoch minute>`` (a few ids each, so adding one
#: rewrites a short list), grouped for eviction by hour: ``~b`` lists the live hours (<= horizon/1h + 1
#: entries, rewritten once an hour) and evicting an hour pops its 60 minute keys.
BUCKET_SECONDS = 60
EVICT_SECONDS = 3600

_SIGNALS = ("kill", "correction", "update")
#: The fingerprint fields of a record kept again (under "o") for the first version once a story is updated.
_VIEW_FIELDS = ("s", "n", "x", "h", "w", "g", "p")
#: altids roles whose values identify a story at its source (hashed into ``s:`` index keys).
#: Default: item-id only, the source's own id shared by a story's versions. The normaliser puts the
#: envelope id in source-id, unique per input, so indexing it would cost ~70 B per story and match only a
#: redelivered envelope (an exact duplicate anyway); pass id_roles=("item-id", "source-id") when a
#: producer puts the story's id there.
ID_ROLES = ("item-id",)
#: At most this many source ids are remembered per story (across its versions).
MAX_IDS = 8


@dataclass(frozen=True)
class Decision:
    """What dedupe decided for one input, with why and on what evidence."""

    input_id: str
    decision: str  # "new" | "duplicate" | "update" | "correction" | "kill"
    uri: str
    version: int
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The JSON-able `wire.decisions` record."""
        return {
            "input_id": self.input_id,
            "decision": self.decision,
            "uri": self.uri,
            "version": self.version,
            "reason": self.reason,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class _Input:
    headline: str
    body: str
    clock: int
    pubstatus: str
    signal: str | None
    source_ids: tuple[str, ...]
    republished: bool  # an outlet's copy (publisher other than the source)
    wire_item: bool  # carries the feed's own item id: an item of a wire feed, not a page copy
    uri: str | None


@dataclass(slots=True)
class _Match:
    sid: str
    rec: dict[str, Any]
    jaccard: float
    new_in_old: float  # containment of the input in the remembered story
    old_in_new: float
    exact: bool
    same_source_id: bool
    same_headline: bool
    headline_sim: float
    figures_added: int
    figures_removed: int
    paragraphs_added: bool = False  # more paragraphs than the matched version had

    @property
    def similarity(self) -> float:
        return max(self.jaccard, min(self.new_in_old, self.old_in_new))

    def evidence(self, method: str) -> dict[str, Any]:
        return {
            "matched": self.rec["u"],
            "matched_version": self.rec["v"],
            "similarity": round(self.jaccard, 3),
            "containment": [round(self.new_in_old, 3), round(self.old_in_new, 3)],
            "method": method,
        }


def _items(article: Article, field: str) -> list[Any]:
    """The list an article field should hold, or [] when it holds something else."""
    value = article.get(field)
    return value if isinstance(value, list) else []


def _text_of(article: Article) -> tuple[str, str]:
    headline = ""
    for h in _items(article, "headlines"):
        if isinstance(h, dict) and isinstance(h.get("value"), str):
            headline = h["value"]
            if h.get("role", "main") == "main":
                break
    body = ""
    html = ""
    for b in _items(article, "bodies"):
        if not isinstance(b, dict) or not isinstance(b.get("value"), str):
            continue
        if b.get("contenttype", "text/plain") == "text/plain":
            body = b["value"]
            break
        if b.get("contenttype") == "text/html" and not html:
            html = b["value"]
    if not body and html:
        body = re.sub(r"</p>|<br\s*/?>", "\n\n", html)
        body = re.sub(r"<[^>]+>", " ", body)
    return headline, body


def _epoch(value: Any) -> int | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        dt = ciso8601.parse_datetime(value)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def _signal(article: Article, headline: str) -> str | None:
    if article.get("pubstatus") == "canceled":
        return "kill"
    found: set[str] = set()
    for g in _items(article, "genres"):
        if isinstance(g, dict):
            for k in ("name", "literal", "uri"):
                v = g.get(k)
                if isinstance(v, str):
                    tail = re.split(r"[:/#]", v.lower())[-1]
                    if tail in _SIGNALS:
                        found.add(tail)
    for a in _items(article, "altids"):
        if isinstance(a, dict) and a.get("role") == "signal" and isinstance(a.get("value"), str):
            v = a["value"].lower()
            if v in _SIGNALS:
                found.add(v)
    hs = headline_signal(headline)
    if hs:
        found.add(hs)
    version = article.get("version")
    if not found and isinstance(version, str) and version.isdigit() and int(version) > 1:
        found.add("update")  # the source numbers its versions
    for s in _SIGNALS:
        if s in found:
            return s
    return None


def _source_ids(article: Article, roles: tuple[str, ...] = ID_ROLES) -> tuple[str, ...]:
    """Hashes of the identifiers that name the story at its source (``altids`` with a role in `roles`)."""
    out = []
    for a in _items(article, "altids"):
        if isinstance(a, dict) and a.get("role") in roles and isinstance(a.get("value"), str) and a["value"]:
            out.append(xxhash.xxh3_64_hexdigest(f"{a['role']}\x00{a['value']}".encode()))
    return tuple(dict.fromkeys(out))


def _has_item_id(article: Article) -> bool:
    """True when the input carries its feed's own id (``altids`` role item-id: guid, NEWID, ninjs uri)."""
    return any(
        isinstance(a, dict) and a.get("role") == "item-id" and a.get("value") for a in _items(article, "altids")
    )


def _republished(article: Article) -> bool:
    """True when an outlet other than the wire published this copy (an infosource with role publisher)."""
    sources: set[str] = set()
    publishers: set[str] = set()
    for s in _items(article, "infosources"):
        if isinstance(s, dict) and isinstance(s.get("name"), str):
            name = s["name"].strip().lower()
            if s.get("role") == "publisher":
                publishers.add(name)
            else:
                sources.add(name)
    return bool(publishers - sources)


def _pack_keys(keys: list[str]) -> list[str]:
    """Index keys as stored in a record: band keys ("b:" + 12 hex) packed 6 bytes each into one base64
    string (the first element), the others (x:, h:, s:) kept as they are."""
    bands = b"".join(bytes.fromhex(k[2:]) for k in keys if k.startswith("b:"))
    return [base64.b64encode(bands).decode("ascii"), *(k for k in keys if not k.startswith("b:"))]


def _stored_keys(rec: dict[str, Any]) -> list[str]:
    """Inverse of `_pack_keys`: every index key the record's story is listed under."""
    packed, *rest = rec["k"]
    raw = base64.b64decode(packed)
    return [f"b:{raw[i : i + 6].hex()}" for i in range(0, len(raw), 6)] + rest


def _containment(a: list[int], b: list[int]) -> float:
    """Share of the smaller word set found in the other."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _set_jaccard(a: list[int], b: list[int]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


class Deduper:
    """The dedupe stage over caller-owned state (see the module docstring for the key layout)."""

    def __init__(
        self,
        stories: MutableMapping[str, Any],
        index: MutableMapping[str, Any],
        *,
        horizon: timedelta = timedelta(days=7),
        uri_prefix: str = URI_PREFIX,
        id_roles: tuple[str, ...] = ID_ROLES,
        meta: MutableMapping[str, Any] | None = None,
    ) -> None:
        self.stories = stories
        self.index = index
        #: Where the watermark ``~w`` lives: the index by default. A worker that keeps the index as derived,
        #: in-memory state (rebuilt with `rebuild_index` after recovery) passes a durable mapping here.
        self.meta = index if meta is None else meta
        self.horizon = int(horizon.total_seconds())
        self.uri_prefix = uri_prefix
        self.id_roles = id_roles

    # ------------------------------------------------------------------ public

    def process(
        self, input_id: str, article: Article, *, now: datetime | None = None
    ) -> tuple[Decision, Article | None] | Rejection:
        """Decide what `article` is and return the decision with the article to publish (None if dropped).

        Bad input (not an article, no text and no source id) becomes a `Rejection`; nothing raises.
        """
        if not isinstance(article, dict):
            return Rejection("invalid-article", f"expected a ninjs object, got {type(article).__name__}")
        try:
            return self._process(str(input_id), article, now)
        except Exception as exc:  # a stage never raises on input
            return Rejection("internal-error", f"dedupe: {type(exc).__name__}: {exc}")

    def rebuild_index(self) -> int:
        """Derive the whole index again from `stories` (the durable state) and return how many stories it
        lists. Every index entry is derivable from the story records (their packed keys and clocks), so a
        worker may keep the index in memory and rebuild it after its tables recover, which saves ~18
        changelog writes per new story. Stories are re-listed in clock order, the order they were stored
        in; only which ids a capped hot key keeps can differ from an uninterrupted run, at ties."""
        watermark = self.meta.get("~w") if self.meta is self.index else None
        self.index.clear()
        if watermark is not None:
            self.meta["~w"] = watermark
        ordered = sorted((rec["t"], sid) for sid, rec in self.stories.items())
        lists: dict[str, list[str]] = {}
        hours: set[int] = set()
        for clock, sid in ordered:
            for key in _stored_keys(self.stories[sid]):
                lists.setdefault(key, []).append(sid)
            lists.setdefault(f"t:{clock // BUCKET_SECONDS}", []).append(sid)
            hours.add(clock // EVICT_SECONDS)
        for key, ids in lists.items():
            self.index[key] = ids if key.startswith("t:") else ids[-INDEX_CAP:]
        if hours:
            self.index["~b"] = sorted(hours)
        return len(ordered)

    # ------------------------------------------------------------------ internals

    def _read(self, article: Article, now: datetime | None) -> _Input:
        headline, body = _text_of(article)
        clock = _epoch(article.get("versioncreated")) or _epoch(article.get("firstcreated"))
        now_s = int(now.timestamp()) if now is not None else None
        if now_s is not None and (clock is None or clock > now_s + FUTURE_SLACK.total_seconds()):
            clock = now_s
        if clock is None:
            clock = int(self.meta.get("~w") or 0)
        return _Input(
            headline=headline,
            body=body,
            clock=clock,
            pubstatus=str(article.get("pubstatus") or "usable"),
            signal=_signal(article, headline),
            source_ids=_source_ids(article, self.id_roles),
            republished=_republished(article),
            wire_item=_has_item_id(article),
            uri=article.get("uri") if isinstance(article.get("uri"), str) else None,
        )

    def _process(
        self, input_id: str, article: Article, now: datetime | None
    ) -> tuple[Decision, Article | None] | Rejection:
        inp = self._read(article, now)
        if not (inp.headline.strip() or inp.body.strip()) and not inp.source_ids:
            return Rejection("empty-body", "dedupe: no headline, body or source id to recognise the story by")
        watermark = self._advance(inp.clock)
        cutoff = watermark - self.horizon
        fp = fingerprint(inp.headline, inp.body)
        hwords = fp.headline_words
        matches = self._candidates(fp, hwords, inp, cutoff)
        best = matches[0] if matches else None

        if inp.signal == "kill":
            return self._kill(input_id, article, inp, fp, hwords, best)
        if best is None:
            return self._new(input_id, article, inp, fp, hwords, "no similar story within the horizon", {})

        method = "exact" if best.exact else ("item-id" if best.same_source_id else "bottomk-minhash")
        ev = best.evidence(method)
        if inp.signal in ("correction", "update"):
            if best.exact and best.same_headline:
                return self._duplicate(input_id, best, f"{inp.signal} marker but text and headline unchanged", ev)
            if (inp.republished or not inp.wire_item) and best.jaccard >= MINOR_EDIT_JACCARD:
                # an outlet's copy of an already corrected/updated version repeats the marker
                return self._duplicate(input_id, best, f"copy of the story (its {inp.signal} marker repeated)", ev)
            return self._version(input_id, article, inp, fp, hwords, best, inp.signal, ev)
        if best.exact:
            return self._duplicate(input_id, best, "same text as a remembered story", ev)
        if best.same_source_id:
            return self._version(input_id, article, inp, fp, hwords, best, "update", ev)
        if inp.republished:
            return self._duplicate(
                input_id, best, "republished copy (an outlet's edit, trim or page chrome) of the story", ev
            )
        if not inp.wire_item:
            # no publisher was recognised, but no feed id either: a page copy whose extra text may be
            # chrome the normaliser left; only feed items (or marked copies) make versions
            return self._duplicate(input_id, best, "copy without a feed item id (a page) of the story", ev)
        changed_headline = not best.same_headline
        added = 1.0 - best.new_in_old
        if (
            best.jaccard >= MINOR_EDIT_JACCARD
            and not changed_headline
            and not best.figures_added
            and not best.figures_removed
            and not best.paragraphs_added
        ):
            return self._duplicate(input_id, best, "re-sent with minor edits", ev)
        if added < UPDATE_MIN_NEW and not changed_headline and not best.figures_added and not best.paragraphs_added:
            return self._duplicate(input_id, best, "re-sent copy adds nothing (trimmed or lightly edited)", ev)
        return self._version(input_id, article, inp, fp, hwords, best, "update", ev)

    def _advance(self, clock: int) -> int:
        """Move the watermark to `clock` if later and evict the hour buckets that fell out of the horizon."""
        watermark = int(self.meta.get("~w") or 0)
        if clock <= watermark:
            return watermark
        self.meta["~w"] = clock
        limit = (clock - self.horizon) // EVICT_SECONDS  # hours below this one are expired
        buckets = list(self.index.get("~b") or ())
        if buckets and buckets[0] < limit:
            cutoff = clock - self.horizon
            keep = [b for b in buckets if b >= limit]
            per_hour = EVICT_SECONDS // BUCKET_SECONDS
            for hour in buckets[: len(buckets) - len(keep)]:
                for minute in range(hour * per_hour, (hour + 1) * per_hour):
                    for sid in self.index.pop(f"t:{minute}", None) or ():
                        self._evict(sid, cutoff)
            self.index["~b"] = keep
        return clock

    def _evict(self, sid: str, cutoff: int) -> None:
        rec = self.stories.get(sid)
        if rec is None or rec["t"] >= cutoff:
            return  # already gone, or refreshed by a later version (listed in a later bucket)
        for key in _stored_keys(rec):
            ids = self.index.get(key)
            if ids is None:
                continue
            rest = [i for i in ids if i != sid]
            if rest:
                self.index[key] = rest
            else:
                del self.index[key]
        del self.stories[sid]

    def _keys(self, fp: Fingerprint, inp: _Input) -> list[str]:
        keys = [f"x:{fp.exact}", f"h:{fp.headline}"]
        keys += [f"b:{v:012x}" for v in fp.keys]
        keys += [f"s:{i}" for i in inp.source_ids]
        return keys

    def _candidates(self, fp: Fingerprint, hwords: list[int], inp: _Input, cutoff: int) -> list[_Match]:
        fset = set(fp.figures)
        if inp.signal != "kill":
            # an exact copy outranks every other match: when the exact key finds one, stop there
            exact = []
            for sid in reversed(self.index.get(f"x:{fp.exact}") or ()):
                rec = self.stories.get(sid)
                if rec is not None and rec["t"] >= cutoff:
                    m = self._compare(sid, rec, fp, fset, hwords, inp)
                    if m is not None and m.exact:
                        exact.append(m)
            if exact:
                exact.sort(key=lambda m: (m.same_source_id, m.rec["t"]), reverse=True)
                return exact
        seen: dict[str, None] = {}
        for key in self._keys(fp, inp):
            ids = self.index.get(key) or ()
            if key.startswith("h:") and inp.signal != "kill":
                # a headline is shared by a template's daily reports: only its latest few stories are
                # candidates (they find a short notice whose update outgrew its band keys)
                ids = ids[-HEADLINE_CANDIDATES:]
            for sid in reversed(ids):
                seen.setdefault(sid, None)
        out: list[_Match] = []
        for sid in list(seen)[:MAX_CANDIDATES]:
            rec = self.stories.get(sid)
            if rec is None or rec["t"] < cutoff:
                continue
            m = self._compare(sid, rec, fp, fset, hwords, inp)
            if m is not None:
                out.append(m)
        if inp.signal == "kill":
            out = [m for m in out if m.rec.get("st") != "canceled"]
            out.sort(key=lambda m: (m.same_source_id, m.same_headline, m.similarity, m.rec["t"]), reverse=True)
        else:
            out.sort(key=lambda m: (m.exact, m.same_source_id, m.similarity, m.rec["t"]), reverse=True)
        return out

    def _compare(
        self, sid: str, rec: dict[str, Any], fp: Fingerprint, fset: set[int], hwords: list[int], inp: _Input
    ) -> _Match | None:
        """Match against the story's latest version, and against its first version when it has been
        updated (a late copy of version 1 must still be recognised)."""
        best = self._compare_view(sid, rec, rec, fp, fset, hwords, inp)
        first = rec.get("o")
        if first is not None and (best is None or not best.exact):
            other = self._compare_view(sid, rec, first, fp, fset, hwords, inp)
            if other is not None and (best is None or other.similarity > best.similarity):
                best = other
        return best

    def _compare_view(
        self, sid: str, rec: dict[str, Any], view: dict[str, Any], fp: Fingerprint, fset: set[int],
        hwords: list[int], inp: _Input,
    ) -> _Match | None:
        exact = view["x"] == fp.exact
        same_sid = bool(inp.source_ids) and not set(inp.source_ids).isdisjoint(rec.get("i") or ())
        same_headline = view["h"] == fp.headline
        sketch = unpack(view["s"])
        j, a, b = similarities(fp.sketch, fp.complete, sketch, view["n"] <= len(sketch), fp.sketch_set)
        if not (exact or same_sid):
            if inp.signal == "kill":
                if not (same_headline or max(a, b) >= SIGNAL_CONTAINMENT):
                    return None
            else:
                loose = inp.signal == "correction"
                if not (j >= RELATED_JACCARD or max(a, b) >= (SIGNAL_CONTAINMENT if loose else RELATED_CONTAINMENT)):
                    return None
        hsim = _set_jaccard(hwords, unpack(view["w"]))
        old_figs = set(unpack(view["g"]))
        m = _Match(
            sid=sid,
            rec=rec,
            jaccard=j,
            new_in_old=a,
            old_in_new=b,
            exact=exact,
            same_source_id=same_sid,
            same_headline=same_headline,
            headline_sim=hsim,
            figures_added=len(fset - old_figs),
            figures_removed=len(old_figs - fset),
        )
        m.paragraphs_added = len(fp.paragraphs) > len(unpack(view.get("p", rec["p"])))
        if same_sid or inp.signal == "kill":
            return m
        if (
            not exact
            and inp.signal is None
            and inp.wire_item
            and not inp.republished
            and inp.clock - rec["t"] >= FOLLOW_UP_SECONDS
        ):
            return None  # changed wire text a day later: a follow-up or the next recurring report
        if min(fp.size, view["n"]) < SHORT_BODY and not (
            same_headline
            or (exact and hsim >= HEADLINE_SAME)
            or (
                max(a, b) >= SHORT_COPY_CONTAINMENT
                and _containment(hwords, unpack(view["w"])) >= HEADLINE_CONTAINED
            )
        ):
            return None  # a short templated notice ("Qtly div 12 cts vs 12 cts prior"): the headline decides
        if (
            not exact
            and inp.signal is None
            and m.figures_added
            and m.figures_removed
            and a < SHORT_COPY_CONTAINMENT  # a copy that adds nothing is no new report
            and not (b >= UPDATE_KEEPS_OLD and a < 1.0 - UPDATE_MIN_NEW and inp.wire_item and not inp.republished)
        ):
            return None  # a recurring templated report: same wording, new figures
        return m

    # ------------------------------------------------------------------ outcomes

    def _record(
        self, uri: str, version: int, fp: Fingerprint, hwords: list[int], inp: _Input, first: int,
        keys: list[str], status: str,
    ) -> dict[str, Any]:
        rec: dict[str, Any] = {
            "u": uri,
            "v": version,
            "t": inp.clock,
            "c": first,
            "s": pack(fp.sketch),
            "n": fp.size,
            "x": fp.exact,
            "h": fp.headline,
            "w": pack(hwords),
            "g": pack(fp.figures),
            "p": pack(fp.paragraphs),
            "k": _pack_keys(keys),
        }
        if inp.source_ids:
            rec["i"] = list(inp.source_ids)
        if status != "usable":
            rec["st"] = status
        return rec

    def _remember(self, sid: str, rec: dict[str, Any], new_keys: list[str]) -> None:
        self.stories[sid] = rec
        for key in new_keys:
            ids = [i for i in (self.index.get(key) or ()) if i != sid]
            ids.append(sid)
            self.index[key] = ids[-INDEX_CAP:]
        hour = rec["t"] // EVICT_SECONDS
        bkey = f"t:{rec['t'] // BUCKET_SECONDS}"
        bucket = list(self.index.get(bkey) or ())
        if sid not in bucket:
            bucket.append(sid)
            self.index[bkey] = bucket
        buckets = list(self.index.get("~b") or ())
        if hour not in buckets:
            buckets.append(hour)
            buckets.sort()
            self.index["~b"] = buckets

    def _publish(self, article: Article, uri: str, version: int, inp: _Input, **extra: Any) -> Article:
        out = dict(article)
        out["uri"] = uri
        out["version"] = str(version)
        if inp.uri and inp.uri != uri:
            altids = [a for a in (_items(article, "altids")) if a != {"role": "source-uri", "value": inp.uri}]
            altids.append({"role": "source-uri", "value": inp.uri})
            out["altids"] = altids
        out.update(extra)
        return out

    def _new(
        self, input_id: str, article: Article, inp: _Input, fp: Fingerprint, hwords: list[int], reason: str,
        evidence: dict[str, Any],
    ) -> tuple[Decision, Article | None]:
        # A new story keeps the normaliser's uri (derived from the source's id, else from its text), so the
        # story gets the same uri whichever copy arrives first: offline and Kafka agree, replays agree.
        if inp.uri and inp.uri.startswith(self.uri_prefix) and len(inp.uri) > len(self.uri_prefix):
            sid = inp.uri[len(self.uri_prefix) :]
        else:
            sid = xxhash.xxh3_128_hexdigest(f"{input_id}\x00{fp.exact}".encode())
        while sid in self.stories:  # that id already names another remembered story: stay unique
            sid = xxhash.xxh3_128_hexdigest(sid.encode())
        uri = self.uri_prefix + sid
        keys = self._keys(fp, inp)
        status = "canceled" if inp.signal == "kill" else "usable"
        self._remember(sid, self._record(uri, 1, fp, hwords, inp, inp.clock, keys, status), keys)
        ev = {"matched": None, "method": "bottomk-minhash", **evidence}
        return Decision(input_id, "new", uri, 1, reason, ev), self._publish(article, uri, 1, inp)

    def _duplicate(
        self, input_id: str, m: _Match, reason: str, evidence: dict[str, Any]
    ) -> tuple[Decision, Article | None]:
        if m.rec.get("st") == "canceled":
            reason += " (the story was killed)"
        return Decision(input_id, "duplicate", m.rec["u"], m.rec["v"], reason, evidence), None

    def _changes(self, m: _Match, fp: Fingerprint) -> str:
        old = unpack(m.rec["p"])
        oldset, newset = set(old), set(fp.paragraphs)
        added = sum(1 for p in fp.paragraphs if p not in oldset)
        removed = sum(1 for p in old if p not in newset)
        parts = []
        if not m.same_headline:
            parts.append("headline changed")
        if added:
            parts.append(f"{added} paragraph{'s' if added > 1 else ''} new or changed")
        if removed:
            parts.append(f"{removed} paragraph{'s' if removed > 1 else ''} removed or changed")
        return "; ".join(parts) or "text changed"

    def _version(
        self, input_id: str, article: Article, inp: _Input, fp: Fingerprint, hwords: list[int], m: _Match,
        kind: str, evidence: dict[str, Any],
    ) -> tuple[Decision, Article | None]:
        rec = m.rec
        version = int(rec["v"]) + 1
        keys = self._keys(fp, inp)
        old_keys = _stored_keys(rec)
        new_keys = [k for k in keys if k not in old_keys]
        all_keys = old_keys + new_keys
        new_rec = self._record(rec["u"], version, fp, hwords, inp, rec["c"], all_keys, "usable")
        new_rec["o"] = rec.get("o") or {k: rec[k] for k in _VIEW_FIELDS}
        ids = list(dict.fromkeys([*(rec.get("i") or ()), *inp.source_ids]))[-MAX_IDS:]
        if ids:
            new_rec["i"] = ids
        self._remember(m.sid, new_rec, new_keys)
        changes = self._changes(m, fp)
        label = "Correction" if kind == "correction" else "Update"
        ednote = f"{label} (version {version} of {rec['u']}): {changes}."
        if isinstance(article.get("ednote"), str) and article["ednote"].strip():
            ednote = article["ednote"].strip() + " " + ednote
        reason = f"{kind} of the story: {changes}"
        if inp.signal == kind:
            reason += f" (source marked it a {kind})"
        ev = {**evidence, "changes": changes}
        out = self._publish(article, rec["u"], version, inp, ednote=ednote)
        return Decision(input_id, kind, rec["u"], version, reason, ev), out

    def _kill(
        self, input_id: str, article: Article, inp: _Input, fp: Fingerprint, hwords: list[int],
        m: _Match | None,
    ) -> tuple[Decision, Article | None]:
        if m is None:
            # nothing to withdraw: pass the notice on under its own uri, remember nothing
            uri = inp.uri or self.uri_prefix + xxhash.xxh3_128_hexdigest(f"{input_id}\x00kill".encode())
            out = self._publish(article, uri, 1, inp, pubstatus="canceled")
            return (
                Decision(input_id, "kill", uri, 1, "kill of a story never seen (nothing to withdraw)",
                         {"matched": None, "method": "none"}),
                out,
            )
        rec = m.rec
        version = int(rec["v"]) + 1
        method = "item-id" if m.same_source_id else ("headline" if m.same_headline else "bottomk-minhash")
        new_rec = dict(rec)
        new_rec["v"] = version
        new_rec["st"] = "canceled"
        self.stories[m.sid] = new_rec
        out = self._publish(article, rec["u"], version, inp, pubstatus="canceled")
        return (
            Decision(input_id, "kill", rec["u"], version, "story withdrawn by its source", m.evidence(method)),
            out,
        )


def state_bytes(stories: MutableMapping[str, Any], index: MutableMapping[str, Any]) -> int:
    """Bytes of the serialized state (orjson, keys + values), as a Faust table would store it."""
    import orjson

    total = 0
    for mapping in (stories, index):
        for k, v in mapping.items():
            total += len(k.encode()) + len(orjson.dumps(v))
    return total


def now_utc() -> datetime:
    """The processing time, for callers that pass ``now``."""
    return datetime.now(UTC)
