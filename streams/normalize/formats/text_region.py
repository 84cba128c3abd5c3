"""The story region of page text (`formats.text`): which lines below the header are the story.

Pages from sites never seen before carry more than the chrome patterns know (menus, tag lists, teasers of
other stories, readers' comments), so the body is the *story region*: the contiguous run of lines with the
highest prose score (a paragraph scores its words; a table row scores a little; a short unpunctuated line,
a timestamp or a chrome line costs, more the longer such lines run on), ended early by a readers' comment
thread. Inside the region, short lines stay too (subheads, list items, table rows).

Two shapes need no region. A *plain* page (no chrome at all, the headline on its first line: a wire feed
written as text) keeps every line between its header and its credit line: nothing is removed when there
is nothing to remove. A *bounded* page (a credit line or a wire trailer closes the story) keeps every
line that is not chrome from the region down to that close, and from the region up to the header over
lines that read as story text (sentences, table rows, list items), so tables, results, schedules and the
notes under them are not cut where prose stops. A repeated line is dropped unless it is short or a table
row: tables repeat rows ("V 4.65 --") and headers.
"""

from __future__ import annotations

import re

from streams.normalize.chrome import is_comments_heading, is_list_heading, speaks_as_house
from streams.normalize.formats.text_lines import BODY_MIN_WORDS, SENTENCE_END, is_date_line, words
from streams.normalize.vocab import CREDIT_LINE_RE

#: A line this long is prose even without a sentence end (a paragraph cut by the page layout).
PROSE_LONG_WORDS = 20
#: Inside the story region a short line (a subhead, a list item) is kept from this many words.
REGION_MIN_WORDS = 3
#: What a chrome line costs the region around it.
CHROME_PENALTY = 3.0
#: What a timestamp line below the header costs: it dates a comment or another story's teaser.
TIMESTAMP_PENALTY = 15.0
TIMESTAMP_MAX_WORDS = 10
#: A table row (half its tokens or more are figures) is part of a story, if a thin one.
TABLE_ROW_SCORE = 1.0
#: What a short line that is no sentence costs: per word, and at least.
SHORT_LINE_WORD_PENALTY, SHORT_LINE_MIN_PENALTY = 2.0, 4.0
#: Each further line of an unbroken run of non-prose lines costs this much more than the last
#: (a subhead or a caption is one line; a teaser list, a tag cloud, a menu is many).
GAP_GROWTH = 0.5
#: Prose (in words, less the chrome between) that makes a story above a comment thread.
STORY_MIN_SCORE = 50.0
#: A table row has at most this many tokens, a quarter of them figures or more, two at least ("Shr 16 cts vs
#: 14 cts", "Oper shr 1.80 dlrs vs 1.46 dlrs", "Arsenal 2 Chelsea 1").
ROW_MAX_TOKENS = 16
ROW_FIGURE_SHARE = 4
#: Extending a bounded story stops at this many menu-like lines in a row (a menu, a tag list); fewer are kept
#: when story text lies beyond them ("Pay May Seven", "Record April Seven" under a dividend notice).
NAV_STOP_RUN = 4

_AGO = re.compile(r"^(?:\d+|an?|one)\s+(?:sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago\b", re.I)
#: A figure: "16", "1.19", "954,000", "4-38", "(7.9)". Linear on any input: it never starts inside a run of
#: figure characters and never backtracks through one (a possessive run), so "1,1,1,...1a" costs O(n).
_NUMBER = re.compile(r"(?<![\w.,:/%-])[-+(]?\$?\d[\d.,:/%-]*+\)?(?![\w])")


def is_table_row(line: str) -> bool:
    """A row of a table of figures (results, standings, earnings, prices): short, two figures or more and a
    quarter of its tokens at least ("0 Comments (+)" is no row)."""
    tokens = line.split()
    if not 2 <= len(tokens) <= ROW_MAX_TOKENS or _BYLINE_OR_STAMP.match(line):
        return False
    figures = len(_NUMBER.findall(line))
    return figures >= 2 and figures * ROW_FIGURE_SHARE >= len(tokens)


