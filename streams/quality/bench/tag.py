"""Tag-stage benchmark: start-up cost and median time per ~500-word story on one core."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from streams.model import Article
from streams.quality.bench.report import best_times, median, percentile
from streams.quality.corpora import reuters21578
from streams.quality.corpora.conll2003 import conll_article, conll_docs
from streams.tag.tagger import Tagger

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "tagging"


def _texts(corpus: Path | None) -> list[tuple[str, str, str]]:
    """(headline, dateline, body) triples from a Reuters-21578 directory, a CoNLL file or the fixtures."""
    if corpus is not None and reuters21578.holds_sgm(corpus):
        out = []
        for _n, _s, art, _g in reuters21578.reuters_items(corpus, {"000", "001"}):
            body = next((b["value"] for b in art.get("bodies", [])), "")
            out.append((art["headlines"][0]["value"] if art.get("headlines") else "", art.get("located", ""), body))
        return out
    if corpus is not None and corpus.is_file():
        out = []
        for doc in conll_docs(corpus):
            art = conll_article(doc)
            body = next((b["value"] for b in art.get("bodies", [])), "")
            out.append((art["headlines"][0]["value"], art.get("located", ""), body))
        return out
    data = json.loads((FIXTURES / "stories.json").read_text(encoding="utf-8"))
    return [(s["headline"], s.get("dateline", ""), s["body"]) for s in data]


def stories_of(texts: list[tuple[str, str, str]], words: int = 500, n: int = 300) -> list[Article]:
    """Build n articles of about `words` words by appending consecutive bodies to each headline."""
    arts: list[Article] = []
    i = 0
    while len(arts) < n and texts:
        head, dateline, body = texts[i % len(texts)]
        paras = [body]
        j = i + 1
        while sum(len(p.split()) for p in paras) < words:
            paras.append(texts[j % len(texts)][2])
            j += 1
        text = " ".join(" ".join(paras).split(" ")[:words])
        arts.append({"type": "text", "headlines": [{"role": "main", "value": head}], "located": dateline,
                     "bodies": [{"role": "main", "contenttype": "text/plain", "value": text}]})
        i += 1
    return arts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--passes", type=int, default=3,
                        help="time each story this many times and keep its fastest (shared machines are noisy)")


def run(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    tagger = Tagger.build()
    startup = time.perf_counter() - t0
    corpus = Path(args.corpus) if getattr(args, "corpus", None) else None
    arts = stories_of(_texts(corpus), args.words, args.stories)
    for a in arts[:20]:  # warm-up
        tagger.tag(a)
    # one pass over all stories after another (not every run of one story in a row)
    times = best_times(tagger.tag, arts, repeat=args.passes, interleaved=True)
    words = statistics.median(len(a["bodies"][0]["value"].split()) for a in arts)
    print(f"start-up (tables, automata): {startup * 1000:.0f} ms")
    print(f"stories: {len(arts)}, median words: {words:.0f}")
    print(f"median per story (best of {max(1, args.passes)} passes each): {median(times) * 1000:.3f} ms; "
          f"p90: {percentile(times, 0.9) * 1000:.3f} ms")
    return 0
