"""Read a story printed as page text (no markup, site chrome mixed in) into an `Extracted`.

The shape this reader expects is the one pages print when copied as text (see the seed): some
chrome, the headline (the first substantial title-like line), a standfirst, a byline and a date
line, a picture caption printed twice (the second time with the photo credit in parentheses),
the story paragraphs with chrome blocks in between, a credit line ("Reuters") and more chrome.
Chrome is dropped by :func:`streams.normalize.chrome.is_chrome_line`, by the "house voice" rule (a line
inside a run of chrome that speaks as the site, "we need reporters"), and by a
:class:`streams.normalize.chrome.ChromeMemory` when one is given.

Pages from sites never seen before carry more than the patterns know (menus, tag lists, teasers of
other stories, readers' comments), so the body is the *story region*: the contiguous run of lines
with the highest prose score (a paragraph scores its words; a short unpunctuated line, a timestamp
or a chrome line costs, more the longer such lines run on), ended early by a readers' comment
thread. Inside the region, short lines stay too (subheads, list items, table rows).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from streams.normalize.chrome import (
    ChromeMemory,
    classify_lines,
    is_comments_heading,
    is_list_heading,
    speaks_as_house,
)
from streams.normalize.dates import parse_date
from streams.normalize.formats.base import Caption, Extracted
from streams.normalize.vocab import (
    ADDITIONAL_RE,
    BY_PREFIX_RE,
    BYLINE_RE,
    CAPTION_TAIL_CREDIT,
    CREDIT_LINE_RE,
    NAME_SPLIT_RE,
    PHOTO_CREDIT_WORDS,
    STAFF_RE,
    TRAILER_RE,
    agency_name,
)

#: A date line is short; anything longer is prose that merely mentions a date.
MAX_DATE_LINE = 60
#: Headline bounds in words: fewer is a section label ("World news"), more is a paragraph.
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 4, 30
#: The header (headline, standfirst, byline, date) sits within this many lines of the top.
HEADER_WINDOW = 40
#: Sites name themselves in short chrome lines ("Notifications from The X"); long appeals are skipped.
PUBLISHER_LINE_MAX = 160
#: How far down the page the <title> line's headline may be echoed.
TITLE_ECHO_WINDOW = 400
#: A body line has this many words at least, unless it ends like a sentence.
BODY_MIN_WORDS = 6
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

_DATE_SHAPE = re.compile(
    r"^(?:(?:published|updated|posted|last (?:updated|modified))\b[:\s]*)?"
    r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[a-z]{2,5}\b)?[,\s]*)?"  # a time first: "13:05 GMT 09/11/2022"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日)",
    re.IGNORECASE,
)
_TITLE_SEP = re.compile(r"\s+[|–—-]\s+|\s*\|\s*")
_UPDATED = re.compile(r"^(?:last\s+)?(?:updated|modified|edited)\b", re.IGNORECASE)
_CAPTION_CREDIT = re.compile(r"^\s*\(([^()]{2,120})\)\s*$")
#: A caption printed once, with its credit in parentheses: "Crowds in Lisbon (REUTERS/Pedro Nunes)".
_CAPTION_PAREN = re.compile(
    rf"^(?P<text>.{{10,}}?)\s*\((?:photo:\s*)?(?P<credit>[^()]{{0,60}}{PHOTO_CREDIT_WORDS}[^()]{{0,60}})\)$", re.I
)
#: Reuters' own caption style: the credit follows the last sentence, "... May 1. REUTERS/Benoit Tessier".
_CAPTION_TAIL = re.compile(
    rf"^(?P<text>.{{10,}}?[.!?])\s+(?P<credit>{CAPTION_TAIL_CREDIT}[^/]{{2,60}}(?:/[^/]{{2,40}})?)$"
)
#: A photo credit alone on its line ("Photo: Jane Doe/Reuters"): furniture around a picture.
_PHOTO_LINE = re.compile(r"^(?:photo|image|picture|photograph)\s*(?:credit)?\s*:\s*\S.{0,80}$", re.I)
#: Longest line read as a one-line caption.
CAPTION_MAX_CHARS = 400
_AGO = re.compile(r"^(?:\d+|an?|one)\s+(?:sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d.,:%]*(?![\w])")
#: A line that opens with an HTML tag (a tag name, then attributes or the tag's end); "<The
#: Palace>", a title in angle brackets, is no tag.
_MARKUP = re.compile(r"^</?[a-zA-Z][\w:-]*(?:\s*/?>|\s+[\w:-]+\s*=)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?:;\"”'’)。！？」』）]$")
_MASTHEAD = re.compile(r"^(?:The )?[A-Z][\w&'’-]+(?: [A-Z][\w&'’-]+){1,3}$")
_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?((?:The )?[A-Z][\w&'’-]+(?: [A-Z][\w&'’-]+){0,3})", re.IGNORECASE
)
#: How many lines from the top may hold the masthead.
MASTHEAD_LINES = 3
_THE_NAME = re.compile(r"\bThe(?: [A-Z][\w&'’-]+){1,3}")
_FROM_NAME = re.compile(r"\b(?:from|at|with|support|readers of|join) ((?:The )?[A-Z][\w&'’-]+(?: [A-Z][\w&'’-]+){0,3})")


def _clean(line: str) -> str:
    s = line.strip()
    return " ".join(s.split()) if "  " in s or "\t" in s or "\xa0" in s else s


def _words(line: str) -> int:
    """Words in a line; scripts written without spaces (Chinese, Japanese) count two characters a word."""
    if not line:
        return 0
    spaced = line.count(" ") + 1
    if not line.isascii() and len(line) > 4 * spaced:
        cjk = len(_CJK.findall(line))
        if cjk * 3 > len(line):
            return spaced + cjk // 2
    return spaced


def _is_paragraph(line: str) -> bool:
    return _words(line) >= BODY_MIN_WORDS and _SENTENCE_END.search(line) is not None


def _is_date_line(line: str) -> bool:
    return len(line) <= MAX_DATE_LINE and _DATE_SHAPE.match(line) is not None and parse_date(line) is not None


def _is_title_like(line: str) -> bool:
    n = _words(line)
    if not HEADLINE_MIN_WORDS <= n <= HEADLINE_MAX_WORDS or len(line) > 250:
        return False
    return not ((line.endswith(".") and not line.endswith("...")) or line.endswith("。"))


def parse_byline(line: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """(byline as written, author names, credit org) if the line is a byline."""
    if len(line) > 160:
        return None
    staff = STAFF_RE.match(line)
    if staff:
        org = staff.group("org") or staff.group("org1")
        return BY_PREFIX_RE.sub("", line), (), agency_name(org)
    m = BYLINE_RE.match(line)
    if not m:
        return None
    if not BY_PREFIX_RE.match(line) and (line.endswith(".") or _words(line) > 12):
        return None
    names = tuple(n for n in (_clean(x) for x in NAME_SPLIT_RE.split(m.group("names"))) if n)
    org = m.group("org")
    credit = None
    if org and org.strip().lower() in ("reuters", "reuter"):
        credit = "Reuters"
    elif org:
        return None  # "X in Moscow" / "X of The Times": keep it simple, not a byline we trust
    if not names:
        return None
    written = ", ".join(names)
    if org:
        written += f", {org.strip()}"
    return written, names, credit


def _caption_pair(first: str, second: str) -> str | None:
    """The photo credit if `second` repeats `first` with a credit in parentheses."""
    if len(second) <= len(first) or not second.startswith(first):
        return None
    m = _CAPTION_CREDIT.match(second[len(first) :])
    return m.group(1).strip() if m else None


def guess_publisher(chrome_lines: list[str], masthead: list[str] | tuple[str, ...] = ()) -> str | None:
    """The site's own name, as its chrome says it most often ("notifications from The Independent").

    ``masthead``: the first lines of the page; one that is nothing but a name is the site's masthead.
    """
    votes: Counter[str] = Counter()
    for line in masthead:
        if _MASTHEAD.match(line) and any(len(w) >= 4 for w in line.split() if w != "The"):
            votes[line.title() if line.isupper() else line] += 3
    for line in chrome_lines:
        if len(line) > PUBLISHER_LINE_MAX:
            continue
        for m in _THE_NAME.finditer(line):
            votes[m.group(0)] += 2
        for m in _FROM_NAME.finditer(line):
            votes[m.group(1)] += 1
        owner = _COPYRIGHT_NAME.search(line)
        if owner:
            votes[owner.group(1)] += 2
    if not votes:
        return None
    name, score = votes.most_common(1)[0]
    return name if score >= 2 else None


@dataclass(slots=True)
class _Header:
    head_idx: int = -1
    byline: tuple[str, tuple[str, ...], str | None] | None = None
    standfirst: str | None = None
    published: str | None = None
    modified: str | None = None
    credit: str | None = None
    body_start: int = 0


def _title_echo(lines: list[str], bad: list[bool]) -> int:
    """Where the page repeats its <title> ("Headline | Site") as a line of its own: the headline."""
    if not lines:
        return -1
    parts = _TITLE_SEP.split(lines[0])
    if len(parts) < 2 or _words(parts[0]) < HEADLINE_MIN_WORDS:
        return -1
    title = parts[0].strip()
    echoes = [i for i in range(1, min(len(lines), TITLE_ECHO_WINDOW)) if lines[i] == title and not bad[i]]
    # A site's own menus may list the story too: prefer the echo a story follows (a date line, a
    # byline or a real paragraph within a few lines), else the last one.
    for i in echoes:
        for j in range(i + 1, min(len(lines), i + 8)):
            if _is_date_line(lines[j]) or BY_PREFIX_RE.match(lines[j]) or _words(lines[j]) >= 20:
                return i
    return echoes[-1] if echoes else -1


def _find_header(lines: list[str], bad: list[bool], used: list[bool]) -> _Header:
    """Headline, standfirst, byline and date lines, in either order pages print them.

    Shapes: headline, standfirst, byline, date (the seed); date, headline, byline (many US sites);
    a <title> line "Headline | Site" echoed later where the headline stands. ``used`` is marked.
    """
    n = len(lines)
    h = _Header()
    echo = _title_echo(lines, bad)
    lo, hi = (max(0, echo - 4), min(n, echo + 8)) if echo >= 0 else (0, min(n, HEADER_WINDOW))

    # Date lines: the first short line shaped like a date, and any date lines right after it
    # ("Updated: ..." is the modification time).
    date_idx = last_date = -1
    for i in range(lo, hi):
        if _is_date_line(lines[i]):
            date_idx = last_date = i
            h.published = lines[i]
            used[i] = True
            break
    if date_idx >= 0:
        j = date_idx + 1
        while j < min(n, date_idx + 4):
            if _is_date_line(lines[j]):
                used[j] = True
                last_date = j
                if _UPDATED.match(lines[j]):
                    h.modified = lines[j]
            elif not bad[j]:
                break
            j += 1

    # Byline: next to the date line (either side), else the first "By ..." line in the header.
    by_idx = -1
    candidates = [date_idx - 1, last_date + 1] if date_idx >= 0 else list(range(lo, hi))
    credit_idx = -1
    if date_idx >= 0:
        # An agency credit printed by the date ("By X / Reuters / 14 August"): the byline is
        # one line further out.
        for k, step in ((0, -1), (1, 1)):
            j = candidates[k]
            m = CREDIT_LINE_RE.match(lines[j]) if 0 <= j < n and not used[j] else None
            if m:
                h.credit = agency_name(m.group("org"))
                used[j] = True
                credit_idx = max(credit_idx, j)
                candidates[k] = j + step
                break
    for j in candidates:
        if 0 <= j < n and not bad[j] and not used[j] and j != echo:
            found = parse_byline(lines[j])
            if found and (date_idx >= 0 or BY_PREFIX_RE.match(lines[j])):
                h.byline, by_idx = found, j
                used[j] = True
                break
    header_end = max(last_date, by_idx, credit_idx)

    # Headline: the <title> echo; else, of the title-like lines above the byline/date, the first
    # with at most one line (the standfirst) between it and them (section labels and teasers
    # further up are passed over); else a title-like line right after the date lines.
    head = echo
    if head < 0:
        limit = header_end if header_end >= 0 else hi
        titles = [i for i in range(lo, limit) if not bad[i] and not used[i] and _is_title_like(lines[i])]
        close = [
            i for i in titles if sum(1 for j in range(i + 1, max(header_end, 0)) if not bad[j] and not used[j]) <= 1
        ]
        if header_end >= 0 and close:
            head = close[0]
        elif header_end >= 0:
            after = [j for j in range(header_end + 1, min(n, header_end + 3)) if not bad[j]]
            head = next((j for j in after[:1] if _is_title_like(lines[j])), titles[0] if titles else -1)
        elif titles:
            head = titles[0]
    h.head_idx = head
    if head < 0:
        h.body_start = header_end + 1
        return h
    used[head] = True

    # A byline printed under a headline that follows the date.
    if h.byline is None and head > header_end:
        for j in range(head + 1, min(n, head + 3)):
            found = parse_byline(lines[j]) if not bad[j] else None
            if found:
                h.byline, by_idx = found, j
                used[j] = True
                break
    header_end = max(header_end, by_idx)

    # Standfirst: what stands between the headline and the byline/date.
    if header_end > head:
        parts = [lines[i] for i in range(head + 1, header_end) if not bad[i] and not used[i]]
        for i in range(head + 1, header_end):
            used[i] = True
        h.standfirst = " ".join(parts) or None
    h.body_start = max(header_end, head) + 1
    return h


def _find_captions(lines: list[str], bad: list[bool], used: list[bool], start: int) -> list[Caption]:
    """Captions below the header: printed twice (the second time with the photo credit in
    parentheses), or once with the credit attached; photo-credit lines on their own are dropped."""
    n = len(lines)
    captions: list[Caption] = []
    for i in range(start, n - 1):
        if used[i] or used[i + 1]:
            continue
        credit = _caption_pair(lines[i], lines[i + 1])
        if credit:
            captions.append(Caption(text=lines[i], credit=credit))
            used[i] = used[i + 1] = True

    # Captions printed once, credit attached; photo credit lines on their own.
    for i in range(start, n):
        line = lines[i]
        if used[i] or bad[i] or len(line) > CAPTION_MAX_CHARS:
            continue
        if line[:1] in "PpIi" and _PHOTO_LINE.match(line):
            used[i] = True
            continue
        m = None
        if line.endswith(")"):
            m = _CAPTION_PAREN.match(line)
        elif "/" in line[-60:]:
            m = _CAPTION_TAIL.match(line)
        if m and "(Reuters) -" not in line and "(Reuters) –" not in line:  # a dateline is no caption
            captions.append(Caption(text=m.group("text").strip(), credit=m.group("credit").strip()))
            used[i] = True

    return captions


def _find_story_end(lines: list[str], bad: list[bool], used: list[bool], body_start: int) -> tuple[list[str], int, int]:
    """(credits found, body start, body end): the credit line ends a story, else a wire trailer,
    else the page's end (the story region, see :func:`_story_region`, finds the story in it)."""
    n = len(lines)
    # Credit line: the last agency-alone line; everything after it is chrome.
    credits: list[str] = []
    body_end = n
    first_para = next((i for i in range(body_start, n) if not bad[i] and not used[i] and _is_paragraph(lines[i])), n)
    for i in range(n - 1, first_para, -1):  # a credit line closes a story: some text stands before it
        m = CREDIT_LINE_RE.match(lines[i]) or ADDITIONAL_RE.match(lines[i])
        if m and not bad[i]:
            credits.append(agency_name(m.group("org")))
            body_end = i
            used[i] = True
            break
    if body_end == n:
        # No credit line: a wire trailer "(Reporting by ...; Editing by ...)" ends the story.
        for i in range(n - 1, body_start - 1, -1):
            if TRAILER_RE.match(lines[i]):
                body_end = i + 1
                break
    return credits, body_start, body_end


