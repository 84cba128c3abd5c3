"""Dedupe evaluation: replay Reuters-21578 plus generated re-sends/republications/updates/kills, score.

Labelling rule (gold "same story" pairs):

* Every generated variant (re-send, outlet republication in page chrome, trimmed copy, edited copy,
  update, correction, kill) is the same story as the corpus story it was made from.
* Two real corpus stories are the same story when their bodies are identical after whitespace
  normalisation, they are at most `REAL_SAME_DAYS` days apart, and their headlines share at least
  half their words (a re-send, possibly with a fixed headline typo).
* Ambiguous real pairs are left out of the pairwise scores (and counted): identical bodies under
  unrelated headlines (templated notices such as dividend declarations, or a headline rewrite), and
  similar headlines (half their words shared) over different bodies within `AMBIGUOUS_DAYS` days (an
  update, correction or rewrite of one story, or a re-run of a template: the corpus does not say which).
* Everything else is a different story, in particular same-headline reports with different bodies
  more than `AMBIGUOUS_DAYS` apart ("FED ADDS RESERVES VIA CUSTOMER REPURCHASES", "HOG AND CATTLE
  SLAUGHTER GUESSTIMATES"); the report also counts how many same-headline, different-body pairs
  (templated reports and updates alike) were merged, as a check on the templated-report rule.

Stories without a body are skipped (the normaliser rejects them: `empty-body`).
"""

from __future__ import annotations

import argparse
import glob
import html
import os
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

from streams.dedupe import Decision, Deduper, state_bytes
from streams.dedupe.fingerprint import headline_key
from streams.model import Article, Rejection

REAL_SAME_DAYS = 7
AMBIGUOUS_DAYS = 3


@dataclass(slots=True)
class Source:
    """One corpus story before it becomes an article."""

    id: str
    headline: str
    paragraphs: list[str]
    when: datetime


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


# ----------------------------------------------------------------------------- corpus

_REUTERS_RE = re.compile(r"<REUTERS(.*?)</REUTERS>", re.S)


