"""Page-text metadata for `formats.text`: the header (headline, standfirst, byline, dates), captions, credits.

Also the byline parser the SGML reader shares and the guess of the publisher's name from the page's chrome.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from streams.normalize.formats.base import Caption
from streams.normalize.formats.text_lines import (
    HEADLINE_MIN_WORDS,
    clean,
    is_date_line,
    is_title_like,
    words,
)
from streams.normalize.vocab import (
    ADDITIONAL_RE,
    ANONYMOUS_BYLINE_RE,
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

#: The header (headline, standfirst, byline, date) sits within this many lines of the top.
HEADER_WINDOW = 40
#: Sites name themselves in short chrome lines ("Notifications from The X"); long appeals are skipped.
PUBLISHER_LINE_MAX = 160
#: How far down the page the <title> line's headline may be echoed.
TITLE_ECHO_WINDOW = 400
#: Longest line read as a one-line caption.
CAPTION_MAX_CHARS = 400
#: How many lines from the top may hold the masthead.
MASTHEAD_LINES = 3

#: A wire dateline on a line of its own: "CAIRO 1996-12-06", "NEW YORK, Feb 26", "ANCHORAGE, Alaska, Feb 26 -",
#: "LISBON (Reuters) -": a place (capitalised words), then a date or an agency in parentheses, or both.
_PLACE_WORD = r"(?:[A-Z][\w.'’&-]*|de|da|del|do|dos|la|le|of|upon|am|an|on|sur|es)"
_MONTH_DAY = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,?\s+\d{4})?"
WIRE_DATELINE = re.compile(
    rf"^(?P<located>(?P<place>[A-Z][\w.'’&-]*(?:\s+{_PLACE_WORD}){{0,3}})(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?)"
    rf"(?:(?:,\s*|\s+)(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH_DAY}))?"
    r"\s*(?:\((?P<org>[A-Za-z]+)\))?\s*[-–—]?$"
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
    rf"^(?P<text>.{{10,}}?[.!?])\s+(?P<credit>{CAPTION_TAIL_CREDIT}[^/]{{2,60}}(?:/[^/]{{2,40}})?|"
    rf"(?:Photo|Picture|Image):\s*[^.]{{2,60}}|{PHOTO_CREDIT_WORDS}\s+(?:photo|file photo|pictures?)|REUTERS|AFP)$"
)
#: Where a caption's credit may close the line without a slash ("... Photo: Reuters", "... Reuters photo").
_CREDIT_TAIL_HINT = re.compile(r"(?:photo|pictures?|image):|(?:photo|pictures?)$|[.!?]\s+(?:REUTERS|AFP)$", re.I)
#: A photo credit alone on its line ("Photo: Jane Doe/Reuters"): furniture around a picture.
_PHOTO_LINE = re.compile(r"^(?:photo|image|picture|photograph)\s*(?:credit)?\s*:\s*\S.{0,80}$", re.I)
_MASTHEAD = re.compile(r"^(?:The )?[A-Z][\w&'’-]+(?: [A-Z][\w&'’-]+){1,3}$")
_COPYRIGHT_NAME = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?((?:The )?[A-Z][\w&'’-]+(?: [A-Z][\w&'’-]+){0,3})", re.IGNORECASE
)
_THE_NAME = re.compile(r"\bThe(?: [A-Z][\w&'’-]+){1,3}")
_FROM_NAME = re.compile(r"\b(?:from|at|with|support|readers of|join) ((?:The )?[A-Z][\w&'’-]+(?: [A-Z][\w&'’-]+){0,3})")


def parse_byline(line: str) -> tuple[str, tuple[str, ...], str | None] | None:
    """(byline as written, author names, credit org) if the line is a byline."""
    if len(line) > 160:
        return None
    staff = STAFF_RE.match(line)
    if staff:
        org = staff.group("org") or staff.group("org1")
        return BY_PREFIX_RE.sub("", line), (), agency_name(org)
    if ANONYMOUS_BYLINE_RE.match(line):
        return BY_PREFIX_RE.sub("", line), (), None
    m = BYLINE_RE.match(line)
    if not m:
        return None
    if not BY_PREFIX_RE.match(line) and (line.endswith(".") or words(line) > 12):
        return None
    names = tuple(n for n in (clean(x) for x in NAME_SPLIT_RE.split(m.group("names"))) if n)
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
class Header:
    """What `find_header` found: line indexes and the header's texts (`used` marks their lines)."""

    head_idx: int = -1
    byline: tuple[str, tuple[str, ...], str | None] | None = None
    standfirst: str | None = None
    published: str | None = None
    modified: str | None = None
    credit: str | None = None
    dateline: str | None = None
    body_start: int = 0


