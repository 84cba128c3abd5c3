"""Read a story printed as page text (no markup, site chrome mixed in) into an `Extracted`.

The shape this reader expects is the one pages print when copied as text (see the seed): some
chrome, the headline (the first substantial title-like line), a standfirst, a byline and a date
line, a picture caption printed twice (the second time with the photo credit in parentheses),
the story paragraphs with chrome blocks in between, a credit line ("Reuters") and more chrome.
Chrome is dropped by :func:`streams.normalize.chrome.is_chrome_line`, by the "house voice" rule (a line
inside a run of chrome that speaks as the site, "we need reporters"), and by a
:class:`streams.normalize.chrome.ChromeMemory` when one is given.

The parts: `text_lines` measures lines, `text_meta` finds the header, captions and credits,
`text_region` chooses the story region (the contiguous run of lines richest in prose) below the header.
"""

from __future__ import annotations

from streams.normalize.chrome import ChromeMemory, classify_lines
from streams.normalize.formats.base import Extracted
from streams.normalize.formats.text_lines import MARKUP, clean
from streams.normalize.formats.text_meta import (
    MASTHEAD_LINES,
    find_captions,
    find_header,
    find_story_end,
    guess_publisher,
    parse_byline,
)
from streams.normalize.formats.text_region import mark_house_voice, mark_teasers, story_paragraphs
from streams.normalize.vocab import CREDIT_LINE_RE

__all__ = ["guess_publisher", "parse_byline", "parse_page_text", "parse_text"]


def parse_text(
    text: str,
    *,
    chrome: ChromeMemory | None = None,
    publisher: str | None = None,
    site: str | None = None,
) -> Extracted:
    """Extract one story from page text.

    ``publisher`` overrides the name guessed from the chrome; ``site`` (the envelope's source, when
    known) keys the chrome memory, else the publisher name does.
    """
    lines = [c for c in (clean(raw) for raw in text.splitlines()) if c]
    n = len(lines)
    bad = classify_lines(lines)
    for i, line in enumerate(lines):
        if line[0] == "<" and MARKUP.match(line):
            bad[i] = True  # raw markup the page printed as text (a tracking pixel, an embed)
    if publisher is None:
        publisher = guess_publisher([line for line, b in zip(lines, bad, strict=True) if b], lines[:MASTHEAD_LINES])
    if chrome is not None:
        # Structural lines recur by nature (the credit line, a staff reporter's byline): the
        # memory never removes them, only lines that would otherwise pass as story text.
        for i, line in enumerate(lines):
            if (
                not bad[i]
                and chrome.is_learned(site or publisher, line)
                and not CREDIT_LINE_RE.match(line)
                and parse_byline(line) is None
            ):
                bad[i] = True
    used = [False] * n

    head = find_header(lines, bad, used)
    headline = lines[head.head_idx] if head.head_idx >= 0 else None
    byline, standfirst, published, modified = head.byline, head.standfirst, head.published, head.modified
    body_start = head.body_start

    captions = find_captions(lines, bad, used, body_start)

    credits, body_start, body_end = find_story_end(lines, bad, used, body_start)
    if byline and byline[2]:
        credits.append(byline[2])
    if head.credit and head.credit not in credits:
        credits.append(head.credit)

    body = range(body_start, body_end)
    mark_teasers(lines, bad, body)
    mark_house_voice(lines, bad, used, body, publisher)
    paragraphs = story_paragraphs(lines, bad, used, body, headline)

    if chrome is not None:
        story_key = (headline or "") + "\n" + (paragraphs[0] if paragraphs else "")
        chrome.observe(site or publisher, lines, story_key)

    return Extracted(
        headline=headline,
        standfirst=standfirst,
        byline=byline[0] if byline else None,
        authors=byline[1] if byline else (),
        published=published,
        modified=modified,
        paragraphs=tuple(paragraphs),
        captions=tuple(captions),
        credits=tuple(credits),
        publisher=publisher,
    )


#: The name the extraction evaluation looks for (``streams.quality.evaluate.extraction --mode text``).
parse_page_text = parse_text
