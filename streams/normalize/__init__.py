"""Normalise: a raw envelope (page text, HTML, ninjs, NewsML-G2, Reuters-21578 SGML) into one ninjs article.

The public names below are imported on first use (PEP 562): importing one submodule, say a format reader,
loads neither the others nor their dependencies (jsonschema, dateutil, the chrome automaton), and no
submodule's import ever runs through a half-initialised package, so there is no import cycle to beware
of. Nothing in this package imports faust, aiokafka or streams.kafka.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from streams.normalize.article import split_photo_credit
    from streams.normalize.backlog import RawRecord, Refusal, load_backlog
    from streams.normalize.envelope import EnvelopeReader, envelope_bytes
    from streams.normalize.formats.base import Caption, Extracted
    from streams.normalize.memory import ChromeMemory
    from streams.normalize.normalizer import DEFAULT_CREDITS, Normalizer

#: Each public name and the submodule it lives in.
_HOMES = {
    "DEFAULT_CREDITS": "streams.normalize.normalizer",
    "Caption": "streams.normalize.formats.base",
    "ChromeMemory": "streams.normalize.memory",
    "EnvelopeReader": "streams.normalize.envelope",
    "Extracted": "streams.normalize.formats.base",
    "Normalizer": "streams.normalize.normalizer",
    "RawRecord": "streams.normalize.backlog",
    "Refusal": "streams.normalize.backlog",
    "envelope_bytes": "streams.normalize.envelope",
    "load_backlog": "streams.normalize.backlog",
    "split_photo_credit": "streams.normalize.article",
}

__all__ = [
    "DEFAULT_CREDITS",
    "Caption",
    "ChromeMemory",
    "EnvelopeReader",
    "Extracted",
    "Normalizer",
    "RawRecord",
    "Refusal",
    "envelope_bytes",
    "load_backlog",
    "split_photo_credit",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next lookup finds it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
