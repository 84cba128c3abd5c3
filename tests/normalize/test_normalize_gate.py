"""Quality gate for page-text extraction: invented pages from unseen sites, floors pinned in a baseline file.

Like trafilatura's ``tests/eval_gate.py``: the scores are computed on the pages in
``tests/fixtures/normalize/gate`` (each ``X.txt`` has its expected fields in ``X.gold.json``) and
compared with the floors in ``baseline.json``. Body text is scored as the article-extraction
benchmark does (4-gram word shingles, F1 per page).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from streams.model import Envelope
from streams.normalize.normalizer import Normalizer, split_photo_credit

GATE = Path(__file__).parents[1] / "fixtures" / "normalize" / "gate"
BASELINE = json.loads((GATE / "baseline.json").read_text(encoding="utf-8"))
FIELDS = ("headline", "standfirst", "by", "firstcreated", "publisher", "captions")


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def f1(got: str, gold: str) -> float:
    a, b = shingles(got), shingles(gold)
    if not a or not b:
        return float(a == b)
    hit = len(a & b)
    if not hit:
        return 0.0
    p, r = hit / len(a), hit / len(b)
    return 2 * p * r / (p + r)


def fields_of(article: dict[str, Any]) -> dict[str, Any]:
    return {
        "headline": article["headlines"][0]["value"],
        "standfirst": (article.get("descriptions") or [{}])[0].get("value"),
        "by": article.get("by"),
        "firstcreated": article.get("firstcreated"),
        "publisher": next((i["name"] for i in article.get("infosources", []) if i["role"] == "publisher"), None),
        "captions": [
            [a["descriptions"][0]["value"], a.get("by"), a.get("copyrightholder")]
            for a in article.get("associations", [])
        ],
        "body": article["bodies"][0]["value"],
    }


def score() -> tuple[dict[str, float], dict[str, float]]:
    pages = sorted(GATE.glob("*.txt"))
    assert len(pages) >= BASELINE.get("pages_min", 6)
    normalizer = Normalizer()
    body: dict[str, float] = {}
    right = dict.fromkeys(FIELDS, 0)
    for page in pages:
        gold = json.loads(page.with_suffix(".gold.json").read_text(encoding="utf-8"))
        gold["captions"] = [[text, *split_photo_credit(credit)] for text, credit in gold["captions"]]
        article = normalizer.normalize(Envelope(id=page.name, content=page.read_text(encoding="utf-8")))
        assert isinstance(article, dict), (page.name, article)
        got = fields_of(article)
        body[page.name] = f1(got["body"], "\n\n".join(gold["body"]))
        for field in FIELDS:
            right[field] += got[field] == gold[field]
    return body, {field: right[field] / len(pages) for field in FIELDS}


@pytest.fixture(scope="module")
def scores() -> tuple[dict[str, float], dict[str, float]]:
    return score()


def test_body_f1_floors(scores: tuple[dict[str, float], dict[str, float]]) -> None:
    body, _ = scores
    mean = sum(body.values()) / len(body)
    print(f"body F1 per page: {body}; mean {mean:.3f}")
    assert mean >= BASELINE["body_f1_mean"]
    assert min(body.values()) >= BASELINE["body_f1_min"], body


@pytest.mark.parametrize("field", FIELDS)
def test_field_accuracy_floors(scores: tuple[dict[str, float], dict[str, float]], field: str) -> None:
    _, accuracy = scores
    assert accuracy[field] >= BASELINE["field_accuracy"][field], accuracy


def test_f1_is_a_real_measure() -> None:
    assert f1("a b c d e", "a b c d e") == 1.0
    assert f1("a b c d e", "v w x y z") == 0.0
    assert 0 < f1("a b c d e f", "a b c d e g") < 1
