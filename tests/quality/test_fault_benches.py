"""The flood, chaos and soak benches' own logic without a broker: what they send, and how they summarise."""

from __future__ import annotations

from collections import Counter

import orjson

from streams.quality.bench.chaos import Fault, Scenario, chaos_inputs, fault_table
from streams.quality.bench.flood import Mix
from streams.quality.bench.monitor import Sample
from streams.quality.bench.soak import per_minute, stories
from streams.quality.hostile import HEAVY


def test_the_flood_mixes_every_story_in_order_on_one_partition_among_the_hostile_inputs() -> None:
    real = [(f"story-{i}".encode(), orjson.dumps({"id": f"story-{i}", "content": "x"})) for i in range(7)]
    mix = Mix(hostile=700, stories=real, seed=3, heavy=2, partitions=4)
    records = list(mix.records())
    assert len(records) == 707
    on_zero = [key for key, _, partition in records if key.startswith(b"story-")]
    assert on_zero == [key for key, _ in real]  # backlog order, as `syndicate process` reads it
    assert all(p == 0 for key, _, p in records if key.startswith(b"story-"))
    assert {p for key, _, p in records if key.startswith(b"hostile-")} == {0, 1, 2, 3}
    assert len(mix.digests) == 700 and Counter(mix.kinds.values())["huge"] == 2
    assert all(Counter(mix.kinds.values())[kind] == 2 for kind in HEAVY)


def test_soak_stories_are_distinct_with_a_resend_of_one_in_five_on_its_story_partition() -> None:
    sent = list(stories(500))
    keys = [key for key, _, _ in sent]
    assert len(sent) == 500 and len(set(keys)) == 500
    resends = [key for key in keys if key.endswith(b"-again")]
    assert 80 <= len(resends) <= 100
    by_key = {key: (value, partition) for key, value, partition in sent}
    for key in resends:
        original = key.removesuffix(b"-again")
        assert by_key[key][1] == by_key[original][1]
        assert orjson.loads(by_key[key][0])["content"] == orjson.loads(by_key[original][0])["content"]
        assert keys.index(key) > keys.index(original)


def test_soak_rows_are_per_minute() -> None:
    samples = [Sample(t=t, sent=int(t * 10), lag_prepare=1, lag_decide=int(t) % 7, decided=int(t * 10),
                      rss_mb=100 + t / 60, latency_p50_ms=10, latency_p99_ms=50) for t in range(0, 150, 5)]
    rows = per_minute(samples, [(t, float(t)) for t in range(150)])
    assert [r["minute"] for r in rows] == [1, 2, 3]
    assert rows[0]["lag"] == 1 + 6 and rows[2]["sent"] == 1450


def test_chaos_inputs_and_its_fault_table() -> None:
    records = chaos_inputs(600)
    assert len(records) == 600 and len({key for key, _, _ in records}) == 600
    assert [round(s, 2) for s in Scenario.with_kills(5).worker_kills] == [0.25, 0.33, 0.41, 0.49, 0.57]
    lines = fault_table([Fault("worker SIGKILL 1", 100.0, 42, 3.25, None)])
    assert "worker SIGKILL 1" in lines[1] and "3.2 s" in lines[1] and lines[1].rstrip().endswith("-")
