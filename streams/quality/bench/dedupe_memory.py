"""Dedupe memory per remembered story: tracemalloc over everything the stage allocates, serialized size, breakdown.

Three inputs, each replayed into a fresh dict-backed Deduper with stream times one second apart (so every
story stays within the horizon and is remembered; no count bound):

* synthetic: the benchmark's generated stories (2-6 paragraphs of 1-3 sentences of Zipf-distributed words);
* reuters: Reuters-21578 corpus stories, as they are (needs the corpus);
* reuters+variants: the same with `syndicate eval dedupe`'s generated copies, updates, corrections and kills
  (about half the stories end with a second version, whose record keeps the first version's fingerprint too).

"In memory" is tracemalloc's count of bytes still allocated after the replay minus before it (records, story
ids, both mappings, the index arrays, the story handles and the expiry heap), divided by the stories remembered.
"""

from __future__ import annotations

import gc
import random
import sys
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.dedupe import Deduper, state_bytes
from streams.model import Article
from streams.quality.bench.dedupe_inputs import sentences, synthetic_story
from streams.quality.corpora.reuters21578 import read_sources
from streams.quality.evaluate.dedupe import build, make_article

T0 = datetime(2026, 1, 5, tzinfo=UTC)
Inputs = list[tuple[str, Article]]


def synthetic(n: int, seed: int) -> Inputs:
    """n generated stories (see `streams.quality.bench.dedupe_inputs.synthetic_story`)."""
    rng = random.Random(seed)
    pool = sentences(None, rng)
    out = []
    for i in range(n):
        head, paras = synthetic_story(rng, pool, i)
        out.append((f"m-{i}", make_article(f"wire:m-{i}", head, paras, T0 + timedelta(seconds=i))))
    return out


def reuters(corpus: str, n: int, rate: float, seed: int) -> Inputs:
    """The first n Reuters-21578 stories in time order, with generated variants at `rate` (0: none)."""
    items = sorted(build(read_sources(corpus)[:n], seed=seed, rate=rate), key=lambda it: (it.when, it.input_id))
    return [(it.input_id, it.article) for it in items]


def measure(label: str, inputs: Inputs) -> dict[str, float]:
    """Replay `inputs` under tracemalloc and print bytes per remembered story, in memory and serialized."""
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    dd = Deduper(stories, meta, max_stories=10**9)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for i, (input_id, article) in enumerate(inputs):
            dd.process(input_id, article, received=T0 + timedelta(seconds=i))
        gc.collect()
        used = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    n = max(1, len(stories))
    updated = sum(1 for sid in stories if "o" in dd.store.record(sid))
    serialized = state_bytes(stories, meta)
    parts = breakdown(dd)
    print(f"  {label}: {len(stories)} stories remembered ({updated} with a second version) from {len(inputs)} "
          f"inputs: {used / n:.0f} B/story in memory (tracemalloc), {serialized / n:.0f} B/story serialized")
    print("    in memory, by part (sys.getsizeof): " + ", ".join(f"{k} {v / n:.0f}" for k, v in parts.items()))
    return {"stories": len(stories), "memory": used / n, "serialized": serialized / n}


def breakdown(dd: Deduper) -> dict[str, int]:
    """Bytes of each part of the state (containers and the objects they hold; shared strings counted once)."""
    store = dd.store
    stories = store.stories
    table = store.table
    return {
        "records": sum(sys.getsizeof(v) for v in stories.values()),
        "story ids": sum(sys.getsizeof(k) for k in stories),
        "stories dict": sys.getsizeof(stories),
        "index arrays": sum(sys.getsizeof(a) for a in (table.keys, table.values, table.links, table.heads)),
        "handles": sys.getsizeof(store.sids) + sys.getsizeof(store.free),
        "expiry heap": sys.getsizeof(store.heap) + sum(sys.getsizeof(e) for e in store.heap),
    }


def run(n: int, corpus: str | None, seed: int) -> None:
    """Part 3 of `syndicate bench dedupe`."""
    measure("synthetic", synthetic(n, seed))
    if corpus:
        measure("reuters", reuters(corpus, n, 0.0, seed))
        measure("reuters+variants", reuters(corpus, n, 0.35, seed))
    else:
        print("  reuters: skipped (needs the corpus path)")
