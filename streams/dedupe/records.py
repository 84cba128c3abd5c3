"""A remembered story's record: one compact ``bytes`` value per story in ``stories`` (packed binary), and its size.

Decoded, a record is a dict (the rest of the stage reads these keys):

``v`` version, ``r`` stream time of the latest version (epoch ms), ``t`` its dateline (epoch s), ``q`` its arrival
number (the stream's sequence, unique), ``st`` "canceled" once killed (``notice`` too when a kill arrived before
the story it names, and the record holds only the notice); the latest version's fingerprint
``s`` (bottom-k sketch), ``n`` (distinct shingles), ``x`` (exact hash), ``h`` (headline hash), ``w``
(headline words), ``g`` (figures), ``p`` (paragraphs); ``o``, the first version's fingerprint (same keys)
once the story has been updated; ``i`` its source ids; ``k`` the index keys it is listed under, in groups
``(arrival number, [(kind, value), ...])``, one group per version that added keys (kinds: "b" band key, "x"
exact text, "h" headline, "s" source id), so the in-memory index can be rebuilt in the order it was built.

Encoded: the fields packed little-endian in one ``bytes`` (a header, one or two fingerprint views, the ids,
the key groups). One bytes object instead of a dict of a dozen JSON values: ~4 times less memory per
remembered story (``syndicate bench dedupe``, part 3). Why bytes and not text: base64 costs a third more
memory, and latin-1 text gets a second, UTF-8 copy cached inside the str the first time orjson serializes it
(2.3 times the bytes). The worker's state store writes bytes values to its changelog as they are
(`streams.runtime.state.encode_value`).
"""

from __future__ import annotations

import struct
from collections.abc import MutableMapping
from typing import Any

import orjson

from streams.dedupe.fingerprint import Fingerprint
from streams.dedupe.inputs import Input

#: The fingerprint fields of a record kept again (under "o") for the first version once a story is updated.
VIEW_FIELDS = ("s", "n", "x", "h", "w", "g", "p")
#: At most this many source ids are remembered per story (across its versions).
MAX_IDS = 8
#: Key kinds, in the order a key group stores them, with each value's width in bytes.
KINDS = (("b", 6), ("x", 8), ("h", 4), ("s", 8))

FORMAT = 1
_CANCELED, _FIRST, _NOTICE = 1, 2, 4
_HEAD = struct.Struct("<BBHqqQB")  # format, flags, version, stream ms, dateline s, arrival number, source ids
_VIEW = struct.Struct("<IQIHHHH")  # shingles, exact, headline, then how many sketch/word/figure/paragraph values
_GROUP = struct.Struct("<QBBBB")  # arrival number, then how many keys of each kind

Key = tuple[str, int]


def record(
    *, version: int, fp: Fingerprint, inp: Input, arrival: int, keys: list[Key], status: str
) -> dict[str, Any]:
    """A new story's record (version 1); `status` "notice": a kill that named no remembered story, kept as a
    canceled story (``st``) that is only a notice (``notice``) until the story it names arrives."""
    rec: dict[str, Any] = {
        "v": version,
        "r": inp.stream,
        "t": inp.dateline,
        "q": arrival,
        **view_of(fp),
        "i": list(inp.source_ids)[-MAX_IDS:],
        "k": [(arrival, keys)],
    }
    if status == "notice":
        rec.update(st="canceled", notice=True)
    elif status != "usable":
        rec["st"] = status
    return rec


def view_of(fp: Fingerprint) -> dict[str, Any]:
    """The fingerprint fields of one version."""
    return {"s": fp.sketch, "n": fp.size, "x": fp.exact, "h": fp.headline, "w": fp.headline_words,
            "g": fp.figures, "p": fp.paragraphs}


def next_version(
    rec: dict[str, Any], *, fp: Fingerprint, inp: Input, arrival: int, keys: list[Key]
) -> tuple[dict[str, Any], list[Key]]:
    """The record of `rec`'s story after a new version `inp` (arrival number `arrival`) with index keys `keys`,
    and those of `keys` the story is not listed under yet. The record keeps the first version's fingerprint
    (``o``), every index key of its versions and the story's source ids (at most MAX_IDS)."""
    old = {key for _, group in rec["k"] for key in group}
    new_keys = [k for k in dict.fromkeys(keys) if k not in old]
    new_rec: dict[str, Any] = {
        "v": int(rec["v"]) + 1,
        "r": max(rec["r"], inp.stream),  # a new version never shortens the story's life
        "t": inp.dateline,
        "q": arrival,
        **view_of(fp),
        "o": rec.get("o") or {k: rec[k] for k in VIEW_FIELDS},
        "i": list(dict.fromkeys([*rec["i"], *inp.source_ids]))[-MAX_IDS:],
        "k": [*rec["k"], (arrival, new_keys)] if new_keys else list(rec["k"]),
    }
    return new_rec, new_keys


