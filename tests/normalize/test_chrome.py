"""Chrome detection: the per-line classifier on unseen wording, and the per-publisher memory on a run of pages."""

from __future__ import annotations

import pytest

from streams.model import Envelope
from streams.normalize.chrome import (
    ChromeMemory,
    classify_lines,
    is_chrome_line,
    is_comments_heading,
    line_key,
    speaks_as_house,
)
from streams.normalize.formats.text import parse_text
from streams.normalize.normalizer import Normalizer

# Invented chrome, worded unlike the seed: the classifier must recognise the kind, not the sentence.
CHROME = [
    "Turn on push notifications so you never miss a story from The Evening Bell",
    "Get instant alerts from Coastline Today",
    "Sign up for our weekly politics newsletter",
    "Enter your email to get the briefing",
    "Your contribution keeps our reporters in the field.",
    "Support independent journalism: donate from just £1",
    "Join the discussion below",
    "Log in to comment",
    "Thank you for signing up",
    "Please reload your browser to continue",
    "Most read",
    "Related stories",
    "More from Business",
    "You may also like",
    "Advertisement",
    "Sponsored content",
    "Story continues below advertisement",
    "We use cookies to personalise content and ads.",
    "By using this site you accept our cookie policy",
    "Share this article",
    "© 2024 Northern Courier Ltd. All rights reserved.",
    "38 comments",
    "4 min read",
    # donation / membership appeals (invented wording)
    "Please consider a small donation so our reporters can keep doing this work.",
    "Why not consider making a monthly contribution today?",
    "Consider a gift of any size to help us keep reporting.",
    "Help keep our reporting free and open for every reader.",
    "Support our local journalism with a one-off payment.",
    "Independent journalism costs money: readers like you are our only supporters.",
    "Become a supporter today.",
    "You could also consider becoming a member.",
]
# Story text that mentions the same words in passing must stay.
STORY = [
    "The minister said the newsletter sent to party members had been a mistake.",
    "Shares in the cookie maker rose 4 percent after the company raised its forecast.",
    "Voters who did not register before the deadline will not be able to take part.",
    "The app, which lets users share photos, was downloaded a million times in a week.",
    "Police said they had received 38 comments from witnesses by Monday evening.",
    '"We need more support from the government," the union leader said.',
    "Comments by the central bank governor sent the currency lower.",
    "Shareholders will have the right to subscribe for one new share for every ten held.",
    "Each warrant gives the right to subscribe to one share at 12 francs until 1990.",
    "The terms and conditions of the offer will be mailed to shareholders next week.",
    "The company will become a member of the industry group in May, it said.",
    "The foundation said it would donate 25 percent of its funds to research.",
    "Banks that sign up for the deal within 30 days will receive a fee of 3/8 pct.",
    "Economists said in a weekly newsletter that growth would slow.",
    "The firm received notification from the patent office that its patent was granted.",
    "The rise will not make a contribution to operating margins, the company said.",
    "The board will consider a contribution to the pension fund next month, the chairman said.",
    "The charity said it would consider a donation from the company.",
    "Estonia hopes to become a member of the euro zone within two years.",
    "The government said it would support independent media outlets in the region.",
    "The bank is making a donation to flood victims, a spokesman said.",
]


