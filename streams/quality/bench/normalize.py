"""`syndicate bench normalize [CORPUS]`: milliseconds per story of `Normalizer.normalize` on page text and SGML.

Page text: the seed-shaped pages of ``tests/fixtures`` (the invented pages and the gate pages), each run
``--rounds`` times through one normaliser with a chrome memory (as the stream runs it). SGML: the
stories of a Reuters-21578 directory (CORPUS, e.g. ``../shared/corpora/reuters21578``; ``--limit``
stories, read as latin-1 and split first, splitting not timed) or, without CORPUS, the small
invented ``tests/fixtures/normalize/mini.sgm``. Prints median and p90 per story for each. The
target is a median of at most 0.5 ms per story for each kind. Keep runs short: two shared cores.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from streams.model import Envelope
from streams.normalize.normalizer import Normalizer
from streams.quality.bench.report import best_times, ms_summary
from streams.quality.corpora import reuters21578

_FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=3000, help="SGML stories to time (0: all)")
    parser.add_argument("--rounds", type=int, default=200, help="times each page-text fixture is run")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per story; the fastest counts (filters out neighbours' noise)"
    )


def _time(normalizer: Normalizer, envelopes: list[Envelope], repeat: int = 1) -> tuple[list[float], int]:
    """Best of `repeat` runs per story, in milliseconds, and how many stories became articles."""
    articles: list[bool] = []
    seconds = best_times(
        normalizer.normalize, envelopes, repeat=repeat, on_result=lambda r: articles.append(isinstance(r, dict))
    )
    return [s * 1000 for s in seconds], sum(articles)


def _report(name: str, ms: list[float], ok: int) -> None:
    print(f"{name:<10} stories={len(ms):>6} articles={ok:>6} {ms_summary(ms, sep='=')}")


def run(args: argparse.Namespace) -> int:
    pages = sorted((_FIXTURES / "normalize").glob("*.txt"))
    pages += sorted((_FIXTURES / "normalize" / "gate").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in pages if p.is_file()]
    if not texts:
        print(f"no page-text fixtures under {_FIXTURES}")
        return 2
    corpus = Path(args.corpus) if getattr(args, "corpus", None) else None
    stories = [(s.newid, s.sgml) for s in itertools.islice(
        reuters21578.stories(corpus or _FIXTURES / "normalize" / "mini.sgm"), args.limit or None)]
    if not stories:
        print(f"no Reuters-21578 stories found in {corpus}")
        return 2

    normalizer = Normalizer()
    page_envs = [Envelope(id=f"p{i}", content=t) for i in range(max(1, args.rounds)) for t in texts]
    sgml_envs = [Envelope(id=sid, content=sgml, format="reuters21578") for sid, sgml in stories]
    _time(normalizer, page_envs[: len(texts)] + sgml_envs[:50])  # warm-up
    print(
        f"page text: {len(texts)} fixtures x {args.rounds} rounds; SGML: {len(stories)} stories; "
        f"best of {args.repeat} runs per story"
    )
    _report("page-text", *_time(normalizer, page_envs, args.repeat))
    _report("sgml", *_time(normalizer, sgml_envs, args.repeat))
    return 0
