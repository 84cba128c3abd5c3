"""The quality figures of docs/quality.md, held in CI on the shared corpora (`../shared/corpora`).

Every quality figure docs/quality.md states has a floor below, written by hand: the stated figure less 0.01,
with a comment naming the row of its table and the command that produced it. Whoever changes a figure
docs/quality.md states changes its floor here in the same commit;
`test_every_quality_figure_in_the_docs_has_its_floor` fails when the two disagree or when docs/quality.md
gains a figure with no floor. There is no switch that rewrites a floor from the current output.

Each `syndicate eval ...` runs once per session (session fixtures), in this process through
`streams.cli.main` with `--json`, so the figures are the command's own; several figures are read from
each run. An eval that had nothing to score exits 1, and that fails the gate like a low figure.

The gate can fail: for each evaluation a test breaks the stage it measures (a monkeypatch of the real
code, not a fake) and checks that the gate then names the figure that fell below its floor.

Tests marked `shared` are deselected and reported when ../shared is absent (tests/conftest.py); CI
always has it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from streams.quality.evaluate.batch import eval_all, eval_json

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parents[2]
QUALITY_DOC = ROOT / "docs" / "quality.md"

# The floors: the docs/quality.md figure - 0.01, each from the row of its table named in the comment. Change
# docs/quality.md and the floor together.
FLOORS: dict[str, float] = {
    # "body extraction from HTML": F1 0.979 (`syndicate eval extraction ../shared/corpora/aeb-dev --mode both
    # --credits any`)
    "extraction html F1": 0.969,
    # "body extraction from page text": F1 0.932 (same command)
    "extraction page-text F1": 0.922,
    # "places on Reuters-21578": F1 0.935 (`syndicate eval tagging ../shared/corpora/reuters21578`; 0.934 before
    # datelines named stoplisted cities, "ST LOUIS", "Ia.")
    "places F1": 0.925,
    # same row: "files 012-017, never tuned on: 0.939" (same command, the held-out split; was 0.938)
    "places held-out F1": 0.929,
    # "people, orgs, places on CoNLL-2003 valid": micro F1 0.843 (`syndicate eval tagging
    # ../shared/corpora/conll2003/valid.txt`; 0.826 before the tagger named teams on results lines and people in lists)
    "CoNLL valid micro F1": 0.833,
    # same row: "on train.txt, never inspected: 0.819" (`syndicate eval tagging .../conll2003/train.txt`; was 0.793)
    "CoNLL train micro F1": 0.809,
    # "plain wire text, as delivered": body token recall 0.9994 (`syndicate eval extraction
    # ../shared/corpora/conll2003/valid.txt --through wire-text`); none rejected is checked apart
    "plain wire text recall": 0.9894,
    # "people and organisations, as delivered": F1 0.844 (`syndicate eval tagging
    # ../shared/corpora/conll2003/valid.txt --through page-text`; was 0.820)
    "delivered people and orgs F1": 0.834,
    # same row: "train.txt, never inspected: 0.806" (the same command on train.txt; was 0.769)
    "delivered people and orgs train F1": 0.796,
    # "plain wire text, Reuters-21578 files 012-017, as delivered": body token recall 0.9984 (`syndicate eval
    # extraction ../shared/corpora/reuters21578 --through wire-text --split held-out`); none rejected apart
    "held-out wire text recall": 0.9884,
    # "republished pages, Reuters-21578 files 012-017, as delivered": body F1 0.9931 (the same with
    # `--through page-text`); rejected at most 0.5 % is checked apart
    "held-out republished F1": 0.9831,
    # "places, Reuters-21578 files 012-017, as delivered": F1 0.939 (`syndicate eval tagging
    # ../shared/corpora/reuters21578 --through page-text --split held-out`; issue 10 asks >= 0.93)
    "held-out delivered places F1": 0.929,
    # "same story, pairwise": precision 0.9942 (`syndicate eval dedupe ../shared/corpora/reuters21578`; issue 9:
    # stream time, kill notices, the correction rules)
    "dedupe precision": 0.9842,
    # same row: recall 0.9928 (republished pages read better by the page-text reader since issue 10)
    "dedupe recall": 0.9828,
    # "same story, arrival order shuffled within a day": precision 0.9935 (same command, its second replay)
    "dedupe shuffled precision": 0.9835,
    # same row: recall 0.9887
    "dedupe shuffled recall": 0.9787,
    # "updates recognised as updates": 0.991 (same command)
    "dedupe updates recognised": 0.981,
}

# Where each figure is stated in docs/quality.md (the number is the group), to hold the doc and floor together.
DOC_FIGURES: dict[str, str] = {
    "extraction html F1": r"\| body extraction from HTML \|[^|]*\| F1 (0\.\d+)",
    "extraction page-text F1": r"\| body extraction from page text \|[^|]*\| F1 (0\.\d+)",
    "places F1": r"\| places on Reuters-21578 \|[^|]*\| F1 (0\.\d+)",
    "places held-out F1": r"files 012-017, never tuned on: (0\.\d+)",
    "CoNLL valid micro F1": r"\| people, orgs, places on CoNLL-2003 valid \|[^|]*\| micro F1 (0\.\d+)",
    "CoNLL train micro F1": r"on train\.txt, never inspected: (0\.\d+)",
    "plain wire text recall": r"\| plain wire text, as delivered \|[^|]*\| body token recall (0\.\d+)",
    "delivered people and orgs F1": r"\| people and organisations, as delivered \|[^|]*\| F1 (0\.\d+)",
    "delivered people and orgs train F1": (r"\| people and organisations, as delivered \|[^|]*\| F1 0\.\d+ "
                                           r"\(train\.txt, never inspected: (0\.\d+)"),
    "held-out wire text recall": r"\| plain wire text, Reuters-21578 files 012-017, as delivered \|[^|]*\| "
                                 r"body token recall (0\.\d+)",
    "held-out republished F1": r"\| republished pages, Reuters-21578 files 012-017, as delivered \|[^|]*\| "
                               r"body F1 (0\.\d+)",
    "held-out delivered places F1": r"\| places, Reuters-21578 files 012-017, as delivered \|[^|]*\| F1 (0\.\d+)",
    "dedupe precision": r"\| same story, pairwise \|[^|]*\| precision (0\.\d+)",
    "dedupe recall": r"\| same story, pairwise \|[^|]*\| precision 0\.\d+, recall (0\.\d+)",
    "dedupe shuffled precision": r"\| same story, arrival order shuffled within a day \|[^|]*\| precision (0\.\d+)",
    "dedupe shuffled recall":
        r"\| same story, arrival order shuffled within a day \|[^|]*\| precision 0\.\d+, recall (0\.\d+)",
    "dedupe updates recognised": r"\| updates recognised as updates \|[^|]*\| (0\.\d+)",
}
# Figures in docs/quality.md's table that are not ours to gate: a competitor's score on the same pages.
NOT_OURS = {"0.951"}  # trafilatura 2.3.1 on aeb-dev, for comparison

Report = dict[str, Any]
# figure -> (the session fixture holding the eval's report, how the figure is read from it)
READ: dict[str, tuple[str, Callable[[Report], float | None]]] = {
    "extraction html F1": ("extraction", lambda r: r["html"]["f1"]),
    "extraction page-text F1": ("extraction", lambda r: r["text"]["f1"]),
    "places F1": ("places", lambda r: r["scores"]["all"]["f1"]),
    "places held-out F1": ("places", lambda r: r["scores"]["held-out 012-017"]["f1"]),
    "CoNLL valid micro F1": ("conll_valid", lambda r: r["scores"]["micro"]["f1"]),
    "CoNLL train micro F1": ("conll_train", lambda r: r["scores"]["micro"]["f1"]),
    "plain wire text recall": ("plain_wire", lambda r: r["all"]["recall_mean"] if r["all"]["rejected"] == 0 else None),
    "delivered people and orgs F1": ("delivered_tags", lambda r: r["scores"]["PER+ORG"]["f1"]),
    "delivered people and orgs train F1": ("delivered_tags_train", lambda r: r["scores"]["PER+ORG"]["f1"]),
    "held-out wire text recall": ("held_out_wire", lambda r: r["all"]["recall_mean"] if r["all"]["rejected"] == 0
                                  else None),
    "held-out republished F1": ("held_out_pages", lambda r: r["all"]["f1"]
                                if r["all"]["rejected"] <= 0.005 * r["all"]["inputs"] else None),
    "held-out delivered places F1": ("held_out_places", lambda r: r["scores"]["held-out 012-017"]["f1"]
                                     if r["rejected"] <= 0.005 * r["inputs"] else None),
    "dedupe precision": ("dedupe", lambda r: r["precision"]),
    "dedupe recall": ("dedupe", lambda r: r["recall"]),
    "dedupe shuffled precision": ("dedupe", lambda r: r["shuffled"]["precision"]),
    "dedupe shuffled recall": ("dedupe", lambda r: r["shuffled"]["recall"]),
    "dedupe updates recognised": ("dedupe", lambda r: r["update_rate"]),
}


def syndicate_eval(*argv: str) -> Report:
    """`syndicate eval ARGV --json` in this process (monkeypatches apply); its JSON report, exit status in `status`."""
    return eval_json(argv)


def below_floor(report: Report, fixture: str) -> dict[str, float | None]:
    """The gate: every figure read from this eval's report that is under its floor (or missing: nothing to
    score, or the eval failed), with its value."""
    failed: dict[str, float | None] = {}
    for figure, (source, read) in READ.items():
        if source != fixture:
            continue
        try:
            value = read(report) if report["status"] == 0 else None
        except (KeyError, TypeError):
            value = None
        if value is None or value < FLOORS[figure]:
            failed[figure] = value
    return failed


@pytest.fixture(scope="session")
def corpora(shared_dir: Path) -> Path:
    return shared_dir / "corpora"


#: The evaluations the figures come from: name (READ's sources) -> `syndicate eval` arguments ({c}: the corpora),
#: the longest first (they run side by side, one per core).
EVALS: dict[str, tuple[str, ...]] = {
    "dedupe": ("dedupe", "{c}/reuters21578"),
    "held_out_wire": ("extraction", "{c}/reuters21578", "--through", "wire-text", "--split", "held-out"),
    "held_out_pages": ("extraction", "{c}/reuters21578", "--through", "page-text", "--split", "held-out"),
    "places": ("tagging", "{c}/reuters21578"),
    "held_out_places": ("tagging", "{c}/reuters21578", "--through", "page-text", "--split", "held-out"),
    "delivered_tags_train": ("tagging", "{c}/conll2003/train.txt", "--through", "page-text"),
    "delivered_tags": ("tagging", "{c}/conll2003/valid.txt", "--through", "page-text"),
    "plain_wire": ("extraction", "{c}/conll2003/valid.txt", "--through", "wire-text"),
    "conll_train": ("tagging", "{c}/conll2003/train.txt"),
    "extraction": ("extraction", "{c}/aeb-dev", "--mode", "both", "--credits", "any"),
    "conll_valid": ("tagging", "{c}/conll2003/valid.txt"),
}


@pytest.fixture(scope="session")
def reports(corpora: Path) -> dict[str, Report]:
    """Every evaluation of EVALS, once a session, as the command runs it (fresh processes, one per core)."""
    return eval_all({name: [a.format(c=corpora) for a in argv] for name, argv in EVALS.items()})


@pytest.mark.parametrize("name", sorted(EVALS))
def test_the_documented_figures_hold_on_the_shared_corpora(name: str, reports: dict[str, Report]) -> None:
    report = reports[name]
    assert below_floor(report, name) == {}, {k: v for k, v in report.items() if k != "worst"}


def test_every_quality_figure_in_the_docs_has_its_floor() -> None:
    doc = QUALITY_DOC.read_text(encoding="utf-8")
    for figure, pattern in DOC_FIGURES.items():
        found = re.search(pattern, doc)
        assert found, f"docs/quality.md no longer states {figure!r} where {pattern!r} looks for it"
        stated = float(found.group(1))
        assert FLOORS[figure] == pytest.approx(stated - 0.01), (
            f"{figure}: docs/quality.md says {stated}, floor {FLOORS[figure]}")
    assert set(DOC_FIGURES) == set(FLOORS) == set(READ)
    assert {source for source, _ in READ.values()} == set(EVALS)  # every evaluation feeds a figure, and back
    # no figure in the quality table without a floor: every 0.xxx in its result column is one of the above
    table = doc[doc.index("| what | command | result | target |") :]
    table = table.split("\n\n", 1)[0]
    stated_numbers = {n for row in table.splitlines() if row.startswith("| ") for n in
                      re.findall(r"\b0\.\d+\b", row.split("|")[3])}
    gated = {re.search(p, doc).group(1) for p in DOC_FIGURES.values()}  # type: ignore[union-attr]
    assert stated_numbers - NOT_OURS == gated, stated_numbers - NOT_OURS - gated


def test_nothing_to_score_fails_the_gate(tmp_path: Path) -> None:
    """An eval with nothing to score exits 1, and the gate reads that as a failure, not a perfect score."""
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth.json").write_text("{}", encoding="utf-8")
    empty = syndicate_eval("extraction", str(tmp_path), "--mode", "html")
    assert empty["status"] == 1
    assert below_floor(empty, "extraction") == {"extraction html F1": None, "extraction page-text F1": None}
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    nothing = syndicate_eval("tagging", str(tmp_path / "empty.txt"))
    assert nothing["status"] == 1 and nothing["scores"]["micro"]["tp"] == 0
    assert below_floor(nothing, "conll_valid") == {"CoNLL valid micro F1": None}


# The gate fails when the stage it measures is broken (each breakage patches the real code).


def test_gate_fails_with_html_boilerplate_removal_off(corpora: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import streams.normalize.formats.html as html

    monkeypatch.setattr(html, "remove_chrome", lambda body: None)
    broken = syndicate_eval("extraction", str(corpora / "aeb-dev"), "--mode", "html")
    assert "extraction html F1" in below_floor(broken, "extraction")  # measured 2026-11-30: F1 0.946


def test_gate_fails_with_the_page_text_story_region_off(corpora: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The story region finder off (every line below the header is the story). Switching the chrome line
    classifier off alone is not enough here: page text F1 only falls to 0.925 (measured 2026-11-30), the
    region finder catches most of what the classifier would; the page-text fixture gate
    (tests/normalize/test_normalize_gate.py) fails on that one."""
    import streams.normalize.formats.text_region as region

    monkeypatch.setattr(region, "story_region", lambda scores, start, end: (start, end, 0.0))
    broken = syndicate_eval("extraction", str(corpora / "aeb-dev"), "--mode", "text")
    assert "extraction page-text F1" in below_floor(broken, "extraction")  # measured 2026-11-30: F1 0.841


