"""The chrome memory: it learns a site's own chrome across different stories, and can never eat a story."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from streams import model
from streams.normalize.chrome import is_chrome_line
from streams.normalize.memory import ChromeMemory, learn, learnable, site_of, strip_learned
from streams.pipeline import Pipeline, State
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]

#: Chrome only one site prints, worded so that no pattern knows it.
SITE_CHROME = [
    "Tide tables and ferry times for the whole coast are updated at dawn every day.",
    "Lighthouse Club members get the crossword and the fishing report before anyone else does.",
]
#: Six different stories (dedupe must see different stories), each a headline and three paragraphs.
STORIES = [
    ("Bergen cod fleet waits for quota deal as talks drag on",
     "BERGEN (Reuters) - Talks on cod quotas ended without a deal on Tuesday, officials in Bergen said.",
     "The two sides disagree on how much cod the fleet may land in the year from January.",
     "A spokesman for the fisheries ministry said a further meeting was planned for next week."),
    ("Tromso airport closes runway for repairs after frost damage",
     "TROMSO (Reuters) - The airport in Tromso closed its main runway on Wednesday to repair frost damage.",
     "Flights were diverted to Bardufoss, about an hour's drive south, the airport operator said.",
     "Engineers expect the work to take ten days if the weather holds."),
    ("Alesund shipyard wins order for three ferries",
     "ALESUND (Reuters) - A shipyard near Alesund has won an order to build three electric ferries.",
     "The vessels will serve crossings on the west coast from the spring after next.",
     "The yard said the contract would secure work for its staff for two years."),
    ("Bodo council approves plan for new harbour front",
     "BODO (Reuters) - The city council in Bodo approved a plan on Thursday to rebuild the harbour front.",
     "The plan includes a park, housing and a new terminal for coastal steamers.",
     "Opponents said the council had ignored objections from fishermen who use the quay."),
    ("Hammerfest gas plant restarts after maintenance",
     "HAMMERFEST (Reuters) - The liquefied natural gas plant near Hammerfest restarted on Friday.",
     "The operator said production would reach full capacity within a few days.",
     "The plant had been shut for planned maintenance since the start of the month."),
    ("Kristiansund salmon exporters report strong demand from Asia",
     "KRISTIANSUND (Reuters) - Salmon exporters in Kristiansund reported strong demand from Asian buyers.",
     "Prices rose for a third week as supply from other producers remained tight, traders said.",
     "Exporters expect demand to stay firm until the summer, a trade body said."),
]


def page(i: int, *, site: str = "The Harbour Post", headline: str | None = None) -> str:
    """A page of `site` republishing story `i`, the site's chrome between its paragraphs."""
    head, first, second, third = STORIES[i % 6]
    return f"""{site}

{headline or head}

A report from the coast

By Ines Kvale
{i % 27 + 1} March 2021 10:00 GMT

{first}

{SITE_CHROME[0]}

{second}

{SITE_CHROME[1]}

{third}

Reuters
"""


@pytest.fixture()
def pipeline() -> Pipeline:
    return Pipeline(Settings.load({"partners_path": ROOT / "config" / "partners.yaml"}, env={}), State.in_memory())


def run(pipeline: Pipeline, content: str, input_id: str, *, fmt: str | None = "text", source: str = "x") -> Any:
    """One input through prepare and decide: (decision, published article or None)."""
    envelope = {"id": input_id, "content": content, "source": source, **({"format": fmt} if fmt else {})}
    (record,) = pipeline.prepare(orjson.dumps(envelope), input_id)
    assert record.topic == model.NORMALIZED, record.value
    outs = pipeline.decide(record.value)
    decision = next(o.value for o in outs if o.topic == model.DECISIONS)
    article = next((o.value for o in outs if o.topic == model.ARTICLES), None)
    return decision, article


def body(article: dict[str, Any]) -> str:
    return str(article["bodies"][0]["value"])


def test_the_site_chrome_is_unknown_to_the_patterns() -> None:
    assert not any(is_chrome_line(line) for line in SITE_CHROME)