def _line_score(line: str) -> float:
    """How much a line looks like story prose: its words if it is a paragraph, a penalty if it is
    a short unpunctuated line (a menu entry, a teaser headline, a timestamp)."""
    w = _words(line)
    ends = _SENTENCE_END.search(line) is not None
    if w <= TIMESTAMP_MAX_WORDS and (_AGO.match(line) or _is_date_line(line)):
        return -TIMESTAMP_PENALTY
    if (w >= BODY_MIN_WORDS and ends) or w >= PROSE_LONG_WORDS:
        return float(w)
    if w >= REGION_MIN_WORDS and len(_NUMBER.findall(line)) * 2 >= w:
        return TABLE_ROW_SCORE  # a row of a table of figures (results, standings, prices)
    if ends:
        return -1.0
    return -float(max(SHORT_LINE_MIN_PENALTY, SHORT_LINE_WORD_PENALTY * w))


def _is_subhead(lines: list[str], scores: list[float], i: int, end: int) -> bool:
    """A short unpunctuated line between two paragraphs: a subhead ("Shipping slows")."""
    return (
        i > 0
        and i + 1 < end
        and scores[i - 1] > 0
        and scores[i + 1] > 0
        and not _SENTENCE_END.search(lines[i])
        and lines[i][:1].isupper()
    )


