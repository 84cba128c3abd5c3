"""The candidate index over the remembered stories: index keys, candidate lookup, expiry buckets, rebuild."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

from streams.dedupe.fingerprint import Fingerprint
from streams.dedupe.inputs import Input
from streams.dedupe.records import stored_keys
from streams.dedupe.thresholds import HEADLINE_CANDIDATES, INDEX_CAP, MAX_CANDIDATES

#: Stories are listed for expiry under minute keys ``t:<epoch minute>`` of their stream time (a few ids each, so
#: adding one rewrites a short list), grouped for eviction by hour: ``~b`` lists the live hours (<= horizon/1h
#: + 1 entries, rewritten once an hour) and evicting an hour pops its 60 minute keys. Milliseconds.
BUCKET_MS = 60_000
EVICT_MS = 3_600_000


def index_keys(fp: Fingerprint, inp: Input) -> list[str]:
    """The index keys of one version: exact text, headline, band keys, source ids."""
    keys = [f"x:{fp.exact}", f"h:{fp.headline}"]
    keys += [f"b:{v:012x}" for v in fp.keys]
    keys += [f"s:{i}" for i in inp.source_ids]
    return keys


class StoryIndex:
    """``stories`` and ``index`` (and the watermark in ``meta``) as the `streams.dedupe.deduper` module
    docstring lays them out: who is listed where, what is live, what expires."""

    def __init__(
        self,
        stories: MutableMapping[str, Any],
        index: MutableMapping[str, Any],
        meta: MutableMapping[str, Any],
        horizon: int,
    ) -> None:
        self.stories = stories
        self.index = index
        self.meta = meta
        self.horizon = horizon  # milliseconds of stream time

    # ------------------------------------------------------------------ lookup

    def live(self, sid: str, cutoff: int) -> dict[str, Any] | None:
        """The record of story `sid` if it is remembered and its latest version was received (stream time, ms)
        not before `cutoff`."""
        rec = self.stories.get(sid)
        if rec is None or rec["r"] < cutoff:
            return None
        return rec

    def exact_ids(self, fp: Fingerprint) -> Iterable[str]:
        """The stories with exactly this text, the most recently stored first."""
        return reversed(self.index.get(f"x:{fp.exact}") or ())

    def candidate_ids(self, fp: Fingerprint, inp: Input) -> list[str]:
        """The stories sharing an index key with this version (at most MAX_CANDIDATES, key by key, the most
        recently stored first)."""
        seen: dict[str, None] = {}
        for key in index_keys(fp, inp):
            ids = self.index.get(key) or ()
            if key.startswith("h:") and inp.signal != "kill":
                # a headline is shared by a template's daily reports: only its latest few stories are
                # candidates (they find a short notice whose update outgrew its band keys)
                ids = ids[-HEADLINE_CANDIDATES:]
            for sid in reversed(ids):
                seen.setdefault(sid, None)
        return list(seen)[:MAX_CANDIDATES]

    # ------------------------------------------------------------------ writes

    def remember(self, sid: str, rec: dict[str, Any], new_keys: list[str]) -> None:
        """Store `rec` as story `sid`, list it under `new_keys` and in its minute bucket."""
        self.stories[sid] = rec
        for key in new_keys:
            ids = [i for i in (self.index.get(key) or ()) if i != sid]
            ids.append(sid)
            self.index[key] = ids[-INDEX_CAP:]
        hour = rec["r"] // EVICT_MS
        bkey = f"t:{rec['r'] // BUCKET_MS}"
        bucket = list(self.index.get(bkey) or ())
        if sid not in bucket:
            bucket.append(sid)
            self.index[bkey] = bucket
        buckets = list(self.index.get("~b") or ())
        if hour not in buckets:
            buckets.append(hour)
            buckets.sort()
            self.index["~b"] = buckets

    # ------------------------------------------------------------------ time and expiry

    def watermark(self) -> int:
        """The latest stream time seen (epoch ms; 0 before any)."""
        return int(self.meta.get("~w") or 0)

    def advance(self, clock: int) -> int:
        """Move the watermark to stream time `clock` (ms) if later and evict the hour buckets that fell out of
        the horizon."""
        watermark = self.watermark()
        if clock <= watermark:
            return watermark
        self.meta["~w"] = clock
        limit = (clock - self.horizon) // EVICT_MS  # hours below this one are expired
        buckets = list(self.index.get("~b") or ())
        if buckets and buckets[0] < limit:
            cutoff = clock - self.horizon
            keep = [b for b in buckets if b >= limit]
            per_hour = EVICT_MS // BUCKET_MS
            for hour in buckets[: len(buckets) - len(keep)]:
                for minute in range(hour * per_hour, (hour + 1) * per_hour):
                    for sid in self.index.pop(f"t:{minute}", None) or ():
                        self._evict(sid, cutoff)
            self.index["~b"] = keep
        return clock

    def _evict(self, sid: str, cutoff: int) -> None:
        rec = self.stories.get(sid)
        if rec is None or rec["r"] >= cutoff:
            return  # already gone, or refreshed by a later version (listed in a later bucket)
        for key in stored_keys(rec):
            ids = self.index.get(key)
            if ids is None:
                continue
            rest = [i for i in ids if i != sid]
            if rest:
                self.index[key] = rest
            else:
                del self.index[key]
        del self.stories[sid]

    def rebuild(self) -> int:
        """Derive the whole index again from `stories` and return how many stories it lists (see
        `streams.dedupe.deduper.Deduper.rebuild_index`)."""
        watermark = self.meta.get("~w") if self.meta is self.index else None
        self.index.clear()
        if watermark is not None:
            self.meta["~w"] = watermark
        ordered = sorted((rec["r"], sid) for sid, rec in self.stories.items())
        lists: dict[str, list[str]] = {}
        hours: set[int] = set()
        for clock, sid in ordered:
            for key in stored_keys(self.stories[sid]):
                lists.setdefault(key, []).append(sid)
            lists.setdefault(f"t:{clock // BUCKET_MS}", []).append(sid)
            hours.add(clock // EVICT_MS)
        for key, ids in lists.items():
            self.index[key] = ids if key.startswith("t:") else ids[-INDEX_CAP:]
        if hours:
            self.index["~b"] = sorted(hours)
        return len(ordered)