def all_keys(rec: dict[str, Any]) -> list[Key]:
    """Every index key the record's story is listed under."""
    return [key for _, group in rec["k"] for key in group]


# -- the codec -------------------------------------------------------------------------------------------


def encode(rec: dict[str, Any]) -> bytes:
    """A record as stored: packed binary."""
    flags = ((_CANCELED if rec.get("st") == "canceled" else 0) | (_FIRST if rec.get("o") else 0)
             | (_NOTICE if rec.get("notice") else 0))
    ids = rec["i"]
    parts = [_HEAD.pack(FORMAT, flags, min(int(rec["v"]), 0xFFFF), rec["r"], rec["t"], rec["q"], len(ids)),
             _pack_view(rec)]
    if rec.get("o"):
        parts.append(_pack_view(rec["o"]))
    parts.append(struct.pack(f"<{len(ids)}Q", *ids))
    groups = rec["k"]
    parts.append(struct.pack("<H", len(groups)))
    for arrival, keys in groups:
        by_kind = [[v for k, v in keys if k == kind] for kind, _ in KINDS]
        parts.append(_GROUP.pack(arrival, *(len(vs) for vs in by_kind)))
        for (_, width), values in zip(KINDS, by_kind, strict=True):
            parts.extend(v.to_bytes(width, "little") for v in values)
    return b"".join(parts)


def decode(raw: bytes, *, keys: bool = True) -> dict[str, Any]:
    """Inverse of `encode`; without the key groups ``k`` when not `keys` (comparing needs none)."""
    fmt, flags, version, stream, dateline, arrival, n_ids = _HEAD.unpack_from(raw)
    if fmt != FORMAT:
        raise ValueError(f"dedupe record format {fmt} (this code reads {FORMAT}): reset the dedupe state")
    rec: dict[str, Any] = {"v": version, "r": stream, "t": dateline, "q": arrival}
    if flags & _CANCELED:
        rec["st"] = "canceled"
    if flags & _NOTICE:
        rec["notice"] = True
    at = _unpack_view(raw, _HEAD.size, rec)
    if flags & _FIRST:
        rec["o"] = {}
        at = _unpack_view(raw, at, rec["o"])
    rec["i"] = list(struct.unpack_from(f"<{n_ids}Q", raw, at))
    at += 8 * n_ids
    if keys:
        rec["k"] = _unpack_groups(raw, at)
    return rec


def _unpack_groups(raw: bytes, at: int) -> list[tuple[int, list[Key]]]:
    (n_groups,) = struct.unpack_from("<H", raw, at)
    at += 2
    groups = []
    for _ in range(n_groups):
        arrival, *counts = _GROUP.unpack_from(raw, at)
        at += _GROUP.size
        keys: list[Key] = []
        for (kind, width), count in zip(KINDS, counts, strict=True):
            for _ in range(count):
                keys.append((kind, int.from_bytes(raw[at : at + width], "little")))
                at += width
        groups.append((arrival, keys))
    return groups


def stream_time_of(raw: bytes) -> tuple[int, int]:
    """(stream time, arrival number) of a stored record's latest version, read from its header alone."""
    _, _, _, stream, _, arrival, _ = _HEAD.unpack_from(raw)
    return stream, arrival


def _pack_view(view: dict[str, Any]) -> bytes:
    arrays = [view["s"], view["w"], view["g"], view["p"]]
    head = _VIEW.pack(view["n"], view["x"], view["h"], *(len(a) for a in arrays))
    body = b"".join(struct.pack(f"<{len(a)}I", *a) for a in arrays)
    return head + body


def _unpack_view(raw: bytes, at: int, into: dict[str, Any]) -> int:
    n, exact, headline, *counts = _VIEW.unpack_from(raw, at)
    at += _VIEW.size
    into.update(n=n, x=exact, h=headline)
    for name, count in zip(("s", "w", "g", "p"), counts, strict=True):
        into[name] = list(struct.unpack_from(f"<{count}I", raw, at))
        at += 4 * count
    return at


def state_bytes(*mappings: MutableMapping[str, Any]) -> int:
    """Bytes of the serialized state, keys + values, as the changelog stores them: bytes as they are, anything
    else as orjson."""
    total = 0
    for mapping in mappings:
        for k, v in mapping.items():
            total += len(k.encode()) + (len(v) if isinstance(v, bytes) else len(orjson.dumps(v)))
    return total

