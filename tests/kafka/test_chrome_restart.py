"""Chrome a worker learned from a site's pages is still removed after a restart on an empty disk (real broker).

Written against behaviour only, through topics: which lines reach the articles on `wire.articles`. Where the
memory lives (a table, a changelog-backed store; the normalise or the decide step) is the runtime and
normalize helpers' business, and may change under this test.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.kafka import topics
from streams.normalize.chrome import is_chrome_line
from streams.testing.harness import Stack, produce, read_topic

pytestmark = pytest.mark.broker

SITE = "harbourpost.example"
#: The site's own chrome, printed inside every story; worded so that no pattern knows it (checked below):
#: only the memory can learn it, from three different stories of the site.
SITE_CHROME = (
    "Tide tables and ferry times for the whole coast are updated at dawn every day.",
    "Lighthouse Club members get the crossword and the fishing report before anyone else does.",
)
#: Eight different stories (headline, dateline, three paragraphs): none is a copy of another. The last is kept
#: for after the restart.
STORIES = (
    ("Ferry crews vote to strike over rosters", "BERGEN", (
        "Crews on the coastal ferries voted on Monday to strike from next week over new duty rosters, their union "
        "said, threatening crossings used by about 30,000 passengers a day.",
        "The operator said the rosters had been agreed with local representatives in the spring and that it "
        "remained open to talks before the walkout begins.",
        "Islanders who rely on the morning boats for school and hospital visits asked both sides to settle quickly.")),
    ("Harbour expansion wins final approval", "STAVANGER", (
        "The county council gave final approval on Tuesday to a 2.1 billion crown expansion of the container "
        "harbour, ending four years of planning disputes.",
        "Dredging will start in the spring and the new quay should open in 2029, the port authority said, adding "
        "room for ships twice the size of those calling today.",
        "Residents of the old fishing quarter had objected to night-time noise; the plan limits pile driving to "
        "daylight hours.")),
    ("Storm warning closes mountain passes", "TROMSO", (
        "Forecasters issued a red warning for hurricane-force gusts along the northern coast on Wednesday, and the "
        "roads authority closed three mountain passes.",
        "Flights from the regional airport were cancelled for the afternoon and schools in two districts will stay "
        "shut on Thursday.",
        "The storm is expected to ease by the weekend, though avalanche risk will stay high in the inland valleys.")),
    ("Cod quota talks end without deal", "ALESUND", (
        "Negotiators failed on Thursday to agree next year's quota for Arctic cod, leaving fishing crews uncertain "
        "weeks before the winter season opens.",
        "Scientists have recommended a cut of a fifth, citing weak spawning stocks, while the industry argues the "
        "survey undercounted young fish.",
        "Talks will resume in Tromso next month; without a deal, last year's quota rolls over by default.")),
    ("Salmon farm escape under investigation", "FLORO", (
        "Inspectors opened an investigation on Saturday after about 40,000 farmed salmon escaped through a torn "
        "net at a fish farm north of the town.",
        "The company said a storm had damaged the net cage and that divers had repaired it within hours of the "
        "tear being found.",
        "River owners fear the escaped fish will breed with wild stocks; anglers were asked to report any catches.")),
    ("Coastal railway reopens after rockslide", "ANDALSNES", (
        "The coastal railway reopened on Sunday, eleven days after a rockslide buried a section of track under "
        "several hundred tonnes of stone.",
        "Engineers drilled anchors into the cliff above the line before clearing the debris, the rail operator "
        "said, and trains will run at reduced speed for a month.",
        "Buses had replaced trains on the route, adding more than an hour to journeys for commuters.")),
    ("Whale rescued from fishing gear near harbour mouth", "HAMMERFEST", (
        "Rescuers freed a young humpback whale on Monday that had been tangled in lost fishing rope near the "
        "harbour mouth for two days.",
        "Volunteers in two small boats cut away the rope over three hours while marine biologists watched the "
        "animal's breathing from the shore.",
        "The whale swam out of the fjord on the afternoon tide and was seen feeding later in the day.")),
    ("Lifeboat volunteers honoured for night rescue", "BODO", (
        "Six volunteer lifeboat crew were given the national sea rescue medal on Friday for saving four fishermen "
        "whose trawler sank in a January gale.",
        "The crew reached the life raft after a two-hour search in three-metre waves, guided by a flare the "
        "skipper fired as the raft's light failed.",
        "The rescued men, all from the same village, attended the ceremony with their families.")),
)


def page(n: int) -> bytes:
    """Story n as the site prints it, the two chrome lines inside the story, as an envelope from the site."""
    headline, place, (p1, p2, p3) = STORIES[n]
    text = "\n\n".join([
        "The Harbour Post", headline, "By Ines Kvale", f"{n + 1} March 2026 10:00 GMT",
        f"{place} (Reuters) - {p1}", SITE_CHROME[0], p2, SITE_CHROME[1], p3, "Reuters",
    ])
    return orjson.dumps({"id": f"page-{n}", "content": text, "format": "text", "source": SITE})


def send_and_read(stack: Stack, ns: range) -> dict[int, str]:
    """Send pages `ns`, wait for their decisions, and return each page's body as its article on
    wire.articles has it (every one must be a new story)."""
    produce(stack.bootstrap, stack.topic(topics.RAW), [(f"page-{n}".encode(), page(n), 0) for n in ns])
    ids = {f"page-{n}" for n in ns}
    decided = {d["input_id"]: d for d in stack.decisions_for(ids) if d["input_id"] in ids}
    assert {i: d["decision"] for i, d in decided.items()} == dict.fromkeys(ids, "new"), stack.logs()
    articles = {r["value"]["uri"]: r["value"] for r in read_topic(stack.bootstrap, stack.topic(topics.ARTICLES))}
    return {n: articles[decided[f"page-{n}"]["uri"]]["bodies"][0]["value"] for n in ns}


def test_learned_chrome_is_still_removed_after_a_restart_on_an_empty_disk(bootstrap: str, tmp_path: Path) -> None:
    """Pages of one site, one at a time, until the memory has learned the site's chrome (however many stories
    that takes is the memory's business); then a restart on an empty disk, and the next page of the site still
    comes out without it."""
    assert not any(is_chrome_line(line) for line in SITE_CHROME)  # only the memory can remove them
    last = len(STORIES) - 1
    stack = Stack(bootstrap, tmp_path)
    stack.create_topics()
    try:
        first = stack.start_worker("w1")
        (body,) = send_and_read(stack, range(1)).values()
        assert all(line in body for line in SITE_CHROME), body  # nothing learned yet: the chrome is in
        for n in range(1, last):
            (body,) = send_and_read(stack, range(n, n + 1)).values()
            if not any(line in body for line in SITE_CHROME):
                break
        else:
            pytest.fail(f"{last} stories of the site did not teach the memory its chrome:\n{body}")
        assert STORIES[n][2][2] in body  # the story's own paragraphs stay

        stack.stop_worker(first)
        stack.start_worker("w2-fresh-disk")  # no local state: what was learned must come back from the broker
        (after,) = send_and_read(stack, range(last, last + 1)).values()
        assert not any(line in after for line in SITE_CHROME), (after, stack.logs())
        assert after.split("\n\n") == [f"BODO (Reuters) - {STORIES[last][2][0]}", *STORIES[last][2][1:]]
    finally:
        stack.stop_all()
