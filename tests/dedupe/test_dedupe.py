"""Dedupe stage: decisions, published articles, state shape, expiry and restart over plain mappings."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from streams.dedupe import DECISIONS, Decision, Deduper
from streams.model import Rejection
from streams.quality.evaluate.dedupe import OUTLETS, make_article, normaliser_reader, page_text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

HEADLINE = "HARLOW MINING AGREES TO BUY COPPERFIELD SMELTER"
PARAS = [
    "Harlow Mining Corp said it agreed to buy the Copperfield smelter in northern Valdoria from Eastmere "
    "Industries for 410 million dollars in cash, expanding its refining capacity by about a third.",
    "The company said the purchase, which still needs approval from Valdorian competition authorities, "
    "would be financed from existing credit lines and was expected to close in the third quarter.",
    "Harlow chief executive Miriam Okafor told reporters the smelter would let the group process "
    "concentrate from its own mines instead of shipping it to refiners in Asia.",
    "Eastmere said it would use the proceeds to reduce debt and concentrate on its chemicals business.",
]
OTHER_HEADLINE = "PORT OF KELSBY STRIKE ENTERS THIRD DAY"
OTHER = [
    "Dock workers at the port of Kelsby stayed off the job for a third day on Monday, leaving container "
    "ships queuing in the estuary and forcing two shipping lines to divert cargo to neighbouring ports.",
    "The dockers union is demanding a new shift system and a pay rise in line with inflation, while the "
    "port operator says it cannot afford more than a two-year freeze followed by indexation.",
]


def fresh(horizon: timedelta = timedelta(days=7)) -> tuple[Deduper, dict[str, Any], dict[str, Any]]:
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    return Deduper(stories, meta, horizon=horizon), stories, meta


def received(article: dict[str, Any]) -> datetime:
    """A live stream: the input is received when it is dated."""
    return datetime.fromisoformat(article["versioncreated"].replace("Z", "+00:00"))


def run(dd: Deduper, input_id: str, article: dict[str, Any], at: datetime | int | None = None
        ) -> tuple[Decision, dict[str, Any] | None]:
    out = dd.process(input_id, article, received=received(article) if at is None else at)
    assert not isinstance(out, Rejection), out
    return out


def original(minutes: float = 0, **kw: Any) -> dict[str, Any]:
    return make_article("wire:a1", HEADLINE, PARAS, T0 + timedelta(minutes=minutes), **kw)


def test_new_story_gets_canonical_uri_version_1_and_keeps_source_uri() -> None:
    dd, stories, _ = fresh()
    d, art = run(dd, "in-1", original())
    assert d.decision == "new" and d.version == 1 and d.uri.startswith("urn:syndicate:story:")
    assert art is not None and art["uri"] == d.uri and art["version"] == "1"
    assert {"role": "source-uri", "value": "wire:a1"} in art["altids"]
    assert len(stories) == 1


def test_resend_is_a_duplicate_with_the_matched_uri() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    d, art = run(dd, "in-2", make_article("wire:a1-rpt", HEADLINE, PARAS, T0 + timedelta(minutes=9)))
    assert d.decision == "duplicate" and art is None
    assert d.uri == first.uri and d.version == 1
    assert d.evidence["matched"] == first.uri and d.evidence["method"] == "exact"
    assert d.evidence["similarity"] == 1.0


def test_republication_in_page_chrome_is_a_duplicate() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    name, plea = OUTLETS[0]
    paras = [plea, *PARAS, "Reuters contributed to this report. " + plea]
    copy = make_article("https://gazette.example/x", "Harlow Mining agrees to buy Copperfield smelter", paras,
                        T0 + timedelta(hours=5), publisher=name)
    d, art = run(dd, "in-2", copy)
    assert (d.decision, d.uri, art) == ("duplicate", first.uri, None)
    assert d.evidence["method"] == "bottomk-minhash" and d.evidence["containment"][1] >= 0.95


def test_trimmed_and_lightly_edited_copies_are_duplicates() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    trimmed = make_article("https://x.example/t", HEADLINE, PARAS[:2], T0 + timedelta(hours=2), publisher="Metro")
    edited = make_article("https://y.example/e", HEADLINE,
                          [p.replace("said", "stated").replace("million dollars", "mln dlrs") for p in PARAS],
                          T0 + timedelta(hours=3), publisher="Ledger")
    for i, art in enumerate((trimmed, edited)):
        d, out = run(dd, f"in-{i + 2}", art)
        assert (d.decision, d.uri, out) == ("duplicate", first.uri, None), d


def test_update_with_new_paragraphs_is_version_2_under_the_same_uri() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    paras = [*PARAS, "Valdoria's competition authority said on Monday evening it would open a review of the "
             "deal and expected to rule within 90 days."]
    upd = make_article("wire:a1-u", HEADLINE + " - REGULATOR TO REVIEW", paras, T0 + timedelta(hours=3))
    d, art = run(dd, "in-2", upd)
    assert (d.decision, d.uri, d.version) == ("update", first.uri, 2)
    assert art is not None and art["uri"] == first.uri and art["version"] == "2"
    assert "headline changed" in art["ednote"] and "paragraph" in art["ednote"]
    assert {"role": "source-uri", "value": "wire:a1-u"} in art["altids"]
    assert d.evidence["matched"] == first.uri and "changes" in d.evidence
    # a later re-send of version 1 is still recognised (the first version is remembered too)
    d3, _ = run(dd, "in-3", make_article("wire:a1-rpt", HEADLINE, PARAS, T0 + timedelta(hours=4)))
    assert (d3.decision, d3.uri, d3.version) == ("duplicate", first.uri, 2)


@pytest.mark.parametrize(
    "signal",
    [
        {"genres": [{"name": "Update", "literal": "sig:update", "uri": "http://cv.iptc.org/newscodes/signal/update"}]},
        {"altids": [{"role": "signal", "value": "update"}]},
        {"version": "2"},
    ],
)
def test_update_signals_the_normaliser_may_set(signal: dict[str, Any]) -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    art = make_article("wire:a1-u", HEADLINE, [*PARAS[:3], "The deal values the smelter at 410 million dollars."],
                       T0 + timedelta(hours=1))
    art.update(signal)
    d, _ = run(dd, "in-2", art)
    assert (d.decision, d.uri, d.version) == ("update", first.uri, 2)
    assert "source marked it" in d.reason


def test_correction_signal_gives_a_correction_version() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    paras = list(PARAS)
    paras[2] = paras[2].replace("Miriam Okafor", "Miriam Okonjo")
    art = make_article("wire:a1-c", HEADLINE, paras, T0 + timedelta(hours=2), genre="correction")
    d, out = run(dd, "in-2", art)
    assert (d.decision, d.uri, d.version) == ("correction", first.uri, 2)
    assert out is not None and out["ednote"].startswith("Correction")


def test_kill_by_item_id_cancels_the_story() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original(source_id="NEWID-7"))
    notice = ["This story has been withdrawn. There will be no substitute."]
    kill = make_article("wire:k", "WITHDRAWN", notice, T0 + timedelta(hours=1), pubstatus="canceled",
                        source_id="NEWID-7")
    d, art = run(dd, "in-2", kill)
    assert (d.decision, d.uri, d.version) == ("kill", first.uri, 2)
    assert art is not None and art["pubstatus"] == "canceled" and art["uri"] == first.uri
    assert d.evidence["method"] == "item-id"


def test_kill_by_headline_names_the_right_story() -> None:
    dd, _, _ = fresh()
    run(dd, "in-0", make_article("wire:o", OTHER_HEADLINE, OTHER, T0))
    first, _ = run(dd, "in-1", original(minutes=5))
    kill = make_article("wire:k", "KILL - " + HEADLINE, [f'The story headlined "{HEADLINE}" is withdrawn.'],
                        T0 + timedelta(hours=1), pubstatus="canceled")
    d, art = run(dd, "in-2", kill)
    assert (d.decision, d.uri, d.version) == ("kill", first.uri, 2)
    assert art is not None and art["pubstatus"] == "canceled"
    # a copy arriving after the kill is dropped, not resurrected as new
    d2, out = run(dd, "in-3", make_article("wire:r", HEADLINE, PARAS, T0 + timedelta(hours=2)))
    assert (d2.decision, out) == ("duplicate", None) and "killed" in d2.reason


def test_a_kill_before_its_story_is_passed_on_and_the_story_then_dropped() -> None:
    """A reordered backlog: the kill names a story not seen yet. It is passed on, remembered as a notice, and
    the story (by its item-id or its headline, written before the kill) and its copies are then duplicates of
    the killed story: one uri, nothing delivered after the kill."""
    dd, stories, _ = fresh()
    notice = [f'The story headlined "{HEADLINE}" is withdrawn. There will be no substitute story.']
    kill = make_article("wire:k", "KILL - " + HEADLINE, notice, T0 + timedelta(hours=2), pubstatus="canceled")
    d, art = run(dd, "in-1", kill)
    assert d.decision == "kill" and d.evidence["matched"] is None and "remembered" in d.reason
    assert art is not None and art["pubstatus"] == "canceled" and art["uri"] == d.uri and len(stories) == 1
    again, _ = run(dd, "in-2", make_article("wire:k2", "KILL - " + HEADLINE, notice, T0 + timedelta(hours=2, minutes=5),
                                             pubstatus="canceled"))
    assert (again.decision, again.uri) == ("duplicate", d.uri)
    story, out = run(dd, "in-3", original(), at=T0 + timedelta(hours=3))  # dated T0, received after the kill
    assert (story.decision, story.uri, out) == ("duplicate", d.uri, None) and "kill notice" in story.reason
    # the record took the story's text: an outlet's copy under its own headline is recognised as killed too
    copy = make_article("https://m.example/c", "Harlow buys smelter", PARAS, T0 + timedelta(hours=4), publisher="M")
    d4, out4 = run(dd, "in-4", copy)
    assert (d4.decision, d4.uri, out4) == ("duplicate", d.uri, None) and "killed" in d4.reason
    # a report under the same headline written a day after the kill is another story
    later = make_article("wire:next", HEADLINE, OTHER, T0 + timedelta(days=1, hours=3))
    assert run(dd, "in-5", later)[0].decision == "new"


TEMPLATE = ("Reservoir stocks held by the Lakeshore water authority stood at {a} percent of capacity on {day}, "
            "against {b} percent a week earlier and {c} percent a year ago, the authority said.")


def test_templated_daily_report_with_new_figures_is_a_new_story() -> None:
    dd, _, _ = fresh()
    days = [("Monday", "61.4", "62.0", "58.3", "412,000"), ("Tuesday", "61.1", "61.9", "57.8", "405,000")]
    uris = []
    for i, (day, a, b, c, use) in enumerate(days):
        paras = [TEMPLATE.format(a=a, b=b, c=c, day=day), f"Daily consumption averaged {use} cubic metres."]
        d, _ = run(dd, f"in-{i}", make_article(f"wire:w{i}", "LAKESHORE WATER RESERVES REPORT", paras,
                                               T0 + timedelta(days=i)))
        assert d.decision == "new", d
        uris.append(d.uri)
    assert uris[0] != uris[1]


def test_a_correction_that_arrives_before_its_own_report_is_not_another_days_correction() -> None:
    """A reordered backlog: Tuesday's report is corrected, and the correction arrives before the report. It
    shares the template's wording (half its text) and headline with Monday's report, which is remembered: a
    day apart, only the same item-id or text that is mostly the same names the story it corrects."""
    dd, _, _ = fresh()
    monday = [TEMPLATE.format(a="61.4", b="62.0", c="58.3", day="Monday"), "Daily consumption averaged 412,000."]
    tuesday = [TEMPLATE.format(a="61.1", b="61.9", c="57.8", day="Tuesday"), "Daily consumption averaged 405,000."]
    first, _ = run(dd, "in-1", make_article("wire:mon", "LAKESHORE WATER RESERVES REPORT", monday, T0))
    fixed = ["(Corrects spelling of Lakeshore in first paragraph) " + tuesday[0], tuesday[1]]
    corr = make_article("wire:tue-c", "CORRECTED-LAKESHORE WATER RESERVES REPORT", fixed,
                        T0 + timedelta(days=1, hours=3), genre="correction")
    d, _ = run(dd, "in-2", corr, at=T0 + timedelta(days=1, hours=4))
    assert d.decision == "new" and d.uri != first.uri, d
    report, _ = run(dd, "in-3", make_article("wire:tue", "LAKESHORE WATER RESERVES REPORT", tuesday,
                                             T0 + timedelta(days=1)), at=T0 + timedelta(days=1, hours=5))
    assert report.uri == d.uri


def test_a_correction_sharing_half_its_text_needs_the_headline() -> None:
    """Half the text is enough for a correction (its notice may be short) only under the story's headline."""
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    half = [PARAS[0], "Officials said the matter was now closed and no further statement would follow, and the "
            "group declined to comment on the figures or on the timing of any later announcement."]
    corr = make_article("wire:c", "PORT OF KELSBY REOPENS AFTER STRIKE", half, T0 + timedelta(hours=2),
                        genre="correction")
    assert run(dd, "in-2", corr)[0].uri != first.uri
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    same_head = make_article("wire:c2", HEADLINE, half, T0 + timedelta(hours=3), genre="correction")
    d, _ = run(dd, "in-3", same_head)
    assert (d.decision, d.uri) == ("correction", first.uri)


