"""Decide state on the real broker: recovery from the changelog after a restart, two workers, updates and kills
(SIGKILLs mid-stream: tests/kafka/test_crash.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from streams.kafka import topics
from streams.testing.harness import Stack, produce, read_topic

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[2]
STORY = (ROOT / "samples" / "backlog" / "01-northgate-kremlin-baltic.txt").read_text()
# The same Reuters story republished by another outlet, inside its own chrome.
REPUBLISHED = """Get the Daily Brief from The Harbour Post in your inbox

Kremlin says Putin ready to discuss Baltic troop build-up with NATO

By Anna Volkova
14/03/2017

Advertisement

MOSCOW (Reuters) - The Kremlin said on Tuesday that President Vladimir Putin was ready to discuss NATO's troop
build-up in the Baltic states and Poland, but warned that Moscow would respond to any new deployment near its borders.

Kremlin spokesman Dmitry Peskov told reporters that Russia considered the presence of NATO battalions in Estonia,
Latvia and Lithuania a threat to its security.

Foreign Minister Sergei Lavrov is due to meet his Polish counterpart in Warsaw next week, the ministry said.

Reuters

Share this article

Read more from The Harbour Post
"""


@pytest.fixture()
def stack(bootstrap: str, tmp_path: Path) -> Iterator[Stack]:
    """An isolated pipeline (own topic prefix and app id) on the broker; its workers are stopped afterwards."""
    s = Stack(bootstrap, tmp_path)
    s.create_topics()
    yield s
    s.stop_all()


def envelope(input_id: str, content: str) -> tuple[bytes, bytes]:
    return input_id.encode(), orjson.dumps({"id": input_id, "content": content, "format": "text"})


def wait_decisions(stack: Stack, n: int, timeout: float = 90) -> list[dict]:
    got = [r["value"] for r in read_topic(stack.bootstrap, stack.topic(topics.DECISIONS), until=n, timeout=timeout)]
    assert len(got) >= n, stack.logs()
    return got


def wait_inputs(stack: Stack, ids: set[str], timeout: float = 90) -> list[dict]:
    """Decisions until every input in `ids` has one. Counting is not enough once inputs can be replayed."""
    got = stack.decisions_for(ids, timeout=timeout)
    missing = ids - {d.get("input_id") for d in got}
    assert not missing, (sorted(missing), stack.logs())
    return got


def deliveries(stack: Stack, partner: str = "kremlin-watch") -> list[tuple[str, str]]:
    records = read_topic(stack.bootstrap, stack.topic(topics.partner_topic(partner)))
    return [(r["value"]["uri"], r["value"]["version"]) for r in records]


def test_a_duplicate_after_restart_is_caught_from_the_changelog(bootstrap: str, stack: Stack) -> None:
    w1 = stack.start_worker("w1")
    key, value = envelope("first", STORY)
    produce(bootstrap, stack.topic(topics.RAW), [(key, value, 0)])
    assert [d["decision"] for d in wait_decisions(stack, 1)] == ["new"]
    stack.stop_worker(w1)
    # a fresh data dir: nothing on disk, so the decide state can only come back from its changelog topic
    stack.start_worker("w2-fresh-disk")
    key, value = envelope("again-after-restart", STORY)
    produce(bootstrap, stack.topic(topics.RAW), [(key, value, 1)])
    got = wait_decisions(stack, 2)
    assert [d["decision"] for d in got] == ["new", "duplicate"], stack.logs()
    assert len(deliveries(stack)) == 1


def test_copies_on_different_partitions_meet_with_two_workers(bootstrap: str, stack: Stack) -> None:
    stack.start_worker("w1")
    stack.start_worker("w2")  # joins: a rebalance splits wire.raw's four partitions between the two
    time.sleep(3)
    records = [(*envelope("copy-p0", STORY), 0), (*envelope("copy-p3", REPUBLISHED), 3)]
    produce(bootstrap, stack.topic(topics.RAW), records)
    got = wait_decisions(stack, 2)
    assert sorted(d["decision"] for d in got) == ["duplicate", "new"], got
    assert len({d["uri"] for d in got}) == 1
    assert len(deliveries(stack)) == 1


def ninjs_item(version: str, headline: str, paragraphs: list[str], pubstatus: str = "usable") -> str:
    return orjson.dumps({
        "uri": "urn:newsml:reuters.com:20170314:nKREMLIN1", "type": "text", "version": version,
        "firstcreated": "2017-03-14T09:30:00Z", "versioncreated": f"2017-03-14T{9 + int(version)}:00:00Z",
        "pubstatus": pubstatus, "language": "en", "by": "Anna Volkova, Reuters", "located": "MOSCOW",
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}],
    }).decode()


def test_update_and_kill_reach_every_partner_that_had_the_story(bootstrap: str, stack: Stack) -> None:
    v1 = ["MOSCOW (Reuters) - The Kremlin said on Tuesday that President Vladimir Putin was ready to discuss "
          "NATO's troop build-up in the Baltic states and Poland.",
          "Kremlin spokesman Dmitry Peskov told reporters that Russia saw the deployment as a threat."]
    v2 = [*v1, "Estonia's prime minister said on Tuesday evening that the battalions would stay in place."]
    records = [
        (b"v1", orjson.dumps({"id": "v1", "content": ninjs_item("1", "Kremlin says Putin ready to talk", v1)}), 0),
        (b"v2", orjson.dumps({"id": "v2", "content": ninjs_item(
            "2", "UPDATE 1-Kremlin says Putin ready to talk, Estonia says troops stay", v2)}), 0),
        (b"k", orjson.dumps({"id": "k", "content": ninjs_item("3", "Kremlin says Putin ready to talk", v2,
                                                               pubstatus="canceled")}), 0),
    ]
    stack.start_worker()
    produce(bootstrap, stack.topic(topics.RAW), records)
    got = wait_decisions(stack, 3)
    assert [(d["decision"], d["version"]) for d in got] == [("new", 1), ("update", 2), ("kill", 3)], got
    assert len({d["uri"] for d in got}) == 1
    first_recipients = set(got[0]["deliveries"])
    assert first_recipients  # the Kremlin story matched at least one partner
    assert first_recipients <= set(got[1]["deliveries"])  # the update reached all who had v1
    assert set(got[2]["deliveries"]) == set(got[0]["deliveries"]) | set(got[1]["deliveries"])
    for partner in first_recipients:
        versions = read_topic(bootstrap, stack.topic(topics.partner_topic(partner)))
        assert [(r["value"]["version"], r["value"].get("pubstatus")) for r in versions] == [
            ("1", "usable"), ("2", "usable"), ("3", "canceled")]