def test_the_pipeline_learns_a_sites_chrome_from_different_stories(pipeline: Pipeline) -> None:
    articles = [run(pipeline, page(i), f"p{i}")[1] for i in range(1, 6)]
    for art in articles[:3]:  # read before the lines were seen in 3 different stories: still in
        assert SITE_CHROME[0] in body(art) and SITE_CHROME[1] in body(art)
    for i, art in enumerate(articles[3:], start=4):  # learned: gone, from the text and the HTML body
        assert SITE_CHROME[0] not in body(art) and SITE_CHROME[1] not in body(art)
        assert "Tide tables" not in art["bodies"][1]["value"]
        assert body(art).split("\n\n") == list(STORIES[i % 6][1:])


def test_versions_and_copies_of_one_story_teach_nothing(pipeline: Pipeline) -> None:
    """The failure the issue reports: versions of one story with different headlines taught the memory the
    story's own paragraphs. Dedupe knows them as one story (one uri), so they count once."""
    heads = [
        "Bergen cod fleet waits for quota deal",
        "Cod talks drag on as Bergen fleet waits",
        "UPDATE 1-Bergen cod fleet waits for quota deal as talks drag on",
        "Bergen cod fleet still waiting for a quota deal",
        "Quota deal eludes Bergen cod fleet",
        "Cod fleet in Bergen waits on",
    ]
    results = [run(pipeline, page(0, headline=h), f"v{n}", source=f"backlog/v{n}.txt") for n, h in enumerate(heads)]
    assert len({decision["uri"] for decision, _ in results}) == 1
    assert all(decision["decision"] != "rejected" for decision, _ in results)
    site = "harbour post"
    for line in SITE_CHROME:
        assert pipeline.memory.stories_seen(site, line) == 1 and not pipeline.memory.is_learned(site, line)


def test_the_site_is_the_publisher_not_the_file_it_came_from(pipeline: Pipeline) -> None:
    # the same site from three different paths: one memory
    for i in range(1, 4):
        run(pipeline, page(i), f"a{i}", source=f"backlog/day{i}/story.txt")
    assert pipeline.memory.is_learned("harbour post", SITE_CHROME[0])
    # another site printing the same line has learned nothing yet
    assert not pipeline.memory.is_learned("the evening lamp", SITE_CHROME[0])
    _, other = run(pipeline, page(4, site="The Evening Lamp"), "b4")
    assert SITE_CHROME[0] in body(other)


def test_site_of_reads_the_page_not_the_path() -> None:
    assert site_of({"infosources": [{"name": "Reuters", "role": "source"},
                                    {"name": "The  Harbour Post", "role": "publisher"}]}) == "harbour post"
    assert site_of({"altids": [{"role": "item-id", "value": "https://www.harbourpost.example/a/1"}]}) == (
        "harbourpost.example"
    )
    assert site_of({"infosources": [{"name": "Reuters", "role": "source"}],
                    "altids": [{"role": "source-id", "value": "/backlog/x.txt"}]}) is None


def test_a_clean_feeds_lines_are_never_learned_from_its_own_pages() -> None:
    memory = ChromeMemory({}, min_stories=2, share=0.1)
    line = "The ministry gave no further details of the plan."
    clean = {"bodies": [{"contenttype": "text/plain", "value": f"First paragraph here.\n\n{line}"}],
             "infosources": [{"name": "Reuters", "role": "source"}]}
    learn(clean, "urn:story:x", memory)  # story x as the wire sent it
    published = {**clean, "infosources": [*clean["infosources"], {"name": "Daily Lamp", "role": "publisher"}]}
    for _ in range(3):  # pages of story x on a site: its own line is never counted
        learn(published, "urn:story:x", memory)
    assert memory.stories_seen("daily lamp", line) == 0
    learn(published, "urn:story:y", memory)  # a page of another story with the line counts
    assert memory.stories_seen("daily lamp", line) == 1
    assert memory.stories_seen("daily lamp", "First paragraph here.") == 1


