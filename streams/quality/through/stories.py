"""The stories `--through` renders: Reuters-21578 stories and CoNLL-2003 documents with their gold body and labels.

A `Story` is what a wire desk sent: headline, dateline place and date, the body as lines (a prose paragraph
is one line, a table row is one line of its own) and the gold labels the evaluations score against. The
renderers (`render_text`, `render_html`) write it as a page; the gold body is what must come out again.

Reuters-21578 bodies are hard-wrapped at ~65 characters. A line that starts with white space opens a new
block (paragraphs are indented four spaces, table rows and the signoff one or more); a line at column 0
that continues a table (it has aligned columns and the line before was a row) is a row of its own. A
block of one line with aligned columns (two or more spaces inside) or made mostly of figures is a table
row; everything else is a prose paragraph and its lines are joined. Files 000-011 are the development
split, 012-017 held out.

CoNLL-2003 documents are tokenised; `detokenize` writes them back as a wire story prints (no space before
punctuation, none inside quotes). The first sentence is the headline, a ``CITY YYYY-MM-DD`` second sentence
the dateline, each further sentence one body line (results and standings are one sentence per row). The
file name is the split: ``valid.txt`` development, ``train.txt`` held out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from streams.normalize.formats.reuters21578 import body_blocks, story_fields, story_newid, story_text, unescape
from streams.quality.corpora import conll2003, reuters21578
from streams.quality.corpora.reuters21578 import gold_places, story_time

_COLUMNS = re.compile(r"\S {2,}\S")
_FIGURE = re.compile(r"(?<![\w.])[-+(]?\$?\d[\d.,/:%-]*\)?(?![\w])")
_SIGNOFF = re.compile(r"(?:\s*\bReuters?\b[\s.]*(?:\^M|[A-Z]{1,3}\b|\d)*)+\s*$", re.IGNORECASE)
_WS = re.compile(r"\s+")
#: A Reuters-21578 dateline's place, city and region ("CANTON, Ohio"): all before the date.
_PLACE = re.compile(
    r"^(.+?)\s*,?\s*(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|-(?!\w)|$)"
)


@dataclass(frozen=True, slots=True)
class Story:
    """One story as the wire sent it, and its gold labels (never shown to the pipeline)."""

    id: str
    headline: str
    place: str | None  # the dateline's place as written ("NEW YORK", "LONDON")
    when: datetime
    lines: tuple[str, ...]  # the body: one prose paragraph or one table row per line
    rows: tuple[bool, ...]  # per line: a table row
    printed: tuple[str, ...]  # the lines as the wire printed them (a row keeps its aligned columns)
    split: str  # "dev" (tuned on) or "held-out"
    corpus: str  # "reuters21578", "conll2003" or "fixture"
    places: frozenset[str] = frozenset()  # Reuters-21578 gold PLACES as ISO codes
    entities: dict[str, frozenset[str]] = field(default_factory=dict)  # CoNLL gold PER/ORG/LOC strings
    sgml: str | None = None  # the original SGML (Reuters-21578)
    author: str | None = None

    @property
    def kind(self) -> str:
        """What sort of wire item this is: "table" (results, earnings, prices), "brief" or "prose"."""
        if sum(self.rows) >= 2:
            return "table"
        if len(self.lines) <= 2 and sum(len(line.split()) for line in self.lines) < 60:
            return "brief"
        return "prose"

    @property
    def body(self) -> str:
        return "\n".join(self.lines)


def is_row(line: str) -> bool:
    """A table row: aligned columns, or short and a third figures, two at least ("Shr 16 cts vs 14 cts",
    "Arsenal 2 Chelsea 1")."""
    s = line.strip()
    if _COLUMNS.search(s):
        return True
    tokens = s.split()
    figures = len(_FIGURE.findall(s))
    return 2 <= len(tokens) <= 16 and figures >= 2 and figures * 3 >= len(tokens)


# ------------------------------------------------------------------------------------------ Reuters-21578


def reuters_blocks(body: str) -> list[tuple[str, bool, str]]:
    """(text, is a table row, as printed) for each block of a Reuters-21578 BODY (unescaped), signoff removed."""
    blocks = body_blocks([line.rstrip() for line in body.replace("\r", "").split("\n")])
    out: list[tuple[str, bool, str]] = []
    for lines in blocks:
        text = _WS.sub(" ", " ".join(lines)).strip()
        if text:
            row = (len(lines) == 1 and is_row(lines[0])) or all(_COLUMNS.search(x.strip()) for x in lines)
            out.append((text, row, lines[0].strip() if row and len(lines) == 1 else text))
    while out:
        text, row, printed = out[-1]
        stripped = _SIGNOFF.sub("", text).strip()
        if stripped == text:
            break
        out.pop()
        if stripped:
            out.append((stripped, row, _SIGNOFF.sub("", printed).strip() or stripped))
            break
    return out


def reuters_story(sgml: str, number: str) -> Story | None:
    """A Story from one ``<REUTERS>`` element, or None when it has no headline, body or date."""
    if story_text(sgml)[0] in ("BRIEF", "UNPROC"):
        return None
    fields = story_fields(sgml)
    title = _WS.sub(" ", unescape(fields.get("TITLE", ""))).strip()
    when = story_time(fields.get("DATE", ""))
    blocks = reuters_blocks(unescape(fields.get("BODY", "")))
    if not (title and when and blocks):
        return None
    newid = story_newid(sgml)
    dateline = _WS.sub(" ", unescape(fields.get("DATELINE", ""))).strip()
    where = _PLACE.match(dateline) if dateline else None
    place = where.group(1).strip(" ,-") if where else None
    author = _WS.sub(" ", unescape(fields.get("AUTHOR", ""))).strip() or None
    return Story(
        id=f"r{newid or number}",
        headline=title,
        place=place or None,
        when=when,
        lines=tuple(t for t, _, _ in blocks),
        rows=tuple(r for _, r, _ in blocks),
        printed=tuple(p for _, _, p in blocks),
        split="dev" if number in reuters21578.DEV_FILES else "held-out",
        corpus="reuters21578",
        places=frozenset(gold_places(sgml)),
        sgml=sgml,
        author=author,
    )


def reuters_stories(corpus: Path, files: Iterable[str] | None = None) -> Iterator[Story]:
    """Every story with a headline, body and date from ``reut2-NNN.sgm`` under `corpus` (a folder or one file)."""
    for item in reuters21578.stories(corpus, files):
        story = reuters_story(item.sgml, item.number)
        if story is not None:
            yield story


# --------------------------------------------------------------------------------------------- CoNLL-2003

_NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", "?", "!", "%", ")", "]", "}", "...", "'", "n't"})
_CLITIC = re.compile(r"^'(?:s|re|ve|ll|d|m)$", re.IGNORECASE)
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "#"})
_NAME_LINE = re.compile(r"^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){1,3}$")
_CONLL_DATELINE = re.compile(r"^(?P<place>[A-Z][A-Za-z .'-]*?)(?:,\s*[A-Z][\w. ]*?)?\s+(?P<date>\d{4}-\d{2}-\d{2})$")


def detokenize(tokens: list[str]) -> str:
    """CoNLL tokens as printed text: "Simmons took four for 38 ." -> "Simmons took four for 38."."""
    out: list[str] = []
    quote_open = False
    glue = True
    for tok in tokens:
        if tok == '"':
            if quote_open:
                out.append(tok)
                glue = False
            else:
                out.append(("" if glue else " ") + tok)
                glue = True
            quote_open = not quote_open
            continue
        attach = glue or tok in _NO_SPACE_BEFORE or _CLITIC.match(tok) is not None
        out.append(tok if attach else " " + tok)
        glue = tok in _NO_SPACE_AFTER
    return "".join(out).strip()


def conll_stories(path: Path) -> Iterator[Story]:
    """One Story per CoNLL-2003 document, with its gold PER/ORG/LOC strings per type."""
    split = "dev" if conll2003.is_dev(path) else "held-out"
    base = datetime(1996, 8, 1, tzinfo=UTC)
    for n, doc in enumerate(conll2003.conll_docs(path)):
        sentences = [detokenize([t for t, _ in s]) for s in doc]
        if len(sentences) < 2:
            continue
        head_tokens = [t for t, _ in doc[0]]
        if len(head_tokens) > 1 and head_tokens[-1] == ".":  # wire headlines carry no full stop
            head_tokens = head_tokens[:-1]
        headline, rest = detokenize(head_tokens), sentences[1:]
        place = author = None
        when = base + timedelta(minutes=7 * n)
        if (
            len(rest) > 1
            and not _CONLL_DATELINE.match(rest[0])
            and _CONLL_DATELINE.match(rest[1])
            and _NAME_LINE.match(rest[0])
        ):  # a byline before the dateline ("Adrian Warner")
            author, rest = rest[0], rest[1:]
        m = _CONLL_DATELINE.match(rest[0])
        if m:
            place = m.group("place")
            day = datetime.fromisoformat(m.group("date")).replace(tzinfo=UTC)
            when = day + timedelta(hours=6, minutes=(7 * n) % 900)
            rest = rest[1:]
        if not rest:
            continue
        gold = conll2003.conll_gold(doc)
        yield Story(
            id=f"c{path.stem}{n}",
            headline=headline,
            place=place,
            when=when,
            lines=tuple(rest),
            rows=tuple(is_row(s) for s in rest),
            printed=tuple(rest),
            split=split,
            corpus="conll2003",
            entities={t: frozenset(v) for t, v in gold.items()},
            author=f"By {author}" if author else None,
        )


def fixture_stories(path: Path) -> Iterator[Story]:
    """Invented stories from a JSON fixture: ``{"stories": [{id, headline, place, when, lines, rows?, author?,
    places, people, orgs}]}`` (``rows`` defaults to `is_row` of each line)."""
    for s in orjson.loads(path.read_bytes())["stories"]:
        lines = tuple(s["lines"])
        rows = tuple(s.get("rows") or (is_row(line) for line in lines))
        yield Story(
            id=s["id"], headline=s["headline"], place=s.get("place"),
            when=datetime.fromisoformat(s["when"].replace("Z", "+00:00")),
            lines=tuple(_WS.sub(" ", line).strip() for line in lines), rows=rows, printed=lines, split="dev",
            corpus="fixture", places=frozenset(s.get("places") or ()), author=s.get("author"),
            entities={"PER": frozenset(s.get("people") or ()), "ORG": frozenset(s.get("orgs") or ()),
                      "LOC": frozenset()},
        )


def load_stories(corpus: Path, *, files: Iterable[str] | None = None, limit: int = 0) -> list[Story]:
    """Stories from a Reuters-21578 folder or ``.sgm`` file, a CoNLL-2003 ``.txt`` file or a JSON fixture."""
    if corpus.suffix == ".txt":
        stories: Iterable[Story] = conll_stories(corpus)
    elif corpus.suffix == ".json":
        stories = fixture_stories(corpus)
    else:
        stories = reuters_stories(corpus, files)
    out: list[Story] = []
    for story in stories:
        out.append(story)
        if limit and len(out) >= limit:
            break
    return out
