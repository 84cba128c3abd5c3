"""Normalise: a raw envelope (page text, HTML, ninjs, NewsML-G2, Reuters-21578 SGML) into one ninjs article."""

# Submodules import each other by full name (streams.normalize.x), never from this package, so importing any
# of them first runs this file to its end without a cycle. Nothing here imports faust, aiokafka or streams.kafka.
from streams.normalize.backlog import RawRecord, Refusal, load_backlog
from streams.normalize.chrome import ChromeMemory
from streams.normalize.envelope import EnvelopeReader, envelope_bytes
from streams.normalize.formats.base import Caption, Extracted
from streams.normalize.normalizer import DEFAULT_CREDITS, Normalizer, split_photo_credit

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
