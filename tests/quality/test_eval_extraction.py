"""Quality gate for HTML body extraction: the benchmark's shingle F1 on our own pages stays above pinned floors."""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import pytest

from streams.normalize.formats.html import parse_html
from streams.quality.bench import html as bench
from streams.quality.evaluate.extraction import add_arguments, run
from streams.quality.scoring import aggregate, page_f1, shingle_match, shingles, tokenize

FIXTURES = Path(__file__).parents[1] / "fixtures" / "html"
BASELINE = json.loads((FIXTURES / "baseline.json").read_text(encoding="utf-8"))
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def _extract(name: str) -> str:
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    return "\n\n".join(parse_html(html).paragraphs)


def test_every_fixture_has_a_floor_and_a_page() -> None:
    assert set(BASELINE["pages"]) == set(EXPECTED)
    for name in EXPECTED:
        assert (FIXTURES / f"{name}.html").is_file()


def below_floor() -> list[str]:
    """The gate: each page's F1 and the corpus figures against the floors in baseline.json (written by hand)."""
    rows = {name: shingle_match(EXPECTED[name]["articleBody"], _extract(name)) for name in sorted(EXPECTED)}
    failed = [f"{name} F1 {page_f1(*row):.3f}" for name, row in rows.items()
              if page_f1(*row) < BASELINE["pages"][name]]
    figures = aggregate(rows.values())
    return failed + [f"corpus {key} {figures[key]:.3f}" for key in ("precision", "recall", "f1")
                     if figures[key] < BASELINE["corpus"][key]]


def test_html_extraction_holds_its_floors() -> None:
    assert below_floor() == []


def test_gate_fails_with_boilerplate_removal_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """No container is dropped for its tag or class name (navigation, share bars, related lists stay)."""
    import streams.normalize.formats.html as html

    monkeypatch.setattr(html, "remove_chrome", lambda body: None)
    failed = below_floor()
    assert failed, "the gate did not notice"  # measured 2026-11-30: wire_wordpress F1 0.842 (corpus F1 0.986)


# The metric itself, as the article-extraction benchmark defines it.


def test_tokens_keep_case_and_drop_punctuation() -> None:
    assert tokenize("Hello, World! it's") == ["Hello", "World", "it", "s"]


def test_short_text_gives_one_short_shingle() -> None:
    assert shingles("two words") == {("two", "words"): 1}
    assert shingles("") == {}


def test_shingles_are_a_multiset() -> None:
    text = "a b c d a b c d"
    assert shingles(text)[("a", "b", "c", "d")] == 2


def test_identical_texts_score_one_and_disjoint_zero() -> None:
    text = "the quick brown fox jumps over the lazy dog"
    assert page_f1(*shingle_match(text, text)) == 1.0
    assert page_f1(*shingle_match(text, "completely different words appear in this other text")) == 0.0


def test_partial_overlap_is_normalised_per_page() -> None:
    tp, fp, fn = shingle_match("a b c d e f", "a b c d e f g h")
    assert abs(tp + fp + fn - 1.0) < 1e-9
    assert tp == pytest.approx(3 / 5) and fp == pytest.approx(2 / 5) and fn == 0.0


def test_aggregate_skips_pages_the_benchmark_skips() -> None:
    # An empty prediction has no precision to average; its recall is 0.
    figures = aggregate([shingle_match("a b c d e", ""), shingle_match("a b c d e", "a b c d e")])
    assert figures["precision"] == 1.0
    assert figures["recall"] == 0.5
    assert figures["f1"] == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def _tiny_corpus(tmp_path: Path) -> Path:
    """The fixture pages laid out as the benchmark's corpus: html/<key>.html.gz + ground-truth.json."""
    (tmp_path / "html").mkdir()
    for name in EXPECTED:
        raw = (FIXTURES / f"{name}.html").read_bytes()
        (tmp_path / "html" / f"{name}.html.gz").write_bytes(gzip.compress(raw))
    (tmp_path / "ground-truth.json").write_text(json.dumps(EXPECTED), encoding="utf-8")
    return tmp_path


def test_eval_plugin_runs_on_a_corpus_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    add_arguments(parser)
    args = parser.parse_args([str(_tiny_corpus(tmp_path)), "--mode", "html", "--json"])
    assert run(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pages"] == len(EXPECTED)
    assert report["html"]["f1"] >= BASELINE["corpus"]["f1"]


def test_eval_plugin_refuses_a_dir_without_ground_truth(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    add_arguments(parser)
    assert run(parser.parse_args([str(tmp_path), "--mode", "html"])) == 2


def test_bench_plugin_times_parse_html_on_every_page(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bench runs the real reader on each page `--repeat` times (after a warm-up of three) and reports
    figures that fit together. How fast is the bench's business, never a test's: no time is asserted."""
    seen: list[str] = []

    def counted(html: str):  # type: ignore[no-untyped-def]
        seen.append(html)
        return parse_html(html)

    monkeypatch.setattr(bench, "parse_html", counted)
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?")
    bench.add_arguments(parser)
    assert bench.run(parser.parse_args([str(FIXTURES), "--no-compare", "--json", "--repeat", "2"])) == 0
    report = json.loads(capsys.readouterr().out)
    pages = sorted(EXPECTED)
    assert report["pages"] == len(pages)
    assert len(seen) == 3 + 2 * len(pages)
    assert sorted(set(seen[3:])) == sorted((FIXTURES / f"{name}.html").read_text(encoding="utf-8") for name in pages)
    assert 0 < report["parse_html"]["median_ms"] <= report["parse_html"]["p90_ms"]
    assert "trafilatura" not in report  # --no-compare
