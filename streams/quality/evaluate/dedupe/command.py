"""`syndicate eval dedupe CORPUS`: its options, the run and the printed report."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta

from streams.model import Article
from streams.quality.corpora.fixtures import Source, load_sources
from streams.quality.corpora.reuters21578 import read_sources
from streams.quality.evaluate.dedupe.generate import EXPECTED, build, normaliser_reader
from streams.quality.evaluate.dedupe.labels import AMBIGUOUS_DAYS, real_pairs, recurring_pairs
from streams.quality.evaluate.dedupe.score import Report, replay
from streams.quality.evaluate.dedupe.through import run_dedupe
from streams.quality.through.command import add_options


def _fig(x: float | None) -> str:
    return "n/a (nothing to score)" if x is None else f"{x:.4f}"


def print_report(rep: Report, label: str) -> None:
    """Human-readable report."""
    print(f"dedupe evaluation: {label}")
    print(f"  inputs {rep.inputs}, rejected {rep.rejections}, {rep.seconds:.2f} s "
          f"({1e6 * rep.seconds / max(1, rep.inputs):.0f} us/input end to end)")
    print(f"  pairwise same-story precision {_fig(rep.precision)}  recall {_fig(rep.recall)}  "
          f"(predicted pairs {rep.pred_pairs}, gold pairs {rep.gold_pairs}, ambiguous pairs left out "
          f"{rep.excluded_pairs})")
    print(f"  updates recognised as updates: {_fig(rep.update_rate)}")
    for kind in EXPECTED:
        if kind in rep.confusion:
            acc = rep.kind_accuracy.get(kind)
            acc_s = f"  accuracy {acc:.3f}" if acc is not None else ""
            if kind == "source":
                acc_s += " (real re-sends in a corpus are rightly not new)"
            print(f"  {kind:<11} -> {rep.confusion[kind]}{acc_s}")
    print(f"  state: {rep.remembered} stories remembered, {rep.state_bytes} bytes serialized "
          f"({rep.state_bytes / max(1, rep.remembered):.0f} B/story)")
    if rep.false_merges:
        print("  false merges (first 20):", rep.false_merges)
    if rep.missed:
        print("  missed pairs (first 20):", rep.missed)


def read_corpus(path: str | os.PathLike[str]) -> list[Source]:
    """A Reuters-21578 directory or .sgm file, or a JSON fixture of stories."""
    p = os.fspath(path)
    return load_sources(p) if p.endswith(".json") else read_sources(p)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options after the positional corpus (a reuters21578 directory, one .sgm file, or a JSON fixture)."""
    parser.add_argument("--limit", type=int, default=0, help="use only the first N stories (0: all)")
    parser.add_argument("--seed", type=int, default=1987)
    parser.add_argument("--rate", type=float, default=0.35, help="probability of each generated variant")
    parser.add_argument("--horizon-days", type=float, default=7.0)
    parser.add_argument("--no-normaliser", action="store_true",
                        help="build republications as articles directly instead of page text read by the normaliser")
    parser.add_argument("--shuffle-hours", type=float, default=24.0,
                        help="also replay the same stream with its arrival order shuffled within windows of this "
                             "many hours (0: not)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_options(parser)


def run(args: argparse.Namespace) -> int:
    """Replay the corpus with generated variants and print precision/recall/update recognition. Exit 1 when
    there was nothing to score (no predicted or no gold same-story pairs): that is a failure, not 1.0."""
    if getattr(args, "through", None):
        return run_dedupe(args)
    sources = read_corpus(args.corpus)
    if args.limit:
        sources = sources[: args.limit]
    if not sources:
        print(f"no stories found under {args.corpus}")
        return 2
    pages = None if args.no_normaliser else normaliser_reader()
    items = build(sources, seed=args.seed, rate=args.rate, pages=pages)
    via = sum(1 for it in items if it.kind == "republish" and _read_from_page(it.article))
    horizon = timedelta(days=args.horizon_days)
    real = real_pairs(sources)
    rep = replay(items, sources, horizon=horizon, real=real)
    shuffled = None
    if args.shuffle_hours:
        window = timedelta(hours=args.shuffle_hours)
        shuffled = replay(items, sources, horizon=horizon, real=real, shuffle_within=window, seed=args.seed)
    recurring = recurring_pairs(sources, timedelta(days=args.horizon_days))
    merged = sum(1 for a, b in recurring if a in rep.uri_of and rep.uri_of.get(a) == rep.uri_of.get(b))
    if getattr(args, "json", False):
        print(json.dumps({
            "corpus": str(args.corpus), "stories": len(sources), "seed": args.seed, "inputs": rep.inputs,
            "rejections": rep.rejections, "republished_via_normaliser": via, **rep.as_dict(),
            "pred_pairs": rep.pred_pairs, "gold_pairs": rep.gold_pairs, "excluded_pairs": rep.excluded_pairs,
            "recurring_pairs": len(recurring), "recurring_merged": merged,
            **({"shuffled": {"hours": args.shuffle_hours, **shuffled.as_dict(), "pred_pairs": shuffled.pred_pairs,
                             "gold_pairs": shuffled.gold_pairs}} if shuffled else {}),
        }))
    else:
        print(f"republications: {via} as page text read by the normaliser" if pages else
              "republications: built as articles (normaliser not used)")
        print_report(rep, f"{args.corpus} ({len(sources)} corpus stories, seed {args.seed})")
        print(f"  recurring templated reports (same headline, different body, {AMBIGUOUS_DAYS}-"
              f"{args.horizon_days:g} days apart): {len(recurring)} pairs, {merged} wrongly merged")
        if shuffled:
            print(f"the same stream, arrival order shuffled within {args.shuffle_hours:g} hours (each input received "
                  f"at its window's own times, datelines unchanged):")
            print(f"  pairwise same-story precision {_fig(shuffled.precision)}  recall {_fig(shuffled.recall)}  "
                  f"(predicted pairs {shuffled.pred_pairs}, gold pairs {shuffled.gold_pairs}); "
                  f"updates recognised as updates {_fig(shuffled.update_rate)}")
    if rep.precision is None or rep.recall is None or (shuffled and (shuffled.precision is None
                                                                      or shuffled.recall is None)):
        print(f"nothing to score in {args.corpus}: {rep.pred_pairs} predicted and {rep.gold_pairs} gold "
              "same-story pairs", file=sys.stderr)
        return 1
    return 0


def _read_from_page(article: Article) -> bool:
    return any(a.get("role") == "source-id" and str(a.get("value", "")).endswith("-page")
               for a in article.get("altids") or ())