def test_figures_credits_bylines_and_datelines_are_never_learned() -> None:
    for line in ("Pay April 15", "Record March 31", "Reuters", "By Ines Kvale",
                 "OSLO (Reuters) - Talks ended without a deal on Tuesday."):
        assert not learnable(line)
    memory = ChromeMemory({}, min_stories=2)
    for story in ("s1", "s2", "s3"):
        memory.observe("site", ["Pay April 15", "Reuters", "Our slogan line"], story)
    assert memory.is_learned("site", "Our slogan line")
    assert not memory.is_learned("site", "Pay April 15") and memory.stories_seen("site", "Pay April 15") == 0


def test_a_line_a_few_stories_share_is_not_chrome() -> None:
    """Chrome is on (nearly) every page of a site; a sentence three of forty stories share is not."""
    memory = ChromeMemory({}, min_stories=3, share=0.5)
    common = "The company gave no further details."
    for n in range(40):
        lines = [f"Story {'abcdefghijklmnopqrstuvwxyz'[n % 26]} {n} paragraph.", SITE_CHROME[0]]
        memory.observe("site", [*lines, common] if n < 3 else lines, f"s{n}")
    assert memory.is_learned("site", SITE_CHROME[0])
    assert memory.stories_seen("site", common) == 3 and not memory.is_learned("site", common)


def test_stripping_never_empties_a_story_and_leaves_clean_feeds_alone() -> None:
    memory = ChromeMemory({}, min_stories=2, share=0.1)
    for story in ("s1", "s2"):
        memory.observe("site", SITE_CHROME, story)
    only_chrome = {"infosources": [{"name": "Site", "role": "publisher"}],
                   "bodies": [{"contenttype": "text/plain", "value": "\n\n".join(SITE_CHROME)}]}
    assert strip_learned(only_chrome, memory) == (only_chrome, [])
    clean = {"bodies": [{"contenttype": "text/plain", "value": "\n\n".join([*SITE_CHROME, "A story line."])}]}
    assert strip_learned(clean, memory) == (clean, [])
    page_article = {**only_chrome, "bodies": [
        {"contenttype": "text/plain", "value": "\n\n".join([SITE_CHROME[0], "A story line."])},
        {"contenttype": "text/html", "value": f"<p>{SITE_CHROME[0]}</p><p>A story line.</p>"},
    ]}
    stripped, removed = strip_learned(page_article, memory)
    assert removed == [SITE_CHROME[0]]
    assert stripped["bodies"][0]["value"] == "A story line."
    assert stripped["bodies"][1]["value"] == "<p>A story line.</p>"
    assert page_article["bodies"][0]["value"].startswith("Tide")  # the input is not mutated


def test_memory_is_per_site_and_checks_its_settings() -> None:
    memory = ChromeMemory({}, min_stories=2)
    memory.observe("a", ["Shared line"], "s1")
    memory.observe("a", ["Shared line"], "s2")
    assert memory.is_learned("a", "shared  LINE")
    assert not memory.is_learned("b", "Shared line")
    with pytest.raises(ValueError):
        ChromeMemory({}, min_stories=1)
    with pytest.raises(ValueError):
        ChromeMemory({}, share=0.0)


def test_memory_space_is_bounded_and_chrome_survives_body_churn() -> None:
    table: dict[str, Any] = {}
    memory = ChromeMemory(table, min_stories=3, slots=512, clean_stories=50)
    chrome = ["Harbour Post: the coast's own newspaper, printed in Bergen every day of the week."]
    words = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
             "hotel", "india", "juliet", "kilo", "lima", "mike")

    def spelled(n: int) -> str:  # a different line for every n, without figures (those are never learned)
        return " ".join(words[n // 13**k % 13] for k in range(5))

    for story in range(600):
        lines = [f"Story {spelled(story * 40 + p)} says something of its own." for p in range(40)]
        memory.observe("harbour", [*lines[:20], *chrome, *lines[20:]], f"story-{story}")
        memory.remember_clean(f"clean-{story}", lines)
    assert len([k for k in table if k.startswith("harbour|")]) <= 513  # the slots and the site's own mask
    assert len([k for k in table if k.startswith("~clean|")]) == 50  # the newest clean stories only
    assert memory.is_learned("harbour", chrome[0])
    assert all(0 <= v < 2**63 for k, v in table.items() if k.startswith("harbour|"))  # fits orjson's ints
