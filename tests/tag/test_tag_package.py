"""Tag package: its public API, no Kafka in it, and the subject rules table."""

from __future__ import annotations

import subprocess
import sys

import streams.tag
from streams.tag.gazetteer import DATA, read_table
from streams.tag.subjects import load_subject_rules, load_topics


def test_public_api() -> None:
    assert {"Tagger", "story_parts", "evidence_summary"} <= set(streams.tag.__all__)
    for name in streams.tag.__all__:
        assert getattr(streams.tag, name) is not None


def test_tagging_needs_no_kafka() -> None:
    code = ("import sys, streams.tag; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('faust', 'aiokafka', 'mode') "
            "or m.startswith('streams.kafka')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_subject_rules_name_known_topics() -> None:
    topics = load_topics(DATA / "mediatopics.tsv")
    rules = load_subject_rules()
    assert rules and len({r.code for r in rules}) == len(rules)
    for rule in rules:
        assert rule.code in topics, rule.code
        assert rule.keywords and all(k == k.lower().strip() for k in rule.keywords), rule.code
    # the label column is for the reader: it must say what mediatopics.tsv says
    for code, label, _weak, _keywords in read_table("subject_rules", ("code", "label", "weak", "keywords")):
        assert label == topics[code][0], code
