"""Reuters-21578 (``reut2-NNN.sgm``) for the evaluations, read with the product's own reader.

Files, stories, their elements, entities and gold labels all come from `streams.normalize.formats.reuters21578`
(`split_stories`, `story_newid`, `story_fields`, `story_text`, `unescape`, `gold_labels`), so an evaluation
cannot parse the collection differently from the product. Files 000-011 are the development split (tuned
on), 012-017 held out. Gold PLACES are mapped from 1987 codes to today's ISO codes (``ussr`` -> RU,
``west-germany`` -> DE, ...), TOPICS to the Media Topics our rules should assign.

Two views of a story keep the reading their evaluation's published figures were measured with:

* `tagger_article` (`syndicate eval tagging`, the tagger alone): headline, ``located`` and body, every numeric
  entity read as a space; the body split at a line break before an indented line and the signoff dropped; a
  story without BODY gives the words of its TEXT. (Tagging what `parse_reuters21578` makes of each story
  instead changes the countries found in 214 of the 18,000 stories, and so the published figures.)
* `source` (`syndicate eval dedupe` and `bench dedupe`): a `Source` whose paragraphs are split at a line break
  before two spaces or a tab, the ``Reuter`` signoff dropped; stories without a title, body or date skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pycountry

from streams.model import Article
from streams.normalize.formats.reuters21578 import (
    gold_labels,
    split_stories,
    story_fields,
    story_newid,
    story_text,
    unescape,
)
from streams.quality.corpora.fixtures import Source

#: Files used while tuning; the others (012-017) are held out.
DEV_FILES = frozenset(f"{i:03d}" for i in range(12))
HELD_OUT_FILES = frozenset(f"{i:03d}" for i in range(12, 18))

#: Reuters-21578 place codes whose name pycountry does not resolve -> ISO 3166-1 alpha-2 today.
REUTERS_PLACES = {
    "usa": "US", "uk": "GB", "ussr": "RU", "west-germany": "DE", "east-germany": "DE", "czechoslovakia": "CZ",
    "yugoslavia": "RS", "zaire": "CD", "burma": "MM", "kampuchea": "KH", "yemen-arab-republic": "YE",
    "yemen-demo-republic": "YE", "netherlands-antilles": "CW", "western-samoa": "WS", "congo": "CG",
    "uae": "AE", "vatican": "VA", "macao": "MO", "hong-kong": "HK", "swaziland": "SZ", "ivory-coast": "CI",
    "south-korea": "KR", "north-korea": "KP", "taiwan": "TW", "iran": "IR", "syria": "SY", "vietnam": "VN",
    "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "cape-verde": "CV", "brunei": "BN",
    "libya": "LY", "trinidad-tobago": "TT", "british-virgin-islands": "VG", "us-virgin-islands": "VI",
    "antigua": "AG", "turkey": "TR", "russia": "RU", "moldova": "MD", "micronesia": "FM",
}
#: Reuters-21578 TOPICS -> the Media Topic our rules should assign (only topics with a clear counterpart).
REUTERS_TOPICS = {
    "earn": "20000178", "acq": "20000204", "crude": "20001243", "nat-gas": "20001243", "grain": "20000210",
    "wheat": "20000210", "corn": "20000210", "soybean": "20000210", "oilseed": "20000210", "sugar": "20000210",
    "coffee": "20000210", "cocoa": "20000210", "cotton": "20000210", "livestock": "20000210",
    "veg-oil": "20000210", "rice": "20000210", "money-fx": "20000391", "dlr": "20000355", "yen": "20000355",
    "interest": "20000371", "trade": "20000373", "ship": "20000291", "gold": "20000388", "silver": "20000388",
    "copper": "20000388", "zinc": "20000388", "tin": "20000388", "aluminium": "20000388", "lead": "20000388",
    "nickel": "20000388", "iron-steel": "20000388", "money-supply": "20000379", "gnp": "20000359",
    "cpi": "20000370", "wpi": "20000370", "jobs": "20000365", "bop": "20000375",
}

_DATE = re.compile(r"(\d{1,2}-[A-Za-z]{3}-\d{4})\s+(\d{1,2}:\d{2}:\d{2})")
#: tagger_article: the elements of TEXT that are not body, any markup, the signoff, the paragraph breaks and
#: the dateline's date.
_TEXT_FIELDS = re.compile(r"<(TITLE|DATELINE|AUTHOR)>.*?</\1>", re.S)
_MARKUP = re.compile(r"<[^>]*>")
_TAGGER_SIGNOFF = re.compile(r"\s*Reuter\s*$")
_TAGGER_PARAGRAPH = re.compile(r"\n\s{2,}|\n(?=\s)")
_TAGGER_DATE = re.compile(r",\s*(?:[A-Z][a-z]{2,4}\.?\s*\d)")
#: source: the paragraph breaks and the signoff.
_SOURCE_PARAGRAPH = re.compile(r"\n {2,}|\n\t")
_SOURCE_SIGNOFF = re.compile(r"\s*Reuters?$")


class SgmlStory(NamedTuple):
    """One ``<REUTERS>`` element and where it is: its file's number ("000") and its NEWID."""

    number: str
    newid: str
    sgml: str


