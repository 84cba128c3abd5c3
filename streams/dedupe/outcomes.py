"""Carrying out a decision: the story's next record in the state and the article to publish."""

from __future__ import annotations

from typing import Any

import xxhash

from streams.dedupe.compare import Match
from streams.dedupe.decide import Decision
from streams.dedupe.fingerprint import Fingerprint
from streams.dedupe.index import StoryIndex, index_keys
from streams.dedupe.inputs import Input, items
from streams.dedupe.records import next_version, record
from streams.model import Article

Outcome = tuple[Decision, Article | None]


class Outcomes:
    """Writes new stories, versions and kills into a `StoryIndex` and publishes under ``uri_prefix`` uris."""

    def __init__(self, store: StoryIndex, uri_prefix: str) -> None:
        self.store = store
        self.uri_prefix = uri_prefix

    def new(
        self, *, input_id: str, article: Article, inp: Input, fp: Fingerprint, reason: str,
        evidence: dict[str, Any],
    ) -> Outcome:
        """Remember `inp` as version 1 of a new story."""
        sid = self._new_id(input_id, inp, fp)
        uri = self.uri_prefix + sid
        status = "canceled" if inp.signal == "kill" else "usable"
        rec = record(version=1, fp=fp, inp=inp, arrival=self.store.arrival(), keys=index_keys(fp, inp), status=status)
        self.store.add(sid, rec)
        ev = {"matched": None, "method": "bottomk-minhash", **evidence}
        decision = Decision(input_id=input_id, decision="new", uri=uri, version=1, reason=reason, evidence=ev)
        return decision, publish(article, uri, 1, inp)

    def _new_id(self, input_id: str, inp: Input, fp: Fingerprint) -> str:
        """A new story keeps the normaliser's uri (derived from the source's id, else from its text), so the
        story gets the same uri whichever copy arrives first: offline and Kafka agree, replays agree."""
        if inp.uri and inp.uri.startswith(self.uri_prefix) and len(inp.uri) > len(self.uri_prefix):
            sid = inp.uri[len(self.uri_prefix) :]
        else:
            sid = xxhash.xxh3_128_hexdigest(f"{input_id}\x00{fp.exact:016x}".encode())
        while sid in self.store.stories:  # that id already names another remembered story: stay unique
            sid = xxhash.xxh3_128_hexdigest(sid.encode())
        return sid

    def version(
        self, *, input_id: str, article: Article, inp: Input, fp: Fingerprint, m: Match, kind: str,
        evidence: dict[str, Any],
    ) -> Outcome:
        """Remember `inp` as the next version (`kind`: update or correction) of the story `m` matched."""
        rec = m.rec
        whole = self.store.record(m.sid)
        new_rec, new_keys = next_version(whole, fp=fp, inp=inp, arrival=self.store.arrival(), keys=index_keys(fp, inp))
        version = new_rec["v"]
        self.store.update(m.handle, new_rec, new_keys)
        changes = _changes(m, fp)
        label = "Correction" if kind == "correction" else "Update"
        ednote = f"{label} (version {version} of {rec['u']}): {changes}."
        if isinstance(article.get("ednote"), str) and article["ednote"].strip():
            ednote = article["ednote"].strip() + " " + ednote
        reason = f"{kind} of the story: {changes}"
        if inp.signal == kind:
            reason += f" (source marked it a {kind})"
        ev = {**evidence, "changes": changes}
        out = publish(article, rec["u"], version, inp, ednote=ednote)
        decision = Decision(input_id=input_id, decision=kind, uri=rec["u"], version=version, reason=reason, evidence=ev)
        return decision, out

    def kill(self, input_id: str, article: Article, inp: Input, fp: Fingerprint, m: Match | None) -> Outcome:
        """Withdraw the story `m` matched (a canceled next version), or pass on a kill that names nothing yet
        and remember it as a notice: the story it names may arrive after it (a reordered backlog), and is then
        a duplicate of the killed story instead of a live one (`killed_before`)."""
        if m is None:
            sid = self._new_id(input_id, inp, fp)
            uri = self.uri_prefix + sid
            # named by its source ids and its headline (KILL- and similar prefixes removed); its own text (the
            # notice) is listed only by its exact hash, so a re-sent notice is a copy of it
            keys = [("x", fp.exact), ("h", fp.headline), *(("s", i) for i in inp.source_ids)]
            rec = record(version=1, fp=fp, inp=inp, arrival=self.store.arrival(), keys=keys, status="notice")
            self.store.add(sid, rec)
            out = publish(article, uri, 1, inp, pubstatus="canceled")
            decision = Decision(
                input_id=input_id, decision="kill", uri=uri, version=1,
                reason="kill of a story never seen (nothing to withdraw; remembered, so the story is not delivered "
                       "if it arrives later)", evidence={"matched": None, "method": "none"},
            )
            return decision, out
        rec = m.rec
        version = int(rec["v"]) + 1
        method = "item-id" if m.same_source_id else ("headline" if m.same_headline else "bottomk-minhash")
        new_rec = self.store.record(m.sid)
        new_rec["v"] = version
        new_rec["st"] = "canceled"
        self.store.replace(m.sid, new_rec)
        out = publish(article, rec["u"], version, inp, pubstatus="canceled")
        decision = Decision(
            input_id=input_id, decision="kill", uri=rec["u"], version=version, reason="story withdrawn by its source",
            evidence=m.evidence(method),
        )
        return decision, out


    def killed_before(self, input_id: str, inp: Input, fp: Fingerprint, m: Match) -> Outcome:
        """`inp` is the story a kill notice `m` named before the story arrived: drop it as a duplicate of the
        killed story, whose record takes its text (so copies of the story are recognised too)."""
        whole = self.store.record(m.sid)
        new_rec, new_keys = next_version(whole, fp=fp, inp=inp, arrival=self.store.arrival(), keys=index_keys(fp, inp))
        new_rec.update(v=whole["v"], st="canceled")
        new_rec.pop("o", None)  # the notice's text is no version of the story
        self.store.update(m.handle, new_rec, new_keys)
        method = "item-id" if m.same_source_id else "headline"
        return duplicate(input_id, m, "the story a kill notice named before it arrived", m.evidence(method))


