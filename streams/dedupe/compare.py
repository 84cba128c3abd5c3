"""Comparing an input with the remembered stories: the evidence of each match and the ranked candidates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from streams.dedupe.fingerprint import Fingerprint, similarities
from streams.dedupe.index import StoryIndex
from streams.dedupe.inputs import Input, editorial_gap
from streams.dedupe.thresholds import (
    FOLLOW_UP_SECONDS,
    HEADLINE_CONTAINED,
    HEADLINE_SAME,
    NOTICE_SLACK_SECONDS,
    RELATED_CONTAINMENT,
    RELATED_JACCARD,
    SHORT_BODY,
    SHORT_COPY_CONTAINMENT,
    SIGNAL_CONTAINMENT,
    UPDATE_KEEPS_OLD,
    UPDATE_MIN_NEW,
)


@dataclass(slots=True, kw_only=True)
class Match:
    """A remembered story an input is related to, with the evidence."""

    sid: str
    handle: int
    rec: dict[str, Any]
    jaccard: float
    new_in_old: float  # containment of the input in the remembered story
    old_in_new: float
    exact: bool
    same_source_id: bool
    same_headline: bool
    headline_sim: float
    figures_added: int
    figures_removed: int
    paragraphs_added: bool = False  # more paragraphs than the matched version had

    @property
    def similarity(self) -> float:
        return max(self.jaccard, min(self.new_in_old, self.old_in_new))

    def evidence(self, method: str) -> dict[str, Any]:
        return {
            "matched": self.rec["u"],
            "matched_version": self.rec["v"],
            "similarity": round(self.jaccard, 3),
            "containment": [round(self.new_in_old, 3), round(self.old_in_new, 3)],
            "method": method,
        }


def candidates(store: StoryIndex, fp: Fingerprint, inp: Input, cutoff: int) -> list[Match]:
    """The live stories `inp` (fingerprinted as `fp`) is related to, best first: an exact copy alone when
    there is one (unless a kill), else every verified candidate of the index."""
    fset = set(fp.figures)
    if inp.signal != "kill":
        # an exact copy outranks every other match: when the exact key finds one, stop there
        exact = []
        for handle in store.exact_ids(fp):
            found = store.live(handle, cutoff)
            if found is not None:
                m = compare(found, handle, fp, fset, inp, horizon=store.horizon)
                if m is not None and m.exact:
                    exact.append(m)
        if exact:
            exact.sort(key=lambda m: (m.same_source_id, m.rec["r"]), reverse=True)
            return exact
    out: list[Match] = []
    for handle in store.candidate_ids(fp, inp):
        found = store.live(handle, cutoff)
        if found is None:
            continue
        m = compare(found, handle, fp, fset, inp, horizon=store.horizon)
        if m is not None:
            out.append(m)
    if inp.signal == "kill":  # a story killed already is not killed again; the same notice again is a copy
        out = [m for m in out if m.rec.get("st") != "canceled" or m.rec.get("notice")]
        out.sort(key=lambda m: (m.same_source_id, m.same_headline, m.similarity, m.rec["r"]), reverse=True)
    else:
        out.sort(key=lambda m: (m.exact, m.same_source_id, m.similarity, m.rec["r"]), reverse=True)
    return out


def compare(
    found: tuple[str, dict[str, Any]], handle: int, fp: Fingerprint, fset: set[int], inp: Input, *, horizon: int
) -> Match | None:
    """Match against the story's latest version, and against its first version when it has been
    updated (a late copy of version 1 must still be recognised). `found`: the story's (id, record);
    `horizon`: ms (see `editorial_gap`)."""
    sid, rec = found
    best = compare_view(sid=sid, handle=handle, rec=rec, view=rec, fp=fp, fset=fset, inp=inp, horizon=horizon)
    first = rec.get("o")
    if first is not None and (best is None or not best.exact):
        other = compare_view(sid=sid, handle=handle, rec=rec, view=first, fp=fp, fset=fset, inp=inp,
                             horizon=horizon)
        if other is not None and (best is None or other.similarity > best.similarity):
            best = other
    return best


def compare_view(
    *, sid: str, handle: int, rec: dict[str, Any], view: dict[str, Any], fp: Fingerprint, fset: set[int],
    inp: Input, horizon: int,
) -> Match | None:
    """The match of the input with one version (`view`: the record, or its first version ``o``) of story
    `sid`, or None when they are not the same story."""
    exact = view["x"] == fp.exact
    same_sid = bool(inp.source_ids) and not set(inp.source_ids).isdisjoint(rec["i"])
    same_headline = view["h"] == fp.headline
    if rec.get("notice"):
        return _named_by_notice(sid, handle, rec, inp, exact=exact, same_sid=same_sid, same_headline=same_headline,
                                horizon=horizon)
    sketch = view["s"]
    j, a, b = similarities(fp.sketch, fp.complete, sketch, view["n"] <= len(sketch), fp.sketch_set)
    if not (exact or same_sid or _text_related(inp.signal, j, max(a, b), same_headline)):
        return None
    hsim = _set_jaccard(fp.headline_words, view["w"])
    if (
        inp.signal == "correction"
        and not (exact or same_sid or j >= RELATED_JACCARD or max(a, b) >= RELATED_CONTAINMENT)
        and hsim < HEADLINE_SAME
    ):
        return None  # half the text names a story only under its headline (else: a neighbour's correction)
    old_figs = set(view["g"])
    m = Match(
        sid=sid,
        handle=handle,
        rec=rec,
        jaccard=j,
        new_in_old=a,
        old_in_new=b,
        exact=exact,
        same_source_id=same_sid,
        same_headline=same_headline,
        headline_sim=hsim,
        figures_added=len(fset - old_figs),
        figures_removed=len(old_figs - fset),
    )
    m.paragraphs_added = len(fp.paragraphs) > len(view["p"])
    if same_sid or inp.signal == "kill":
        return m
    return None if _another_story(m, view, fp, inp, horizon=horizon) else m


def _text_related(signal: str | None, j: float, contained: float, same_headline: bool) -> bool:
    """Whether the texts are close enough to be one story when neither the exact text nor a source id says so:
    Jaccard `j` or the larger containment `contained` over the thresholds (a correction needs only half the
    text), or for a kill the same headline or the containment a signal needs."""
    if signal == "kill":
        return same_headline or contained >= SIGNAL_CONTAINMENT
    loose = signal == "correction"
    return j >= RELATED_JACCARD or contained >= (SIGNAL_CONTAINMENT if loose else RELATED_CONTAINMENT)


def _another_story(m: Match, view: dict[str, Any], fp: Fingerprint, inp: Input, *, horizon: int) -> bool:
    """Whether the editorial rules make a related text another story after all: a follow-up a day later, a
    marked update or correction a day later that names the story by text alone, a short templated notice
    under another headline, or a recurring templated report with new figures."""
    exact, j, a, b, rec = m.exact, m.jaccard, m.new_in_old, m.old_in_new, m.rec
    if (
        not exact
        and inp.signal is None
        and inp.wire_item
        and not inp.republished
        and editorial_gap(inp, rec["t"], rec["r"], horizon) >= FOLLOW_UP_SECONDS
    ):
        return True  # changed wire text a day later: a follow-up or the next recurring report
    if (
        not exact
        and inp.signal in ("update", "correction")
        and not (m.same_headline and (j >= RELATED_JACCARD or max(a, b) >= RELATED_CONTAINMENT))
        and editorial_gap(inp, rec["t"], rec["r"], horizon) >= FOLLOW_UP_SECONDS
    ):
        # a marked update or correction a day after the story's latest version names it by its id or its
        # headline; text alone (a correction needs only half of it) would pick the same template's report of
        # another day when the correction arrives before its own story
        return True
    if min(fp.size, view["n"]) < SHORT_BODY and not (
        m.same_headline
        or (exact and m.headline_sim >= HEADLINE_SAME)
        or (
            max(a, b) >= SHORT_COPY_CONTAINMENT
            and _containment(fp.headline_words, view["w"]) >= HEADLINE_CONTAINED
        )
    ):
        return True  # a short templated notice ("Qtly div 12 cts vs 12 cts prior"): the headline decides
    return (  # a recurring templated report: same wording, new figures
        not exact
        and inp.signal is None
        and m.figures_added > 0
        and m.figures_removed > 0
        and a < SHORT_COPY_CONTAINMENT  # a copy that adds nothing is no new report
        and not (b >= UPDATE_KEEPS_OLD and a < 1.0 - UPDATE_MIN_NEW and inp.wire_item and not inp.republished)
    )


def _named_by_notice(
    sid: str, handle: int, rec: dict[str, Any], inp: Input, *, exact: bool, same_sid: bool, same_headline: bool,
    horizon: int,
) -> Match | None:
    """The match of `inp` with a kill notice that arrived before the story it names (`rec`, a notice record):
    the same notice again (exact), or the story: the same source id, or the same headline on a story written
    before the notice (by its dateline; a template's next report, written after the kill, is not it)."""
    if not (exact or same_sid or same_headline):
        return None
    if not (exact or same_sid) and editorial_gap(inp, rec["t"], rec["r"], horizon) > NOTICE_SLACK_SECONDS:
        return None
    return Match(sid=sid, handle=handle, rec=rec, jaccard=1.0 if exact else 0.0, new_in_old=float(exact),
                 old_in_new=float(exact), exact=exact, same_source_id=same_sid, same_headline=same_headline,
                 headline_sim=float(same_headline), figures_added=0, figures_removed=0)


def _containment(a: list[int], b: list[int]) -> float:
    """Share of the smaller word set found in the other."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _set_jaccard(a: list[int], b: list[int]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)
