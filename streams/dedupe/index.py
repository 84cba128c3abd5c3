"""The remembered stories and their candidate index: lookup, remembering, expiry by stream time and by count.

Durable state is two mappings the caller owns (dicts offline; tables or a changelog-backed store on workers):
``stories`` (story id -> its record, ``bytes``: `streams.dedupe.records`) and ``meta`` (JSON ints: ``~w``,
the latest stream time seen, and ``~q``, the next arrival number). Everything else is derived from the
records, kept in memory by this object and rebuilt by `StoryIndex.rebuild` after a restart: the candidate
index (`KeyTable`: every index key -> the stories listed under it, newest first), the story handles the index
lists, and the expiry heap (stories by stream time). The index is rebuilt in arrival order from the records'
key groups, so a rebuilt index lists exactly what an uninterrupted one does.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable, MutableMapping
from typing import Any

from streams.dedupe.clock import format_ms
from streams.dedupe.fingerprint import Fingerprint
from streams.dedupe.inputs import Input
from streams.dedupe.keytable import KeyTable
from streams.dedupe.records import Key, all_keys, decode, encode, stream_time_of
from streams.dedupe.thresholds import HEADLINE_CANDIDATES, INDEX_CAP, MAX_CANDIDATES

log = logging.getLogger(__name__)

#: Each key kind's salt: the table key of (kind, value) is value ^ salt (values are hashes already).
_SALT = {"b": 0x5BD1E9955BD1E995, "x": 0x9E3779B97F4A7C15, "h": 0xC2B2AE3D27D4EB4F, "s": 0x165667B19E3779F9}
#: Heap entries pack (stream ms, arrival number, handle) into one int, ordered by stream time, then arrival.
_ARRIVAL_SPAN = 1 << 64
_HANDLE_SPAN = 1 << 32
#: A count eviction is logged at WARNING the first time, then once every this many.
LOG_EVERY = 1000


def index_keys(fp: Fingerprint, inp: Input) -> list[Key]:
    """The index keys of one version: exact text, headline, band keys, source ids."""
    keys: list[Key] = [("x", fp.exact), ("h", fp.headline)]
    keys += [("b", v) for v in fp.keys]
    keys += [("s", i) for i in inp.source_ids]
    return keys


def _table_key(key: Key) -> int:
    return key[1] ^ _SALT[key[0]]


def _entry(stream: int, arrival: int, handle: int) -> int:
    """A heap entry: ordered by stream time, then arrival; the handle rides along."""
    return (stream * _ARRIVAL_SPAN + arrival) * _HANDLE_SPAN + handle


class StoryIndex:
    """The stories, their index and their expiry (see the module docstring)."""

    def __init__(
        self, stories: MutableMapping[str, Any], meta: MutableMapping[str, Any], *, horizon: int,
        max_stories: int, uri_prefix: str, on_forget: Callable[[str], None] | None = None,
    ) -> None:
        self.stories = stories
        #: told the uri of every story forgotten (horizon or count), so state kept per story elsewhere goes too
        self.on_forget = on_forget
        self.meta = meta
        self.horizon = horizon  # milliseconds of stream time
        self.max_stories = max_stories
        self.uri_prefix = uri_prefix
        self.table = KeyTable()
        self.sids: list[str | None] = []  # handle -> story id
        self.free: list[int] = []  # handles to reuse
        #: (stream ms, arrival, handle) of each story, packed; an entry may be older than its story's latest
        #: version (entries are refreshed lazily, when they reach the top)
        self.heap: list[int] = []
        self.evicted = {"horizon": 0, "count": 0}

    def __len__(self) -> int:
        """How many stories are remembered."""
        return len(self.sids) - len(self.free)

    # ------------------------------------------------------------------ lookup

    def live(self, handle: int, cutoff: int) -> tuple[str, dict[str, Any]] | None:
        """(story id, record) of story `handle` if its latest version was received (stream time, ms) not before
        `cutoff`; the record carries its uri as ``u``."""
        sid = self.sids[handle]
        raw = self.stories.get(sid) if sid is not None else None
        if sid is None or raw is None or stream_time_of(raw)[0] < cutoff:
            return None
        rec = decode(raw, keys=False)
        rec["u"] = self.uri_prefix + sid
        return sid, rec

    def record(self, sid: str) -> dict[str, Any]:
        """The whole record of a remembered story (with its key groups ``k``), to write its next state."""
        return decode(self.stories[sid])

    def exact_ids(self, fp: Fingerprint) -> list[int]:
        """The stories with exactly this text, the most recently listed first."""
        return self.table.get(_table_key(("x", fp.exact)), INDEX_CAP)

    def candidate_ids(self, fp: Fingerprint, inp: Input) -> list[int]:
        """The stories sharing an index key with this version (at most MAX_CANDIDATES, key by key, the most
        recently listed first; at most INDEX_CAP per key)."""
        seen: dict[int, None] = {}
        for key in index_keys(fp, inp):
            # a headline is shared by a template's daily reports: only its latest few stories are candidates
            # (they find a short notice whose update outgrew its band keys)
            limit = HEADLINE_CANDIDATES if key[0] == "h" and inp.signal != "kill" else INDEX_CAP
            for handle in self.table.get(_table_key(key), limit):
                seen.setdefault(handle, None)
        return list(seen)[:MAX_CANDIDATES]

    # ------------------------------------------------------------------ writes

    def arrival(self) -> int:
        """The next arrival number (every remembered version gets one)."""
        n = int(self.meta.get("~q") or 0)
        self.meta["~q"] = n + 1
        return n

    def add(self, sid: str, rec: dict[str, Any]) -> int:
        """Remember a new story `sid` and return its handle."""
        handle = self.free.pop() if self.free else len(self.sids)
        if handle == len(self.sids):
            self.sids.append(sid)
        else:
            self.sids[handle] = sid
        heapq.heappush(self.heap, _entry(rec["r"], rec["q"], handle))
        self.update(handle, rec, all_keys(rec))
        return handle

    def update(self, handle: int, rec: dict[str, Any], new_keys: list[Key]) -> None:
        """Store story `handle`'s record `rec` and list it under `new_keys`; then keep within max_stories. A new
        version's stream time is never earlier than the one it replaces (`records.next_version`), so the
        story's heap entry stays at or before it and is refreshed when it reaches the top."""
        sid = self.sids[handle]
        assert sid is not None
        self.stories[sid] = encode(rec)
        for key in new_keys:
            self.table.add(_table_key(key), handle)
        while len(self) > self.max_stories:
            self._evict_oldest()

    def replace(self, sid: str, rec: dict[str, Any]) -> None:
        """Store a changed record whose keys and times did not change (a kill)."""
        self.stories[sid] = encode(rec)

    # ------------------------------------------------------------------ time and expiry

    def watermark(self) -> int:
        """The latest stream time seen (epoch ms; 0 before any)."""
        return int(self.meta.get("~w") or 0)

    def advance(self, stream: int) -> int:
        """Move the watermark to stream time `stream` (ms) if later, forget the stories whose latest version was
        received before watermark - horizon, and return the watermark."""
        watermark = self.watermark()
        if stream <= watermark:
            return watermark
        self.meta["~w"] = stream
        cutoff = stream - self.horizon
        while self.heap and self.heap[0] // (_HANDLE_SPAN * _ARRIVAL_SPAN) < cutoff:
            if self._evict(heapq.heappop(self.heap)):
                self.evicted["horizon"] += 1
        return stream

    def _evict_oldest(self) -> None:
        """Forget the story received longest ago (stream time, then arrival), over max_stories."""
        while self.heap:
            entry = heapq.heappop(self.heap)
            sid = self.sids[entry % _HANDLE_SPAN]
            if self._evict(entry):
                self.evicted["count"] += 1
                n = self.evicted["count"]
                if n == 1 or n % LOG_EVERY == 0:
                    log.warning(
                        "dedupe: %d stories remembered is the limit (SYNDICATE_DEDUPE_MAX_STORIES): forgot %s%s, "
                        "received %s, the oldest by stream time (%d forgotten by the limit so far)",
                        self.max_stories, self.uri_prefix, sid, format_ms(entry // (_HANDLE_SPAN * _ARRIVAL_SPAN)),
                        n)
                return

    def _evict(self, entry: int) -> bool:
        """Forget the story of heap `entry`, just popped; unless the story has a later version since: then its
        entry goes back in the heap with the latest version's stream time and arrival."""
        handle = entry % _HANDLE_SPAN
        arrival = entry // _HANDLE_SPAN % _ARRIVAL_SPAN
        sid = self.sids[handle]
        raw = self.stories.get(sid) if sid is not None else None
        if sid is None or raw is None:
            return False
        stream, latest = stream_time_of(raw)
        if latest != arrival:
            heapq.heappush(self.heap, _entry(stream, latest, handle))
            return False
        for key in all_keys(decode(raw)):
            self.table.remove(_table_key(key), handle)
        del self.stories[sid]
        self.sids[handle] = None
        self.free.append(handle)
        if self.on_forget is not None:
            self.on_forget(self.uri_prefix + sid)
        return True

    def rebuild(self) -> int:
        """Derive the index, handles and expiry heap again from `stories`; return how many stories there are."""
        self.table.clear()
        self.sids, self.free, self.heap = [], [], []
        groups: list[tuple[int, int, list[Key]]] = []
        for handle, (sid, raw) in enumerate(self.stories.items()):
            rec = decode(raw)
            self.sids.append(sid)
            self.heap.append(_entry(rec["r"], rec["q"], handle))
            groups += [(arrival, handle, keys) for arrival, keys in rec["k"]]
        groups.sort(key=lambda g: g[0])
        for _, handle, keys in groups:
            for key in keys:
                self.table.add(_table_key(key), handle)
        heapq.heapify(self.heap)
        return len(self.sids)
