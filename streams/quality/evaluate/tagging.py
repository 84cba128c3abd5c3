"""Tagging quality: places on Reuters-21578 and PER/ORG/LOC entity sets on CoNLL-2003 (precision/recall/F1).

Reuters-21578 (a directory holding ``reut2-NNN.sgm``): each story becomes an article with headline
(TITLE), ``located`` (DATELINE city) and body (BODY) only; gold labels never reach the tagger. The
tagger's country places (ISO alpha-2 ``literal``, including implied countries) are compared with the
gold ``PLACES`` mapped from 1987 codes to today's ISO codes (``ussr`` -> RU, ``west-germany`` -> DE,
``czechoslovakia`` -> CZ, ``yugoslavia`` -> RS, ``zaire`` -> CD, ...). Micro-averaged over
(story, country) pairs, on stories with at least one gold place. Reported for all files and for a
development split (000-011, used for tuning) and a held-out split (012-017).

CoNLL-2003 (an IOB2 ``.txt`` file; ``-DOCSTART-`` separates documents): each document becomes an
article (first sentence headline, a ``CITY YYYY-MM-DD`` second sentence the dateline, the rest the
body, sentences separated by blank lines). Per document and per type (PER, ORG, LOC; MISC ignored)
the set of gold entity strings is compared with the set of surface strings the tagger's evidence
reports (gazetteer or rule mentions, not implied countries nor demonyms). Strings are normalised by
lower-casing, collapsing whitespace and dropping a leading "the" and a possessive "'s"; within a
document a one-word PER string that is the last word of a longer PER string in the same set is
folded into it (surname-only mentions resolve to the full name), on both sides alike.
Micro-averaged over PER/ORG/LOC.

The corpora are read by `streams.quality.corpora` (`reuters21578.tagger_article`, `conll2003.conll_article`),
the scores are `streams.quality.scoring`'s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from streams.quality.corpora.conll2003 import CONLL_TYPES, conll_article, conll_docs, conll_gold
from streams.quality.corpora.reuters21578 import (
    DEV_FILES,
    REUTERS_PLACES,
    REUTERS_TOPICS,
    holds_sgm,
    reuters_code,
    reuters_items,
    tagger_article,
)
from streams.quality.scoring import (
    PRF,
    add_split,
    entity_sets,
    fold_surnames,
    norm_entity,
    predicted_countries,
    predicted_entities,
    split_counters,
    typed,
)
from streams.quality.through.command import add_options, run_tagging
from streams.tag.tagger import Tagger

#: The names the tests and benchmarks import from here (their homes are the corpora and scoring modules).
__all__ = [
    "CONLL_TYPES", "DEV_FILES", "PRF", "REUTERS_PLACES", "REUTERS_TOPICS", "add_arguments", "conll_article",
    "conll_docs", "conll_gold", "eval_conll", "eval_places", "eval_subjects", "fold_surnames", "norm_entity",
    "predicted_countries", "predicted_entities", "reuters_code", "reuters_items", "run", "tagger_article",
]


def eval_places(tagger: Tagger, corpus: Path, errors: int = 0) -> dict[str, PRF]:
    res = split_counters()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for num, _sid, art, gold in reuters_items(corpus):
        pred = predicted_countries(tagger.tag(art))
        add_split(res, num in DEV_FILES, gold, pred)
        fp.update(pred - gold)
        fn.update(gold - pred)
    if errors:
        print("most frequent false positives:", fp.most_common(errors))
        print("most frequent misses:", fn.most_common(errors))
    return res


def eval_subjects(tagger: Tagger, corpus: Path, errors: int = 0) -> dict[str, PRF]:
    """Subjects vs Reuters TOPICS mapped to Media Topics, scored only on the mapped codes."""
    scope = set(REUTERS_TOPICS.values())
    res = split_counters()
    per: dict[str, PRF] = {}
    for num, _sid, art, gold in reuters_items(corpus, label="TOPICS"):
        pred = {s["literal"].split(":")[1] for s in tagger.tag(art).get("subjects", [])} & scope
        add_split(res, num in DEV_FILES, gold, pred)
        for code in gold | pred:
            per.setdefault(code, PRF()).add(gold & {code}, pred & {code})
    if errors:
        for code, prf in sorted(per.items()):
            print("  " + prf.line(f"{code} {tagger.topics[code][0]}"))
    return res


# ----------------------------------------------------------------------------- CoNLL-2003


def eval_conll(tagger: Tagger, path: Path, errors: int = 0) -> dict[str, PRF]:
    res = {t: PRF() for t in (*CONLL_TYPES, "micro")}
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for doc in conll_docs(path):
        gold = conll_gold(doc)
        _art, evidence = tagger.tag_with_evidence(conll_article(doc))
        pred = predicted_entities(evidence, tagger.min_confidence)
        for t, g, p in entity_sets(gold, pred):
            res[t].add(g, p)
            res["micro"].add(typed(t, g), typed(t, p))
            fp.update(f"{t}:{x}" for x in p - g)
            fn.update(f"{t}:{x}" for x in g - p)
    if errors:
        print("most frequent false positives:", fp.most_common(errors))
        print("most frequent misses:", fn.most_common(errors))
    return res


# ----------------------------------------------------------------------------- plug-in


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", choices=("auto", "places", "subjects", "entities"), default="auto",
                        help="places or subjects (Reuters-21578 directory), entities (CoNLL-2003 file); "
                        "auto: places for a directory, entities for a file")
    parser.add_argument("--errors", type=int, default=0, help="also print the N most frequent errors")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_options(parser)


def run(args: argparse.Namespace) -> int:
    """Score the task on the corpus; exit 1 when there was nothing to score (not a perfect score)."""
    if getattr(args, "through", None):
        return run_tagging(args)
    corpus = Path(args.corpus)
    task = args.task
    if task == "auto":
        task = "places" if corpus.is_dir() else "entities"
    as_json = getattr(args, "json", False)
    say = (lambda *_: None) if as_json else print
    t0 = time.perf_counter()
    tagger = Tagger.build()
    say(f"tagger built in {time.perf_counter() - t0:.2f}s")
    t1 = time.perf_counter()
    if task in ("places", "subjects"):
        if not holds_sgm(corpus):
            print(f"no reut2-*.sgm in {corpus}", file=sys.stderr)
            return 2
        if task == "places":
            res = eval_places(tagger, corpus, args.errors)
            say("Reuters-21578 places (story, country) pairs, micro-averaged:")
        else:
            res = eval_subjects(tagger, corpus, args.errors)
            say("Reuters-21578 subjects vs TOPICS mapped to Media Topics (mapped codes only), micro-averaged:")
    else:
        res = eval_conll(tagger, corpus, args.errors)
        say("CoNLL-2003 entity sets per document (PER/ORG/LOC), micro-averaged:")
    overall = res.get("all") or res["micro"]
    if as_json:
        print(json.dumps({"corpus": str(corpus), "task": task, "scores": {k: v.as_dict() for k, v in res.items()}}))
    else:
        for name, prf in res.items():
            print("  " + prf.line(name))
        print(f"evaluated in {time.perf_counter() - t1:.1f}s")
    if overall.tp + overall.fp + overall.fn == 0:
        print(f"nothing to score in {corpus}: no gold labels and no predictions", file=sys.stderr)
        return 1
    return 0
