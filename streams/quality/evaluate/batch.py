"""Several `syndicate eval ... --json` runs side by side, one per core: the corpus gate runs every docs/quality.md
figure's evaluation once a session, and on two cores the longest (dedupe, 16 s) overlaps the rest instead of adding
to it."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from streams import cli


def eval_json(argv: Sequence[str]) -> dict[str, Any]:
    """`syndicate eval ARGV --json` in this process: its JSON report, with the exit status as `status` (an
    evaluation with nothing to score exits 1, and its report may then be empty)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["eval", *argv, "--json"])
    text = out.getvalue().strip()
    report: dict[str, Any] = json.loads(text) if text else {}
    report["status"] = status
    return report


def eval_all(commands: Mapping[str, Sequence[str]], workers: int | None = None) -> dict[str, dict[str, Any]]:
    """name -> report of `syndicate eval ARGV --json` for each named command, run in `workers` fresh processes
    (default: one per core, at most one per command), started in the order given: put the longest first."""
    workers = workers or min(len(commands), os.cpu_count() or 1)
    if workers <= 1:
        return {name: eval_json(argv) for name, argv in commands.items()}
    # spawn, not fork: the caller (pytest) may hold threads and locks a forked child would inherit mid-use
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        running = {name: pool.submit(eval_json, list(argv)) for name, argv in commands.items()}
        return {name: future.result() for name, future in running.items()}
