"""`syndicate bench html [CORPUS]`: milliseconds per page of `parse_html` over a directory of .html(.gz) pages.

Prints the median and p90 per page. When trafilatura is importable (it is not a dependency: install
it into the virtualenv to compare), the same pages go through `trafilatura.extract` and the ratio
of medians is printed. Without CORPUS, the small invented pages of `tests/fixtures/html` are used.
Keep runs short: the machine's two cores are shared (`--repeat 1` is the default).
"""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streams.normalize.formats.html import parse_html
from streams.quality.bench.report import best_times, median, percentile
from streams.quality.corpora.aeb import load_pages

_DEFAULT_CORPUS = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "html"


def time_per_page(pages: list[str], func: Callable[[str], Any], repeat: int) -> list[float]:
    """Best of `repeat` runs per page, in milliseconds."""
    return [s * 1000 for s in best_times(func, pages, repeat=repeat)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=1, help="runs per page; the fastest counts")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    parser.add_argument("--no-compare", action="store_true", help="skip trafilatura even when importable")
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus) if getattr(args, "corpus", None) else _DEFAULT_CORPUS
    if not corpus.is_dir():
        print(f"no such corpus directory: {corpus}")
        return 2
    pages = load_pages(corpus, args.limit)
    if not pages:
        print(f"no .html or .html.gz pages in {corpus}")
        return 2
    for page in pages[:3]:  # warm-up: imports, regex compilation, allocator
        parse_html(page)
    ours = time_per_page(pages, parse_html, args.repeat)
    report: dict[str, Any] = {
        "corpus": str(corpus),
        "pages": len(pages),
        "parse_html": {"median_ms": median(ours), "p90_ms": percentile(ours, 0.9)},
    }
    if not args.no_compare:
        try:
            trafilatura = importlib.import_module("trafilatura")
        except ImportError:
            report["trafilatura"] = None
        else:
            extract: Callable[[str], Any] = trafilatura.extract
            for page in pages[:3]:
                extract(page)
            theirs = time_per_page(pages, extract, args.repeat)
            their_median = median(theirs)
            report["trafilatura"] = {
                "version": getattr(trafilatura, "__version__", "?"),
                "median_ms": their_median,
                "p90_ms": percentile(theirs, 0.9),
                "speedup": their_median / max(1e-9, report["parse_html"]["median_ms"]),
            }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    ph = report["parse_html"]
    print(f"{len(pages)} pages from {corpus}")
    print(f"parse_html   median {ph['median_ms']:.2f} ms  p90 {ph['p90_ms']:.2f} ms")
    tr = report.get("trafilatura")
    if tr:
        print(
            f"trafilatura {tr['version']}  median {tr['median_ms']:.2f} ms  p90 {tr['p90_ms']:.2f} ms"
            f"  -> parse_html is {tr['speedup']:.1f}x faster (median)"
        )
    elif "trafilatura" in report:
        print("trafilatura not importable: no comparison")
    return 0
