"""The generated inputs: each story's wire original and its re-sends, republications, trims, edits, updates, kills."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from streams.model import Article, Envelope, Rejection
from streams.normalize.normalizer import Normalizer
from streams.quality.corpora.fixtures import Source


@dataclass(slots=True)
class Item:
    """One replayed input: the article, its gold cluster and what kind of input it is."""

    input_id: str
    article: Article
    cluster: str
    kind: str  # "source" | "resend" | "republish" | "trim" | "edit" | "update" | "correction" | "kill"
    when: datetime
    body_norm: str = ""
    title_norm: str = ""


OUTLETS = (
    ("The Harbour Gazette", "Subscribe to the Harbour Gazette for unlimited access to local and world news."),
    ("Metro Courier", "Metro Courier is on the ground when news breaks. Support our journalism today."),
    ("Northern Star Online", "Sign up for the Northern Star morning briefing, delivered to your inbox."),
    ("Daily Ledger", "The Daily Ledger relies on readers like you. Become a member from $1 a week."),
)

_EDITS = (
    (r"\bpct\b", "percent"),
    (r"\bdlrs\b", "dollars"),
    (r"\bmln\b", "million"),
    (r"\bsaid\b", "stated"),
    (r"\bU\.S\.", "US"),
    (r"\bcompany\b", "firm"),
    (r"\bshares\b", "stock"),
)

_UPDATE_SENTENCES = (
    "Later on {day}, {who} told reporters that talks with {org} would continue next week.",
    "{who}, speaking at a news conference in {city}, declined to give further details.",
    "Analysts at {org} said the decision had been widely expected and would have little impact.",
    "The announcement came after {org} reported lower than expected results for the quarter.",
    "{who} added that a final decision was not expected before the end of the month.",
    "Officials in {city} said further measures were under discussion but gave no timetable.",
)
_WHO = ("a senior official", "a spokeswoman", "the chairman", "a company spokesman", "the minister")
_ORG = ("Salomon Brothers", "Merrill Lynch", "the central bank", "the trade ministry", "Nomura Securities")
_CITY = ("London", "Tokyo", "New York", "Brussels", "Frankfurt", "Sydney")
_DAY = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_article(
    uri: str, headline: str, paragraphs: list[str], when: datetime, *, publisher: str | None = None,
    source_id: str | None = None, pubstatus: str = "usable", genre: str | None = None,
) -> Article:
    """A ninjs 2.1 article in the shape the normaliser emits (enough of it for dedupe). A ``wire:`` uri is
    a feed item: it carries an item-id (`source_id`, else the uri); other uris are outlet pages."""
    body = "\n\n".join(paragraphs)
    art: Article = {
        "uri": uri,
        "version": "1",
        "type": "text",
        "language": "en",
        "firstcreated": _iso(when),
        "versioncreated": _iso(when),
        "pubstatus": pubstatus,
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [
            {"role": "main", "contenttype": "text/plain", "value": body, "charcount": len(body),
             "wordcount": len(body.split())},
        ],
        "infosources": [{"name": "Reuters", "role": "source"}],
    }
    if publisher:
        art["infosources"] = [*art["infosources"], {"name": publisher, "role": "publisher"}]
    if source_id is None and uri.startswith("wire:"):
        source_id = uri  # a wire item carries its feed's own id
    art["altids"] = [{"role": "source-id", "value": uri}]
    if source_id:
        art["altids"].append({"role": "item-id", "value": source_id})
    if genre:
        art["genres"] = [{"name": genre.capitalize(), "literal": genre}]
    return art


def _split_sentences(paras: list[str]) -> list[str]:
    out: list[str] = []
    for p in paras:
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"])", p) if s]
    return out


def _retitle(rng: random.Random, headline: str) -> str:
    """An outlet's own headline: sentence case, sometimes shortened."""
    words = headline.split()
    if len(words) > 5 and rng.random() < 0.5:
        words = words[: max(4, len(words) - 2)]
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def _update_paragraph(rng: random.Random) -> str:
    n = rng.randint(1, 2)
    return " ".join(
        rng.choice(_UPDATE_SENTENCES).format(
            who=rng.choice(_WHO), org=rng.choice(_ORG), city=rng.choice(_CITY), day=rng.choice(_DAY)
        )
        for _ in range(n)
    )


def page_text(outlet: str, plea: str, headline: str, paragraphs: list[str], when: datetime) -> str:
    """An outlet's page as text, in the seed's shape: notifications, headline, byline, date line,
    support plea, the story, the credit and the outlet's trailing links."""
    date = when.astimezone(UTC).strftime("%A %d %B %Y %H:%M GMT")
    lines = [
        f"Stay up to date with notifications from {outlet}", "",
        "Notifications can be managed in browser preferences.", "",
        headline, "",
        "Staff and agencies", date, "Comments", "",
        "Your support helps us to tell the story", "",
        plea, "",
        "\n\n".join(paragraphs), "",
        "Reuters", "",
        "More about", "World news", "Markets", "",
    ]
    return "\n".join(lines)


#: Turns page text into an article (the normaliser), or None when it rejects the page.
PageReader = Callable[[str, str], Article | None]


def normaliser_reader() -> PageReader | None:
    """`streams.normalize.Normalizer` as a PageReader."""
    norm = Normalizer()

    def read(page: str, input_id: str) -> Article | None:
        out = norm.normalize(Envelope(id=input_id, content=page, format="text"))
        return None if isinstance(out, Rejection) else out

    return read