def test_short_notices_with_the_same_body_under_different_headlines_are_different_stories() -> None:
    dd, _, _ = fresh()
    body = ["Qtly div 12 cts vs 12 cts prior", "Pay April 15", "Record March 31"]
    a, _ = run(dd, "in-1", make_article("wire:d1", "BRAMLEY HOLDINGS <BRM> QUARTERLY DIVIDEND", body, T0))
    b, _ = run(dd, "in-2", make_article("wire:d2", "ORCHARD TRUST <ORT> QUARTERLY DIVIDEND", body,
                                        T0 + timedelta(minutes=20)))
    assert (a.decision, b.decision) == ("new", "new") and a.uri != b.uri
    c, _ = run(dd, "in-3", make_article("wire:d3", "ORCHARD TRUST <ORT> QUARTERLY DIVIDEND", body,
                                        T0 + timedelta(minutes=30)))
    assert (c.decision, c.uri) == ("duplicate", b.uri)


def test_expiry_after_the_horizon_is_inline_and_bounded() -> None:
    dd, stories, _ = fresh(horizon=timedelta(days=2))
    first, _ = run(dd, "in-1", original())
    entries = len(dd.store.table)
    assert len(stories) == len(dd) == 1 and entries >= 12
    # another story received three days later moves the watermark past the horizon: the first is evicted,
    # with every index entry that listed it
    run(dd, "in-2", make_article("wire:o", OTHER_HEADLINE, OTHER, T0 + timedelta(days=3)))
    assert len(stories) == len(dd) == 1 and len(dd.store.table) <= entries
    assert dd.store.evicted == {"horizon": 1, "count": 0}
    d, _ = run(dd, "in-3", make_article("wire:r", HEADLINE, PARAS, T0 + timedelta(days=3, minutes=1)))
    assert d.decision == "new" and d.uri != first.uri


