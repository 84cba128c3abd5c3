"""Dedupe: decide each article as new, duplicate, update, correction or kill against the stories remembered."""

from streams.dedupe.decide import DECISIONS, Decision
from streams.dedupe.deduper import URI_PREFIX, Deduper, now_utc
from streams.dedupe.inputs import ID_ROLES
from streams.dedupe.records import state_bytes

__all__ = ["DECISIONS", "ID_ROLES", "URI_PREFIX", "Decision", "Deduper", "now_utc", "state_bytes"]