def _title_echo(lines: list[str], bad: list[bool]) -> int:
    """Where the page repeats its <title> ("Headline | Site") as a line of its own: the headline."""
    if not lines:
        return -1
    parts = _TITLE_SEP.split(lines[0])
    if len(parts) < 2 or words(parts[0]) < HEADLINE_MIN_WORDS:
        return -1
    title = parts[0].strip()
    echoes = [i for i in range(1, min(len(lines), TITLE_ECHO_WINDOW)) if lines[i] == title and not bad[i]]
    # A site's own menus may list the story too: prefer the echo a story follows (a date line, a
    # byline or a real paragraph within a few lines), else the last one.
    for i in echoes:
        for j in range(i + 1, min(len(lines), i + 8)):
            if is_date_line(lines[j]) or BY_PREFIX_RE.match(lines[j]) or words(lines[j]) >= 20:
                return i
    return echoes[-1] if echoes else -1


def plain_header(lines: list[str], used: list[bool]) -> Header:
    """The header of a plain page (a wire feed written as text, no chrome): the headline is its first line,
    then perhaps a byline, a date line and a dateline line ("CAIRO 1996-12-06"). ``used`` is marked."""
    h = Header(head_idx=0, body_start=1)
    used[0] = True
    i = 1
    n = len(lines)
    if i < n and (BY_PREFIX_RE.match(lines[i]) or STAFF_RE.match(lines[i]) or ANONYMOUS_BYLINE_RE.match(lines[i])):
        found = parse_byline(lines[i])
        if found:
            h.byline = found
            used[i] = True
            i += 1
    if i < n and is_date_line(lines[i]):
        h.published = lines[i]
        used[i] = True
        i += 1
    h.body_start = i
    return h


def find_header(lines: list[str], bad: list[bool], used: list[bool]) -> Header:
    """Headline, standfirst, byline and date lines, in either order pages print them.

    Shapes: headline, standfirst, byline, date (the seed); date, headline, byline (many US sites);
    a <title> line "Headline | Site" echoed later where the headline stands. ``used`` is marked.
    """
    n = len(lines)
    h = Header()
    echo = _title_echo(lines, bad)
    window = range(max(0, echo - 4), min(n, echo + 8)) if echo >= 0 else range(0, min(n, HEADER_WINDOW))
    date_idx, last_date = _mark_dates(lines, bad, used, h, window)
    by_idx, credit_idx = _mark_byline(lines, bad, used, h, date_idx=date_idx, last_date=last_date, window=window,
                                      echo=echo)
    header_end = max(last_date, by_idx, credit_idx)
    head = echo if echo >= 0 else _headline_index(lines, bad, used, header_end=header_end, window=window)
    h.head_idx = head
    if head < 0:
        h.body_start = header_end + 1
        return h
    used[head] = True
    if h.byline is None and head > header_end:  # a byline printed under a headline that follows the date
        header_end = max(header_end, _mark_byline_under(lines, bad, used, h, head))
    _mark_standfirst(lines, bad, used, h, head=head, header_end=header_end)
    h.body_start = max(header_end, head) + 1
    return h


def _mark_dates(lines: list[str], bad: list[bool], used: list[bool], h: Header, window: range) -> tuple[int, int]:
    """(first, last) index of the date lines, -1 when none: the first short line in `window` shaped like a date,
    and any date lines right after it ("Updated: ..." is the modification time)."""
    n = len(lines)
    date_idx = last_date = -1
    for i in window:
        if is_date_line(lines[i]):
            date_idx = last_date = i
            h.published = lines[i]
            used[i] = True
            break
    if date_idx >= 0:
        j = date_idx + 1
        while j < min(n, date_idx + 4):
            if is_date_line(lines[j]):
                used[j] = True
                last_date = j
                if _UPDATED.match(lines[j]):
                    h.modified = lines[j]
            elif not bad[j]:
                break
            j += 1
    return date_idx, last_date


def _mark_byline(
    lines: list[str], bad: list[bool], used: list[bool], h: Header, *,
    date_idx: int, last_date: int, window: range, echo: int,
) -> tuple[int, int]:
    """(byline index, agency credit index), -1 when none: the byline next to the date lines (either side), else
    the first "By ..." line in the header window."""
    n = len(lines)
    by_idx = -1
    candidates = [date_idx - 1, last_date + 1] if date_idx >= 0 else list(window)
    credit_idx = _mark_agency_credit(lines, used, h, candidates) if date_idx >= 0 else -1
    for j in candidates:
        if 0 <= j < n and not bad[j] and not used[j] and j != echo:
            found = parse_byline(lines[j])
            if found and (date_idx >= 0 or BY_PREFIX_RE.match(lines[j])):
                h.byline, by_idx = found, j
                used[j] = True
                break
    return by_idx, credit_idx


