"""`syndicate eval extraction|tagging CORPUS --through FORM`: render the corpus, run the pipeline, score what came out.

CORPUS is a Reuters-21578 folder (or one ``.sgm``) or a CoNLL-2003 ``.txt`` file. FORM is how the stories
arrive: ``wire-text`` (a plain wire page), ``page-text`` (an outlet's republished page as text, chrome
around and inside the story), ``html`` (the same as an HTML page) or ``sgml`` (Reuters-21578 SGML). Every
rendered input goes through `run_offline`, the offline pipeline `syndicate process` runs (normalise, tag,
dedupe, route), and the scores are taken on what it delivered.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from pathlib import Path
from typing import Any

from streams.quality.corpora.reuters21578 import DEV_FILES, HELD_OUT_FILES
from streams.quality.scoring import PRF, add_split, split_counters
from streams.quality.through.deliver import Delivered, run_pipeline
from streams.quality.through.outlets import outlets
from streams.quality.through.render_html import html_page
from streams.quality.through.render_text import Rendered, page_text, sgml, teaser_picker, wire_text
from streams.quality.through.score import (
    add_entities,
    delivered_countries,
    delivered_entities,
    entity_counters,
    grouped,
    score_body,
    summarise_bodies,
)
from streams.quality.through.stories import Story, load_stories
from streams.settings import Settings

FORMS = ("wire-text", "page-text", "html", "sgml")


def add_options(parser: argparse.ArgumentParser) -> None:
    """The `--through` options every evaluation shares (an option the evaluation has already is kept)."""
    have = {a.dest for a in parser._actions}

    def add(flag: str, **kw: Any) -> None:
        if flag.lstrip("-").replace("-", "_") not in have:
            parser.add_argument(flag, **kw)

    add("--through", choices=FORMS, help="render the corpus in this form and score what the whole offline "
        "pipeline delivers (instead of the stage alone)")
    add("--outlets", choices=("dev", "held-out", "all"), default="all",
        help="--through page-text/html: which invented outlets republish (held-out: never tuned on)")
    add("--split", choices=("dev", "held-out", "all"), default="all",
        help="--through: Reuters-21578 files 000-011 (dev) or 012-017 (held-out)")
    add("--seed", type=int, default=1987)
    add("--keep", type=Path, help="--through: leave the backlog and the pipeline's output here")
    add("--limit", type=int, default=0, help="use only the first N stories (0: all)")
    add("--json", action="store_true", help="print the figures as JSON")
    add("--worst", type=int, default=5, help="how many worst inputs to list")


def story_rng(seed: int, story_id: str) -> random.Random:
    """One generator per story: a story renders the same whatever else is rendered with it."""
    digest = hashlib.blake2b(f"{seed}:{story_id}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def render(stories: list[Story], form: str, *, which: str = "all", seed: int = 1987) -> list[Rendered]:
    """Every story rendered in `form` (page forms: by an outlet of `which`, chosen per story)."""
    pool = outlets(which)
    teasers = [s.headline for s in stories[:500]]
    out: list[Rendered] = []
    for n, story in enumerate(stories):
        rng = story_rng(seed, story.id)
        if form == "wire-text":
            out.append(wire_text(story, rng))
        elif form == "sgml":
            out.append(sgml(story, n + 1))
        elif form == "page-text":
            pick = teaser_picker(teasers, story_rng(seed + 1, story.id), story.headline)
            out.append(page_text(story, rng.choice(pool), rng, teasers=pick))
        elif form == "html":
            pick = teaser_picker(teasers, story_rng(seed + 1, story.id), story.headline)
            out.append(html_page(story, rng.choice(pool), rng, teasers=pick))
        else:
            raise ValueError(f"unknown form {form!r}; use one of {FORMS}")
    return out


def select(corpus: Path, args: argparse.Namespace) -> list[Story]:
    files = None
    if args.split == "dev":
        files = sorted(DEV_FILES)
    elif args.split == "held-out":
        files = sorted(HELD_OUT_FILES)
    return load_stories(corpus, files=files, limit=args.limit)


def deliver(args: argparse.Namespace) -> tuple[list[Story], list[Rendered], dict[str, Delivered], float]:
    """Load, render and run the corpus; (stories, rendered inputs, delivered per input id, seconds)."""
    stories = select(Path(args.corpus), args)
    rendered = render(stories, args.through, which=args.outlets, seed=args.seed)
    rendered.sort(key=lambda r: (r.envelope.received_at or "", r.envelope.id))
    settings = Settings.load({"credits": getattr(args, "credits", None)})
    t0 = time.perf_counter()
    delivered = run_pipeline(rendered, settings, keep=args.keep)
    return stories, rendered, delivered, time.perf_counter() - t0


def _print_summary(name: str, fig: dict[str, Any]) -> None:
    reasons = ", ".join(f"{k} {v}" for k, v in sorted(fig["reasons"].items()))
    print(f"  {name:<22} inputs {fig['inputs']:>6}  rejected {fig['rejected']:>4}{f' ({reasons})' if reasons else ''}")
    print(f"  {'':<22} token recall mean {fig['recall_mean']:.4f} micro {fig['recall_micro']:.4f} "
          f"min {fig['recall_min']:.3f} (<0.99: {fig['below_099']}), precision {fig['precision_mean']:.4f}, "
          f"body F1 {fig['f1']:.4f}" + (f", rows kept {fig['rows_kept']:.4f} of {fig['rows']}, html tables "
                                       f"{fig['html_tables']:.3f}" if fig["rows"] else ""))


def run_extraction(args: argparse.Namespace) -> int:
    """`syndicate eval extraction CORPUS --through FORM`."""
    stories, rendered, delivered, seconds = deliver(args)
    if not stories:
        print(f"no stories under {args.corpus}")
        return 2
    scores = [score_body(r, delivered.get(r.envelope.id)) for r in rendered]
    report: dict[str, Any] = {
        "corpus": str(args.corpus), "through": args.through, "outlets": args.outlets, "seconds": round(seconds, 1),
        "all": summarise_bodies(scores).as_dict(),
        **{f"by_{k}": {n: s.as_dict() for n, s in grouped(scores, k).items()}
           for k in ("split", "kind", "outlet", "decision")},
        "worst": [
            {"input": s.input_id, "recall": round(s.recall, 3), "precision": round(s.precision, 3),
             "decision": s.decision, "reason": s.reason}
            for s in sorted(scores, key=lambda s: (s.recall, s.precision))[: args.worst]
        ],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{args.corpus} through {args.through} ({len(rendered)} inputs, outlets {args.outlets}, "
          f"pipeline {seconds:.1f} s)")
    _print_summary("all", report["all"])
    for key in ("split", "kind", "outlet", "decision"):
        groups = report[f"by_{key}"]
        if len(groups) > 1:
            for name, fig in groups.items():
                _print_summary(f"{key} {name}", fig)
    for w in report["worst"]:
        print(f"  worst {w['input']}: recall {w['recall']} precision {w['precision']} {w['decision']} "
              f"{w['reason'] or ''}")
    return 0


def run_tagging(args: argparse.Namespace) -> int:
    """`syndicate eval tagging CORPUS --through FORM`: places (Reuters-21578) or entities (CoNLL) as delivered."""
    stories, rendered, delivered, seconds = deliver(args)
    if not stories:
        print(f"no stories under {args.corpus}")
        return 2
    rejected = sum(1 for d in delivered.values() if d.decision == "rejected")
    res: dict[str, PRF]
    if stories[0].corpus == "reuters21578":
        res = split_counters()
        for r in rendered:
            if not r.story.places:
                continue
            pred = delivered_countries(delivered.get(r.envelope.id))
            add_split(res, r.story.split == "dev", set(r.story.places), pred)
        title = "Reuters-21578 places in the delivered articles, (story, country) pairs, micro-averaged:"
    else:
        res = entity_counters()
        for r in rendered:
            add_entities(res, r.story.entities, delivered_entities(delivered.get(r.envelope.id)))
        title = "CoNLL-2003 entities in the delivered articles, per document, micro-averaged:"
    if args.json:
        print(json.dumps({
            "corpus": str(args.corpus), "through": args.through, "outlets": args.outlets, "inputs": len(rendered),
            "rejected": rejected, "seconds": round(seconds, 1),
            "scores": {name: dict(zip(("precision", "recall", "f1"), (round(x, 4) for x in prf.scores()),
                                      strict=True)) for name, prf in res.items()},
        }))
        return 0
    print(f"{args.corpus} through {args.through} ({len(rendered)} inputs, outlets {args.outlets}, "
          f"pipeline {seconds:.1f} s)")
    print(f"  rejected {rejected} of {len(rendered)}")
    print(title)
    for name, prf in res.items():
        print("  " + prf.line(name))
    return 0