def sgm_files(corpus: Path, numbers: Iterable[str] | None = None) -> list[Path]:
    """The ``reut2-NNN.sgm`` files of a folder in order (or the one file `corpus`), only `numbers` if given."""
    paths = sorted(corpus.glob("reut2-*.sgm")) if corpus.is_dir() else [corpus]
    wanted = None if numbers is None else set(numbers)
    return [p for p in paths if wanted is None or file_number(p) in wanted]


def holds_sgm(corpus: Path) -> bool:
    """A folder holding ``reut2-NNN.sgm`` files (not one file: the evaluations that need the collection say so)."""
    return corpus.is_dir() and any(corpus.glob("reut2-*.sgm"))


def file_number(path: Path) -> str:
    """``reut2-007.sgm`` -> "007"."""
    return path.stem.split("-")[-1]


def stories(corpus: Path, numbers: Iterable[str] | None = None) -> Iterator[SgmlStory]:
    """Every story of the files of `sgm_files`, in file order (files are latin-1)."""
    for path in sgm_files(corpus, numbers):
        for newid, sgml in split_stories(path.read_text(encoding="latin-1")):
            yield SgmlStory(file_number(path), newid, sgml)


def story_time(raw_date: str) -> datetime | None:
    """A DATE element ("26-FEB-1987 15:01:01.79", perhaps with codes after it) as UTC; None if it is none."""
    m = _DATE.search(raw_date)
    if not m:
        return None
    try:
        return datetime.strptime(f"{m.group(1)} {m.group(2)}", "%d-%b-%Y %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


# ------------------------------------------------------------------------------------------------ labels


def reuters_code(code: str) -> str | None:
    """1987 Reuters-21578 place code -> ISO alpha-2 (None if it is not a country we can map)."""
    if code in REUTERS_PLACES:
        return REUTERS_PLACES[code]
    try:
        return str(pycountry.countries.lookup(code.replace("-", " ")).alpha_2)
    except LookupError:
        return None


def gold_places(sgml: str) -> set[str]:
    """The story's gold PLACES as ISO country codes (the codes that map to a country)."""
    return {c for c in (reuters_code(p) for p in gold_labels(sgml)["PLACES"]) if c}


def gold_topics(sgml: str) -> set[str]:
    """The story's gold TOPICS as the Media Topic codes of `REUTERS_TOPICS` (the others dropped)."""
    return {REUTERS_TOPICS[t] for t in gold_labels(sgml)["TOPICS"] if t in REUTERS_TOPICS}


# ------------------------------------------------------------------------------------------------- views


def _spaced(fields: dict[str, str], name: str) -> str:
    """An element's text with every numeric entity read as a space (the views' reading)."""
    return unescape(fields.get(name, ""), control=" ")


def tagger_article(sgml: str) -> Article:
    """Headline, dateline and body of one story for the tagger alone; no gold label is copied into it."""
    fields = story_fields(sgml)
    title = " ".join(_spaced(fields, "TITLE").split())
    dateline = " ".join(_spaced(fields, "DATELINE").split())
    body = _spaced(fields, "BODY")
    if not body:  # TYPE="UNPROC"/"BRIEF" stories keep their text directly in <TEXT>
        text = unescape(story_text(sgml)[1] or "", control=" ")
        body = _MARKUP.sub(" ", _TEXT_FIELDS.sub(" ", text))
    body = _TAGGER_SIGNOFF.sub("", body.strip())
    paras = [" ".join(p.split()) for p in _TAGGER_PARAGRAPH.split(body) if p.strip()]
    city = _TAGGER_DATE.split(dateline)[0].strip().rstrip(",- ") if dateline else ""
    art: Article = {"type": "text", "headlines": [{"role": "main", "value": title}] if title else []}
    if city:
        art["located"] = city
    if paras:
        art["bodies"] = [{"role": "main", "contenttype": "text/plain", "value": "\n\n".join(paras)}]
    return art


def reuters_items(
    corpus: Path, files: Iterable[str] | None = None, label: str = "PLACES"
) -> Iterator[tuple[str, str, Article, set[str]]]:
    """(file number, story id, `tagger_article`, gold codes) for stories with at least one gold label.

    label PLACES gives ISO country codes; TOPICS gives the Media Topic codes of REUTERS_TOPICS.
    """
    for story in stories(corpus, files):
        gold = gold_places(story.sgml) if label == "PLACES" else gold_topics(story.sgml)
        if gold:
            yield story.number, story.newid, tagger_article(story.sgml), gold


def source(sgml: str) -> Source | None:
    """The story as a `Source` (the dedupe evaluation's reading), None without a NEWID, title, body or date."""
    newid = story_newid(sgml)
    fields = story_fields(sgml)
    title, body, date = fields.get("TITLE"), fields.get("BODY"), fields.get("DATE")
    if not (newid and title and body and date):
        return None
    when = story_time(date)
    if when is None:
        return None
    paras = [" ".join(p.split()) for p in _SOURCE_PARAGRAPH.split(unescape(body, control=" "))]
    paras = [p for p in paras if p]
    if paras and paras[-1].lower() in ("reuter", "reuters"):
        paras.pop()
    elif paras:
        paras[-1] = _SOURCE_SIGNOFF.sub("", paras[-1])
    if not paras:
        return None
    return Source(f"r{newid}", " ".join(unescape(title, control=" ").split()), paras, when)


def read_sources(corpus: str | Path) -> list[Source]:
    """`source` of every story with a title and a body under `corpus` (a folder or one .sgm file), in file order."""
    return [s for story in stories(Path(corpus)) if (s := source(story.sgml)) is not None]