def test_a_story_older_than_the_horizon_is_not_matched_even_before_eviction() -> None:
    dd, _, _ = fresh(horizon=timedelta(days=2))
    run(dd, "in-1", original())
    d, _ = run(dd, "in-2", make_article("wire:r", HEADLINE, PARAS, T0 + timedelta(days=2, minutes=30)))
    assert d.decision == "new"


def test_state_survives_a_round_trip_like_a_table_restart() -> None:
    dd, stories, meta = fresh()
    first, _ = run(dd, "in-1", original())
    run(dd, "in-2", make_article("wire:o", OTHER_HEADLINE, OTHER, T0 + timedelta(minutes=3)))
    restored_stories = {k: bytes(v) for k, v in stories.items()}
    restored_meta = orjson.loads(orjson.dumps(meta))
    assert restored_stories == stories and restored_meta == meta
    dd2 = Deduper(restored_stories, restored_meta)  # derives its index from the stories on first use
    trimmed = make_article("https://x.example/t", HEADLINE, PARAS[:3], T0 + timedelta(hours=1), publisher="Metro")
    d, _ = run(dd2, "in-3", trimmed)
    assert (d.decision, d.uri) == ("duplicate", first.uri)


class CopyingTable(MutableMapping[str, Any]):
    """Like a table: values are stored serialized (bytes as they are, anything else as JSON) and come back as
    fresh objects; mutating a value you read changes nothing stored."""

    def __init__(self) -> None:
        self.data: dict[str, tuple[bool, bytes]] = {}

    def __getitem__(self, key: str) -> Any:
        raw, data = self.data[key]
        return bytes(data) if raw else orjson.loads(data)

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = (True, bytes(value)) if isinstance(value, bytes) else (False, orjson.dumps(value))

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def _sequence() -> list[dict[str, Any]]:
    name, plea = OUTLETS[1]
    return [
        original(),
        make_article("wire:o", OTHER_HEADLINE, OTHER, T0 + timedelta(minutes=2)),
        make_article("https://m.example/1", HEADLINE.title(), [*PARAS, plea], T0 + timedelta(hours=1), publisher=name),
        make_article("wire:u", HEADLINE, [*PARAS, "Shares in Harlow rose 4 percent in Kelsby trading."],
                     T0 + timedelta(hours=2)),
        make_article("wire:k", "KILL - " + OTHER_HEADLINE, ["Withdrawn."], T0 + timedelta(days=1),
                     pubstatus="canceled"),
        make_article("wire:late", HEADLINE, PARAS, T0 + timedelta(days=9)),
    ]


