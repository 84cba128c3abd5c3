"""Render a `Story` as text: a plain wire page, a newspaper page that republished it, or Reuters-21578 SGML.

* `wire_text`: what a wire desk's plain feed prints. Headline, an optional byline, a dateline line
  (``CAIRO 1996-12-06`` or ``NEW YORK, Feb 26``) or the dateline opening the first paragraph
  (``NEW YORK, Feb 26 (Reuters) - ...``), the paragraphs (table rows one a line, aligned as the wire
  printed them), a credit line (``Reuters``, ``Reuter``, ``(Reuters)``). No chrome at all.
* `page_text`: an invented outlet's page as a browser copies it (`streams.quality.through.outlets`):
  masthead and menus, headline (often sentence case), byline, date, share buttons, a captioned picture,
  the story with the outlet's chrome between paragraphs ("Read more: ...", "Listen to this article",
  newsletter and subscription prompts, "Advertisement"), the credit line, then most-read lists, tags,
  comments and the copyright line. Table rows come out as a copied ``<pre>`` (aligned) or ``<table>``
  (cells separated by tabs).
* `sgml`: the story's own Reuters-21578 SGML; a CoNLL-2003 document is written in the collection's
  layout (hard-wrapped, paragraphs indented, rows on lines of their own, the ``Reuter`` signoff).

Each renderer returns a `Rendered`: the envelope to send and the gold body lines that must come out
again (the dateline prefix belongs to the body when the page prints it there).
"""

from __future__ import annotations

import random
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from streams.model import Envelope
from streams.quality.through.outlets import Outlet
from streams.quality.through.stories import Story

_COLUMN_GAP = re.compile(r"\s{2,}")

#: Picture captions an outlet prints over a wire story (generic: the corpus has no pictures).
CAPTIONS = (
    "A view of the city's financial district at dusk.",
    "Traders work on the floor of the exchange.",
    "Officials arrive for the meeting.",
    "A worker walks past containers at the port.",
    "Spectators watch from the stands.",
    "Delegates listen to a speech during the conference.",
)


@dataclass(frozen=True, slots=True)
class Rendered:
    """One rendered input: the envelope, the body lines that must be delivered, and who printed it."""

    envelope: Envelope
    gold: tuple[str, ...]
    story: Story
    outlet: str | None = None


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _month_day(dt: datetime) -> str:
    return f"{dt.strftime('%b')} {dt.day}"


def dateline_prefix(story: Story, agency: str = "Reuters") -> str:
    """``NEW YORK, Feb 26 (Reuters) - `` for a story with a dateline place."""
    return f"{story.place}, {_month_day(story.when)} ({agency}) - " if story.place else ""


def sentence_case(headline: str) -> str:
    """How an outlet retitles a wire headline written in capitals: "Oil prices fall as OPEC talks stall"."""
    if not headline.isupper():
        return headline
    words = headline.lower().split()
    return " ".join(words)[:1].upper() + " ".join(words)[1:] if words else headline


def _row_as_copied(printed: str, tabs: bool) -> str:
    """A table row as copied from a page: a ``<pre>`` keeps its alignment, a ``<table>`` gives tabs."""
    return "\t".join(_COLUMN_GAP.split(printed)) if tabs else printed


def wire_text(story: Story, rng: random.Random, *, delay: timedelta = timedelta()) -> Rendered:
    """The plain wire page (no chrome): headline, dateline, paragraphs, credit."""
    lines = [story.headline if rng.random() < 0.7 else sentence_case(story.headline)]
    if story.author and (story.corpus == "conll2003" or rng.random() < 0.5):
        lines.append(story.author)
    body = [story.printed[i] if story.rows[i] else story.lines[i] for i in range(len(story.lines))]
    gold = list(story.lines)
    style = rng.random()
    if story.place and style < 0.45:
        lines.append(f"{story.place} {story.when.date().isoformat()}")
    elif story.place and style < 0.7:
        lines.append(f"{story.place}, {_month_day(story.when)}")
    elif story.place and not story.rows[0]:
        body[0] = gold[0] = dateline_prefix(story) + body[0]
    blank = rng.random() < 0.5
    for line in body:
        if blank:
            lines.append("")
        lines.append(line)
    lines += ["", rng.choice(("Reuters", "Reuters", "Reuter", "(Reuters)"))]
    when = story.when + delay
    env = Envelope(id=f"{story.id}@wire-text", content="\n".join(lines) + "\n", format="text",
                   received_at=iso(when), source=f"wire-text/{story.id}.txt")
    return Rendered(env, tuple(gold), story)


#: Picks another story's headline for a teaser link (its own generator: what else is rendered does not
#: change the rest of a page).
Teasers = Callable[[], str]


def teaser_picker(headlines: list[str], rng: random.Random, own: str) -> Teasers:
    """Headlines of other stories, in sentence case as outlets link to them."""

    def pick() -> str:
        for _ in range(5):
            choice = rng.choice(headlines) if headlines else ""
            if choice and choice != own:
                return sentence_case(choice)
        return "Markets wrap: stocks end the week higher"

    return pick


