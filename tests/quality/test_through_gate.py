"""Quality gate of the product: our own wire items (tests/fixtures/through/stories.json: prose, an earnings table,
results, standings, a market report, a brief, an advisory, a correction with a dividend notice, a schedule) are
rendered in every form a story arrives in (a plain wire page, outlets' republished pages as text and HTML, dev
and held-out outlets, Reuters-21578 SGML), sent through `run_offline` and scored as delivered
(`streams.quality.through`). The floors are pinned by hand in tests/fixtures/through/baseline.json, measured
less a margin; the figures on the shared corpora are in docs/quality.md and tests/quality/test_corpus_gate.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from streams.quality.scoring import PRF
from streams.quality.through.command import render
from streams.quality.through.deliver import run_pipeline
from streams.quality.through.score import (
    add_entities,
    delivered_countries,
    delivered_entities,
    entity_counters,
    score_body,
    summarise_bodies,
)
from streams.quality.through.stories import load_stories
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "through" / "stories.json"
BASELINE = json.loads((FIXTURE.parent / "baseline.json").read_text(encoding="utf-8"))
RUNS = [("wire-text", "all"), ("page-text", "dev"), ("page-text", "held-out"), ("html", "dev"), ("html", "held-out"),
        ("sgml", "all")]


def measure(form: str, which: str) -> dict[str, Any]:
    """The figures of one form: body recall, F1, rejections, rows kept, tables in the HTML body, tags."""
    stories = load_stories(FIXTURE)
    rendered = render(stories, form, which=which)
    delivered = run_pipeline(rendered, Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}))
    summary = summarise_bodies([score_body(r, delivered.get(r.envelope.id)) for r in rendered])
    entities, places = entity_counters(), PRF()
    for r in rendered:
        got = delivered.get(r.envelope.id)
        add_entities(entities, r.story.entities, delivered_entities(got))
        places.add(set(r.story.places), delivered_countries(got))
    return {
        "rejected": summary.rejected, "recall_min": summary.recall_min, "recall_mean": summary.recall_mean,
        "f1": summary.f1, "rows_kept": summary.rows_kept, "html_tables": summary.html_tables,
        "places_f1": places.scores()[2], "people_orgs_f1": entities["PER+ORG"].scores()[2],
    }


@pytest.fixture(scope="module")
def figures() -> dict[tuple[str, str], dict[str, Any]]:
    return {run: measure(*run) for run in RUNS}


@pytest.mark.parametrize("run", RUNS, ids=[f"{f}-{w}" for f, w in RUNS])
def test_every_wire_item_comes_out_whole(figures: dict[tuple[str, str], dict[str, Any]], run: tuple[str, str]) -> None:
    got = figures[run]
    floors = BASELINE[f"{run[0]} {run[1]}"]
    print(run, got)
    assert got["rejected"] == 0, got
    for key, floor in floors.items():
        assert got[key] >= floor, f"{run}: {key} {got[key]:.4f} < floor {floor}"


def test_the_baseline_names_every_run_and_only_real_figures() -> None:
    assert set(BASELINE) - {"about"} == {f"{f} {w}" for f, w in RUNS}
    for floors in (v for k, v in BASELINE.items() if k != "about"):
        assert set(floors) <= {"recall_min", "recall_mean", "f1", "rows_kept", "html_tables", "places_f1",
                               "people_orgs_f1"}
        assert all(0 < v <= 1 for v in floors.values())


def test_the_gate_fails_when_table_rows_are_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's old behaviour, a story region of prose only (table rows and short lines cost), breaks the
    plain-page floors: the gate can fail."""
    import streams.normalize.formats.text as text

    monkeypatch.setattr(text, "is_headline_shaped", lambda line: False)  # no page is plain
    monkeypatch.setattr(text, "story_paragraphs", _prose_only(text.story_paragraphs))
    got = measure("wire-text", "all")
    floors = BASELINE["wire-text all"]
    assert got["rejected"] > 0 or got["recall_min"] < floors["recall_min"] or got["rows_kept"] < floors["rows_kept"]


def _prose_only(real: Any) -> Any:
    def region(lines: list[str], bad: list[bool], used: list[bool], body: range, headline: str | None,
               *, shape: str = "page") -> list[str]:
        return [p for p in real(lines, bad, used, body, headline, shape="page") if p.endswith(".")]

    return region
