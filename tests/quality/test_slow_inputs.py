"""Hypothesis searches for inputs that hold a worker past its budget.

Slowness in Python (and in regular expressions that backtrack through groups) is cut off by the per-input
budget (streams/guard/deadline.py) and the input becomes a `too-slow` dead letter. What the budget cannot cut off
is C code that does not return: a parser or a regular expression whose single-character loop is quadratic.
So each example runs with a 200 ms budget and fails if `prepare` returns more than a second after it
started: only code no signal can interrupt keeps it that long. Inputs are built from pieces our own
readers and regular expressions react to (datelines, bylines, signoffs, separators, markup, whitespace),
repeated up to 40,000 times inside each wire format.
"""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.guard.deadline import Deadline
from streams.pipeline import Pipeline, State
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BUDGET_MS = 200
#: The budget, plus room for a loaded machine. Only code the budget cannot stop goes past it.
LIMIT_SECONDS = 1.0

PIECES = [
    " ", "\u00a0", "\t", "\n", "\n ", "\n\n", ".", ",", "-", "|", " | ", "/", ":", "*", "'", '"', "\u201c",
    "(", ")", "<", ">", "&", ";", "=", "1", "12", "2017", "12:00", "Jan", "March 1", "a", "A", "Aa", "A.", "ab",
    "The", "by", "By", "and", "said", "Reuter", "Reuters", "(Reuters)", "MOSCOW", "Putin", "Photo:", "Reporting by",
    "editing by", "<p>", "</p>", "<div>", "<b>", "<a href=x>", "xmlns", ' xmlns="x"', "<D>", "<BODY>", "&#1;", "^M",
    "\u00e9", "\u5e74",
]
FORMATS = ["text", "html", "ninjs", "newsml", "reuters21578"]


def wrap(fmt: str, where: int, blob: str) -> str:
    """`blob` inside a plausible item of `fmt`, at one of three places (headline-ish, byline-ish, body)."""
    head, by, body = (blob, "Anna", "x") if where == 0 else (("Kremlin", blob, "x") if where == 1 else
                                                            ("Kremlin", "Anna", blob))
    if fmt == "text":
        return f"{head}\n\nBy {by}\n\nMOSCOW (Reuters) - {body}\n\nReuters\n"
    if fmt == "html":
        return (f"<html><head><title>{head}</title></head><body><article><p class=byline>By {by}</p>"
                f"<p>MOSCOW (Reuters) - {body}</p></article></body></html>")
    if fmt == "ninjs":
        return orjson.dumps({"uri": "u", "headlines": [{"value": head}], "by": by,
                             "bodies": [{"contenttype": "text/plain", "value": f"MOSCOW (Reuters) - {body}"}]}).decode()
    if fmt == "newsml":
        return (f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><contentMeta><headline>{head}</headline>'
                f"<by>{by}</by></contentMeta><contentSet><inlineXML><p>{body}</p></inlineXML></contentSet></newsItem>")
    return (f'<REUTERS NEWID="1"><DATE>17-MAR-1987 10:12:31.44</DATE><TEXT><TITLE>{head}</TITLE>'
            f"<DATELINE>{by}</DATELINE><BODY>{body}\n Reuter\n</BODY></TEXT></REUTERS>")


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    settings_ = Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={})
    return Pipeline(settings_, State.in_memory(), deadline=Deadline(BUDGET_MS))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(FORMATS),
    where=st.integers(0, 2),
    prefix=st.sampled_from(PIECES),
    unit=st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("".join),
    times=st.integers(1, 40_000),
    suffix=st.sampled_from(["", "!", "x", "\n!", "\u0000", "1"]),
)
def test_no_input_holds_the_worker_past_its_budget(
    pipeline: Pipeline, fmt: str, where: int, prefix: str, unit: str, times: int, suffix: str
) -> None:
    blob = prefix + unit * min(times, 200_000 // len(unit)) + suffix
    raw = orjson.dumps({"id": "slow?", "content": wrap(fmt, where, blob), "format": fmt})
    started = time.perf_counter()
    outputs = pipeline.prepare(raw, "slow?")
    took = time.perf_counter() - started
    assert outputs, "prepare returned nothing"
    assert took < LIMIT_SECONDS, (
        f"{took:.2f} s with a {BUDGET_MS} ms budget: code no signal interrupts ({fmt}, place {where}, "
        f"{prefix!r} + {unit!r} x {times} + {suffix!r})")