def _update(src: Source, rng: random.Random) -> tuple[Article, datetime]:
    """An update of `src` 20 minutes to 10 hours later: one or two new paragraphs, told by its genre, an "UPDATE
    1-" headline, a changed headline or nothing at all; under the original's source id at times."""
    cid = src.id
    paras = list(src.paragraphs)
    pos = rng.choice((1, len(paras)))
    paras.insert(pos, _update_paragraph(rng))
    if rng.random() < 0.5:
        paras.insert(len(paras), _update_paragraph(rng))
    how = rng.random()
    head = src.headline
    genre = None
    if how < 0.33:
        genre = "update"
    elif how < 0.66:
        head = "UPDATE 1-" + src.headline
    elif rng.random() < 0.5:
        head = src.headline + " - OFFICIAL"
    same_sid = rng.random() < 0.3
    t = src.when + timedelta(minutes=rng.uniform(20, 10 * 60))
    return make_article(f"wire:{cid}-upd", head, paras, t, genre=genre,
                        source_id=f"reuters21578:{cid}" if same_sid else f"reuters21578:{cid}-u"), t


def variants(src: Source, rng: random.Random, rate: float = 0.35, pages: PageReader | None = None) -> list[Item]:
    """Generated inputs for `src`: the wire original plus, with probability `rate` each, its copies.

    With `pages`, an outlet's republication is written as page text in the seed's shape and read by it
    (the normaliser); else it is built as an article directly, its chrome paragraphs left in the body."""
    cid = src.id
    items = [Item(f"{cid}", make_article(f"wire:{cid}", src.headline, src.paragraphs, src.when,
                                          source_id=f"reuters21578:{cid}"), cid, "source", src.when)]

    def later(lo_min: float, hi_min: float) -> datetime:
        return src.when + timedelta(minutes=rng.uniform(lo_min, hi_min))

    def add(kind: str, art: Article, when: datetime) -> None:
        items.append(Item(f"{cid}-{kind}-{len(items)}", art, cid, kind, when))

    if rng.random() < rate:
        t = later(1, 90)
        add("resend", make_article(f"wire:{cid}-rpt", src.headline, src.paragraphs, t,
                                   source_id=f"reuters21578:{cid}-rpt"), t)
    if rng.random() < rate:
        name, plea = rng.choice(OUTLETS)
        paras = list(src.paragraphs)
        if rng.random() < 0.5:
            paras = [*paras, plea]
        if rng.random() < 0.3:
            paras = [plea, *paras]
        head = _retitle(rng, src.headline) if rng.random() < 0.6 else src.headline
        t = later(30, 48 * 60)
        uri = f"https://{name.lower().replace(' ', '')}.example/{cid}"
        art = pages(page_text(name, plea, head, paras, t), f"{cid}-page") if pages else None
        add("republish", art or make_article(uri, head, paras, t, publisher=name), t)
    sentences = _split_sentences(src.paragraphs)
    if rng.random() < rate and len(sentences) >= 3:
        name, _ = rng.choice(OUTLETS)
        keep = max(2, int(len(sentences) * rng.uniform(0.55, 0.85)))
        t = later(30, 72 * 60)
        add("trim", make_article(f"https://{name.lower().replace(' ', '')}.example/t/{cid}",
                                 _retitle(rng, src.headline), [" ".join(sentences[:keep])], t, publisher=name), t)
    if rng.random() < rate:
        name, _ = rng.choice(OUTLETS)
        paras = list(src.paragraphs)
        for pat, rep in rng.sample(_EDITS, 3):
            paras = [re.sub(pat, rep, p) for p in paras]
        if len(paras) > 3 and rng.random() < 0.5:
            del paras[rng.randrange(1, len(paras))]
        t = later(30, 72 * 60)
        add("edit", make_article(f"https://{name.lower().replace(' ', '')}.example/e/{cid}", src.headline, paras,
                                 t, publisher=name), t)
    if rng.random() < rate:
        art, t = _update(src, rng)
        add("update", art, t)
    if rng.random() < rate * 0.5:
        paras = list(src.paragraphs)
        paras[0] = "(Corrects name of official in first paragraph) " + paras[0]
        head = "CORRECTED-" + src.headline if rng.random() < 0.5 else src.headline
        t = later(60, 24 * 60)
        add("correction", make_article(f"wire:{cid}-cor", head, paras, t, genre="correction",
                                       source_id=f"reuters21578:{cid}-c"), t)
    if rng.random() < rate * 0.3:
        t = later(60, 24 * 60)
        head = "KILL - " + src.headline if rng.random() < 0.5 else src.headline
        sid = f"reuters21578:{cid}" if rng.random() < 0.5 else f"reuters21578:{cid}-k"
        body = [f'The story headlined "{src.headline}" is withdrawn. There will be no substitute story.']
        add("kill", make_article(f"wire:{cid}-kill", head, body, t, pubstatus="canceled", source_id=sid), t)
    return items


EXPECTED = {
    "source": "new",
    "resend": "duplicate",
    "republish": "duplicate",
    "trim": "duplicate",
    "edit": "duplicate",
    "update": "update",
    "correction": "correction",
    "kill": "kill",
}


def build(
    sources: list[Source], *, seed: int = 1987, rate: float = 0.35, pages: PageReader | None = None
) -> list[Item]:
    """The replay set: every source story plus its generated variants."""
    rng = random.Random(seed)
    items: list[Item] = []
    for s in sources:
        items += variants(s, rng, rate, pages)
    return items