def mark_teasers(lines: list[str], bad: list[bool], body: range) -> None:
    """Teaser lists: under a list heading ("Trending now", "More from Politics"), the short
    unpunctuated lines that follow are links to other stories. Marks them in ``bad``."""
    i, end = body.start, body.stop
    while i < end:
        if bad[i] and is_list_heading(lines[i]):
            j = i + 1
            while j < end and (bad[j] or (not SENTENCE_END.search(lines[j]) and words(lines[j]) <= 15)):
                bad[j] = True
                j += 1
            i = j
        else:
            i += 1


def mark_house_voice(lines: list[str], bad: list[bool], used: list[bool], body: range, publisher: str | None) -> None:
    """House voice inside chrome runs: a line between two chrome lines that says "we"/"our", or a line
    that names the publisher and speaks as it. Marks them in ``bad``."""
    n = len(lines)
    for i in body:
        if bad[i] or used[i]:
            continue
        prev_bad = i > 0 and bad[i - 1]
        next_bad = i + 1 < n and bad[i + 1]
        if (prev_bad and next_bad and speaks_as_house(lines[i])) or (
            publisher
            and publisher in lines[i]
            and ((speaks_as_house(lines[i]) and (prev_bad or next_bad)) or lines[i].startswith(publisher + " "))
        ):
            bad[i] = True


def story_paragraphs(
    lines: list[str], bad: list[bool], used: list[bool], body: range, headline: str | None, *, shape: str = "page"
) -> list[str]:
    """The paragraphs of the story in ``body``: lines neither chrome (``bad``) nor header (``used``).

    ``shape``: "plain" (keep every such line), "bounded" (a credit line or trailer ends ``body``) or "page"."""
    n = len(lines)
    if shape == "plain":
        return _distinct([lines[i] for i in body if not bad[i] and not used[i]], headline)
    # The story region: the run of lines richest in prose (teaser lists, comment threads and
    # widgets elsewhere on the page score below zero between their lines).
    scores = [0.0 if used[i] else -CHROME_PENALTY if bad[i] else line_score(lines[i]) for i in range(n)]
    region_start, region_end, _ = story_region(scores, body.start, body.stop)
    # Readers' comments follow the story: the first comment-thread heading below a story's worth
    # of prose closes it (one higher up is a comment-count link by the byline).
    for i in range(body.start, region_end):
        if scores[i] <= 0 and is_comments_heading(lines[i]):
            a, b, total = story_region(scores, body.start, i)
            if total >= STORY_MIN_SCORE:
                region_start, region_end = a, b
                break

    if shape == "bounded":
        if region_end <= region_start:  # no prose at all (a dividend notice): the story ends at the credit
            region_start = region_end = body.stop
        region_start = _extend(lines, bad, used, region_start, stop=body.start - 1, step=-1)
        region_end = _extend(lines, bad, used, region_end - 1, stop=body.stop, step=1) + 1

    kept = [
        lines[i]
        for i in range(region_start, region_end)
        if not bad[i]
        and not used[i]
        and (
            shape == "bounded"
            or scores[i] > 0
            or words(lines[i]) >= REGION_MIN_WORDS
            or is_subhead(lines, scores, i, region_end)
        )
    ]
    return _distinct(kept, headline)


def _distinct(lines: list[str], headline: str | None) -> list[str]:
    """The story's lines without the headline, agency credit lines and repeats of a paragraph (a table's
    short rows and headers may repeat)."""
    out: list[str] = []
    seen: set[str] = set()
    for line in lines:
        if line in seen or line == headline or CREDIT_LINE_RE.match(line):
            continue
        if words(line) >= BODY_MIN_WORDS and not is_table_row(line):
            seen.add(line)
        out.append(line)
    return out


#: A line this short, unpunctuated and no table row reads as a menu entry or a label, not story text.
NAV_MAX_WORDS = 4
#: Extending a bounded story stops at a block of this many chrome lines in a row (an appeal, a share bar
#: with its buttons): what is beyond it belongs to the page, not the story.
CHROME_BLOCK = 3
_BYLINE_OR_STAMP = re.compile(r"^(?:by|from|posted|published|updated|last updated)\b", re.I)
_TEASER_END = re.compile(r"(?:\.\.\.|…)$")
_PAGE_LINE = re.compile(
    r"©|\(c\)\s*\d{4}|/\s*(?:reuters|afp|ap|getty images)\b|\breuters/|^(?:by|from|provided by)\s|https?://", re.I
)


