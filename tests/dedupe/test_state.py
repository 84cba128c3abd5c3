"""Dedupe state: the record codec, the key table, the count bound, rebuilds, and memory per remembered story."""

from __future__ import annotations

import gc
import logging
import random
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.dedupe import Deduper
from streams.dedupe.keytable import KeyTable
from streams.dedupe.records import decode, encode
from streams.model import Rejection
from streams.quality.bench.dedupe import _sentences, _story
from streams.quality.evaluate.dedupe import load_sources, make_article

FIXTURES = Path(__file__).parents[1] / "fixtures" / "dedupe"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SOURCES = load_sources(str(FIXTURES / "stories.json"))

u32 = st.integers(0, 2**32 - 1)
u64 = st.integers(0, 2**64 - 1)
views = st.fixed_dictionaries({
    "s": st.lists(u32, max_size=64).map(sorted), "n": u32, "x": u64, "h": u32,
    "w": st.lists(u32, max_size=30), "g": st.lists(u32, max_size=32), "p": st.lists(u32, max_size=48)})
keys = st.lists(st.one_of(st.tuples(st.just("b"), st.integers(0, 2**48 - 1)), st.tuples(st.just("x"), u64),
                          st.tuples(st.just("h"), u32), st.tuples(st.just("s"), u64)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(view=views, first=st.one_of(st.none(), views), version=st.integers(1, 65535),
       stream=st.integers(-(2**62), 2**62), dateline=st.integers(-(2**62), 2**62), arrival=st.integers(0, 2**63),
       ids=st.lists(u64, max_size=8), groups=st.lists(st.tuples(st.integers(0, 2**63), keys), min_size=1, max_size=5),
       canceled=st.booleans())
def test_a_record_survives_encoding_and_json(view: dict[str, Any], first: dict[str, Any] | None, version: int,
                                              stream: int, dateline: int, arrival: int, ids: list[int],
                                              groups: list[tuple[int, list[tuple[str, int]]]], canceled: bool) -> None:
    rec: dict[str, Any] = {"v": version, "r": stream, "t": dateline, "q": arrival, **view, "i": ids, "k": groups}
    if first:
        rec["o"] = first
    if canceled:
        rec["st"] = "canceled"
    raw = encode(rec)
    assert isinstance(raw, bytes)
    back = decode(raw)
    # key groups come back grouped by kind, in each kind's order
    order = {"b": 0, "x": 1, "h": 2, "s": 3}
    rec["k"] = [(a, sorted(ks, key=lambda k: order[k[0]])) for a, ks in groups]
    assert back == rec
    assert decode(raw, keys=False) == {k: v for k, v in rec.items() if k != "k"}


def test_the_key_table_lists_newest_first_and_keeps_order_when_it_grows() -> None:
    table = KeyTable(buckets=16)
    rng = random.Random(3)
    expected: dict[int, list[int]] = {}
    hot = rng.getrandbits(64)
    for value in range(5000):
        key = hot if value % 7 == 0 else rng.getrandbits(64)
        table.add(key, value)
        expected.setdefault(key, []).insert(0, value)
    assert len(table) == 5000 and table.mask + 1 >= 2048  # grew from 16 buckets
    for key, values in expected.items():
        assert table.get(key, 10_000) == values
    assert table.get(hot, 3) == expected[hot][:3]
    # removing frees entries for reuse and keeps the others in order
    for value in expected[hot][::2]:
        assert table.remove(hot, value)
    assert not table.remove(hot, expected[hot][0])
    assert table.get(hot, 10_000) == expected[hot][1::2]
    before = len(table.keys)
    table.add(hot, 99_999)
    assert len(table.keys) == before and table.get(hot, 1) == [99_999]


def story(i: int, minutes: float) -> dict[str, Any]:
    src = SOURCES[i % len(SOURCES)]
    return make_article(f"wire:s{i}", src.headline, src.paragraphs, T0 + timedelta(minutes=minutes))


def test_the_count_bound_forgets_the_story_received_longest_ago_and_logs_it(caplog: Any) -> None:
    stories: dict[str, Any] = {}
    dd = Deduper(stories, {}, max_stories=3)
    received = [T0 + timedelta(minutes=m) for m in (10, 0, 20, 30)]  # the second arrived first by stream time
    uris = []
    with caplog.at_level(logging.WARNING):
        for i, at in enumerate(received):
            out = dd.process(f"in-{i}", story(i, 0), received=at)
            assert not isinstance(out, Rejection)
            uris.append(out[0].uri)
    assert len(stories) == len(dd) == 3 and dd.store.evicted == {"horizon": 0, "count": 1}
    assert uris[1].rsplit(":", 1)[1] not in stories  # received at T0: the oldest by stream time
    assert "SYNDICATE_DEDUPE_MAX_STORIES" in caplog.text and uris[1] in caplog.text
    # a copy of a story still remembered is a duplicate; a copy of the forgotten one is a new story
    kept = dd.process("in-kept", story(0, 0), received=T0 + timedelta(minutes=40))
    again = dd.process("in-again", story(1, 0), received=T0 + timedelta(minutes=41))
    assert not isinstance(again, Rejection) and not isinstance(kept, Rejection)
    assert (kept[0].decision, kept[0].uri) == ("duplicate", uris[0]) and again[0].decision == "new"


def _decide_all(dd: Deduper, arts: list[tuple[str, dict[str, Any], datetime]]) -> list[tuple[str, str, int]]:
    out = []
    for iid, art, at in arts:
        res = dd.process(iid, art, received=at)
        assert not isinstance(res, Rejection), res
        out.append((res[0].decision, res[0].uri, res[0].version))
    return out


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), cut=st.integers(0, 40), bound=st.integers(3, 30))
def test_a_restart_at_any_point_decides_like_an_uninterrupted_run(seed: int, cut: int, bound: int) -> None:
    """The worker rebuilds its index from the stories after a restart: same decisions, same index, whatever the
    count bound and the horizon evicted before."""
    rng = random.Random(seed)
    arts = []
    for i in range(40):
        src = rng.randrange(len(SOURCES))
        paras = list(SOURCES[src].paragraphs)
        if rng.random() < 0.3:
            paras.append(f"Officials said on day {i} that talks would continue.")  # an update
        at = T0 + timedelta(hours=3 * i + rng.random())
        arts.append((f"in-{i}", make_article(f"wire:{i}", SOURCES[src].headline, paras, at), at))
    horizon = timedelta(days=2)
    expected = _decide_all(Deduper({}, {}, horizon=horizon, max_stories=bound), arts)
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    first = Deduper(stories, meta, horizon=horizon, max_stories=bound)
    got = _decide_all(first, arts[:cut])
    # through a changelog: the records as bytes, the meta as JSON
    stories, meta = {k: bytes(v) for k, v in stories.items()}, orjson.loads(orjson.dumps(meta))
    restarted = Deduper(stories, meta, horizon=horizon, max_stories=bound)
    assert restarted.rebuild_index() == len(stories)
    got += _decide_all(restarted, arts[cut:])
    assert got == expected


def test_memory_per_remembered_story_is_under_1500_bytes() -> None:
    """Issue 9: under 1,500 B per remembered story in Python memory (tracemalloc over everything the stage
    allocates while it remembers them: the records, their ids, the index, the expiry heap). Measured ~1,000 B
    on 10,000 synthetic and Reuters stories (`syndicate bench dedupe`), ~1,300 B when half are updated."""
    rng = random.Random(5)
    sentences = _sentences(None, rng)
    arts = []
    for i in range(2000):  # the benchmark's synthetic stories: 2-6 paragraphs of 1-3 sentences
        head, paras = _story(rng, sentences, i)
        arts.append((f"m-{i}", make_article(f"wire:m{i}", head, paras, T0), T0 + timedelta(seconds=i)))
    stories: dict[str, Any] = {}
    dd = Deduper(stories, {})
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for iid, art, at in arts:
            dd.process(iid, art, received=at)
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert len(stories) == 2000
    assert used / len(stories) < 1500, f"{used / len(stories):.0f} B per remembered story"

