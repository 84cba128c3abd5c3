"""Read Reuters-21578 SGML: split a ``.sgm`` file into stories and turn one story into an `Extracted`.

Quirks handled (see the collection's README): no root element; control characters written as
numeric entities (``&#2;``, ``&#3;``); ``<`` escaped as ``&lt;`` while ``>`` stays bare; bodies
end with the signoff ``Reuter``; the ``<UNKNOWN>`` header holds the wire slug (``BC-...``) and the
``reute`` wire code. Stories with ``TEXT TYPE="BRIEF"`` are headline-only flashes (their body is
the placeholder "Blah blah blah."): the headline becomes the one paragraph. ``TYPE="UNPROC"``
stories have no TITLE/BODY markup: the first line is the headline, the rest the body.
Files are latin-1 (one byte in the collection is not UTF-8); decoding is the caller's job
(``path.read_text(encoding="latin-1")``).

Gold labels (TOPICS/PLACES/PEOPLE/ORGS) are exposed by :func:`gold_labels` for evaluators only
and never enter the `Extracted`. :func:`story_newid`, :func:`story_fields` and :func:`story_text` are the
element reading `parse_reuters21578` starts from, exposed so that the evaluations' corpus reader reads the
collection as the product does.
"""

from __future__ import annotations

import re

from streams.normalize.formats.base import Extracted
from streams.normalize.formats.text_meta import parse_byline

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'\bNEWID="(\d+)"')
_FIELD = re.compile(r"<(DATE|TITLE|DATELINE|BODY|AUTHOR|UNKNOWN)>(.*?)</\1>", re.DOTALL)
_TEXT = re.compile(r"<TEXT(?:\s+TYPE=\"(\w+)\")?\s*>(.*?)</TEXT>", re.DOTALL)
_NUMERIC = re.compile(r"&#(\d{1,7});")
_SLUG = re.compile(r"\bBC-[^\s]+")
_COLUMNS = re.compile(r"\S {2,}\S")
_WS = re.compile(r"\s+")
#: The signoff, repeated at times, with the transmission debris some stories keep after it
#: ("REUTER...^M", "REUTER E", "Reuter4"). Each character after a "Reuter" has one way to match (a single
#: [\s.], never a run inside the repetition, and the whitespace between signoffs is the inner loop's): the
#: old form, (?:\s*\bReuters?(?:[\s.]+|...)*)+$, backtracked exponentially, so "Reuter" and 30 dots before
#: a last letter held a worker for minutes. Same result on all 18,000 Reuters-21578 stories.
_SIGNOFF = re.compile(r"\s*(?:\bReuters?(?:[\s.]|\^M|\d|(?<=\s)[A-Z]{1,3}\b)*)+$", re.IGNORECASE)
#: The date itself; some DATE fields carry control entities and desk codes after it.
_DATE = re.compile(r"\d{1,2}-[A-Za-z]{3}-\d{4}\s+\d{1,2}:\d{2}:\d{2}(?:\.\d+)?")
#: The dateline's place, city and region ("CANTON, Ohio", "WOODCLIFF LAKE, N.J."): all before the date.
_DATELINE_PLACE = re.compile(
    r"^\s*(.+?)\s*,?\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|-|$)"
)
_STARS = re.compile(r"^\W*\*+\s*")
_LABEL = re.compile(r"<(TOPICS|PLACES|PEOPLE|ORGS)>(.*?)</\1>", re.DOTALL)
_D = re.compile(r"<D>(.*?)</D>", re.DOTALL)
BRIEF_PLACEHOLDER = "Blah blah blah."


def split_stories(text: str) -> list[tuple[str, str]]:
    """(NEWID, the story's SGML) for every ``<REUTERS>`` element of a whole ``.sgm`` file."""
    out: list[tuple[str, str]] = []
    for m in _STORY.finditer(text):
        idm = _NEWID.search(m.group(1))
        out.append((idm.group(1) if idm else str(len(out) + 1), m.group(0)))
    return out


def _numeric(m: re.Match[str]) -> str:
    code = int(m.group(1))
    if code in (9, 10, 13) or (32 <= code < 0x110000 and not 0xD800 <= code <= 0xDFFF and code != 127):
        return chr(code)
    return ""


def unescape(s: str, control: str | None = None) -> str:
    """Undo the collection's entities: numeric control codes vanish, &lt; &gt; &amp; become characters.

    ``control``: what every numeric entity becomes instead (the evaluations' tagger-alone and dedupe views
    read each as a space); None, the product's reading, decodes the printable ones and drops the rest."""
    if "&" not in s:
        return s
    s = _NUMERIC.sub(_numeric, s) if control is None else _NUMERIC.sub(control, s)
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _one_line(s: str) -> str:
    return _WS.sub(" ", s).strip()


