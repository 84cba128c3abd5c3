"""The worker's web server on the real broker: /metrics counters move when stories flow, and the live
dashboard, in a real browser (Debian's chromium driven by Playwright), shows a story sent to wire.raw
without a reload, then its path. The screenshot is kept as a test artefact."""

from __future__ import annotations

import asyncio
import os
import socket
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from prometheus_client.parser import text_string_to_metric_families

from streams.contracts import Contracts
from streams.kafka import topics
from streams.normalize.backlog import RawRecord, load_backlog
from streams.normalize.envelope import EnvelopeReader
from streams.testing.harness import ROOT, Stack, produce, read_topic

pytestmark = pytest.mark.broker
CHROMIUM = "/usr/bin/chromium"  # Debian's package (.ci/run installs it); Playwright downloads no browser
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(os.environ.get("SYNDICATE_TEST_ARTEFACTS", ROOT / ".cache" / "test-artefacts"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def web(bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A production worker of a fresh stack with its web server on; yields (stack, base url)."""
    stack = Stack(bootstrap, tmp_path_factory.mktemp("web"))
    port = free_port()
    stack.start_worker(extra_env={"SYNDICATE_WEB_ENABLED": "1", "SYNDICATE_WEB_PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # the web server starts with the worker; wait until it answers
        try:
            urllib.request.urlopen(f"{base}/metrics", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    yield stack, base
    stack.stop_all()


def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    page = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(page) for s in family.samples}


def total(metrics: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str) -> float:
    return sum(v for (n, _), v in metrics.items() if n == name)


def test_metrics_counters_move_when_stories_flow(web: Any) -> None:
    stack, base = web
    before = scrape(base)
    assert total(before, "syndicate_decisions_total") == 0
    assert before[("syndicate_healthy", ())] == 1
    items = [i for i in load_backlog([ROOT / "samples" / "backlog"], EnvelopeReader(Contracts()))
             if isinstance(i, RawRecord)]
    produce(stack.bootstrap, stack.topic(topics.RAW), [(i.key.encode(), i.value, None) for i in items])
    deadline = time.monotonic() + 90
    after = scrape(base)
    while total(after, "syndicate_decisions_total") < 7 or total(after, "syndicate_consumer_lag") != 0 \
            or not any(n == "syndicate_consumer_lag" for n, _ in after):
        assert time.monotonic() < deadline, (after, stack.logs())
        time.sleep(0.5)
        after = scrape(base)
    assert after[("syndicate_inputs_total", (("topic", "wire.raw"),))] == 7
    assert after[("syndicate_inputs_total", (("topic", "wire.normalized"),))] == 6
    assert after[("syndicate_decisions_total", (("decision", "new"),))] == 5
    assert after[("syndicate_decisions_total", (("decision", "duplicate"),))] == 1
    assert after[("syndicate_dead_letters_total", (("reason", "no-reuters-credit"),))] == 1
    assert total(after, "syndicate_deliveries_total") == 8
    for stage in ("normalize", "tag", "dedupe", "route"):
        assert after[("syndicate_stage_seconds_count", (("stage", stage),))] >= 6, stage
    # stories outside the dedupe horizon are not remembered, and which those are depends on the order the four
    # wire.raw partitions were read in (the .sgm stories are from 1987): at least the 2017 ones are
    assert 3 <= after[("syndicate_remembered_stories", ())] <= 5
    lag_topics = {dict(labels)["topic"] for n, labels in after if n == "syndicate_consumer_lag"}
    assert lag_topics == {stack.topic(topics.RAW), stack.topic(topics.NORMALIZED)}


async def _commit(bootstrap: str, group: str, topic: str, offset: int) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, 0)])
        await consumer.commit({TopicPartition(topic, 0): OffsetAndMetadata(offset, "")})
    finally:
        await consumer.stop()


async def _end_offset(bootstrap: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                isolation_level="read_committed")
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        return int((await consumer.end_offsets([tp]))[tp])
    finally:
        await consumer.stop()


def test_a_partner_consumer_groups_lag_is_measured(web: Any) -> None:
    """A partner reading its topic as consumer group `<prefix>kw-reader` has committed offset 0: its lag is the
    topic's end (the last stable offset, as a read_committed partner sees it: deliveries plus the transaction
    markers between them, the way `kafka-consumer-groups --describe` counts lag), in /metrics and the dashboard."""
    stack, base = web
    topic = stack.topic(topics.partner_topic("kremlin-watch"))
    read_topic(stack.bootstrap, topic, until=1, timeout=60)
    group = f"{stack.prefix}kw-reader"
    asyncio.run(_commit(stack.bootstrap, group, topic, 0))
    key = ("syndicate_partner_lag", (("group", group), ("partner", "kremlin-watch")))
    deadline = time.monotonic() + 30
    while True:  # deliveries may still be arriving: the lag must match the topic's end once both settle
        end = asyncio.run(_end_offset(stack.bootstrap, topic))
        lag = scrape(base).get(key)
        if end and lag == end:
            break
        assert time.monotonic() < deadline, (lag, end)
        time.sleep(0.5)
    view = orjson.loads(urllib.request.urlopen(f"{base}/dashboard/api/view", timeout=5).read())
    (kremlin,) = [p for p in view["partners"] if p["id"] == "kremlin-watch"]
    assert {"group": group, "lag": end} in kremlin["lag"]


def a_new_story(token: str) -> bytes:
    headline = f"Putin names envoy {token} for Baltic grain corridor talks"
    content = (
        f"{headline}\n\nBy Dana Orlova\n\n"
        f"MOSCOW (Reuters) - Russian President Vladimir Putin on Friday named diplomat {token} as his special "
        "envoy for talks on a grain shipping corridor through the Baltic Sea, the Kremlin said.\n\n"
        "Lithuania and Latvia have said any corridor must respect their ports' rules, and Poland asked for "
        "guarantees on inspections of vessels bound for Kaliningrad.\n\n"
        "The envoy will travel to Vilnius next week, Kremlin spokesman Dmitry Peskov told reporters.\n"
    )
    return orjson.dumps({"id": f"browser-{token}", "content": content, "format": "text"}), headline


@pytest.mark.tools("chromium")
def test_the_dashboard_shows_a_story_live_then_its_path(web: Any) -> None:
    from playwright.sync_api import expect, sync_playwright

    stack, base = web
    token = f"Ivanov{uuid.uuid4().hex[:6]}"
    envelope, headline = a_new_story(token)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{base}/dashboard/")
            expect(page.get_by_test_id("live")).to_have_text("live", timeout=30_000)
            page.evaluate("window.__not_reloaded = true")
            with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
                pool.submit(produce, stack.bootstrap, stack.topic(topics.RAW),
                            [(f"browser-{token}".encode(), envelope, None)]).result()
            row = page.locator(f"tr[data-input-id='browser-{token}']")
            expect(row.get_by_test_id("headline")).to_have_text(headline, timeout=60_000)
            expect(row.locator(".chip.person", has_text="Vladimir Putin")).to_be_visible()
            expect(row.locator(".chip.place", has_text="Russia")).to_be_visible()
            expect(row.locator(".chip.partner[data-partner='kremlin-watch']")).to_be_visible(timeout=30_000)
            expect(row.locator(".chip.partner[data-partner='baltic-desk']")).to_be_visible()
            assert page.evaluate("window.__not_reloaded") is True  # it came in live, not by a reload
            row.get_by_test_id("open-path").click()
            path = page.get_by_test_id("path")
            expect(path.locator(".step[data-kind='decision']").first).to_contain_text("new v1")
            expect(path.locator(".step[data-kind='delivery']", has_text="kremlin-watch")).to_be_visible(
                timeout=30_000)
            expect(path.locator(".step[data-kind='article']")).to_contain_text(headline)
            page.screenshot(path=str(ARTEFACTS / "dashboard.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTEFACTS / "dashboard.png").stat().st_size > 10_000
