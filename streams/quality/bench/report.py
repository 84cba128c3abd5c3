"""What the benchmarks share: per-item timings (best of several runs), medians, percentiles, one-line summaries."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile every bench reports (``share`` 0.9 is p90); 0.0 for no values."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def median(values: Sequence[float]) -> float:
    """The median; 0.0 for no values."""
    return statistics.median(values) if values else 0.0


def ms_summary(
    values: Sequence[float], *, shares: Sequence[float] = (0.9,), scale: float = 1.0, digits: int = 3, sep: str = " "
) -> str:
    """A line like "median 0.218 ms  p90 0.328 ms": the values times ``scale`` (1e3 for seconds) in milliseconds."""
    figures = [("median", median(values))] + [(f"p{round(100 * s)}", percentile(values, s)) for s in shares]
    return "  ".join(f"{name}{sep}{scale * value:.{digits}f} ms" for name, value in figures)


def best_times(
    func: Callable[[T], Any],
    items: Sequence[T],
    *,
    repeat: int = 1,
    interleaved: bool = False,
    on_result: Callable[[Any], object] | None = None,
) -> list[float]:
    """Seconds per item, the fastest of ``repeat`` runs of ``func`` on it (the fastest filters out the noise of
    neighbours on shared cores).

    Every run of one item before the next item, or with ``interleaved`` one pass over all items after another.
    ``on_result`` is given each item's result of its last run, outside the timing.
    """
    runs = max(1, repeat)
    if interleaved:
        best = [float("inf")] * len(items)
        for run in range(runs):
            for i, item in enumerate(items):
                start = time.perf_counter()
                result = func(item)
                best[i] = min(best[i], time.perf_counter() - start)
                if on_result is not None and run == runs - 1:
                    on_result(result)
        return best
    out = []
    for item in items:
        fastest = float("inf")
        for _ in range(runs):
            start = time.perf_counter()
            result = func(item)
            fastest = min(fastest, time.perf_counter() - start)
        if on_result is not None:
            on_result(result)
        out.append(fastest)
    return out
