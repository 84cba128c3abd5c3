"""`streams.quality.evaluate.batch`: several evaluations side by side give what each gives alone."""

from __future__ import annotations

from pathlib import Path

from streams.quality.evaluate.batch import eval_all, eval_json

FIX = Path(__file__).parents[1] / "fixtures" / "tagging"


def test_side_by_side_reports_equal_one_at_a_time(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    commands = {"places": ["tagging", str(FIX / "corpus")], "entities": ["tagging", str(FIX / "conll_sample.txt")],
                "nothing": ["tagging", str(tmp_path / "empty.txt")]}  # no document: nothing to score
    alone = {name: eval_json(argv) for name, argv in commands.items()}
    assert alone["places"]["status"] == 0 and alone["places"]["scores"]["all"]["tp"] == 3
    assert alone["entities"]["status"] == 0 and alone["entities"]["scores"]["micro"]["tp"] > 0
    assert alone["nothing"]["status"] == 1
    assert eval_all(commands, workers=2) == alone
