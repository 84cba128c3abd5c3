"""`syndicate eval extraction CORPUS`: body-extraction quality scored as the Zyte benchmark does.

Scoring follows scrapinghub/article-extraction-benchmark `evaluate.py` exactly:

* tokens are `re.findall(r"\\w+", text)` -- case is kept (the benchmark's IGNORECASE flag does not
  change what `\\w+` matches);
* shingles are 4-token tuples counted as a multiset (texts under 4 tokens give one short shingle);
* per page, TP/FP/FN are the clipped count differences, then normalised to sum to 1;
* precision is averaged over pages with TP+FP > 0, recall over pages with TP+FN > 0 (a page with
  nothing on either side counts 1.0); F1 is the harmonic mean of those two means.

The scores are `streams.quality.scoring`'s; the corpus is read by `streams.quality.corpora.aeb`. The mean
of per-page F1 is printed too (a stricter, more common reading), but "F1" is the benchmark's. Corpus
layout: `CORPUS/html/<key>.html.gz` and `CORPUS/ground-truth.json` (`{key: {"articleBody": ...}}`).

Modes: `html` runs `streams.normalize.formats.html.parse_html`; `text` renders the page's visible text with
`html_text.extract_text(html, guess_layout=True)` and runs the page-text reader
`streams.normalize.formats.text.parse_page_text` on it (what a story pasted as page text gives).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.normalize.formats import text as text_reader
from streams.normalize.formats.html import parse_html
from streams.quality.corpora.aeb import has_ground_truth, load_corpus, read_page
from streams.quality.scoring import TpFpFn, aggregate, page_f1, precision_score, recall_score, shingle_match
from streams.quality.through.command import add_options, run_extraction


@dataclass(frozen=True, slots=True)
class PageScore:
    key: str
    tp_fp_fn: TpFpFn
    seconds: float

    @property
    def f1(self) -> float:
        return page_f1(*self.tp_fp_fn)


def html_extractor() -> Callable[[str], str]:
    def run(html: str) -> str:
        return "\n\n".join(parse_html(html).paragraphs)

    return run


def text_extractor() -> Callable[[str], str]:
    """Page text as html-text renders it, read by the page-text reader (timed: both steps)."""
    import html_text  # optional (a dev dependency): a missing one is reported as this mode's error

    # The reader's public name: parse_page_text (agreed), parse_text (its first landing).
    parse_page_text = getattr(text_reader, "parse_page_text", None) or getattr(text_reader, "parse_text", None)
    if parse_page_text is None:
        raise RuntimeError("streams.normalize.formats.text has no parse_page_text")

    def run(html: str) -> str:
        page_text = html_text.extract_text(html, guess_layout=True)
        return "\n\n".join(parse_page_text(page_text).paragraphs)

    return run


def score_pages(truth: dict[str, str], pages: dict[str, Path], extract: Callable[[str], str]) -> list[PageScore]:
    scores = []
    for key, path in pages.items():
        html = read_page(path)
        start = time.perf_counter()
        body = extract(html)
        elapsed = time.perf_counter() - start
        scores.append(PageScore(key, shingle_match(truth[key], body), elapsed))
    return scores


def summarise(scores: list[PageScore], worst: int) -> dict[str, Any]:
    figures: dict[str, Any] = aggregate(s.tp_fp_fn for s in scores)
    times = sorted(s.seconds for s in scores)
    figures["median_ms"] = statistics.median(times) * 1000 if times else 0.0
    figures["worst"] = [
        {
            "key": s.key,
            "f1": round(s.f1, 4),
            "precision": round(precision_score(*s.tp_fp_fn), 4),
            "recall": round(recall_score(*s.tp_fp_fn), 4),
        }
        for s in sorted(scores, key=lambda s: s.f1)[:worst]
    ]
    return figures


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options after the positional corpus (the CLI adds `--credits`; extraction ignores it)."""
    parser.add_argument("--mode", choices=("html", "text", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worst", type=int, default=5, help="how many worst pages to list")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages (0: all)")
    add_options(parser)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "through", None):
        return run_extraction(args)
    corpus = Path(args.corpus)
    if not has_ground_truth(corpus):
        print(f"no ground-truth.json in {corpus}")
        return 2
    truth, pages = load_corpus(corpus)
    if args.limit:
        keys = list(pages)[: args.limit]
        truth = {k: truth[k] for k in keys}
        pages = {k: pages[k] for k in keys}
    modes = ("html", "text") if args.mode == "both" else (args.mode,)
    report: dict[str, Any] = {"corpus": str(corpus), "pages": len(pages)}
    status = 0
    if not pages:  # nothing to score is a failure, not a perfect (or an empty) score
        print(f"nothing to score: no page of {corpus}/html has a ground-truth body", file=sys.stderr)
        return 1
    for mode in modes:
        try:
            extract = html_extractor() if mode == "html" else text_extractor()
        except (ImportError, RuntimeError) as exc:
            report[mode] = {"error": str(exc)}
            status = 1
            continue
        report[mode] = summarise(score_pages(truth, pages, extract), args.worst)
    if args.json:
        print(json.dumps(report, indent=2))
        return status
    print(f"corpus {corpus}: {len(pages)} pages")
    for mode in modes:
        fig = report[mode]
        if "error" in fig:
            print(f"{mode:<5} error: {fig['error']}")
            continue
        print(
            f"{mode:<5} precision={fig['precision']:.3f} recall={fig['recall']:.3f} F1={fig['f1']:.3f} "
            f"(mean page F1 {fig['mean_page_f1']:.3f})  median {fig['median_ms']:.1f} ms/page"
        )
        for row in fig["worst"]:
            print(f"      worst {row['key'][:16]}  F1={row['f1']:.3f} P={row['precision']:.3f} R={row['recall']:.3f}")
    return status
