"""The decision record and the rules that decide what a related, unkilled input is to its story."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from streams.dedupe.compare import Match
from streams.dedupe.inputs import Input
from streams.dedupe.thresholds import MINOR_EDIT_JACCARD, UPDATE_MIN_NEW

DECISIONS = ("new", "duplicate", "update", "correction", "kill")


@dataclass(frozen=True, kw_only=True)
class Decision:
    """What dedupe decided for one input, with why and on what evidence."""

    input_id: str
    decision: str  # "new" | "duplicate" | "update" | "correction" | "kill"
    uri: str
    version: int
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        """The JSON-able `wire.decisions` record."""
        return {
            "input_id": self.input_id,
            "decision": self.decision,
            "uri": self.uri,
            "version": self.version,
            "reason": self.reason,
            "evidence": dict(self.evidence),
        }


def method_of(best: Match) -> str:
    """How `best` was found, for the evidence: ``exact``, ``item-id`` or ``bottomk-minhash``."""
    return "exact" if best.exact else ("item-id" if best.same_source_id else "bottomk-minhash")


def verdict(inp: Input, best: Match) -> tuple[str, str]:
    """What `inp` (not a kill) is to the story of its best match: ("duplicate", why), or the kind of new
    version it makes, ("update" or "correction", "") (the version says what changed)."""
    if inp.signal in ("correction", "update"):
        if best.exact and best.same_headline:
            return "duplicate", f"{inp.signal} marker but text and headline unchanged"
        if best.jaccard >= MINOR_EDIT_JACCARD and (inp.republished or (not inp.wire_item and best.rec["v"] > 1)):
            # an outlet's copy of an already corrected/updated version repeats the marker; a page with no feed
            # id is taken for such a copy only once the story has a later version (else it is the wire's own
            # marked version: a correction sent as plain wire text)
            return "duplicate", f"copy of the story (its {inp.signal} marker repeated)"
        return inp.signal, ""
    if best.exact:
        return "duplicate", "same text as a remembered story"
    if best.same_source_id:
        return "update", ""
    if inp.republished:
        return "duplicate", "republished copy (an outlet's edit, trim or page chrome) of the story"
    if not inp.wire_item:
        # no publisher was recognised, but no feed id either: a page copy whose extra text may be
        # chrome the normaliser left; only feed items (or marked copies) make versions
        return "duplicate", "copy without a feed item id (a page) of the story"
    changed_headline = not best.same_headline
    added = 1.0 - best.new_in_old
    if (
        best.jaccard >= MINOR_EDIT_JACCARD
        and not changed_headline
        and not best.figures_added
        and not best.figures_removed
        and not best.paragraphs_added
    ):
        return "duplicate", "re-sent with minor edits"
    if added < UPDATE_MIN_NEW and not changed_headline and not best.figures_added and not best.paragraphs_added:
        return "duplicate", "re-sent copy adds nothing (trimmed or lightly edited)"
    return "update", ""
