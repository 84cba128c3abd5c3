"""What every format reader returns: the fields found in one story, before they become ninjs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Caption:
    """A picture caption and the photo's own credit (image rights are not the text credit)."""

    text: str
    credit: str | None = None  # e.g. "MAXIM MARMUR/AFP/Getty Images"


@dataclass(frozen=True, slots=True)
class Extracted:
    """One story as a reader found it. Every reader (text, html, ninjs, newsml, reuters21578) returns this.

    Dates are kept as written (`published`, `modified`); `streams.normalize.normalizer` parses them to UTC.
    Gold labels a corpus carries (Reuters-21578 TOPICS/PLACES/PEOPLE/ORGS) are never put here:
    the tagger must earn its tags from the text.
    """

    headline: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None  # the place the story was filed from ("MOSCOW")
    published: str | None = None
    modified: str | None = None
    paragraphs: tuple[str, ...] = ()
    body_html: str | None = None  # sanitised HTML body, when the source had markup
    captions: tuple[Caption, ...] = ()
    credits: tuple[str, ...] = ()  # text-credit evidence found: credit line, "(Reuters) -", signoff
    publisher: str | None = None
    language: str | None = None
    source_id: str | None = None  # an identifier the source itself gives (guid, NEWID, ninjs uri)
    version: str | None = None
    pubstatus: str | None = None  # usable | withheld | canceled, when the source says
    signals: tuple[str, ...] = ()  # "correction", "update", "kill" when the source marks one
    slug: str | None = None
    embargoed: str | None = None  # the embargo time as written (ninjs `embargoed`, NewsML-G2 itemMeta/embargoed)
    urgency: int | None = None  # 1 (most urgent) to 9, when the source says (ninjs / NewsML-G2 `urgency`)


def urgency_of(value: object) -> int | None:
    """A source's urgency as an integer 1 (most urgent) to 9, or None when absent or out of range."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 9 else None
