"""Held deliveries: pause, embargo (hold or mark), delivery windows, rate limits, kills; released by `tick`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from streams.contracts import Contracts
from streams.route import Router, check_definition

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday, 13:00 in Berlin


def story(n: int, version: int = 1, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "uri": f"urn:s:{n}", "version": str(version), "language": "en", "pubstatus": "usable",
        "headlines": [{"role": "main", "value": f"Story {n} v{version}"}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": "MOSCOW (Reuters) - Text."}],
        "infosources": [{"name": "Reuters", "role": "source"}],
    }
    base.update(extra)
    return base


def partner(**definition: Any):  # type: ignore[no-untyped-def]
    return check_definition({"id": "p", "name": "P", **definition}, Contracts())


def sent(deliveries: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(d.article["uri"], d.article["version"]) for d in deliveries]


def test_pause_holds_in_order_and_resume_delivers_what_matched() -> None:
    held: dict[str, Any] = {}
    router = Router([partner(paused=True)], {}, held)
    assert router.route(story(1), "new", T0) == []
    assert router.route(story(2), "new", T0) == []
    assert router.route(story(1, 2), "update", T0) == []
    assert [h.reason for h in router.still_held(T0)] == ["partner paused"] * 3
    assert router.tick(T0 + timedelta(hours=1)) == []
    router.replace_partners([partner(paused=False)])
    assert sent(router.tick(T0 + timedelta(hours=1))) == [("urn:s:1", "1"), ("urn:s:2", "1"), ("urn:s:1", "2")]
    assert held == {} and router.tick(T0 + timedelta(hours=2)) == []


def test_embargo_hold_waits_for_its_time_and_later_versions_wait_behind_it() -> None:
    router = Router([partner()], {}, {})
    embargo = (T0 + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert router.route(story(1, embargoed=embargo), "new", T0) == []
    assert sent(router.route(story(2), "new", T0)) == [("urn:s:2", "1")]  # other stories are not held back
    assert router.route(story(1, 2), "update", T0) == []  # v2 must not overtake the embargoed v1
    assert [h.reason for h in router.still_held(T0)] == [
        f"embargoed until {embargo}", "behind an earlier held version of the same story"]
    assert router.tick(T0 + timedelta(hours=1)) == []
    assert sent(router.tick(T0 + timedelta(hours=2))) == [("urn:s:1", "1"), ("urn:s:1", "2")]


def test_embargo_mark_delivers_at_once_carrying_the_time() -> None:
    router = Router([partner(rights={"embargo": "mark"})], {}, {})
    embargo = (T0 + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (delivery,) = router.route(story(1, embargoed=embargo), "new", T0)
    assert delivery.article["embargoed"] == embargo


def test_a_past_embargo_does_not_hold() -> None:
    router = Router([partner()], {}, {})
    past = (T0 - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert sent(router.route(story(1, embargoed=past), "new", T0)) == [("urn:s:1", "1")]


def test_a_kill_reaches_who_had_a_version_at_once_and_drops_held_versions() -> None:
    embargo = (T0 + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    router = Router([partner(delivery={"windows": ["00:00-13:00"], "timezone": "Europe/Berlin"})], {}, {})
    assert sent(router.route(story(1), "new", T0 - timedelta(hours=2))) == [("urn:s:1", "1")]  # 11:00 Berlin
    assert router.route(story(1, 2), "update", T0) == []  # 13:00 Berlin: window closed
    kill = router.route(story(1, 3, pubstatus="canceled"), "kill", T0)
    assert sent(kill) == [("urn:s:1", "3")]  # the kill goes now, the held v2 never goes
    assert router.tick(T0 + timedelta(days=1)) == []
    # a story held under embargo and killed before it: the partner never had it, so nothing goes at all
    assert router.route(story(2, embargoed=embargo), "new", T0 - timedelta(hours=3)) == []
    assert router.route(story(2, 2, pubstatus="canceled"), "kill", T0 - timedelta(hours=3)) == []
    assert router.tick(T0 + timedelta(days=1)) == [] and router.still_held(T0 + timedelta(days=1)) == []


def test_a_kill_of_an_embargoed_story_marked_at_once_reaches_the_partner() -> None:
    embargo = (T0 + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    router = Router([partner(rights={"embargo": "mark"})], {}, {})
    assert sent(router.route(story(1, embargoed=embargo), "new", T0)) == [("urn:s:1", "1")]
    assert sent(router.route(story(1, 2, pubstatus="canceled", embargoed=embargo), "kill", T0)) == [("urn:s:1", "2")]


def test_delivery_windows_in_the_partners_time_zone_hold_back_in_order() -> None:
    p = partner(delivery={"timezone": "Europe/Berlin", "windows": ["22:00-06:00"]})
    router = Router([p], {}, {})
    assert router.route(story(1), "new", T0) == []  # 13:00 Berlin
    assert router.route(story(2), "new", T0) == []
    (h1, _) = router.still_held(T0)
    assert h1.reason == "outside delivery windows (next opens 2026-11-30T21:00:00Z)"
    assert router.tick(T0 + timedelta(hours=8, minutes=59)) == []
    assert sent(router.tick(T0 + timedelta(hours=9))) == [("urn:s:1", "1"), ("urn:s:2", "1")]  # 22:00 Berlin


def test_rate_limit_holds_back_rather_than_drops() -> None:
    router = Router([partner(delivery={"rate": {"max": 2, "per_seconds": 60}})], {}, {})
    got = []
    for n in range(5):
        got += sent(router.route(story(n), "new", T0))
    assert got == [("urn:s:0", "1"), ("urn:s:1", "1")]
    assert [h.reason for h in router.still_held(T0)] == ["rate limit (2 per 60s)"] * 3
    assert router.tick(T0 + timedelta(seconds=30)) == []
    assert sent(router.tick(T0 + timedelta(seconds=61))) == [("urn:s:2", "1"), ("urn:s:3", "1")]
    assert sent(router.tick(T0 + timedelta(seconds=122))) == [("urn:s:4", "1")]


def test_removing_a_partner_drops_its_held_deliveries() -> None:
    held: dict[str, Any] = {}
    router = Router([partner(paused=True)], {}, held)
    router.route(story(1), "new", T0)
    router.replace_partners([])
    assert held == {} and router.tick(T0) == []


def test_held_state_is_plain_json_so_a_table_can_keep_it() -> None:
    held: dict[str, Any] = {}
    router = Router([partner(paused=True, format="newsml-g2")], {}, held)
    router.route(story(1), "new", T0)
    assert orjson.loads(orjson.dumps(held)) == held


def test_route_all_names_the_partners_an_article_is_held_for_with_reason_and_until() -> None:
    def named(partner_id: str, **definition: Any):  # type: ignore[no-untyped-def]
        definition.setdefault("rights", {"embargo": "mark"})  # only `hold` holds embargoed copy here
        return check_definition({"id": partner_id, "name": partner_id, **definition}, Contracts())

    embargo = "2026-11-30T15:00:00Z"
    router = Router([named("now"), named("paused", paused=True), named("hold", rights={"embargo": "hold"}),
                     named("mark", rights={"embargo": "mark"}),
                     named("night", delivery={"timezone": "Europe/Berlin", "windows": ["22:00-06:00"]}),
                     named("slow", delivery={"rate": {"max": 1, "per_seconds": 60}})], {}, {})

    def held(routed) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
        return [h.record() for h in routed.held]

    first = router.route_all(story(1, embargoed=embargo), "new", T0)
    assert sorted(d.partner_id for d in first.deliveries) == ["mark", "now", "slow"]
    assert held(first) == [{"partner": "paused", "reason": "paused", "until": None},
                           {"partner": "hold", "reason": "embargo", "until": embargo},
                           {"partner": "night", "reason": "window", "until": "2026-11-30T21:00:00Z"}]
    second = router.route_all(story(2), "new", T0 + timedelta(seconds=10))
    assert sorted(d.partner_id for d in second.deliveries) == ["hold", "mark", "now"]  # other stories go on
    assert held(second) == [{"partner": "paused", "reason": "paused", "until": None},
                            {"partner": "night", "reason": "window", "until": "2026-11-30T21:00:00Z"},
                            {"partner": "slow", "reason": "rate", "until": "2026-11-30T12:01:00Z"}]
    update = router.route_all(story(1, 2, embargoed=embargo), "update", T0 + timedelta(seconds=20))
    assert {h.partner_id: h.code for h in update.held}["hold"] == "embargo"
    assert router.route_all(story(1), "duplicate", T0).held == []
    # what is reported as held is exactly what is still held afterwards
    still = {(h.partner_id, h.uri, h.version, h.code) for h in router.still_held(T0 + timedelta(seconds=20))}
    routed = {(h.partner_id, h.uri, h.version, h.code) for r in (first, second, update) for h in r.held}
    assert routed == still and ("hold", "urn:s:1", "2", "embargo") in still
