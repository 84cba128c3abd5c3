"""The dashboard's model (pure): records of our topics in, the view and story paths out, bounded."""

from __future__ import annotations

from streams.contracts import Contracts
from streams.route import check_definition
from streams.route.formats import render
from streams.watch.hub import Hub

T0 = 1_795_999_980_000  # ms, on a minute boundary
NOW = (T0 + 120_000) / 1000


def decision(input_id: str, kind: str = "new", uri: str | None = "urn:s:1", version: int | None = 1,
             deliveries: tuple[str, ...] = ("kremlin-watch",)) -> dict:
    return {"input_id": input_id, "decision": kind, "uri": uri, "version": version, "reason": f"why {kind}",
            "deliveries": list(deliveries), "evidence": {"matched": None}}


def article(uri: str = "urn:s:1", version: int = 1, head: str = "Kremlin talks") -> dict:
    return {"uri": uri, "version": version, "headlines": [{"value": head}], "pubstatus": "usable",
            "people": [{"name": "A Writer", "rel": "author"}, {"name": "Vladimir Putin", "rel": "headline"}],
            "places": [{"name": "Russia", "literal": "RU"}], "subjects": [{"name": "diplomacy"}]}


def fed() -> Hub:
    hub = Hub(clock=lambda: NOW)
    hub.partners = ["kremlin-watch", "markets-wire"]
    hub.inputs(3, T0 + 1000)
    hub.record("wire.decisions", decision("in-1"), T0 + 2000)  # the decision before its article
    hub.record("wire.articles", article(), T0 + 2100)
    hub.record("partner.kremlin-watch", article(), T0 + 2200)
    hub.record("wire.decisions", decision("in-2", "duplicate", deliveries=()), T0 + 61_000)
    hub.record("wire.decisions", decision("in-3", "update", version=2), T0 + 62_000)
    hub.record("wire.articles", article(version=2, head="Kremlin talks, updated"), T0 + 62_100)
    hub.record("partner.kremlin-watch", article(version=2), T0 + 62_200)
    hub.record("wire.decisions", decision("bad", "rejected", uri=None, version=None, deliveries=()), T0 + 63_000)
    hub.record("wire.dead-letter", {"input_id": "bad", "stage": "envelope", "reason": "invalid-json", "detail": "x",
                                    "original_b64": ""}, T0 + 63_000)
    hub.record("wire.decisions", "not a decision", T0 + 64_000)  # ignored, never a crash
    return hub


def test_the_view_counts_per_minute_and_in_total() -> None:
    view = fed().view(minutes=3)
    assert [m["minute"] for m in view["minutes"]] == [T0, T0 + 60_000, T0 + 120_000]
    first, second, _ = view["minutes"]
    assert (first["in"], first["out"], first["deliveries"], first["decisions"]) == (3, 1, 1, {"new": 1})
    assert second["decisions"] == {"duplicate": 1, "update": 1, "rejected": 1} and second["dead"] == 1
    assert view["totals"] == {"in": 3, "out": 2, "deliveries": 2, "dead": 1,
                              "decisions": {"new": 1, "duplicate": 1, "update": 1, "rejected": 1}}
    assert view["partners"] == [{"id": "kremlin-watch", "paused": False, "deliveries": 2, "lag": []},
                                {"id": "markets-wire", "paused": False, "deliveries": 0, "lag": []}]
    assert view["dead_letters"]["by_reason"] == {"invalid-json": 1}
    assert view["dead_letters"]["latest"][0]["input_id"] == "bad"


def test_latest_stories_carry_headline_tags_and_partners_whichever_topic_came_first() -> None:
    stories = fed().view()["stories"]
    assert [s["input_id"] for s in stories] == ["bad", "in-3", "in-2", "in-1"]
    first = stories[-1]
    assert first["headline"] == "Kremlin talks" and first["deliveries"] == ["kremlin-watch"]
    assert first["tags"]["people"] == ["Vladimir Putin"] and first["tags"]["places"] == ["Russia"]
    assert stories[1]["headline"] == "Kremlin talks, updated"


