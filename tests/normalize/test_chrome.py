"""Chrome detection: the per-line classifier on unseen wording."""

from __future__ import annotations

import pytest

from streams.normalize.chrome import (
    classify_lines,
    is_chrome_line,
    is_comments_heading,
    line_key,
    speaks_as_house,
)

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


#: Chrome only one site prints, worded so that no pattern knows it (the memory learns it: test_memory.py).
SITE_CHROME = [
    "Tide tables and ferry times for the whole coast are updated at dawn every day.",
    "Lighthouse Club members get the crossword and the fishing report before anyone else does.",
]


def test_site_chrome_is_not_known_to_the_patterns() -> None:
    for line in SITE_CHROME:
        assert not is_chrome_line(line)


def test_classify_lines_agrees_with_is_chrome_line() -> None:
    lines = CHROME + STORY + SITE_CHROME
    assert classify_lines(lines) == [is_chrome_line(line) for line in lines]
    assert classify_lines([]) == []