def _nav_like(line: str) -> bool:
    if _TEASER_END.search(line):
        return True  # "Oil prices steady after 2-day drop..."
    if _NUMBER.search(line):
        return False  # "Record March 31", "Six mths 1986": a notice's or a table's label, not a menu
    return words(line) <= NAV_MAX_WORDS and SENTENCE_END.search(line) is None


def _page_furniture(line: str, twice: bool) -> bool:
    """A line that belongs to the page around a story: a date, a byline, a copyright or photo credit, a
    caption printed twice in a row."""
    if twice and words(line) >= BODY_MIN_WORDS and not is_table_row(line):
        return True
    return is_date_line(line) or _PAGE_LINE.search(line) is not None


def _printed_twice(lines: list[str], i: int) -> bool:
    return (i > 0 and lines[i - 1] == lines[i]) or (i + 1 < len(lines) and lines[i + 1] == lines[i])


def _extend(lines: list[str], bad: list[bool], used: list[bool], edge: int, *, stop: int, step: int) -> int:
    """The last line a bounded story reaches walking from ``edge`` (exclusive) towards ``stop`` (exclusive) in
    direction ``step``: over every line that is not chrome, stopping at a block of CHROME_BLOCK chrome lines, a
    comments or list heading, the page's own furniture, or (upwards) NAV_STOP_RUN menu-like lines in a row.
    Menu-like lines count only when story text lies beyond them, or when the walk ends at ``stop`` (the
    header or the credit line: nothing but the story lies between)."""
    reach, nav, chrome, last_text = edge, 0, 0, edge
    for i in range(edge + step, stop, step):
        if used[i]:
            continue
        line = lines[i]
        if bad[i]:
            chrome += 1
            if chrome >= CHROME_BLOCK or is_list_heading(line) or is_comments_heading(line):
                return reach
            continue
        chrome = 0
        if is_comments_heading(line) or _page_furniture(line, _printed_twice(lines, i)):
            return reach
        last_text = i
        if _nav_like(line) and step < 0:  # below the story, the credit line closes it: nothing to stop for
            nav += 1
            if nav >= NAV_STOP_RUN:
                return reach
        else:
            reach, nav = i, 0
    return last_text


def line_score(line: str) -> float:
    """How much a line looks like story prose: its words if it is a paragraph, a penalty if it is
    a short unpunctuated line (a menu entry, a teaser headline, a timestamp)."""
    w = words(line)
    ends = SENTENCE_END.search(line) is not None
    if w <= TIMESTAMP_MAX_WORDS and (_AGO.match(line) or is_date_line(line)):
        return -TIMESTAMP_PENALTY
    if (w >= BODY_MIN_WORDS and ends) or w >= PROSE_LONG_WORDS:
        return float(w)
    if is_table_row(line):
        return TABLE_ROW_SCORE  # a row of a table of figures (results, standings, prices)
    if ends:
        return -1.0
    return -float(max(SHORT_LINE_MIN_PENALTY, SHORT_LINE_WORD_PENALTY * w))


def is_subhead(lines: list[str], scores: list[float], i: int, end: int) -> bool:
    """A short unpunctuated line between two paragraphs: a subhead ("Shipping slows")."""
    return (
        i > 0
        and i + 1 < end
        and scores[i - 1] > 0
        and scores[i + 1] > 0
        and not SENTENCE_END.search(lines[i])
        and lines[i][:1].isupper()
    )


def story_region(scores: list[float], start: int, end: int) -> tuple[int, int, float]:
    """(start, end, score) of the contiguous run of lines in [start, end) with the highest total
    prose score; the penalty of non-prose lines grows along an unbroken run of them."""
    best, best_a, best_b = 0.0, start, start
    cur, a = 0.0, start
    gap = 0
    for i in range(start, end):
        score = scores[i]
        if score < 0:
            score *= 1.0 + GAP_GROWTH * gap
            gap += 1
        elif score > 0:
            gap = 0
        if cur <= 0:
            cur, a = score, i
        else:
            cur += score
        if cur > best:
            best, best_a, best_b = cur, a, i + 1
    return best_a, best_b, best
