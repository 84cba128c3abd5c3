"""Read a story printed as page text (no markup, site chrome mixed in) into an `Extracted`.

The shape this reader expects is the one pages print when copied as text (see the seed): some
chrome, the headline (the first substantial title-like line), a standfirst, a byline and a date
line, a picture caption printed twice (the second time with the photo credit in parentheses),
the story paragraphs with chrome blocks in between, a credit line ("Reuters") and more chrome.
Chrome is dropped by :func:`streams.normalize.chrome.is_chrome_line` and by the "house voice" rule (a line
inside a run of chrome that speaks as the site, "we need reporters"); a site's own furniture that neither
knows is learned across stories later, in the pipeline's decide step (`streams.normalize.memory`).

The parts: `text_lines` measures lines, `text_meta` finds the header, captions and credits,
`text_region` chooses the story region (the contiguous run of lines richest in prose) below the header.
"""

from __future__ import annotations

from streams.normalize.chrome import classify_lines
from streams.normalize.formats.base import Extracted
from streams.normalize.formats.text_lines import (
    MARKUP,
    clean,
    is_headline_shaped,
    is_title_like,
    opens_with_dateline,
)
from streams.normalize.formats.text_meta import (
    MASTHEAD_LINES,
    find_captions,
    find_dateline,
    find_header,
    find_story_end,
    guess_publisher,
    parse_byline,
    plain_header,
    wire_dateline,
)
from streams.normalize.formats.text_region import is_table_row, mark_house_voice, mark_teasers, story_paragraphs
from streams.normalize.vocab import CREDIT_LINE_RE, TRAILER_RE

__all__ = ["guess_publisher", "parse_byline", "parse_page_text", "parse_text"]


def parse_text(text: str, *, publisher: str | None = None) -> Extracted:
    """Extract one story from page text. ``publisher`` overrides the name guessed from the page."""
    lines = [c for c in (clean(raw) for raw in text.splitlines()) if c]
    n = len(lines)
    bad = classify_lines(lines)
    for i, line in enumerate(lines):
        if line[0] == "<" and MARKUP.match(line):
            bad[i] = True  # raw markup the page printed as text (a tracking pixel, an embed)
    if publisher is None:
        publisher = guess_publisher([line for line, b in zip(lines, bad, strict=True) if b], lines[:MASTHEAD_LINES])
    used = [False] * n
    # Nothing to remove: no line is chrome, the page opens with its headline and a byline, date, dateline or
    # paragraph under it (not a second title: a masthead stands above a headline), and it closes with the
    # agency's credit line (a wire feed written as text; a web page never ends on "Reuters"). A wire feed
    # has no publisher of its own.
    plain = (
        n > 2
        and not any(bad)
        and is_headline_shaped(lines[0])
        and (not is_title_like(lines[1]) or is_table_row(lines[1]) or opens_with_dateline(lines[1])
             or wire_dateline(lines[1]) is not None)
        and (CREDIT_LINE_RE.match(lines[-1]) is not None or TRAILER_RE.match(lines[-1]) is not None)
    )

    if plain:
        publisher = None
    head = plain_header(lines, used) if plain else find_header(lines, bad, used)
    find_dateline(lines, bad, used, head)
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
    shape = "plain" if plain else "bounded" if body_end < n else "page"
    paragraphs = story_paragraphs(lines, bad, used, body, headline, shape=shape)

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
        dateline=head.dateline,
    )


#: The name the extraction evaluation looks for (``streams.quality.evaluate.extraction --mode text``).
parse_page_text = parse_text