@pytest.mark.parametrize("line", CHROME)
def test_classifier_flags_unseen_chrome(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", STORY)
def test_classifier_keeps_story_text(line: str) -> None:
    assert not is_chrome_line(line)


def test_comment_thread_headings() -> None:
    for line in ("[ 167 comments ]", "Top Rated Comments", "View all 23 comments", "Comments (4)", "12 responses"):
        assert is_comments_heading(line), line
    for line in ("Comments by the governor sent the dollar lower.", "Responses to the plan were mixed"):
        assert not is_comments_heading(line), line


def test_house_voice_ignores_quotes() -> None:
    assert speaks_as_house("At this moment we need reporters on the ground.")
    assert not speaks_as_house('"We are not willing to comment," Peskov said.')


def test_line_key_folds_case_and_space_not_numbers() -> None:
    assert line_key("12  Comments ") == line_key("12 comments")
    assert line_key("round 3") != line_key("round 4")


# --- the memory, on a run of pages from one invented site -----------------------------------------

#: Chrome only this site prints, worded so that no pattern knows it (checked below).
SITE_CHROME = [
    "Tide tables and ferry times for the whole coast are updated at dawn every day.",
    "Lighthouse Club members get the crossword and the fishing report before anyone else does.",
]


FLEETS = ["cod", "herring", "mackerel", "haddock", "saithe", "plaice"]
PLACES = ["Bergen", "Tromso", "Alesund", "Bodo", "Hammerfest", "Kristiansund"]


def page(i: int) -> str:
    fish, place = FLEETS[i % 6], PLACES[i % 6]
    return f"""The Harbour Post

{place} {fish} fleet waits for quota deal as talks drag on

Negotiators meet again next week after the {fish} session ended without agreement

By Ines Kvale
{i + 1} March 2021 10:00 GMT

{place.upper()} (Reuters) - Talks on {fish} quotas ended without a deal on Tuesday, officials in {place} said.

{SITE_CHROME[0]}

The two sides disagree on how much {fish} the {place} fleet may land in the year from January.

{SITE_CHROME[1]}

A spokesman for the fisheries ministry said a further meeting on {fish} was planned in {place}.

Reuters
"""


def test_site_chrome_is_not_known_to_the_patterns() -> None:
    for line in SITE_CHROME:
        assert not is_chrome_line(line)


def test_memory_learns_a_sites_chrome_after_n_stories() -> None:
    memory = ChromeMemory({}, min_stories=3)
    bodies = []
    for i in range(1, 6):
        ex = parse_text(page(i), chrome=memory)
        bodies.append(ex.paragraphs)
    # stories 1-3 are read before the lines have been seen in 3 stories: the chrome is still in
    for paras in bodies[:3]:
        assert SITE_CHROME[0] in paras and SITE_CHROME[1] in paras
    # from the 4th story on it is learned and removed; the story's own paragraphs all stay
    for i, paras in enumerate(bodies[3:], start=4):
        assert SITE_CHROME[0] not in paras and SITE_CHROME[1] not in paras
        assert len(paras) == 3
        assert paras[0].startswith(f"{PLACES[i % 6].upper()} (Reuters) - Talks on {FLEETS[i % 6]} quotas")
        assert paras[2].endswith(f"was planned in {PLACES[i % 6]}.")


def test_memory_through_the_normalizer_with_a_table_like_mapping() -> None:
    table: dict[str, int] = {}
    n = Normalizer(chrome=ChromeMemory(table, min_stories=3))
    results = [n.normalize(Envelope(id=str(i), content=page(i), source="harbourpost.example")) for i in range(1, 6)]
    last = results[-1]
    assert isinstance(last, dict)
    assert "Tide tables" not in last["bodies"][0]["value"]
    first = results[0]
    assert isinstance(first, dict) and "Tide tables" in first["bodies"][0]["value"]
    assert all(k.startswith("harbourpost.example|") for k in table)


def test_resends_of_one_story_teach_nothing() -> None:
    memory = ChromeMemory({}, min_stories=3)
    for _ in range(6):
        parse_text(page(1), chrome=memory)
    ex = parse_text(page(1), chrome=memory)
    assert len(ex.paragraphs) == 5  # three story paragraphs and the two chrome lines: nothing learned


def test_memory_is_per_publisher() -> None:
    memory = ChromeMemory({}, min_stories=2)
    memory.observe("a", ["Shared line"], "s1")
    memory.observe("a", ["Shared line"], "s2")
    assert memory.is_learned("a", "shared  LINE")
    assert not memory.is_learned("b", "Shared line")
    with pytest.raises(ValueError):
        ChromeMemory({}, min_stories=1)


def test_classify_lines_agrees_with_is_chrome_line() -> None:
    lines = CHROME + STORY + SITE_CHROME
    assert classify_lines(lines) == [is_chrome_line(line) for line in lines]
    assert classify_lines([]) == []


def test_memory_space_is_bounded_and_chrome_survives_body_churn() -> None:
    table: dict[str, int] = {}
    memory = ChromeMemory(table, min_stories=3, slots=512)
    chrome = ["Harbour Post: the coast's own newspaper since 1911, printed in Bergen every day of the week."]
    for story in range(600):
        body = [f"Story {story} paragraph {p} says something different from every other line." for p in range(40)]
        memory.observe("harbour", [*body[:20], *chrome, *body[20:]], f"story-{story}")
    assert len(table) <= 512
    assert memory.is_learned("harbour", chrome[0])
    fresh = [f"Story 9999 paragraph {p} says something different from every other line." for p in range(40)]
    assert not any(memory.is_learned("harbour", line) for line in fresh)
    assert all(0 <= v < 2**63 for v in table.values())  # fits any serializer (orjson: 64-bit ints)
