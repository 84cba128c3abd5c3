"""Send rendered inputs through the whole offline pipeline (`run_offline`, what `syndicate process` runs) and
read back, per input, what was delivered: its decision, the article published under its story's uri and
the tags evidence of its decision record.

A duplicate publishes nothing of its own; what its readers have is the story it duplicates, so the
delivered article of a duplicate is the latest one published under the uri its decision names.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from streams.dedupe.clock import parse_ms
from streams.model import Article
from streams.normalize.envelope import envelope_bytes
from streams.offline import run_offline
from streams.quality.through.render_text import Rendered
from streams.settings import Settings


@dataclass(slots=True)
class Delivered:
    """What came out for one input."""

    input_id: str
    decision: str  # new | duplicate | update | correction | kill | rejected
    reason: str | None = None
    uri: str = ""  # the story's uri (empty when rejected)
    article: Article | None = None
    tags: list[dict[str, Any]] = field(default_factory=list)


def _lines(path: Path) -> Iterable[Any]:
    if not path.is_file():
        return
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


def run_pipeline(rendered: list[Rendered], settings: Settings, *, keep: Path | None = None) -> dict[str, Delivered]:
    """Every rendered input through `run_offline`, in the order given; input id -> what was delivered.

    ``keep``: a folder to leave the backlog and the pipeline's output in (else a temporary one is removed).
    """
    with tempfile.TemporaryDirectory(prefix="syndicate-through-") as tmp:
        where = keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        backlog = where / "backlog.jsonl"
        with backlog.open("wb") as fh:
            for r in rendered:
                fh.write(envelope_bytes(r.envelope) + b"\n")
        out = where / "out"
        run_offline(settings, [backlog], out, ReplayClock([parse_ms(r.envelope.received_at) for r in rendered]))
        return read_output(out)


class ReplayClock:
    """The offline clock of a replayed archive: the i-th call gives the i-th input's ``received_at`` (the
    inputs are in time order), so a corpus of 1987 or 1996 stories keeps its own time and the stream-time
    check finds each input's ``received_at`` close to the clock. An input rejected before the decide step
    shifts the sequence by one neighbour, minutes away at most: still within the check's window."""

    def __init__(self, times: list[int | None]) -> None:
        self.times = [t for t in times if t is not None]
        self.calls = 0

    def __call__(self) -> int:
        i = min(self.calls, len(self.times) - 1)
        self.calls += 1
        base = self.times[i] if self.times else 0
        return base + max(0, self.calls - len(self.times))


def read_output(out: Path) -> dict[str, Delivered]:
    """Per input id, its decision and the article delivered for its story, from a `run_offline` folder."""
    published: dict[str, Article] = {}
    by_input: dict[str, Article] = {}
    for article in _lines(out / "articles.jsonl"):
        published[article["uri"]] = article
        for alt in article.get("altids") or ():
            if alt.get("role") == "source-id":
                by_input[str(alt.get("value"))] = article
    result: dict[str, Delivered] = {}
    for rec in _lines(out / "decisions.jsonl"):
        iid = str(rec.get("input_id"))
        decision = str(rec.get("decision"))
        article = by_input.get(iid)
        if article is None and rec.get("uri"):
            article = published.get(rec["uri"])
        result[iid] = Delivered(
            input_id=iid, decision=decision, reason=rec.get("reason"), uri=str(rec.get("uri") or ""),
            article=article if decision != "rejected" else None, tags=list(rec.get("tags") or ()),
        )
    return result
