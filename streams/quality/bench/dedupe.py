"""Dedupe benchmark: fingerprint + lookup cost with 100,000 stories remembered, state size, sketch candidates.

Three parts, all printed (nothing asserted):

1. Candidates: per-story fingerprint time and the error of each method's Jaccard estimate against the
   exact word-3-gram Jaccard, on corpus stories paired with generated variants (trim, edit, update):
   datasketch MinHash (128 permutations, if installed), numpy MinHash (128 permutations over xxhash'd
   shingles), SimHash (64 bits, numpy), and the chosen bottom-k sketch + one-permutation LSH keys.
2. Scale: fill a dict-backed Deduper with N stories (default 100,000; texts are random mixes of
   corpus sentences, or synthetic words without a corpus), then time fingerprint + lookup (median,
   p90, p99) for queries that are new stories, exact re-sends and edited copies.
3. Memory (`streams.quality.bench.dedupe_memory`): tracemalloc bytes per remembered story, serialized bytes per
   story (orjson, as a table or changelog stores it) and a breakdown, on synthetic and Reuters-21578 stories.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import xxhash

from streams.dedupe import Deduper, state_bytes
from streams.dedupe.compare import candidates
from streams.dedupe.fingerprint import (
    SHINGLE,
    SKETCH_K,
    band_keys,
    distinct32,
    fingerprint,
    paragraph_tokens,
    shingle_hashes,
    similarities,
    tokens,
)
from streams.dedupe.inputs import Input
from streams.quality.bench import dedupe_memory
from streams.quality.bench.dedupe_inputs import sentences as _sentences
from streams.quality.bench.dedupe_inputs import synthetic_story as _story
from streams.quality.bench.report import ms_summary
from streams.quality.corpora.reuters21578 import read_sources
from streams.quality.evaluate.dedupe import make_article, variants


def _exact_jaccard(a: str, b: str) -> float:
    def sh(t: str) -> set[tuple[bytes, ...]]:
        w = tokens(t)
        return set(zip(*(w[i:] for i in range(SHINGLE)), strict=False))

    sa, sb = sh(a), sh(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


# -- the candidates ----------------------------------------------------------------------------------

class NumpyMinHash:
    """128-permutation MinHash over xxhash'd shingles, vectorised: multiply-shift hashing (a*x + b) mod 2**64,
    top 32 bits, minimum per permutation (a odd; one (128, n) numpy product per story)."""

    def __init__(self, perms: int = 128, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(0, 1 << 63, size=perms, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self.b = rng.integers(0, 1 << 63, size=perms, dtype=np.uint64)

    def sketch(self, text: str) -> np.ndarray:
        w = tokens(text)
        sh = np.fromiter(
            (xxhash.xxh3_64_intdigest(b" ".join(w[i : i + SHINGLE])) for i in range(max(1, len(w) - SHINGLE + 1))),
            dtype=np.uint64,
        )
        return np.asarray(((self.a[:, None] * sh[None, :] + self.b[:, None]) >> np.uint64(32)).min(axis=1))

    @staticmethod
    def jaccard(x: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(x == y))


class SimHash:
    """64-bit SimHash over xxhash'd shingles (numpy bit unpacking); similarity = 1 - hamming/64."""

    def sketch(self, text: str) -> int:
        w = tokens(text)
        sh = np.fromiter(
            (xxhash.xxh3_64_intdigest(b" ".join(w[i : i + SHINGLE])) for i in range(max(1, len(w) - SHINGLE + 1))),
            dtype=np.uint64,
        )
        bits = np.unpackbits(sh.view(np.uint8).reshape(-1, 8), axis=1)
        votes = bits.sum(axis=0) * 2 > len(sh)
        return int.from_bytes(np.packbits(votes).tobytes(), "big")

    @staticmethod
    def jaccard(x: int, y: int) -> float:
        return 1.0 - (x ^ y).bit_count() / 64