def _mark_agency_credit(lines: list[str], used: list[bool], h: Header, candidates: list[int]) -> int:
    """An agency credit printed by the date ("By X / Reuters / 14 August"), on one of the two `candidates` lines
    around the date lines: its index (-1 when none); that candidate moves one line further out, to the byline."""
    n = len(lines)
    credit_idx = -1
    for k, step in ((0, -1), (1, 1)):
        j = candidates[k]
        m = CREDIT_LINE_RE.match(lines[j]) if 0 <= j < n and not used[j] else None
        if m:
            h.credit = agency_name(m.group("org"))
            used[j] = True
            credit_idx = max(credit_idx, j)
            candidates[k] = j + step
            break
    return credit_idx


def _headline_index(lines: list[str], bad: list[bool], used: list[bool], *, header_end: int, window: range) -> int:
    """Of the title-like lines above the byline/date, the first with at most one line (the standfirst) between it
    and them (section labels and teasers further up are passed over); else a title-like line right after the
    date lines; else, with no byline or date, the first title-like line. -1 when none."""
    n = len(lines)
    limit = header_end if header_end >= 0 else window.stop
    titles = [
        i for i in range(window.start, limit)
        if not bad[i] and not used[i] and is_title_like(lines[i]) and lines[i].count(" | ") < 2  # no menu
    ]
    close = [
        i for i in titles if sum(1 for j in range(i + 1, max(header_end, 0)) if not bad[j] and not used[j]) <= 1
    ]
    if header_end >= 0 and close:
        return close[0]
    if header_end >= 0:
        after = [j for j in range(header_end + 1, min(n, header_end + 3)) if not bad[j]]
        return next((j for j in after[:1] if is_title_like(lines[j])), titles[0] if titles else -1)
    return titles[0] if titles else -1


def _mark_byline_under(lines: list[str], bad: list[bool], used: list[bool], h: Header, head: int) -> int:
    """A byline within two lines under the headline: its index, or -1."""
    for j in range(head + 1, min(len(lines), head + 3)):
        found = parse_byline(lines[j]) if not bad[j] else None
        if found:
            h.byline = found
            used[j] = True
            return j
    return -1


def _mark_standfirst(lines: list[str], bad: list[bool], used: list[bool], h: Header, *, head: int,
                     header_end: int) -> None:
    """The standfirst: what stands between the headline and the byline/date (those lines are marked used)."""
    if header_end > head:
        parts = [lines[i] for i in range(head + 1, header_end) if not bad[i] and not used[i]]
        for i in range(head + 1, header_end):
            used[i] = True
        h.standfirst = " ".join(parts) or None


def wire_dateline(line: str) -> tuple[str, str | None, str | None] | None:
    """(place, date as written, agency) if the line is a wire dateline alone ("CANTON, Ohio, Feb 26"). The place
    is in capitals as the wire writes it, unless the line has a year or an agency ("Lisbon (Reuters) -")."""
    if len(line) > 80:
        return None
    m = WIRE_DATELINE.match(line)
    if not m:
        return None
    place, date, org = m.group("place"), m.group("date"), m.group("org")
    if not (date or org) or not (place.isupper() or org or (date and re.search(r"\d{4}", date))):
        return None
    return m.group("located"), date, org


def find_dateline(lines: list[str], bad: list[bool], used: list[bool], h: Header) -> None:
    """A dateline printed on its own line right below the header ("CAIRO 1996-12-06"): the story's place (and
    its date, when the line gives a year, if no other date was found). Marks the line used."""
    i = next((j for j in range(h.body_start, len(lines)) if not bad[j] and not used[j]), len(lines))
    found = wire_dateline(lines[i]) if i < len(lines) else None
    if found is None:
        return
    place, date, org = found
    h.dateline = place
    if date and date[:4].isdigit() and h.published is None:
        h.published = date
    if org and h.credit is None:
        h.credit = agency_name(org)
    used[i] = True
    h.body_start = max(h.body_start, i + 1)


def find_captions(lines: list[str], bad: list[bool], used: list[bool], start: int) -> list[Caption]:
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
        elif "/" in line[-60:] or _CREDIT_TAIL_HINT.search(line[-60:]):
            m = _CAPTION_TAIL.match(line)
        if m and "(Reuters) -" not in line and "(Reuters) –" not in line:  # a dateline is no caption
            captions.append(Caption(text=m.group("text").strip(), credit=m.group("credit").strip()))
            used[i] = True

    return captions


def find_story_end(lines: list[str], bad: list[bool], used: list[bool], body_start: int) -> tuple[list[str], int, int]:
    """(credits found, body start, body end): the credit line ends a story, else a wire trailer,
    else the page's end (the story region, see :func:`story_region`, finds the story in it)."""
    n = len(lines)
    # Credit line: the last agency-alone line; everything after it is chrome.
    credits: list[str] = []
    body_end = n
    # A credit line closes a story: some story text (a paragraph, or a table's rows) stands before it.
    first_text = next((i for i in range(body_start, n) if not bad[i] and not used[i]), n)
    for i in range(n - 1, first_text, -1):
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