def test_values_are_reassigned_never_mutated_in_place() -> None:
    """A copying table (values stored serialized, as the worker's changelog keeps them) and a plain dict must give
    the same decisions and state."""
    plain = Deduper({}, {})
    stories, meta = CopyingTable(), CopyingTable()
    copying = Deduper(stories, meta)
    for i, art in enumerate(_sequence()):
        a, _ = run(plain, f"in-{i}", art)
        b, _ = run(copying, f"in-{i}", art)
        assert a == b
    assert {k: stories[k] for k in stories} == plain.stories
    assert {k: meta[k] for k in meta} == plain.meta


def test_decisions_depend_on_stream_time_not_on_the_wall_clock() -> None:
    results = []
    for start in (T0, datetime(2030, 1, 1, tzinfo=UTC)):
        dd, _, _ = fresh()
        shift = start - T0
        outs = [dd.process(f"in-{i}", art, received=received(art) + shift) for i, art in enumerate(_sequence())]
        results.append([(o[0].decision, o[0].uri, o[0].version) for o in outs if not isinstance(o, Rejection)])
    assert results[0] == results[1]
    assert [d for d, _, _ in results[0]] == ["new", "new", "duplicate", "update", "kill", "new"]
    # the same backlog replayed within seconds: the story dated 9 days later was received within the horizon,
    # so it is a copy of the remembered story, whatever its dateline
    dd, _, _ = fresh()
    replayed = [run(dd, f"in-{i}", art, at=1_000 * i)[0].decision for i, art in enumerate(_sequence())]
    assert replayed == ["new", "new", "duplicate", "update", "kill", "duplicate"]