def _story_region(scores: list[float], start: int, end: int) -> tuple[int, int, float]:
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
    lines = [c for c in (_clean(raw) for raw in text.splitlines()) if c]
    n = len(lines)
    bad = classify_lines(lines)
    for i, line in enumerate(lines):
        if line[0] == "<" and _MARKUP.match(line):
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

    head = _find_header(lines, bad, used)
    headline = lines[head.head_idx] if head.head_idx >= 0 else None
    byline, standfirst, published, modified = head.byline, head.standfirst, head.published, head.modified
    body_start = head.body_start

    captions = _find_captions(lines, bad, used, body_start)

    credits, body_start, body_end = _find_story_end(lines, bad, used, body_start)
    if byline and byline[2]:
        credits.append(byline[2])
    if head.credit and head.credit not in credits:
        credits.append(head.credit)

    # Teaser lists: under a list heading ("Trending now", "More from Politics"), the short
    # unpunctuated lines that follow are links to other stories.
    i = body_start
    while i < body_end:
        if bad[i] and is_list_heading(lines[i]):
            j = i + 1
            while j < body_end and (bad[j] or (not _SENTENCE_END.search(lines[j]) and _words(lines[j]) <= 15)):
                bad[j] = True
                j += 1
            i = j
        else:
            i += 1

    # House voice inside chrome runs: a line between two chrome lines that says "we"/"our".
    for i in range(body_start, body_end):
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

    # The story region: the run of lines richest in prose (teaser lists, comment threads and
    # widgets elsewhere on the page score below zero between their lines).
    scores = [0.0 if used[i] else -CHROME_PENALTY if bad[i] else _line_score(lines[i]) for i in range(n)]
    region_start, region_end, _ = _story_region(scores, body_start, body_end)
    # Readers' comments follow the story: the first comment-thread heading below a story's worth
    # of prose closes it (one higher up is a comment-count link by the byline).
    for i in range(body_start, region_end):
        if scores[i] <= 0 and is_comments_heading(lines[i]):
            a, b, total = _story_region(scores, body_start, i)
            if total >= STORY_MIN_SCORE:
                region_start, region_end = a, b
                break

    paragraphs: list[str] = []
    seen: set[str] = set()
    for i in range(region_start, region_end):
        line = lines[i]
        if bad[i] or used[i] or line in seen or line == headline:
            continue
        if scores[i] <= 0 and _words(line) < REGION_MIN_WORDS and not _is_subhead(lines, scores, i, region_end):
            continue
        seen.add(line)
        paragraphs.append(line)

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
