"""The tagging evaluator on tiny invented corpora: SGML and CoNLL parsing, code mapping, scoring."""

from __future__ import annotations

import argparse
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


def test_plugin_run(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    ev.add_arguments(parser)
    assert ev.run(parser.parse_args([str(FIX / "corpus")])) == 0
    out = capsys.readouterr().out
    assert "held-out 012-017" in out and "F1=" in out
    assert ev.run(parser.parse_args([str(FIX / "corpus"), "--task", "subjects"])) == 0