class DatasketchMinHash:
    """datasketch.MinHash(num_perm=128) fed the shingles as bytes (the library's usual use)."""

    def __init__(self) -> None:
        from datasketch import MinHash  # optional (not a dependency): the caller skips the row without it

        self.cls = MinHash

    def sketch(self, text: str) -> Any:
        w = tokens(text)
        m = self.cls(num_perm=128)
        m.update_batch([b" ".join(w[i : i + SHINGLE]) for i in range(max(1, len(w) - SHINGLE + 1))])
        return m

    @staticmethod
    def jaccard(x: Any, y: Any) -> float:
        return float(x.jaccard(y))


class BottomKCore:
    """The chosen method's core alone: shingle hashes, bottom-64 sketch and the 12 OPH band keys."""

    def sketch(self, text: str) -> Any:
        mixed = shingle_hashes(paragraph_tokens_flat(text))
        values = distinct32(mixed)
        band_keys(values)
        return values[:SKETCH_K].tolist(), len(values)

    @staticmethod
    def jaccard(x: Any, y: Any) -> float:
        return similarities(x[0], x[1] <= SKETCH_K, y[0], y[1] <= SKETCH_K)[0]


def paragraph_tokens_flat(text: str) -> list[bytes]:
    return [t for pt in paragraph_tokens(text) for t in pt]


class BottomK:
    """The chosen method in full: `streams.dedupe.fingerprint.fingerprint` (bottom-k sketch, OPH band keys, exact
    hash, figures, paragraph and headline hashes)."""

    def sketch(self, text: str) -> Any:
        return fingerprint("", text)

    @staticmethod
    def jaccard(x: Any, y: Any) -> float:
        return similarities(x.sketch, x.complete, y.sketch, y.complete)[0]


def _time_per_call(fn: Callable[[str], Any], texts: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, (time.perf_counter() - t0) / len(texts))
    return best


def compare_methods(pairs: list[tuple[str, str]], texts: list[str]) -> None:
    """Print time per story and Jaccard estimation error for every available method."""
    methods: list[tuple[str, Any]] = [
        ("chosen: bottom-k 64 + 12 OPH band keys", BottomKCore()),
        ("chosen, full fingerprint()", BottomK()),
    ]
    methods.append(("numpy MinHash 128 perms", NumpyMinHash()))
    methods.append(("SimHash 64 bits", SimHash()))
    try:
        methods.append(("datasketch MinHash 128 perms", DatasketchMinHash()))
    except ImportError:
        print("  (datasketch not installed: its row is skipped)")
    exact = [_exact_jaccard(a, b) for a, b in pairs]
    print(f"  {'method':<38} {'us/story':>9} {'MAE J':>7} {'max err':>8}   ({len(texts)} stories, {len(pairs)} pairs)")
    for name, m in methods:
        per = _time_per_call(m.sketch, texts)
        errs = [abs(m.jaccard(m.sketch(a), m.sketch(b)) - j) for (a, b), j in zip(pairs, exact, strict=True)]
        print(f"  {name:<38} {1e6 * per:>9.1f} {statistics.fmean(errs):>7.3f} {max(errs):>8.3f}")


# -- scale ---------------------------------------------------------------------------------------------


def _percentiles(xs: list[float]) -> str:
    return ms_summary(xs, shares=(0.9, 0.99), scale=1e3)