def body_blocks(lines: list[str]) -> list[list[str]]:
    """A BODY's lines grouped in blocks: a line that starts with white space opens one (paragraphs are indented,
    table rows and signoffs too, by one space or more), and so does a line of aligned columns under another (a
    table at column 0); other lines continue the block (the wire hard-wraps at ~65 characters); a blank line
    ends one. A table row stays a line of its own. (The `--through` renderers read the archive the same way.)"""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        columns = _COLUMNS.search(line.strip()) is not None
        prev = blocks[-1][-1] if blocks[-1] else ""
        if blocks[-1] and (line[:1] in (" ", "\t") or (columns and _COLUMNS.search(prev.strip()))):
            blocks.append([])
        blocks[-1].append(line)
    return blocks


def _paragraphs(body: str) -> list[str]:
    """The body's blocks (`body_blocks`) as one-line paragraphs."""
    paras = [_one_line(" ".join(b)) for b in body_blocks(body.split("\n"))]
    return [p for p in paras if p]


def _published(raw: str) -> str | None:
    m = _DATE.search(raw)
    return m.group(0) if m else (_one_line(unescape(raw)) or None)


def story_newid(story: str) -> str | None:
    """The NEWID attribute of one ``<REUTERS>`` element's start tag (None when it has none)."""
    idm = _NEWID.search(story[: story.find(">") + 1] if story.startswith("<REUTERS") else "")
    return idm.group(1) if idm else None


def story_fields(story: str) -> dict[str, str]:
    """The DATE, TITLE, DATELINE, BODY, AUTHOR and UNKNOWN elements of one story as written (still escaped):
    the first of each, the two UNKNOWN headers some stories carry joined by a newline."""
    fields: dict[str, str] = {}
    for m in _FIELD.finditer(story):
        if m.group(1) == "UNKNOWN" and "UNKNOWN" in fields:  # some stories carry two headers
            fields["UNKNOWN"] += "\n" + m.group(2)
        else:
            fields.setdefault(m.group(1), m.group(2))
    return fields


def story_text(story: str) -> tuple[str, str | None]:
    """The ``<TEXT>`` element's TYPE (upper case; "NORM" when it has none) and content (None without one)."""
    tm = _TEXT.search(story)
    return ((tm.group(1) or "NORM").upper(), tm.group(2)) if tm else ("NORM", None)


def parse_reuters21578(story: str) -> Extracted:
    """One ``<REUTERS>`` element (as returned by :func:`split_stories`) as an `Extracted`."""
    newid = story_newid(story)
    fields = story_fields(story)
    text_type, text = story_text(story)
    unknown = fields.get("UNKNOWN", "")
    slug_m = _SLUG.search(unescape(unknown))
    credits: list[str] = []
    if "reute" in unknown.lower():
        credits.append("Reuters")  # the wire code in the transmission header

    headline = _STARS.sub("", _one_line(unescape(fields.get("TITLE", "")))) or None
    dateline_raw = _one_line(unescape(fields.get("DATELINE", "")))
    dl = _DATELINE_PLACE.match(dateline_raw)
    dateline = dl.group(1).strip() if dl else None

    paragraphs: list[str] = []
    if "BODY" in fields:
        paragraphs = _paragraphs(unescape(fields["BODY"]))
    elif text_type == "UNPROC" and text is not None:
        raw = unescape(text).strip("\n")
        first, _, rest = raw.strip().partition("\n")
        headline = headline or _one_line(first) or None
        paragraphs = [x for x in (_one_line(line) for line in rest.split("\n")) if x]  # tables: line by line
    while paragraphs:  # the signoff, perhaps repeated on lines of its own ("REUTER\n Reuter")
        last = paragraphs[-1]
        stripped = _SIGNOFF.sub("", last)
        if stripped == last:
            break
        if "Reuter" not in credits:
            credits.append("Reuter")
        if stripped:
            paragraphs[-1] = stripped
            break
        paragraphs.pop()
    if text_type == "BRIEF" or (not paragraphs and headline):
        paragraphs = [p for p in paragraphs if p != BRIEF_PLACEHOLDER] or ([headline] if headline else [])

    byline = authors = None
    if "AUTHOR" in fields:
        found = parse_byline(_one_line(unescape(fields["AUTHOR"])))
        if found:
            byline, authors, credit = found
            if credit:
                credits.append(credit)
        else:
            byline = _one_line(unescape(fields["AUTHOR"]))
    return Extracted(
        headline=headline,
        byline=byline,
        authors=authors or (),
        dateline=dateline,
        published=_published(fields.get("DATE", "")),
        paragraphs=tuple(paragraphs),
        credits=tuple(credits),
        source_id=f"reuters21578:{newid}" if newid else None,
        slug=slug_m.group(0) if slug_m else None,
        language="en",
    )


def gold_labels(story_sgml: str) -> dict[str, list[str]]:
    """The collection's gold TOPICS / PLACES / PEOPLE / ORGS of one story. For evaluators only."""
    out: dict[str, list[str]] = {"TOPICS": [], "PLACES": [], "PEOPLE": [], "ORGS": []}
    for m in _LABEL.finditer(story_sgml):
        out[m.group(1)] = [unescape(d).strip() for d in _D.findall(m.group(2))]
    return out