def test_gate_fails_with_the_taggers_dateline_rule_removed(
    corpora: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On two of the eighteen files, one of them held out (a tenth of the time), the same gate passes with the
    stage intact and fails with the dateline rule removed."""
    from streams.tag.places import Places

    for name in ("reut2-005.sgm", "reut2-012.sgm"):
        (tmp_path / name).symlink_to(corpora / "reuters21578" / name)
    assert below_floor(syndicate_eval("tagging", str(tmp_path)), "places") == {}  # measured 2026-11-30: 0.943, 0.946
    monkeypatch.setattr(Places, "in_dateline", lambda self, text: [])
    failed = below_floor(syndicate_eval("tagging", str(tmp_path)), "places")
    assert set(failed) == {"places F1", "places held-out F1"}, failed  # whole corpus, measured: 0.688, 0.710
    # as delivered through republished pages too (the first 300 held-out stories: intact 0.940, broken 0.653)
    first = ("tagging", str(corpora / "reuters21578"), "--through", "page-text", "--split", "held-out",
             "--limit", "300")
    monkeypatch.undo()
    assert below_floor(syndicate_eval(*first), "held_out_places") == {}
    monkeypatch.setattr(Places, "in_dateline", lambda self, text: [])
    assert set(below_floor(syndicate_eval(*first), "held_out_places")) == {"held-out delivered places F1"}


def test_gate_fails_with_the_first_name_list_empty(corpora: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import streams.tag.tagger as tagger

    monkeypatch.setattr(tagger, "load_first_names", frozenset)
    valid = str(corpora / "conll2003" / "valid.txt")
    failed = below_floor(syndicate_eval("tagging", valid), "conll_valid")
    assert set(failed) == {"CoNLL valid micro F1"}, failed  # measured 2026-11-30: 0.735
    # as delivered too (the whole file: its first 100 documents score 0.797 intact, under the floor already)
    failed = below_floor(syndicate_eval("tagging", valid, "--through", "page-text"), "delivered_tags")
    assert set(failed) == {"delivered people and orgs F1"}, failed


def _prose_only(real: Any) -> Any:
    """The page-text reader's story paragraphs, less every line that is not a sentence (table rows, results,
    short lines): what the reader did before wire items were kept whole."""

    def paragraphs(lines: list[str], bad: list[bool], used: list[bool], body: range, headline: str | None,
                   *, shape: str = "page") -> list[str]:
        return [p for p in real(lines, bad, used, body, headline, shape="page") if p.endswith(".")]

    return paragraphs


def test_gate_fails_when_wire_items_lose_their_tables(corpora: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Delivered wire text on the first 300 stories of each corpus (intact, measured 2026-11-30: Reuters
    held-out recall 0.9979, CoNLL valid 0.9994, none rejected), read as prose only: stories that are tables
    are rejected and others lose their rows."""
    import streams.normalize.formats.text as text

    monkeypatch.setattr(text, "story_paragraphs", _prose_only(text.story_paragraphs))
    held_out = syndicate_eval("extraction", str(corpora / "reuters21578"), "--through", "wire-text", "--split",
                              "held-out", "--limit", "300")
    assert below_floor(held_out, "held_out_wire") == {"held-out wire text recall": None}  # 38 of 400 rejected
    conll = syndicate_eval("extraction", str(corpora / "conll2003" / "valid.txt"), "--through", "wire-text",
                           "--limit", "300")
    assert below_floor(conll, "plain_wire") == {"plain wire text recall": None}  # measured: 32 of 216 rejected