def scale(n: int, queries: int, corpus: str | None, seed: int) -> None:
    """Fill a Deduper with n stories and time fingerprint + lookup on queries."""
    rng = random.Random(seed)
    sentences = _sentences(corpus, rng)
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    dd = Deduper(stories, meta, max_stories=n)
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    span = timedelta(days=6).total_seconds()
    kept: list[tuple[str, list[str], datetime]] = []
    start = time.perf_counter()
    for i in range(n):
        head, paras = _story(rng, sentences, i)
        when = t0 + timedelta(seconds=span * i / n)
        dd.process(f"fill-{i}", make_article(f"wire:fill-{i}", head, paras, when), received=when)
        if i % max(1, n // (queries or 1)) == 0:
            kept.append((head, paras, when))
    fill_s = time.perf_counter() - start
    # 1.3 million index lists in Python dicts make the cyclic GC's full passes visible as 4 ms spikes in
    # p99; freeze them as a long-running dict-backed process would (Faust/RocksDB state is not Python
    # objects at all)
    gc.collect()
    gc.freeze()
    sb = state_bytes(stories, meta)
    print(f"  filled {n} stories in {fill_s:.1f} s ({1e6 * fill_s / n:.0f} us/story end to end, state writes "
          f"included); remembered {len(stories)}, index entries {len(dd.store.table)}")
    print(f"  serialized state: {sb} bytes = {sb / max(1, len(stories)):.0f} B/story (orjson keys + values, "
          f"stories + meta; the index is derived, in memory)")

    # queries: a third brand-new stories, a third exact re-sends, a third outlets' edited copies of
    # remembered ones (a republication matches at any age within the horizon)
    qs: list[tuple[str, list[str], bool]] = []
    for j in range(queries):
        kind = j % 3
        if kind == 0 or not kept:
            qs.append((*_story(rng, sentences, n + j), False))
        else:
            head, paras, _ = rng.choice(kept)
            if kind == 2:
                paras = [p.replace(" the ", " a ", 2) for p in paras[:-1]] or paras
            qs.append((head, paras, kind == 2))
    now = t0 + timedelta(days=6)
    cutoff = int(now.timestamp() * 1000) - dd.horizon
    fp_times: list[float] = []
    both_times: list[float] = []
    cands = 0
    hits = 0
    for head, paras, republished in qs:
        body = "\n\n".join(paras)
        inp = Input(headline=head, body=body, dateline=int(now.timestamp()), stream=int(now.timestamp() * 1000),
                    pubstatus="usable", signal=None,
                    source_ids=(), republished=republished, wire_item=not republished, uri=None)
        a = time.perf_counter()
        fp = fingerprint(head, body)
        b = time.perf_counter()
        found = candidates(dd.store, fp, inp, cutoff)
        c = time.perf_counter()
        fp_times.append(b - a)
        both_times.append(c - a)
        cands += len(found)
        hits += bool(found)
    print(f"  fingerprint only:      {_percentiles(fp_times)}")
    print(f"  fingerprint + lookup:  {_percentiles(both_times)}   ({queries} queries, {hits} matched a "
          f"remembered story, {cands / max(1, queries):.2f} verified matches/query)")
    proc: list[float] = []
    for j, (head, paras, republished) in enumerate(qs):
        art = make_article(f"wire:q-{j}", head, paras, now, publisher="Metro Courier" if republished else None)
        a = time.perf_counter()
        dd.process(f"q-{j}", art, received=now)
        proc.append(time.perf_counter() - a)
    print(f"  process() end to end:  {_percentiles(proc)}   (dict-backed state; Faust/RocksDB adds its gets/puts)")
    gc.unfreeze()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options after the optional positional corpus (a reuters21578 directory)."""
    parser.add_argument("--remember", type=int, default=100_000, help="stories remembered before timing")
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--methods", type=int, default=600, help="stories for the method comparison")
    parser.add_argument("--traced", type=int, default=10_000, help="stories for the tracemalloc figure")
    parser.add_argument("--seed", type=int, default=5)


def run(args: argparse.Namespace) -> int:
    """Print the three parts."""
    corpus = str(args.corpus) if getattr(args, "corpus", None) else None
    rng = random.Random(args.seed)
    print("dedupe benchmark")
    if corpus and args.methods:
        sources = read_sources(corpus)[: args.methods]
        texts = ["\n\n".join(s.paragraphs) for s in sources]
        pairs: list[tuple[str, str]] = []
        for s in sources:
            items = variants(s, rng, rate=0.5)
            for it in items[1:]:
                if it.kind in ("trim", "edit", "update", "republish"):
                    pairs.append(("\n\n".join(s.paragraphs), it.article["bodies"][0]["value"]))
        print("1. candidates (Reuters-21578 stories; pairs = story vs generated trim/edit/update/republication)")
        compare_methods(pairs, texts)
    elif args.methods:
        print("1. candidates: skipped (needs the corpus path)")
    print(f"2. scale: {args.remember} stories remembered ({'corpus sentences' if corpus else 'synthetic words'})")
    scale(args.remember, args.queries, corpus, args.seed)
    print(f"3. memory per remembered story ({args.traced} stories each)")
    if args.traced:
        dedupe_memory.run(args.traced, corpus, args.seed)
    return 0
