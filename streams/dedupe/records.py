"""The layout of a remembered story's record in ``stories`` (compact JSON), and the state's serialized size."""

from __future__ import annotations

import base64
from collections.abc import MutableMapping
from typing import Any

from streams.dedupe.fingerprint import Fingerprint, pack
from streams.dedupe.inputs import Input

#: The fingerprint fields of a record kept again (under "o") for the first version once a story is updated.
VIEW_FIELDS = ("s", "n", "x", "h", "w", "g", "p")
#: At most this many source ids are remembered per story (across its versions).
MAX_IDS = 8


def record(
    *, uri: str, version: int, fp: Fingerprint, inp: Input, keys: list[str], status: str
) -> dict[str, Any]:
    """A story's record: its latest version's fingerprint, uri, version, clocks (``t`` its dateline in epoch
    seconds, ``r`` its stream time in epoch ms), packed index keys, source ids (``i``) and status (``st``, only
    when not usable)."""
    rec: dict[str, Any] = {
        "u": uri,
        "v": version,
        "t": inp.dateline,
        "r": inp.stream,
        "s": pack(fp.sketch),
        "n": fp.size,
        "x": fp.exact,
        "h": fp.headline,
        "w": pack(fp.headline_words),
        "g": pack(fp.figures),
        "p": pack(fp.paragraphs),
        "k": pack_keys(keys),
    }
    if inp.source_ids:
        rec["i"] = list(inp.source_ids)
    if status != "usable":
        rec["st"] = status
    return rec


def next_version(
    rec: dict[str, Any], *, fp: Fingerprint, inp: Input, keys: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """The record of `rec`'s story after a new version `inp` with index keys `keys`, and those of `keys` the
    story is not listed under yet. The record keeps the first version's fingerprint (``o``), every index
    key of its versions and the story's source ids (at most MAX_IDS)."""
    old_keys = stored_keys(rec)
    new_keys = [k for k in keys if k not in old_keys]
    new_rec = record(
        uri=rec["u"], version=int(rec["v"]) + 1, fp=fp, inp=inp, keys=old_keys + new_keys,
        status="usable",
    )
    new_rec["o"] = rec.get("o") or {k: rec[k] for k in VIEW_FIELDS}
    ids = list(dict.fromkeys([*(rec.get("i") or ()), *inp.source_ids]))[-MAX_IDS:]
    if ids:
        new_rec["i"] = ids
    return new_rec, new_keys


def pack_keys(keys: list[str]) -> list[str]:
    """Index keys as stored in a record: band keys ("b:" + 12 hex) packed 6 bytes each into one base64
    string (the first element), the others (x:, h:, s:) kept as they are."""
    bands = b"".join(bytes.fromhex(k[2:]) for k in keys if k.startswith("b:"))
    return [base64.b64encode(bands).decode("ascii"), *(k for k in keys if not k.startswith("b:"))]


def stored_keys(rec: dict[str, Any]) -> list[str]:
    """Inverse of `pack_keys`: every index key the record's story is listed under."""
    packed, *rest = rec["k"]
    raw = base64.b64decode(packed)
    return [f"b:{raw[i : i + 6].hex()}" for i in range(0, len(raw), 6)] + rest


def state_bytes(stories: MutableMapping[str, Any], index: MutableMapping[str, Any]) -> int:
    """Bytes of the serialized state (orjson, keys + values), as a Faust table would store it."""
    import orjson

    total = 0
    for mapping in (stories, index):
        for k, v in mapping.items():
            total += len(k.encode()) + len(orjson.dumps(v))
    return total