def inside_chrome(story: Story, outlet: Outlet, rng: random.Random) -> dict[int, str]:
    """Where the outlet puts which of its chrome: after a paragraph (never between two table rows, never after
    the last), 1 to 3 different pieces."""
    n = len(story.lines)
    slots = [i for i in range(n - 1) if not (story.rows[i] and story.rows[i + 1])]
    count = min(rng.choice((1, 2, 2, 3)), len(slots), len(outlet.inside))
    return dict(zip(sorted(rng.sample(slots, count)), rng.sample(outlet.inside, count), strict=True))


def page_text(
    story: Story, outlet: Outlet, rng: random.Random, *, teasers: Teasers, delay: timedelta = timedelta(hours=2)
) -> Rendered:
    """The page of an outlet that republished the story, as page text (chrome around and inside it)."""
    when = story.when + delay
    lines: list[str] = list(outlet.masthead)
    headline = sentence_case(story.headline) if rng.random() < 0.7 else story.headline
    lines.append(headline)
    byline = story.author or rng.choice(outlet.bylines)  # the wire reporter's byline travels with the story
    date_line = when.strftime(outlet.date_format)
    if rng.random() < 0.5:
        lines += [x for x in (byline, date_line) if x]
    else:
        lines += [x for x in (date_line, byline) if x]
    lines += list(outlet.share)
    if rng.random() < 0.5:
        caption = rng.choice(CAPTIONS)
        if rng.random() < 0.5:
            lines += [caption, f"{caption} ({outlet.caption_credit.strip('()')})"]
        else:
            lines.append(f"{caption} {outlet.caption_credit}")
    gold = list(story.lines)
    tabs = rng.random() < 0.4
    body = [_row_as_copied(story.printed[i], tabs) if story.rows[i] else story.lines[i] for i in range(len(gold))]
    dateline_line = None
    if story.place and not story.rows[0]:  # outlets keep the wire's dateline: it says where the story is
        body[0] = gold[0] = dateline_prefix(story) + body[0]
    elif story.place:  # a story that opens with a table: the dateline on a line of its own above it
        dateline_line = dateline_prefix(story).strip()
    inside = inside_chrome(story, outlet, rng)
    blank = rng.random() < 0.6
    if dateline_line:
        lines.append(dateline_line)
    for i, line in enumerate(body):
        if blank:
            lines.append("")
        lines.append(line)
        if i in inside:
            chrome = inside[i].format(teaser=teasers())
            lines += ["", chrome] if blank else [chrome]
    lines += ["", rng.choice(outlet.credits), ""]
    lines += [x.format(teaser=teasers()) for x in outlet.footer]
    lines.append(outlet.copyright)
    env = Envelope(id=f"{story.id}@page-text@{outlet.domain}", content="\n".join(lines) + "\n", format="text",
                   received_at=iso(when), source=f"page-text/{story.id}.txt")
    return Rendered(env, tuple(gold), story, outlet.name)


def _sgml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def conll_sgml(story: Story, number: int) -> str:
    """A CoNLL-2003 document in the Reuters-21578 layout (hard-wrapped, indented paragraphs, ``Reuter``)."""
    body: list[str] = []
    for line, row in zip(story.lines, story.rows, strict=True):
        if row:
            body.append(" " + _sgml_escape(line))
            continue
        wrapped = textwrap.wrap(_sgml_escape(line), 65) or [""]
        body.append("    " + wrapped[0])
        body.extend(wrapped[1:])
    date = story.when.strftime("%d-%b-%Y %H:%M:%S.00").upper()
    dateline = f"    {story.place}, {_month_day(story.when)} - " if story.place else ""
    slug = "BC-" + "-".join(story.headline.upper().split()[:3])[:20]
    return (
        f'<REUTERS TOPICS="NO" NEWID="{number}">\n<DATE>{date}</DATE>\n<TOPICS></TOPICS>\n<PLACES></PLACES>\n'
        f"<PEOPLE></PEOPLE>\n<ORGS></ORGS>\n<EXCHANGES></EXCHANGES>\n<COMPANIES></COMPANIES>\n"
        f"<UNKNOWN> \n&#5;&#5;&#5;V\n&#22;&#22;&#1;f{number:04d}&#31;reute\nu f {_sgml_escape(slug)}</UNKNOWN>\n"
        f"<TEXT>&#2;\n<TITLE>{_sgml_escape(story.headline)}</TITLE>\n<DATELINE>{dateline}</DATELINE>"
        f"<BODY>{chr(10).join(body)}\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>"
    )


def sgml(story: Story, number: int) -> Rendered:
    """The story as Reuters-21578 SGML: its own element, or a CoNLL document written in that layout."""
    content = story.sgml if story.sgml is not None else conll_sgml(story, number)
    env = Envelope(id=f"{story.id}@sgml", content=content, format="reuters21578", received_at=iso(story.when),
                   source=f"sgml/{story.id}.sgm")
    return Rendered(env, story.lines, story)
