"""Render a `Story` as the HTML page of an invented outlet that republished it (`--through html`).

Three page styles, as outlets build them (`Outlet.html_style`):

* ``semantic``: ``<header>``/``<nav>``, an ``<article>`` with ``<h1>``, byline, ``<time>``, a ``<figure>``,
  the body's ``<p>``s with the outlet's chrome between them (an unmarked "Read more:" paragraph, an ad
  slot, a newsletter box with its form, an audio player's "Listen to this article"), then share tools, a
  most-read ``<aside>`` and a ``<footer>``;
* ``soup``: the same content in ``<div>``s whose class names say nothing (``c-19``), paragraphs as
  ``<div>`` text, no ``<article>`` or ``<main>``;
* ``jsonld``: a semantic page that also carries a JSON-LD ``NewsArticle`` with the wire story's
  ``articleBody`` (plain text, rows one a line) and the agency as author.

Table rows go out as a ``<pre>`` (aligned columns) or a ``<table>`` (one cell per column); the gold body
keeps one line per row, which is what must come out of the text body.
"""

from __future__ import annotations

import html
import random
import re
from datetime import timedelta

import orjson

from streams.model import Envelope
from streams.quality.through.outlets import Outlet
from streams.quality.through.render_text import (
    CAPTIONS,
    Rendered,
    Teasers,
    dateline_prefix,
    inside_chrome,
    iso,
    sentence_case,
)
from streams.quality.through.stories import Story

_COLUMN_GAP = re.compile(r"\s{2,}")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _table(printed: list[str], rng: random.Random, soup: bool) -> str:
    if rng.random() < 0.5:
        return "<pre>" + _e("\n".join(printed)) + "</pre>"
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(c)}</td>" for c in _COLUMN_GAP.split(r.strip())) + "</tr>" for r in printed
    )
    cls = ' class="c-44"' if soup else ' class="data-table"'
    return f"<table{cls}><tbody>{rows}</tbody></table>"


def _inside(text: str, other: str, soup: bool) -> str:
    """One piece of the outlet's chrome inside the story, marked up as such sites mark it up."""
    low = text.lower()
    href = "/" + "-".join(other.lower().split()[:6])
    if ":" in text and other in text:
        label = _e(text.split(":")[0])
        return f'<p><strong>{label}:</strong> <a href="{_e(href)}">{_e(other)}</a></p>'
    if low.startswith(("advertisement", "sponsored", "story continues")):
        cls = "c-7" if soup else "ad-slot"
        return f'<div class="{cls}"><span>{_e(text)}</span></div>'
    if low.startswith("listen"):
        cls = "c-31" if soup else "audio-player"
        return f'<div class="{cls}"><button type="button">{_e(text)}</button><span>4 min</span></div>'
    cls = "c-12" if soup else "newsletter-signup"
    return (f'<div class="{cls}"><p>{_e(text)}</p><form><input type="email" placeholder="Email address">'
            f"<button>Sign up</button></form></div>")


def _body_blocks(story: Story, outlet: Outlet, rng: random.Random, teasers: Teasers, first: str) -> list[str]:
    soup = outlet.html_style == "soup"
    n = len(story.lines)
    pieces = inside_chrome(story, outlet, rng)
    blocks: list[str] = []
    i = 0
    while i < n:
        if story.rows[i]:
            j = i
            while j < n and story.rows[j]:
                j += 1
            blocks.append(_table(list(story.printed[i:j]), rng, soup))
            last = j - 1
            i = j
        else:
            text = first if i == 0 else story.lines[i]
            blocks.append(f'<div class="c-3">{_e(text)}</div>' if soup else f"<p>{_e(text)}</p>")
            last = i
            i += 1
        if last in pieces:
            other = teasers()
            blocks.append(_inside(pieces[last].format(teaser=other), other, soup))
    return blocks