def test_decision_record_is_json_and_complete() -> None:
    dd, _, _ = fresh()
    d, _ = run(dd, "in-1", original())
    rec = orjson.loads(orjson.dumps(d.to_record()))
    assert set(rec) == {"input_id", "decision", "uri", "version", "reason", "evidence"}
    assert rec["decision"] in DECISIONS and rec["version"] == 1


def test_bad_input_becomes_a_rejection() -> None:
    dd, stories, _ = fresh()
    assert isinstance(dd.process("x", "not an article"), Rejection)  # type: ignore[arg-type]
    empty = dd.process("y", {"uri": "u", "headlines": [], "bodies": []})
    assert isinstance(empty, Rejection) and empty.reason == "empty-body"
    odd = dd.process("z", {"headlines": [{"value": 5}], "bodies": "nope", "versioncreated": "garbage"})
    assert isinstance(odd, Rejection)
    assert not stories


def test_input_article_is_not_mutated() -> None:
    dd, _, _ = fresh()
    art = original()
    before = orjson.dumps(art)
    run(dd, "in-1", art)
    run(dd, "in-2", make_article("wire:u", HEADLINE, [*PARAS, "More details emerged later."], T0 + timedelta(hours=1)))
    assert orjson.dumps(art) == before


def test_a_future_dated_story_does_not_move_the_stream_clock() -> None:
    dd, _, index = fresh()
    now = T0 + timedelta(hours=1)
    art = make_article("wire:f", HEADLINE, PARAS, T0 + timedelta(days=300))
    d, _ = run(dd, "in-1", art, at=now)
    assert d.decision == "new" and index["~w"] == int(now.timestamp() * 1000)
    copy, _ = run(dd, "in-2", make_article("wire:f2", HEADLINE, PARAS, T0), at=now + timedelta(minutes=1))
    assert (copy.decision, copy.uri) == ("duplicate", d.uri)