def _tag(block: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", block, re.S)
    return m.group(1) if m else None


def _clean(text: str) -> str:
    return html.unescape(re.sub(r"&#\d+;", " ", text))


def read_reuters21578(path: str | os.PathLike[str]) -> list[Source]:
    """Stories with a title and a body from `reut2-*.sgm` under `path` (or one .sgm file), in file order."""
    path = os.fspath(path)
    files = sorted(glob.glob(os.path.join(path, "reut2-*.sgm"))) if os.path.isdir(path) else [path]
    out: list[Source] = []
    for f in files:
        with open(f, encoding="latin-1") as fh:
            text = fh.read()
        for m in _REUTERS_RE.finditer(text):
            block = m.group(1)
            newid = re.search(r'NEWID="(\d+)"', block)
            title, body, date = _tag(block, "TITLE"), _tag(block, "BODY"), _tag(block, "DATE")
            if not (newid and title and body and date):
                continue
            try:
                when = datetime.strptime(date.strip().split(".")[0], "%d-%b-%Y %H:%M:%S").replace(tzinfo=UTC)
            except ValueError:
                continue
            paras = [" ".join(p.split()) for p in re.split(r"\n {2,}|\n\t", _clean(body))]
            paras = [p for p in paras if p]
            if paras and paras[-1].lower() in ("reuter", "reuters"):
                paras.pop()
            elif paras:
                paras[-1] = re.sub(r"\s*Reuters?$", "", paras[-1])
            if not paras:
                continue
            out.append(Source(f"r{newid.group(1)}", " ".join(_clean(title).split()), paras, when))
    return out


def load_sources(path: str) -> list[Source]:
    """Stories from a JSON fixture: {"stories": [{"id", "when", "headline", "paragraphs"}, ...]}."""
    import orjson

    with open(path, "rb") as fh:
        data = orjson.loads(fh.read())
    return [
        Source(s["id"], s["headline"], list(s["paragraphs"]),
               datetime.fromisoformat(s["when"].replace("Z", "+00:00")))
        for s in data["stories"]
    ]


def read_corpus(path: str | os.PathLike[str]) -> list[Source]:
    """A Reuters-21578 directory or .sgm file, or a JSON fixture of stories."""
    p = os.fspath(path)
    return load_sources(p) if p.endswith(".json") else read_reuters21578(p)


# ----------------------------------------------------------------------------- articles & variants

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
    """`streams.normalize.Normalizer` as a PageReader, or None when it cannot be imported."""
    try:
        from streams.model import Envelope
        from streams.normalize.normalizer import Normalizer
    except ImportError:
        return None
    norm = Normalizer()

    def read(page: str, input_id: str) -> Article | None:
        out = norm.normalize(Envelope(id=input_id, content=page, format="text"))
        return None if isinstance(out, Rejection) else out

    return read


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
        t = later(20, 10 * 60)
        add("update", make_article(f"wire:{cid}-upd", head, paras, t, genre=genre,
                                   source_id=f"reuters21578:{cid}" if same_sid else f"reuters21578:{cid}-u"), t)
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


# ----------------------------------------------------------------------------- scoring


def _norm_ws(text: str) -> str:
    return " ".join(text.split())


def _hwords(headline: str) -> set[str]:
    return set(headline_key(headline).split())


def recurring_pairs(sources: list[Source], horizon: timedelta) -> list[tuple[str, str]]:
    """Real pairs under the same headline with different bodies, more than AMBIGUOUS_DAYS apart but within
    the horizon: recurring templated reports (labelled different stories)."""
    by_title: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_title[_norm_ws(s.headline)].append(s)
    out = []
    for group in by_title.values():
        for a, b in combinations(group, 2):
            gap = abs(a.when - b.when)
            if timedelta(days=AMBIGUOUS_DAYS) < gap <= horizon and _norm_ws(" ".join(a.paragraphs)) != _norm_ws(
                " ".join(b.paragraphs)
            ):
                out.append((a.id, b.id))
    return out


def real_pairs(sources: list[Source]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(same-story pairs, ambiguous pairs) among real corpus stories, by the rule in the module doc."""
    same: set[tuple[str, str]] = set()
    ambiguous: set[tuple[str, str]] = set()
    by_body: dict[str, list[Source]] = defaultdict(list)
    by_title: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_body[_norm_ws(" ".join(s.paragraphs))].append(s)
        by_title[_norm_ws(s.headline)].append(s)
    for group in by_body.values():
        for a, b in combinations(group, 2):
            pair = (min(a.id, b.id), max(a.id, b.id))
            if abs(a.when - b.when) > timedelta(days=REAL_SAME_DAYS):
                continue
            ha, hb = _hwords(a.headline), _hwords(b.headline)
            if len(ha & hb) / max(1, len(ha | hb)) >= 0.5:
                same.add(pair)
            else:
                ambiguous.add(pair)
    # similar headlines (half their words shared), different bodies, within AMBIGUOUS_DAYS: an update,
    # a correction or a rewrite of one story, or a same-week re-run of a template; left out
    by_word: dict[str, list[int]] = defaultdict(list)
    words = [_hwords(s.headline) for s in sources]
    for i, ws in enumerate(words):
        for w in ws:
            by_word[w].append(i)
    window = timedelta(days=AMBIGUOUS_DAYS)
    for i, s in enumerate(sources):
        seen: set[int] = set()
        for w in words[i]:
            if len(by_word[w]) > 400:
                continue  # a word in hundreds of headlines ("says", "net") names nothing
            seen.update(j for j in by_word[w] if j > i)
        for j in seen:
            o = sources[j]
            if abs(o.when - s.when) > window:
                continue
            inter = len(words[i] & words[j])
            if inter / max(1, len(words[i] | words[j])) < 0.5:
                continue
            pair = (min(s.id, o.id), max(s.id, o.id))
            if pair not in same:
                ambiguous.add(pair)
    return same, ambiguous


def _pairs(groups: Iterable[list[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for g in groups:
        for a, b in combinations(sorted(g), 2):
            out.add((a, b))
    return out


@dataclass(slots=True)
class Report:
    """What one replay measured."""

    inputs: int = 0
    precision: float = 0.0
    recall: float = 0.0
    update_rate: float = 0.0
    kind_accuracy: dict[str, float] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    pred_pairs: int = 0
    gold_pairs: int = 0
    excluded_pairs: int = 0
    false_merges: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    state_bytes: int = 0
    remembered: int = 0
    rejections: int = 0
    uri_of: dict[str, str] = field(default_factory=dict)  # input id -> the story uri it was given

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "update_rate": round(self.update_rate, 4),
            **{f"accuracy_{k}": round(v, 4) for k, v in sorted(self.kind_accuracy.items())},
        }


def replay(items: list[Item], sources: list[Source] | None = None, *, horizon: timedelta = timedelta(days=7),
           real: tuple[set[tuple[str, str]], set[tuple[str, str]]] | None = None) -> Report:
    """Run the items (sorted by time) through a fresh dict-backed Deduper and score the decisions."""
    items = sorted(items, key=lambda it: (it.when, it.input_id))
    stories: dict[str, Any] = {}
    index: dict[str, Any] = {}
    dd = Deduper(stories, index, horizon=horizon)
    cluster_of_uri: dict[str, list[str]] = defaultdict(list)
    decisions: dict[str, Decision] = {}
    rep = Report(inputs=len(items))
    t0 = time.perf_counter()
    for it in items:
        res = dd.process(it.input_id, it.article)
        if isinstance(res, Rejection):
            rep.rejections += 1
            continue
        d, _ = res
        decisions[it.input_id] = d
        cluster_of_uri[d.uri].append(it.input_id)
        rep.uri_of[it.input_id] = d.uri
    rep.seconds = time.perf_counter() - t0
    rep.state_bytes = state_bytes(stories, index)
    rep.remembered = len(stories)

    # gold clusters: generated variants join their source; real same-story pairs join via union-find
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    gold_of_item = {it.input_id: it.cluster for it in items}
    same, ambiguous = real if real is not None else (set(), set())
    for a, b in same:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    gold_groups: dict[str, list[str]] = defaultdict(list)
    for iid, c in gold_of_item.items():
        gold_groups[find(c)].append(iid)
    gold = _pairs(gold_groups.values())
    pred = _pairs(cluster_of_uri.values())
    excluded = set()
    if ambiguous:
        members: dict[str, list[str]] = defaultdict(list)
        for iid, c in gold_of_item.items():
            members[c].append(iid)
        for a, b in ambiguous:
            for x in members.get(a, ()):
                for y in members.get(b, ()):
                    excluded.add((min(x, y), max(x, y)))
    gold -= excluded
    pred_scored = pred - excluded
    tp = len(gold & pred_scored)
    rep.pred_pairs, rep.gold_pairs, rep.excluded_pairs = len(pred_scored), len(gold), len(excluded & (pred | gold))
    rep.precision = tp / len(pred_scored) if pred_scored else 1.0
    rep.recall = tp / len(gold) if gold else 1.0
    rep.false_merges = sorted(pred_scored - gold)[:20]
    rep.missed = sorted(gold - pred_scored)[:20]

    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for it in items:
        got = decisions.get(it.input_id)
        confusion[it.kind][got.decision if got else "rejected"] += 1
    rep.confusion = {k: dict(v) for k, v in confusion.items()}
    for kind, counts in confusion.items():
        total = sum(counts.values())
        rep.kind_accuracy[kind] = counts[EXPECTED[kind]] / total if total else 1.0
    rep.update_rate = rep.kind_accuracy.get("update", 1.0)
    return rep


def gate(sources: list[Source], seeds: Iterable[int], rate: float = 1.0) -> dict[str, float]:
    """Metrics averaged over seeds, every fixture story a different story (the test-suite quality gate)."""
    reps = [replay(build(sources, seed=s, rate=rate), sources, real=(set(), set())) for s in seeds]
    keys = reps[0].as_dict().keys()
    return {k: round(sum(r.as_dict().get(k, 1.0) for r in reps) / len(reps), 4) for k in keys}


def _read_from_page(article: Article) -> bool:
    return any(a.get("role") == "source-id" and str(a.get("value", "")).endswith("-page")
               for a in article.get("altids") or ())


def build(
    sources: list[Source], *, seed: int = 1987, rate: float = 0.35, pages: PageReader | None = None
) -> list[Item]:
    """The replay set: every source story plus its generated variants."""
    rng = random.Random(seed)
    items: list[Item] = []
    for s in sources:
        items += variants(s, rng, rate, pages)
    return items


def print_report(rep: Report, label: str) -> None:
    """Human-readable report."""
    print(f"dedupe evaluation: {label}")
    print(f"  inputs {rep.inputs}, rejected {rep.rejections}, {rep.seconds:.2f} s "
          f"({1e6 * rep.seconds / max(1, rep.inputs):.0f} us/input end to end)")
    print(f"  pairwise same-story precision {rep.precision:.4f}  recall {rep.recall:.4f}  "
          f"(predicted pairs {rep.pred_pairs}, gold pairs {rep.gold_pairs}, ambiguous pairs left out "
          f"{rep.excluded_pairs})")
    print(f"  updates recognised as updates: {rep.update_rate:.4f}")
    for kind in EXPECTED:
        if kind in rep.confusion:
            acc = rep.kind_accuracy.get(kind)
            acc_s = f"  accuracy {acc:.3f}" if acc is not None else ""
            if kind == "source":
                acc_s += " (real re-sends in a corpus are rightly not new)"
            print(f"  {kind:<11} -> {rep.confusion[kind]}{acc_s}")
    print(f"  state: {rep.remembered} stories remembered, {rep.state_bytes} bytes serialized "
          f"({rep.state_bytes / max(1, rep.remembered):.0f} B/story)")
    if rep.false_merges:
        print("  false merges (first 20):", rep.false_merges)
    if rep.missed:
        print("  missed pairs (first 20):", rep.missed)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options after the positional corpus (a reuters21578 directory, one .sgm file, or a JSON fixture)."""
    parser.add_argument("--limit", type=int, default=0, help="use only the first N stories (0: all)")
    parser.add_argument("--seed", type=int, default=1987)
    parser.add_argument("--rate", type=float, default=0.35, help="probability of each generated variant")
    parser.add_argument("--horizon-days", type=float, default=7.0)
    parser.add_argument("--no-normaliser", action="store_true",
                        help="build republications as articles directly instead of page text read by the normaliser")


def run(args: argparse.Namespace) -> int:
    """Replay the corpus with generated variants and print precision/recall/update recognition."""
    sources = read_corpus(args.corpus)
    if args.limit:
        sources = sources[: args.limit]
    if not sources:
        print(f"no stories found under {args.corpus}")
        return 2
    pages = None if args.no_normaliser else normaliser_reader()
    items = build(sources, seed=args.seed, rate=args.rate, pages=pages)
    via = sum(1 for it in items if it.kind == "republish" and _read_from_page(it.article))
    print(f"republications: {via} as page text read by the normaliser" if pages else
          "republications: built as articles (normaliser not used)")
    rep = replay(items, sources, horizon=timedelta(days=args.horizon_days), real=real_pairs(sources))
    print_report(rep, f"{args.corpus} ({len(sources)} corpus stories, seed {args.seed})")
    recurring = recurring_pairs(sources, timedelta(days=args.horizon_days))
    merged = sum(1 for a, b in recurring if a in rep.uri_of and rep.uri_of.get(a) == rep.uri_of.get(b))
    print(f"  recurring templated reports (same headline, different body, {AMBIGUOUS_DAYS}-"
          f"{args.horizon_days:g} days apart): {len(recurring)} pairs, {merged} wrongly merged")
    return 0