def html_page(
    story: Story, outlet: Outlet, rng: random.Random, *, teasers: Teasers, delay: timedelta = timedelta(hours=2)
) -> Rendered:
    """The outlet's HTML page of the story, chrome around and inside it."""
    when = story.when + delay
    soup = outlet.html_style == "soup"
    headline = sentence_case(story.headline) if rng.random() < 0.7 else story.headline
    gold = list(story.lines)
    first = story.lines[0]
    if story.place and not story.rows[0]:  # outlets keep the wire's dateline: it says where the story is
        first = gold[0] = dateline_prefix(story) + first
    byline = story.author or rng.choice(outlet.bylines)  # the wire reporter's byline travels with the story
    credit = rng.choice(outlet.credits)
    body = _body_blocks(story, outlet, rng, teasers, first)
    if story.place and story.rows[0]:  # a story that opens with a table: its dateline in a paragraph above it
        body.insert(0, f"<p>{_e(dateline_prefix(story).strip())}</p>")
    body.append(f'<div class="c-3"><em>{_e(credit)}</em></div>' if soup else f'<p class="credit">{_e(credit)}</p>')
    date_text = when.strftime(outlet.date_format)
    items = [x for line in outlet.masthead[1:] for x in line.split(" | ")]
    menu = "".join(f'<li><a href="/{_e(x.lower().replace(" ", "-"))}">{_e(x)}</a></li>' for x in items)
    more = "".join(
        f'<li><a href="/story/{k}">{_e(teasers())}</a></li>'
        for k in range(4)
    )
    caption = ""
    if rng.random() < 0.5:
        caption = (f'<figure><img src="/img/{story.id}.jpg" alt=""><figcaption>{_e(rng.choice(CAPTIONS))} '
                   f'<span class="credit">{_e(outlet.caption_credit)}</span></figcaption></figure>')
    head = [
        '<meta charset="utf-8">',
        f"<title>{_e(headline)} | {_e(outlet.name)}</title>",
        f'<meta property="og:site_name" content="{_e(outlet.name)}">',
        f'<meta property="og:title" content="{_e(headline)}">',
        f'<link rel="canonical" href="https://{outlet.domain}/news/{story.id}">',
    ]
    if outlet.html_style == "jsonld":
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline,
            "datePublished": iso(when),
            "author": {"@type": "Organization", "name": "Reuters"},
            "publisher": {"@type": "Organization", "name": outlet.name},
            "articleBody": "\n\n".join(gold),
        }
        head.append('<script type="application/ld+json">' + orjson.dumps(ld).decode().replace("</", "<\\/")
                    + "</script>")
    else:
        head.append(f'<meta property="article:published_time" content="{iso(when)}">')
    by = f'<p class="{"c-5" if soup else "byline"}">{_e(byline)}</p>' if byline else ""
    if soup:
        page = (
            f'<div class="c-1"><div class="c-2">{_e(outlet.masthead[0])}</div><ul class="c-9">{menu}</ul></div>'
            f'<div class="c-14"><h1 class="c-15">{_e(headline)}</h1>{by}<div class="c-6">{_e(date_text)}</div>'
            f"{caption}{''.join(body)}"
            f'<div class="c-8">{"".join(f"<a>{_e(s)}</a>" for s in outlet.share)}</div></div>'
            f'<div class="c-20"><div class="c-21">{_e(outlet.footer[0])}</div><ul>{more}</ul></div>'
            f'<div class="c-30">{_e(outlet.copyright)}</div>'
        )
    else:
        page = (
            f'<header class="site-header"><a class="logo" href="/">{_e(outlet.masthead[0])}</a>'
            f"<nav><ul>{menu}</ul></nav></header><main><article><header><h1>{_e(headline)}</h1>{by}"
            f'<time datetime="{iso(when)}">{_e(date_text)}</time></header>{caption}'
            f'<div class="article-body">{"".join(body)}</div>'
            f'<div class="share-tools">{"".join(f"<button>{_e(s)}</button>" for s in outlet.share)}</div>'
            f'</article><aside class="most-read"><h2>{_e(outlet.footer[0])}</h2><ol>{more}</ol></aside></main>'
            f"<footer><p>{_e(outlet.copyright)}</p></footer>"
        )
    content = f'<!doctype html><html lang="en"><head>{"".join(head)}</head><body>{page}</body></html>'
    env = Envelope(id=f"{story.id}@html@{outlet.domain}", content=content, format="html", received_at=iso(when),
                   source=f"html/{story.id}.html")
    return Rendered(env, tuple(gold), story, outlet.name)
