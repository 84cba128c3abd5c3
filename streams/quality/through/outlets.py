"""Invented outlets that republish wire stories: their names, page furniture and the chrome they put inside a story.

None of these sites exists; their chrome is written the way news sites word theirs (masthead and menus,
share buttons, captions, "Read more: ..." teasers and "Listen to this article" inside the story, newsletter
and subscription prompts, most-read lists, tags, comments, copyright lines). The outlets differ on purpose
(wording, order, date formats, credit lines, where the chrome goes) so that an extractor tuned on some of
them is measured on the others too: `DEV_OUTLETS` were looked at while tuning the readers,
`HELD_OUT_OUTLETS` never were (``--outlets held-out`` renders only those).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Outlet:
    """One invented publisher and the furniture of its pages."""

    name: str
    domain: str
    masthead: tuple[str, ...]  # lines above the story (masthead, menu, section)
    date_format: str  # strftime
    bylines: tuple[str, ...]  # one is printed ("" prints none)
    share: tuple[str, ...]  # share buttons printed under the byline (page text)
    inside: tuple[str, ...]  # chrome put between paragraphs; "{teaser}" is another story's headline
    credits: tuple[str, ...]  # the wire credit under the story
    footer: tuple[str, ...]  # lines after the story; "{teaser}" lines become a list of other headlines
    copyright: str
    caption_credit: str  # printed after a picture caption
    html_style: str  # "semantic", "soup" or "jsonld": how `render_html` builds its pages
    tuned: bool  # True: looked at while tuning; False: held out


DEV_OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        name="The Harbour Gazette",
        domain="harbourgazette.example",
        masthead=("The Harbour Gazette", "Home | News | Business | Sport | Opinion", "World"),
        date_format="%A %d %B %Y %H:%M GMT",
        bylines=("Staff and agencies", "Reuters", ""),
        share=("Share on Facebook", "Share on X", "Email"),
        inside=(
            "Read more: {teaser}",
            "Advertisement",
            "Sign up for our free morning briefing, delivered to your inbox.",
            "Related: {teaser}",
        ),
        credits=("Reuters",),
        footer=("Topics", "World news", "Markets", "More from The Harbour Gazette", "{teaser}", "{teaser}",
                "{teaser}", "Comments", "Join the conversation"),
        copyright="© 2024 The Harbour Gazette. All rights reserved.",
        caption_credit="(REUTERS/Staff)",
        html_style="semantic",
        tuned=True,
    ),
    Outlet(
        name="Metro Courier",
        domain="metrocourier.example",
        masthead=("METRO COURIER", "Menu", "Search", "Sign in", "Business"),
        date_format="%B %d, %Y %I:%M %p",
        bylines=("By Reuters staff", "From Reuters", ""),
        share=("Share", "Tweet", "Copy link"),
        inside=(
            "Listen to this article",
            "Story continues below advertisement",
            "READ MORE: {teaser}",
            "Subscribe now for unlimited access to Metro Courier journalism.",
        ),
        credits=("Reuters", "— Reuters"),
        footer=("Trending now", "{teaser}", "{teaser}", "{teaser}", "Most read", "{teaser}", "{teaser}"),
        copyright="Copyright 2024 Metro Courier Media",
        caption_credit="Photo: Reuters",
        html_style="soup",
        tuned=True,
    ),
    Outlet(
        name="Northern Star Online",
        domain="northernstar.example",
        masthead=("Northern Star Online", "Skip to main content", "News", "Money", "Sport"),
        date_format="%d/%m/%Y %H:%M",
        bylines=("Reuters", "Agency staff", ""),
        share=("Facebook", "WhatsApp", "Email"),
        inside=(
            "Don't miss: {teaser}",
            "Advertisement",
            "Get the Northern Star newsletter: sign up for free",
            "Listen to this story",
        ),
        credits=("Reuters contributed to this report.", "Reuters"),
        footer=("You may also like", "{teaser}", "{teaser}", "{teaser}", "Back to top"),
        copyright="(c) Northern Star Online 2024",
        caption_credit="(Reuters)",
        html_style="jsonld",
        tuned=True,
    ),
    Outlet(
        name="Daily Ledger",
        domain="dailyledger.example",
        masthead=("Daily Ledger", "Markets | Economy | Companies | Tech", "Markets"),
        date_format="Published %d %b %Y, %H:%M",
        bylines=("Reuters", "By Reuters", ""),
        share=("Share this article", "Print"),
        inside=(
            "Read more: {teaser}",
            "Become a member from $1 a week and support our journalism.",
            "Advertisement",
            "Listen to this article",
        ),
        credits=("Reuters",),
        footer=("Related stories", "{teaser}", "{teaser}", "Comments", "Leave a comment"),
        copyright="© Daily Ledger 2024",
        caption_credit="REUTERS/File Photo",
        html_style="semantic",
        tuned=True,
    ),
    Outlet(
        name="Valley Tribune",
        domain="valleytribune.example",
        masthead=("The Valley Tribune", "Local | National | World | Business", "Business"),
        date_format="%b %d %Y",
        bylines=("Staff and wire reports", "Reuters", ""),
        share=("Share on Facebook", "Share on LinkedIn"),
        inside=(
            "Related: {teaser}",
            "Advertisement",
            "Enter your email to get our daily headlines.",
        ),
        credits=("Reuters", "(Reuters)"),
        footer=("Recommended stories", "{teaser}", "{teaser}", "Tags", "World"),
        copyright="© 2024 The Valley Tribune",
        caption_credit="(REUTERS)",
        html_style="soup",
        tuned=True,
    ),
)

HELD_OUT_OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        name="Coastal Chronicle",
        domain="coastalchronicle.example",
        masthead=("Coastal Chronicle", "Today's paper", "Log in", "World | Economy | Sport"),
        date_format="Updated %H:%M %d %B %Y",
        bylines=("By Reuters", "Reuters news agency", ""),
        share=("Share on WhatsApp", "Share via email"),
        inside=(
            "ALSO READ: {teaser}",
            "Listen to this article",
            "Want the news that matters? Subscribe to our newsletters.",
            "Advertisement",
        ),
        credits=("Reuters",),
        footer=("Most popular", "{teaser}", "{teaser}", "{teaser}", "Comments (12)", "© Coastal Chronicle"),
        copyright="Copyright © 2024 Coastal Chronicle. All rights reserved.",
        caption_credit="(Photo: Reuters)",
        html_style="jsonld",
        tuned=False,
    ),
    Outlet(
        name="Prairie Post",
        domain="prairiepost.example",
        masthead=("PRAIRIE POST", "Subscribe", "Sign in", "News", "Farm & Markets"),
        date_format="%m/%d/%Y %I:%M %p CT",
        bylines=("Reuters", "By Reuters staff", ""),
        share=("Facebook", "X", "Email", "Print"),
        inside=(
            "Sponsored content",
            "Read more: {teaser}",
            "Sign up for Prairie Post Business, our free weekly newsletter.",
            "Story continues after advertisement",
        ),
        credits=("— Reuters", "Reuters"),
        footer=("Latest news", "{teaser}", "{teaser}", "Report an error", "Comments"),
        copyright="© 2024 Prairie Post Publishing",
        caption_credit="Reuters photo",
        html_style="semantic",
        tuned=False,
    ),
    Outlet(
        name="The Island Observer",
        domain="islandobserver.example",
        masthead=("The Island Observer", "Home", "Politics", "Business", "World"),
        date_format="%d %B %Y",
        bylines=("Reuters", "Wire staff", ""),
        share=("Share", "Email"),
        inside=(
            "Listen to this article",
            "Related: {teaser}",
            "Already a subscriber? Log in to read more.",
            "Advertisement",
        ),
        credits=("Reuters",),
        footer=("Read next", "{teaser}", "Trending", "{teaser}", "{teaser}"),
        copyright="© The Island Observer 2024",
        caption_credit="REUTERS",
        html_style="soup",
        tuned=False,
    ),
)

ALL_OUTLETS: tuple[Outlet, ...] = DEV_OUTLETS + HELD_OUT_OUTLETS


def outlets(which: str) -> tuple[Outlet, ...]:
    """The outlets of a selection: "dev", "held-out" or "all"."""
    if which == "dev":
        return DEV_OUTLETS
    if which == "held-out":
        return HELD_OUT_OUTLETS
    if which == "all":
        return ALL_OUTLETS
    raise ValueError(f"unknown outlet selection {which!r} (dev, held-out, all)")