def test_a_story_path_from_an_input_id_shows_every_decision_version_and_delivery() -> None:
    path = fed().path("in-1")
    assert path["found"] and path["uris"] == ["urn:s:1"]
    steps = [(e["kind"], e.get("decision") or e.get("partner") or "", e.get("version")) for e in path["events"]]
    assert steps == [("decision", "new", 1), ("article", "", 1), ("delivery", "kremlin-watch", 1),
                     ("decision", "duplicate", 1), ("decision", "update", 2), ("article", "", 2),
                     ("delivery", "kremlin-watch", 2)]
    assert fed().path("urn:s:1")["events"] == path["events"]
    assert fed().path("bad")["events"][-1]["kind"] == "dead-letter"
    assert not fed().path("nothing-like-it")["found"]


def test_lag_health_and_version() -> None:
    hub = fed()
    before = hub.version
    hub.set_worker_lag({("wire.raw", 0): 4})
    hub.set_partner_lag({("kremlin-watch", "kw-reader"): 1})
    hub.set_health(False, "stage tag is broken")
    assert hub.version == before + 3
    hub.set_worker_lag({("wire.raw", 0): 4})  # no change, no new version
    assert hub.version == before + 3
    view = hub.view()
    assert view["worker_lag"] == [{"topic": "wire.raw", "partition": 0, "lag": 4}]
    assert view["partners"][0]["lag"] == [{"group": "kw-reader", "lag": 1}]
    assert view["health"] == {"healthy": False, "detail": "stage tag is broken"}


def test_memory_is_bounded() -> None:
    hub = Hub(keep_stories=5, keep_paths=50, clock=lambda: NOW)
    for n in range(500):
        hub.record("wire.decisions", decision(f"in-{n}", uri=f"urn:s:{n}"), T0 + n)
        hub.record("wire.articles", article(uri=f"urn:s:{n}"), T0 + n)
    assert len(hub.stories) == 5 and len(hub.paths) <= 50 and len(hub.articles) <= 50
    assert hub.path("in-499")["found"] and not hub.path("in-3")["found"]


def test_a_delivery_counts_in_every_partner_format() -> None:
    story = {"uri": "urn:s:9", "version": "2", "pubstatus": "canceled", "headlines": [{"value": "WITHDRAWN"}],
             "language": "en", "versioncreated": "2026-11-30T12:00:00Z", "copyrightholder": "Reuters",
             "bodies": [{"contenttype": "text/plain", "value": "This story has been withdrawn."}]}
    hub = Hub(clock=lambda: NOW)
    for fmt in ("ninjs", "ninjs-text", "teaser", "newsml-g2"):
        value = render(check_definition({"id": fmt, "name": fmt, "format": fmt}, Contracts()), story)
        # what the dashboard's feed hands over: decoded JSON, or the bytes of a NewsML-G2 partner's XML
        hub.record(f"partner.{fmt}", value.encode("utf-8") if isinstance(value, str) else value, T0 + 1000)
    hub.record("partner.teaser", b"<not-xml", T0 + 1000)  # neither JSON nor a News Item: not a delivery
    hub.record("partner.teaser", {"headline": "no uri"}, T0 + 1000)
    view = hub.view()
    assert view["totals"]["deliveries"] == 4
    assert {p["id"]: p["deliveries"] for p in view["partners"]} == dict.fromkeys(
        ("newsml-g2", "ninjs", "ninjs-text", "teaser"), 1)
    events = hub.path("urn:s:9")["events"]
    assert [(e["partner"], str(e["version"]), e["pubstatus"]) for e in events] == [
        (fmt, "2", "canceled") for fmt in ("ninjs", "ninjs-text", "teaser", "newsml-g2")]


def test_the_partner_list_follows_the_live_registry() -> None:
    hub = fed()
    before = hub.version
    hub.set_partners([("markets-wire", False), ("pipelines", True)])  # kremlin-watch removed, pipelines added paused
    assert hub.version == before + 1
    view = hub.view()
    assert [(p["id"], p["paused"], p["deliveries"]) for p in view["partners"]] == [
        ("markets-wire", False, 0), ("pipelines", True, 0)]
    assert view["totals"]["deliveries"] == 2  # what the removed partner was sent still counts in the totals
    hub.set_partners([("markets-wire", False), ("pipelines", True)])  # the same registry: no new version
    assert hub.version == before + 1
    hub.set_partners([("markets-wire", False), ("pipelines", False)])  # resumed
    assert [p["paused"] for p in hub.view()["partners"]] == [False, False]
