"""Dedupe never raises on odd input; its records stay bytes and its meta JSON (hypothesis)."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.dedupe import DECISIONS, Deduper
from streams.model import Rejection

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=30))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
words = st.lists(st.sampled_from(["fed", "adds", "reserves", "1.5", "billion", "said", "the", "kelsby",
                                  "five", "pct", "update", "reuter", "é", "-", "\n\n", "(", "Qtly"]),
                 min_size=0, max_size=40).map(" ".join)

article = st.fixed_dictionaries(
    {},
    optional={
        "uri": st.one_of(st.text(max_size=20), json_values),
        "headlines": st.one_of(json_values, st.lists(st.fixed_dictionaries(
            {"value": st.one_of(words, json_values)}, optional={"role": st.sampled_from(["main", "sub"])}),
            max_size=2)),
        "bodies": st.one_of(json_values, st.lists(st.fixed_dictionaries(
            {"value": st.one_of(words, json_values)},
            optional={"contenttype": st.sampled_from(["text/plain", "text/html", "x"])}), max_size=2)),
        "versioncreated": st.one_of(st.sampled_from(["2026-03-02T08:00:00Z", "2026-03-09T08:00:00Z",
                                                     "1987-02-26T15:01:00Z", "garbage", ""]), json_values),
        "pubstatus": st.sampled_from(["usable", "canceled", "withheld", 5]),
        "genres": st.one_of(json_values, st.lists(st.fixed_dictionaries(
            {"literal": st.sampled_from(["sig:update", "sig:correction", "x"])}), max_size=2)),
        "altids": st.one_of(json_values, st.lists(st.fixed_dictionaries(
            {"role": st.sampled_from(["item-id", "source-id", "signal"]),
             "value": st.one_of(st.sampled_from(["a", "b", "update", "kill"]), json_values)}), max_size=3)),
        "infosources": st.one_of(json_values, st.lists(st.fixed_dictionaries(
            {"name": st.sampled_from(["Reuters", "Metro"]), "role": st.sampled_from(["source", "publisher"])}),
            max_size=2)),
        "version": st.one_of(st.sampled_from(["1", "2", "x"]), json_values),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article, min_size=1, max_size=8))
def test_process_never_raises_and_state_stays_json(articles: list[dict[str, Any]]) -> None:
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    dd = Deduper(stories, meta)
    for i, art in enumerate(articles):
        out = dd.process(f"in-{i}", art)
        if isinstance(out, Rejection):
            assert out.reason in ("empty-body", "invalid-article")  # never an internal error
            continue
        decision, published = out
        assert decision.decision in DECISIONS
        orjson.dumps(decision.to_record())
        assert (published is None) == (decision.decision == "duplicate")
        if published is not None:
            assert published["uri"] == decision.uri and published["version"] == str(decision.version)
    assert all(isinstance(v, bytes) for v in stories.values())
    assert orjson.loads(orjson.dumps(meta)) == meta
