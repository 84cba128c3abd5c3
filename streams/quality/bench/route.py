"""Route-stage benchmark: time to decide and render one story for 20 partners (filters, rights, holds, formats)."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streams.contracts import Contracts
from streams.model import Article
from streams.normalize.backlog import read_backlog
from streams.pipeline import Pipeline, State
from streams.quality.bench.report import ms_summary
from streams.quality.corpora import reuters21578
from streams.route.registry import Partner, check_definition
from streams.route.router import Router
from streams.settings import Settings

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
FILTERS: list[dict[str, Any]] = [
    {"subjects": ["medtop:04000000"]}, {"subjects": ["medtop:11000000"]}, {"places": ["US", "GB", "FR"]},
    {"people": ["Vladimir Putin", "Joe Biden"]}, {"organisations": ["OPEC", "Federal Reserve"]},
    {"keywords": ["oil", "crude*", "barrel*"]}, {"any": [{"places": ["JP"]}, {"keywords": ["yen"]}]},
    {"subjects": ["medtop:04000000"], "not": {"keywords": ["sport*"]}}, {"min_words": 200}, {"urgency": 5},
]
FORMATS = ("ninjs", "ninjs-text", "teaser", "newsml-g2")


def partners(n: int = 20) -> list[Partner]:
    """`n` partners mixing filters and formats; one rate-limited, one with delivery windows (holds on the path)."""
    out = []
    for i in range(n):
        d: dict[str, Any] = {"id": f"p{i:02d}", "name": f"P{i}", "format": FORMATS[i % len(FORMATS)],
                             "filters": FILTERS[i % len(FILTERS)], "rights": {"picture_credits": ["Reuters"]}}
        if i == 3:
            d["delivery"] = {"rate": {"max": 1000, "per_seconds": 60}}
        if i == 5:
            d["delivery"] = {"timezone": "Asia/Tokyo", "windows": ["06:00-22:00"]}
        out.append(check_definition(d, Contracts()))
    return out


def articles(corpus: Path | None, n: int) -> list[Article]:
    """Tagged articles as the decide step sees them: Reuters-21578 through normalise and tag (or the samples)."""
    pipeline = Pipeline(Settings.load({"credits": "any"}, env={}), State.in_memory())
    if corpus is not None and reuters21578.holds_sgm(corpus):
        good, _ = read_backlog(reuters21578.sgm_files(corpus, ("000", "001")), 5_000_000)
    else:
        good, _ = read_backlog([Path(__file__).resolve().parents[3] / "samples" / "backlog"], 5_000_000)
    out: list[Article] = []
    for record in good:
        for o in pipeline.prepare(record.value, record.key):
            if isinstance(o.value, dict) and "article" in o.value:
                out.append(o.value["article"])
        if len(out) >= n:
            break
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--partners", type=int, default=20)


def run(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus) if getattr(args, "corpus", None) else None
    arts = articles(corpus, args.stories)
    chosen = partners(args.partners)
    router = Router(chosen, {}, {})
    times, sent = [], 0
    for i, article in enumerate(arts):
        story = {**article, "uri": f"urn:bench:{i}"}
        start = time.perf_counter()
        sent += len(router.route(story, "new", NOW))
        times.append(time.perf_counter() - start)
    held = len(router.still_held(NOW))
    print(f"stories: {len(arts)}, partners: {len(chosen)}, deliveries: {sent}, held: {held}")
    print(f"route one story to {len(chosen)} partners: {ms_summary(times, shares=(0.99,), scale=1e3)}")
    view_times = []
    for article in arts:
        start = time.perf_counter()
        for p in chosen:
            p.matches(article)
        view_times.append(time.perf_counter() - start)
    print(f"filters and rights only (no state, no rendering): {ms_summary(view_times, shares=(0.99,), scale=1e3)}")
    return 0
