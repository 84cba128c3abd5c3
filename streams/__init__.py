"""Syndicate: a wire-story syndication stream on Kafka and Faust.

The public API, for code that embeds the pipeline rather than running `syndicate`:

- `Settings`: the one settings object (argument, then environment, then default), checked at start.
- `SyndicateError`: the base of every error Syndicate raises on purpose (`SettingsError`, `StageBrokenError`,
  ...; streams/errors.py); anything else is a bug.
- `InternalErrorPolicy`: trips when a stage fails on too many of its recent inputs (streams/guard/breaker.py).
- `Pipeline`, `State`, `Output`, `run_offline`: the two steps (`prepare`, `decide`) the worker's loops and
  `syndicate process` both call, the state they keep, what they return, and the whole pipeline offline.
- `Envelope`, `Rejection`, `Reason`, `Article`: the message types every stage shares (`Reason`: every rejection
  code, as listed in schemas/dead_letter.schema.json).
- The stages: `Normalizer` (streams/normalize/), `Tagger` (streams/tag/), `Deduper` and `Decision`
  (streams/dedupe/), `Router` and `Partner` (streams/route/). None of them imports Kafka; the Kafka plumbing
  is in streams/runtime/ and streams/kafka/, the measuring tools in streams/quality/.

Names are imported on first use, so `import streams` stays cheap for the command line.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Settings": "streams.settings",
    "SettingsError": "streams.errors",
    "SyndicateError": "streams.errors",
    "StageBrokenError": "streams.errors",
    "InternalErrorPolicy": "streams.guard.breaker",
    "Pipeline": "streams.pipeline",
    "State": "streams.pipeline",
    "Output": "streams.pipeline",
    "run_offline": "streams.offline",
    "Envelope": "streams.model",
    "Rejection": "streams.model",
    "Reason": "streams.model",
    "Article": "streams.model",
    "Normalizer": "streams.normalize.normalizer",
    "Tagger": "streams.tag.tagger",
    "Deduper": "streams.dedupe",
    "Decision": "streams.dedupe",
    "Router": "streams.route.router",
    "Partner": "streams.route.registry",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'streams' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