def test_gate_fails_with_the_chrome_classifier_off_on_republished_pages(
    corpora: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Republished pages of the first 300 held-out stories (intact, measured 2026-11-30: F1 0.9923) with no
    line taken for chrome: the outlets' chrome inside the story is delivered with it."""
    import streams.normalize.formats.text as text

    monkeypatch.setattr(text, "classify_lines", lambda lines: [False] * len(lines))
    pages = syndicate_eval("extraction", str(corpora / "reuters21578"), "--through", "page-text", "--split",
                           "held-out", "--limit", "300")
    assert set(below_floor(pages, "held_out_pages")) == {"held-out republished F1"}  # measured: F1 0.911


def test_gate_fails_with_the_dedupe_threshold_at_one(corpora: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jaccard and containment thresholds at 1.0: only exact copies are the same story. On the first 1,500
    stories (the whole corpus takes 15 s) with the stage intact, then broken: the same gate passes, then fails
    on recall (in time order and shuffled within a day) and on updates recognised."""
    import streams.dedupe.compare as compare

    first = ("dedupe", str(corpora / "reuters21578"), "--limit", "1500")
    # measured 2026-11-30 (issue 9, stream time): P 0.9975 R 0.9914 U 0.996; shuffled within a day P 0.9975 R 0.9882
    assert below_floor(syndicate_eval(*first), "dedupe") == {}
    monkeypatch.setattr(compare, "RELATED_JACCARD", 1.0)
    monkeypatch.setattr(compare, "RELATED_CONTAINMENT", 1.0)
    failed = below_floor(syndicate_eval(*first), "dedupe")
    # measured: R 0.8076, U 0.7385, shuffled R 0.7912
    assert set(failed) == {"dedupe recall", "dedupe updates recognised", "dedupe shuffled recall"}, failed