def test_changed_wire_text_a_day_later_is_a_follow_up_not_an_update() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    later = [*PARAS[:3], "Harlow said on Tuesday the purchase had been approved by its shareholders."]
    d, _ = run(dd, "in-2", make_article("wire:next", HEADLINE, later, T0 + timedelta(hours=26)))
    assert d.decision == "new" and d.uri != first.uri
    # an outlet's republication of the first story is still a duplicate at that age
    copy = make_article("https://m.example/2", HEADLINE, PARAS, T0 + timedelta(hours=27), publisher="Metro")
    d2, _ = run(dd, "in-3", copy)
    assert (d2.decision, d2.uri) == ("duplicate", first.uri)


def test_counts_in_words_are_figures() -> None:
    dd, _, _ = fresh()
    text = ("There were {a} grain ships loading and {b} ships were waiting to load at Kelsby, according to the "
            "Kelsby Merchants Exchange.")
    a, _ = run(dd, "in-1", make_article("wire:g1", "GRAIN SHIPS LOADING AT KELSBY", [text.format(a="five", b="three")],
                                        T0))
    b, _ = run(dd, "in-2", make_article("wire:g2", "GRAIN SHIPS LOADING AT KELSBY", [text.format(a="six", b="eight")],
                                        T0 + timedelta(hours=3)))
    assert (a.decision, b.decision) == ("new", "new")


def test_a_page_copy_without_feed_id_never_makes_a_version() -> None:
    """No publisher recognised, chrome left in the body: without an item-id it is still only a copy."""
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    _, plea = OUTLETS[3]
    page = make_article("https://ledger.example/7", HEADLINE, [plea, *PARAS, plea], T0 + timedelta(hours=2))
    assert not any(a["role"] == "item-id" for a in page["altids"])
    d, out = run(dd, "in-2", page)
    assert (d.decision, d.uri, out) == ("duplicate", first.uri, None)
    assert "feed item id" in d.reason


def test_outlet_page_text_through_the_normaliser_is_a_duplicate() -> None:
    read = normaliser_reader()
    assert read is not None
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    name, plea = OUTLETS[0]
    art = read(page_text(name, plea, HEADLINE.title(), PARAS, T0 + timedelta(hours=3)), "page-1")
    assert art is not None
    d, out = run(dd, "page-1", art)
    assert (d.decision, d.uri, out) == ("duplicate", first.uri, None), d


def test_correction_marker_on_an_unchanged_resend_is_a_duplicate_but_a_headline_fix_is_a_correction() -> None:
    dd, _, _ = fresh()
    first, _ = run(dd, "in-1", original())
    fixed = make_article("wire:c1", "CORRECTED-" + HEADLINE.replace("COPPERFIELD", "COPPERFIELDS"), PARAS,
                         T0 + timedelta(hours=1), genre="correction")
    d, _ = run(dd, "in-2", fixed)
    assert (d.decision, d.uri, d.version) == ("correction", first.uri, 2)
    again = make_article("wire:c2", fixed["headlines"][0]["value"], PARAS, T0 + timedelta(hours=2), genre="correction")
    d2, out = run(dd, "in-3", again)
    assert (d2.decision, d2.version, out) == ("duplicate", 2, None)


def test_an_index_rebuilt_from_the_stories_decides_like_an_uninterrupted_run() -> None:
    """Workers keep the index in memory and rebuild it from the stories table after recovery."""
    sequence = _sequence()
    plain = Deduper({}, {})
    expected = [run(plain, f"in-{i}", art)[0] for i, art in enumerate(sequence)]
    stories: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    first = Deduper(stories, meta)
    got = [run(first, f"in-{i}", art)[0] for i, art in enumerate(sequence[:4])]
    restarted = Deduper(stories, meta)  # the in-memory index is gone with the old worker
    assert restarted.rebuild_index() == len(stories) == 2
    assert listing(restarted) == listing(first)
    got += [run(restarted, f"in-{i}", art)[0] for i, art in enumerate(sequence[4:], start=4)]
    assert got == expected
    assert meta == plain.meta and set(meta) == {"~w", "~q"}


def listing(dd: Deduper) -> dict[int, list[str]]:
    """The index as story ids listed under each table key, newest first (handles are private to a process)."""
    table = dd.store.table
    keys = {table.keys[e] for b in range(table.mask + 1) for e in _chain(table, b)}
    return {k: [str(dd.store.sids[h]) for h in table.get(k, 1_000)] for k in keys}


def _chain(table: Any, bucket: int) -> list[int]:
    out, e = [], table.heads[bucket]
    while e != -1:
        out.append(e)
        e = table.links[e]
    return out
