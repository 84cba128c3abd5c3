"""The stories the dedupe benchmarks remember: random mixes of Reuters-21578 sentences, or of synthetic words
(Zipf-distributed) without a corpus. Shared by `bench dedupe` (scale) and `dedupe_memory` (synthetic)."""

from __future__ import annotations

import itertools
import random

from streams.quality.corpora.reuters21578 import read_sources


def sentences(corpus: str | None, rng: random.Random) -> list[str]:
    """The corpus's sentences of six words or more, or 50,000 synthetic ones of 8-25 Zipf-drawn words."""
    if corpus:
        out: list[str] = []
        for s in read_sources(corpus):
            for p in s.paragraphs:
                out += [x for x in p.split(". ") if len(x.split()) >= 6]
        return out
    vocab = [f"w{i}" for i in range(20000)]
    # the cumulative weights once (rng.choices(weights=...) sums all 20,000 again on every call: 30 s)
    cum = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(vocab))))
    return [" ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 25))) for _ in range(50000)]


def synthetic_story(rng: random.Random, pool: list[str], i: int) -> tuple[str, list[str]]:
    """Story `i`: a headline and 2-6 paragraphs of 1-3 sentences drawn from `pool`."""
    paras = [". ".join(rng.sample(pool, rng.randint(1, 3))) + "." for _ in range(rng.randint(2, 6))]
    paras[0] = f"Story {i} reports {rng.randint(1, 10**6)} units. " + paras[0]
    return f"HEADLINE {i} " + " ".join(rng.sample(pool, 1)[0].split()[:6]).upper(), paras
