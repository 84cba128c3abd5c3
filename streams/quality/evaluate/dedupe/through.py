"""`syndicate eval dedupe CORPUS --through FORM`: the dedupe evaluation with every input through the whole pipeline.

The inputs are the ones `syndicate eval dedupe` generates for each Reuters-21578 story (the wire original,
re-sends, outlets' republications, trims, copy-desk edits, updates, corrections, kills; see
`streams.quality.evaluate.dedupe.generate`), but each enters as a raw envelope and goes through
`run_offline` (normalise, tag, the chrome memory, dedupe, route) instead of straight into a Deduper:

* a republication is the outlet's page, rendered by `render_text.page_text` (FORM ``page-text``, and for
  ``wire-text`` and ``sgml``) or `render_html.html_page` (FORM ``html``), chrome around and inside the story;
* the wire original is the story's own SGML for FORM ``sgml``, its plain wire page for ``wire-text``, a
  ninjs item otherwise; every other input is the ninjs item the generator built.

Scored as `syndicate eval dedupe` scores (pairwise same-story precision and recall, updates recognised),
from the decisions the pipeline wrote; an input the pipeline rejected joins no story, and the rejections are
counted per kind of input (a rejected republication is a pair dedupe never saw).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from streams.model import Envelope
from streams.quality.corpora.fixtures import Source
from streams.quality.evaluate.dedupe.generate import Item, build
from streams.quality.evaluate.dedupe.labels import real_pairs
from streams.quality.evaluate.dedupe.score import Report, score
from streams.quality.through.command import select, story_rng
from streams.quality.through.deliver import run_pipeline
from streams.quality.through.outlets import outlets
from streams.quality.through.render_html import html_page
from streams.quality.through.render_text import Rendered, iso, page_text, teaser_picker, wire_text
from streams.quality.through.stories import Story
from streams.settings import Settings


def _source(story: Story) -> Source:
    return Source(story.id, story.headline, list(story.lines), story.when)


def _ninjs(item: Item) -> Envelope:
    return Envelope(id=item.input_id, content=orjson.dumps(item.article).decode(), format="ninjs",
                    received_at=iso(item.when))


def render_items(items: list[Item], stories: dict[str, Story], form: str, *, which: str, seed: int) -> list[Rendered]:
    """Each generated input as the envelope it arrives in (see the module docstring)."""
    pool = outlets(which)
    headlines = [s.headline for s in list(stories.values())[:500]]
    out: list[Rendered] = []
    for item in items:
        story = stories[item.cluster]
        rng = story_rng(seed, item.input_id)
        if item.kind == "republish":
            pick = teaser_picker(headlines, story_rng(seed + 1, item.input_id), story.headline)
            render = html_page if form == "html" else page_text
            r = render(story, rng.choice(pool), rng, teasers=pick, delay=item.when - story.when)
            env = Envelope(id=item.input_id, content=r.envelope.content, format=r.envelope.format,
                           received_at=iso(item.when), source=r.envelope.source)
        elif item.kind == "source" and form == "sgml" and story.sgml is not None:
            env = Envelope(id=item.input_id, content=story.sgml, format="reuters21578", received_at=iso(item.when))
        elif item.kind == "source" and form == "wire-text":
            env = Envelope(id=item.input_id, content=wire_text(story, rng).envelope.content, format="text",
                           received_at=iso(item.when))
        else:
            env = _ninjs(item)
        out.append(Rendered(env, story.lines, story, item.kind))
    return out


class _Decided:
    __slots__ = ("decision", "uri")

    def __init__(self, decision: str, uri: str) -> None:
        self.decision = decision
        self.uri = uri


def run_dedupe(args: argparse.Namespace) -> int:
    """Generate, render, run through the pipeline, score; exit 1 when there was nothing to score."""
    stories = [s for s in select(Path(args.corpus), args) if s.corpus == "reuters21578"]
    if not stories:
        print(f"no Reuters-21578 stories under {args.corpus}")
        return 2
    by_id = {s.id: s for s in stories}
    sources = [_source(s) for s in stories]
    items = sorted(build(sources, seed=args.seed, rate=args.rate), key=lambda it: (it.when, it.input_id))
    rendered = render_items(items, by_id, args.through, which=args.outlets, seed=args.seed)
    settings = Settings.load({"credits": getattr(args, "credits", None)})
    t0 = time.perf_counter()
    delivered = run_pipeline(rendered, settings, keep=args.keep)
    decided = {iid: _Decided(d.decision, d.uri) for iid, d in delivered.items() if d.decision != "rejected"}
    rep = Report(inputs=len(items), rejections=len(items) - len(decided), seconds=time.perf_counter() - t0)
    rep.uri_of = {iid: d.uri for iid, d in decided.items()}
    score(rep, items, decided, real_pairs(sources))
    rejected = Counter(f"{it.kind}: {delivered[it.input_id].reason}" for it in items
                       if it.input_id in delivered and delivered[it.input_id].decision == "rejected")
    report: dict[str, Any] = {
        "corpus": str(args.corpus), "through": args.through, "outlets": args.outlets, "stories": len(stories),
        "inputs": rep.inputs, "rejections": rep.rejections, "rejected": dict(rejected), **rep.as_dict(),
        "pred_pairs": rep.pred_pairs, "gold_pairs": rep.gold_pairs, "excluded_pairs": rep.excluded_pairs,
        "confusion": rep.confusion, "seconds": round(rep.seconds, 1),
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"dedupe through {args.through}: {args.corpus} ({len(stories)} corpus stories, {rep.inputs} inputs, "
              f"outlets {args.outlets}, seed {args.seed}, pipeline {rep.seconds:.1f} s)")
        print(f"  pairwise same-story precision {rep.precision}  recall {rep.recall}  (predicted pairs "
              f"{rep.pred_pairs}, gold pairs {rep.gold_pairs}, ambiguous pairs left out {rep.excluded_pairs})")
        print(f"  updates recognised as updates: {rep.update_rate}")
        print(f"  rejected: {rep.rejections} {dict(rejected)}")
        for kind, counts in sorted(rep.confusion.items()):
            print(f"  {kind:<11} -> {counts}")
        if rep.false_merges:
            print("  false merges (first 20):", rep.false_merges)
        if rep.missed:
            print("  missed pairs (first 20):", rep.missed)
    if rep.precision is None or rep.recall is None:
        print(f"nothing to score in {args.corpus}", file=sys.stderr)
        return 1
    return 0


