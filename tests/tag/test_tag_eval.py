"""The tagging evaluator on tiny invented corpora: SGML and CoNLL parsing, code mapping, scoring."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from streams.quality.evaluate import tagging as ev
from streams.tag.tagger import Tagger

FIX = Path(__file__).parents[1] / "fixtures" / "tagging"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.build()


def test_reuters_codes_map_to_iso() -> None:
    assert ev.reuters_code("west-germany") == "DE"
    assert ev.reuters_code("ussr") == "RU"
    assert ev.reuters_code("uk") == "GB"
    assert ev.reuters_code("el-salvador") == "SV"
    assert ev.reuters_code("new-zealand") == "NZ"
    assert ev.reuters_code("no-such-place") is None


def test_reuters_items_never_carry_gold(tagger: Tagger) -> None:
    items = list(ev.reuters_items(FIX / "corpus"))
    assert [(sid, gold) for _n, sid, _a, gold in items] == [("1", {"DE"}), ("2", {"US", "JP"})]
    art = items[0][2]
    assert art["located"] == "FRANKFURT"
    assert art["headlines"][0]["value"] == "BUNDESBANK LEAVES RATES UNCHANGED"
    assert "west-germany" not in repr(art) and "Reuter" not in art["bodies"][0]["value"]
    res = ev.eval_places(tagger, FIX / "corpus")
    assert res["all"].scores() == (1.0, 1.0, 1.0)


def test_conll_parsing_and_scoring(tagger: Tagger) -> None:
    docs = list(ev.conll_docs(FIX / "conll_sample.txt"))
    assert len(docs) == 2
    gold = ev.conll_gold(docs[0])
    assert gold == {"PER": {"Jean Dupontel", "Dupontel"}, "ORG": {"Roverston Rovers", "Lyon"},
                    "LOC": {"PARIS", "France"}}
    art = ev.conll_article(docs[0])
    assert art["located"] == "PARIS"
    assert ev.fold_surnames({"jean dupontel", "dupontel"}) == {"jean dupontel"}
    res = ev.eval_conll(tagger, FIX / "conll_sample.txt")
    f = res["micro"].scores()[2]
    assert f >= 0.8, res["micro"].line("micro")


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    ev.add_arguments(parser)
    return ev.run(parser.parse_args(list(argv)))


def test_plugin_run_prints_the_scores_it_computed(tagger: Tagger, capsys: pytest.CaptureFixture[str]) -> None:
    """The command prints (and with --json reports) exactly what the scorer counted, split by split."""
    expected = ev.eval_places(tagger, FIX / "corpus")
    assert _run(str(FIX / "corpus")) == 0
    out = capsys.readouterr().out
    for name, prf in expected.items():
        if prf.tp + prf.fp + prf.fn:
            assert "  " + prf.line(name) in out.splitlines(), (name, out)
    assert (expected["all"].tp, expected["all"].fp, expected["all"].fn) == (3, 0, 0)
    assert _run(str(FIX / "corpus"), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["task"] == "places"
    assert report["scores"]["all"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 3, "fp": 0, "fn": 0}
    assert report["scores"]["held-out 012-017"]["tp"] == 0  # the fixture is file 000: nothing held out

    subjects = ev.eval_subjects(tagger, FIX / "corpus")["all"]
    assert _run(str(FIX / "corpus"), "--task", "subjects", "--json") == 0
    got = json.loads(capsys.readouterr().out)["scores"]["all"]
    assert (got["tp"], got["fp"], got["fn"]) == (subjects.tp, subjects.fp, subjects.fn)
    assert subjects.tp + subjects.fn > 0  # the fixture's TOPICS map to Media Topics: there is something to score


def test_nothing_to_score_is_a_failure_not_a_perfect_score(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert _run(str(empty)) == 1
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "reut2-000.sgm").write_text('<REUTERS NEWID="1"><TEXT>no places</TEXT></REUTERS>')
    assert _run(str(tmp_path / "corpus")) == 1
    assert _run(str(tmp_path)) == 2  # no reut2-*.sgm at all: a usage error