def duplicate(input_id: str, m: Match, reason: str, evidence: dict[str, Any]) -> Outcome:
    """Drop `input_id` as a copy of the story `m` matched (nothing is remembered or published)."""
    if m.rec.get("st") == "canceled":
        reason += " (the story was killed)"
    decision = Decision(
        input_id=input_id, decision="duplicate", uri=m.rec["u"], version=m.rec["v"], reason=reason, evidence=evidence
    )
    return decision, None


def publish(article: Article, uri: str, version: int, inp: Input, **extra: Any) -> Article:
    """The article as published: the story's uri and version, the input's own uri kept as a source-uri."""
    out = dict(article)
    out["uri"] = uri
    out["version"] = str(version)
    if inp.uri and inp.uri != uri:
        altids = [a for a in (items(article, "altids")) if a != {"role": "source-uri", "value": inp.uri}]
        altids.append({"role": "source-uri", "value": inp.uri})
        out["altids"] = altids
    out.update(extra)
    return out


def _changes(m: Match, fp: Fingerprint) -> str:
    old = m.rec["p"]
    oldset, newset = set(old), set(fp.paragraphs)
    added = sum(1 for p in fp.paragraphs if p not in oldset)
    removed = sum(1 for p in old if p not in newset)
    parts = []
    if not m.same_headline:
        parts.append("headline changed")
    if added:
        parts.append(f"{added} paragraph{'s' if added > 1 else ''} new or changed")
    if removed:
        parts.append(f"{removed} paragraph{'s' if removed > 1 else ''} removed or changed")
    return "; ".join(parts) or "text changed"
