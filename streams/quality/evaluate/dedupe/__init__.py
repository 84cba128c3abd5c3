"""Dedupe evaluation: replay Reuters-21578 plus generated re-sends/republications/updates/kills, score.

Labelling rule (gold "same story" pairs):

* Every generated variant (re-send, outlet republication in page chrome, trimmed copy, edited copy,
  update, correction, kill) is the same story as the corpus story it was made from.
* Two real corpus stories are the same story when their bodies are identical after whitespace
  normalisation, they are at most `REAL_SAME_DAYS` days apart, and their headlines share at least
  half their words (a re-send, possibly with a fixed headline typo).
* Ambiguous real pairs are left out of the pairwise scores (and counted): identical bodies under
  unrelated headlines (templated notices such as dividend declarations, or a headline rewrite), and
  similar headlines (half their words shared) over different bodies within `AMBIGUOUS_DAYS` days (an
  update, correction or rewrite of one story, or a re-run of a template: the corpus does not say which).
* Everything else is a different story, in particular same-headline reports with different bodies
  more than `AMBIGUOUS_DAYS` apart ("FED ADDS RESERVES VIA CUSTOMER REPURCHASES", "HOG AND CATTLE
  SLAUGHTER GUESSTIMATES"); the report also counts how many same-headline, different-body pairs
  (templated reports and updates alike) were merged, as a check on the templated-report rule.

Stories without a body are skipped (the normaliser rejects them: `empty-body`).
"""

from streams.quality.corpora.fixtures import Source, load_sources
from streams.quality.evaluate.dedupe.command import add_arguments, print_report, read_corpus, run
from streams.quality.evaluate.dedupe.generate import (
    EXPECTED,
    OUTLETS,
    Item,
    PageReader,
    build,
    make_article,
    normaliser_reader,
    page_text,
    variants,
)
from streams.quality.evaluate.dedupe.labels import AMBIGUOUS_DAYS, REAL_SAME_DAYS, real_pairs, recurring_pairs
from streams.quality.evaluate.dedupe.score import Report, gate, replay

__all__ = [
    "AMBIGUOUS_DAYS",
    "EXPECTED",
    "OUTLETS",
    "REAL_SAME_DAYS",
    "Item",
    "PageReader",
    "Report",
    "Source",
    "add_arguments",
    "build",
    "gate",
    "load_sources",
    "make_article",
    "normaliser_reader",
    "page_text",
    "print_report",
    "read_corpus",
    "real_pairs",
    "recurring_pairs",
    "replay",
    "run",
    "variants",
]
