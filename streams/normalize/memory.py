"""The chrome memory: lines a publisher prints around many different stories, learned where dedupe knows stories.

The chrome classifier (`streams.normalize.chrome`) knows kinds of chrome; a site's own furniture worded in
ways no pattern knows ("Tide tables and ferry times for the whole coast are updated at dawn every day.")
reaches the body. Such a line recurs on the site's pages of *different* stories; a story's own paragraph
recurs only on copies and versions of that story. Telling the two apart needs the story's identity, which
only dedupe knows, so the memory works in the pipeline's decide step (one partition, one total order, the
same offline and on Kafka), around dedupe:

1. ``strip(article)``: before dedupe, body paragraphs of a page that the memory has learned for its site are
   removed (never all of them), from the text and the HTML body; the caller re-tags what changed;
2. dedupe decides, and names the story's uri;
3. ``learn(article, uri)``: a page's body paragraphs are counted for its site under that uri, so copies and
   versions of one story count once; a story that came from a clean feed (no publisher of its own: SGML,
   ninjs, NewsML, a plain wire page) has its lines remembered instead, and a page of that story never
   teaches the memory one of them.

What is never learned or stripped: a line with a figure (what stories report: results, prices, dates, the
"Pay April 15" of a dividend notice repeat across templated reports), a credit line, a byline, a paragraph
opened by a dateline. A line is learned once it was printed in ``min_stories`` different stories of the
site and in at least ``share`` of the site's stories (story buckets, see below): chrome is on nearly every
page; a sentence some stories share ("The company gave no further details.") is not.

The site is the publisher the page names itself (the ``infosources`` publisher the readers take from the
site name, masthead and copyright line), else the domain of the page's own URL; never the file or topic it
came from, so backlog files of one site share one memory.

State: one ``MutableMapping`` (on workers a table of the decide step's state store, streams/runtime/state.py,
kept in a changelog topic; a dict offline), bounded:
``{site}|{slot}`` -> a 16-bit line tag above a 46-bit mask of story buckets (a heavy-hitters table of
``slots`` keys per site: see `ChromeMemory`), ``{site}|~`` -> the site's own story-bucket mask, and the
clean lines of the last ``clean_stories`` clean stories (``~clean|{uri}``, with a ring ``~clean#{i}`` and
its head ``~clean-head``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

import xxhash
from selectolax.lexbor import LexborHTMLParser

from streams.model import Article
from streams.normalize.chrome import line_key
from streams.normalize.vocab import CREDIT_LINE_RE

#: Stories are spread over this many buckets of a bit mask; a line's distinct-story count is the
#: number of bits set (collisions only under-count, which errs on the side of keeping text).
STORY_BITS = 46
#: Bits of the line hash kept in a slot to tell lines sharing the slot apart. 16 + 46 = 62 bits:
#: a slot value stays a non-negative int below 2**63, which every serializer (orjson too) takes.
TAG_BITS = 16
_MASK = (1 << STORY_BITS) - 1
#: How many clean stories' lines are remembered (the newest; about a week of a busy wire).
CLEAN_STORIES = 100_000

_FIGURE = re.compile(r"\d")
_DATELINE_OPEN = re.compile(r"^[A-Z][\w .,'’-]{1,60}?\s\([A-Za-z]+\)\s*[-–—]")
_BYLINE = re.compile(r"^(?:by|from)\s", re.IGNORECASE)


def learnable(line: str) -> bool:
    """Whether a body line could be site chrome at all (see the module docstring)."""
    s = line.strip()
    return bool(
        s
        and _FIGURE.search(s) is None
        and CREDIT_LINE_RE.match(s) is None
        and _BYLINE.match(s) is None
        and _DATELINE_OPEN.match(s) is None
    )


def _h32(line: str) -> int:
    return xxhash.xxh32_intdigest(line_key(line).encode("utf-8", "surrogatepass"))


class ChromeMemory:
    """Learns lines that recur across different stories of the same site, in bounded space.

    ``counts`` maps ``f"{site}|{slot}"`` (``slot`` = the line's hash modulo ``slots``) to one int: a
    16-bit tag of the line's hash above a bit mask of the story buckets the line was seen in. Masks, not
    counters, so one story (copies, re-sends, versions: one uri) never counts twice.

    Space is bounded at ``slots`` keys per site (a heavy-hitters table): a line seen in one story only is
    on probation and gives way to the next line that hashes to its slot; a line seen in two or more
    stories keeps its slot. Story paragraphs churn through the probation slots while chrome, printed in
    story after story, settles. A body line is misread as learned chrome only if it shares both slot and
    tag with a settled chrome line: about one in 65,536 per settled slot it lands on.
    """

    def __init__(
        self,
        counts: MutableMapping[str, Any],
        *,
        min_stories: int = 3,
        share: float = 0.5,
        slots: int = 4096,
        clean_stories: int = CLEAN_STORIES,
    ) -> None:
        if min_stories < 2:
            raise ValueError("min_stories must be at least 2: one story alone proves nothing")
        if not 0.0 < share <= 1.0:
            raise ValueError("share must be in (0, 1]")
        if slots < 1 or clean_stories < 1:
            raise ValueError("slots and clean_stories must be positive")
        self.counts = counts
        self.min_stories = min_stories
        self.share = share
        self.slots = slots
        self.clean_stories = clean_stories

    # -- counting ------------------------------------------------------------------------------------
    def key(self, site: str, line: str) -> tuple[str, int]:
        """(table key, tag) for a line of this site."""
        h = xxhash.xxh3_64_intdigest(line_key(line).encode("utf-8", "surrogatepass"))
        return f"{site}|{h % self.slots}", (h >> 48) & ((1 << TAG_BITS) - 1)

    def observe(self, site: str, lines: Iterable[str], story: str, *, skip: frozenset[int] = frozenset()) -> None:
        """Record that `story` (its uri) was printed by `site` with these lines (``skip``: hashes of lines
        never to learn, the story's own clean lines)."""
        bit = 1 << (xxhash.xxh3_64_intdigest(story.encode("utf-8", "surrogatepass")) % STORY_BITS)
        counts = self.counts
        site_key = f"{site}|~"
        seen_site = int(counts.get(site_key) or 0)
        if not seen_site & bit:
            counts[site_key] = seen_site | bit
        seen: set[str] = set()
        for line in lines:
            if not learnable(line) or (skip and _h32(line) in skip):
                continue
            k, tag = self.key(site, line)
            if k in seen:
                continue
            seen.add(k)
            value = counts.get(k)
            if value is not None and value >> STORY_BITS == tag:
                new = value | bit
            elif value is None or (value & _MASK).bit_count() < 2:
                new = (tag << STORY_BITS) | bit  # an empty slot, or one on probation: take it
            else:
                continue  # a settled line holds the slot
            if new != value:
                counts[k] = new

    def stories_seen(self, site: str, line: str) -> int:
        """How many distinct stories (at least, in buckets) printed this line."""
        k, tag = self.key(site, line)
        value = self.counts.get(k)
        if value is None or value >> STORY_BITS != tag:
            return 0
        return (value & _MASK).bit_count()

    def site_stories(self, site: str) -> int:
        """How many distinct stories (in buckets) the site was seen with."""
        return int(self.counts.get(f"{site}|~") or 0).bit_count()

    def is_learned(self, site: str, line: str) -> bool:
        """True once the line has recurred in ``min_stories`` distinct stories of this site, and in
        ``share`` of the site's stories at least."""
        if not learnable(line):
            return False
        seen = self.stories_seen(site, line)
        return seen >= self.min_stories and seen >= self.share * self.site_stories(site)

    # -- clean stories ---------------------------------------------------------------------------------
    def remember_clean(self, uri: str, lines: Iterable[str]) -> None:
        """A story received from a clean feed: its lines are never learned from its pages."""
        hashes = sorted({_h32(line) for line in lines if learnable(line)})
        if not hashes:
            return
        key = f"~clean|{uri}"
        if key not in self.counts:
            head = int(self.counts.get("~clean-head") or 0)
            slot = f"~clean#{head % self.clean_stories}"
            old = self.counts.get(slot)
            if old is not None and old != uri:
                self.counts.pop(f"~clean|{old}", None)
            self.counts[slot] = uri
            self.counts["~clean-head"] = head + 1
        else:
            hashes = sorted(set(hashes) | set(self.counts[key]))
        self.counts[key] = hashes

    def clean_lines(self, uri: str) -> frozenset[int]:
        return frozenset(self.counts.get(f"~clean|{uri}") or ())


# ------------------------------------------------------------------------------------ the article side


def site_of(article: Article) -> str | None:
    """The site that printed this copy: the publisher it names itself, else its own URL's domain; None for a
    clean feed (no publisher of its own)."""
    for source in article.get("infosources") or ():
        if isinstance(source, dict) and source.get("role") == "publisher" and source.get("name"):
            name = " ".join(str(source["name"]).lower().split())
            return name.removeprefix("the ") or name
    for alt in article.get("altids") or ():
        value = alt.get("value") if isinstance(alt, dict) else None
        if isinstance(value, str) and alt.get("role") == "item-id" and value.startswith(("http://", "https://")):
            host = urlsplit(value).hostname or ""
            return host.removeprefix("www.") or None
    return None


def body_lines(article: Article) -> list[str]:
    """The paragraphs of the article's plain-text body."""
    for body in article.get("bodies") or ():
        if isinstance(body, dict) and body.get("contenttype") == "text/plain":
            return [p for p in str(body.get("value") or "").split("\n\n") if p.strip()]
    return []


def _without_blocks(html: str, keys: set[str]) -> str:
    """The HTML body without the blocks whose text is one of the stripped lines (by `line_key`)."""
    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return html
    for node in body.css("p, li, h2, h3, h4, h5, h6, blockquote"):
        if line_key(node.text(separator=" ")) in keys:
            node.decompose()
    return (body.inner_html or "").strip()


def strip_learned(article: Article, memory: ChromeMemory) -> tuple[Article, list[str]]:
    """A NEW article without the body paragraphs the memory learned for its site, and those paragraphs. A
    clean feed's article, or one the memory would leave without a body, comes back as it was."""
    site = site_of(article)
    if site is None:
        return article, []
    lines = body_lines(article)
    learned = [line for line in lines if memory.is_learned(site, line)]
    if not learned or len(learned) == len(lines):
        return article, []
    keys = {line_key(line) for line in learned}
    kept = [line for line in lines if line_key(line) not in keys]
    text = "\n\n".join(kept)
    bodies = []
    for body in article.get("bodies") or ():
        if isinstance(body, dict) and body.get("contenttype") == "text/plain":
            body = {**body, "value": text, "charcount": len(text), "wordcount": len(text.split())}
        elif isinstance(body, dict) and body.get("contenttype") == "text/html":
            body = {**body, "value": _without_blocks(str(body.get("value") or ""), keys)}
        bodies.append(body)
    return {**article, "bodies": bodies}, learned


def learn(article: Article, uri: str, memory: ChromeMemory) -> None:
    """After dedupe named the story (`uri`): a page teaches its site's memory, a clean feed's story protects
    its own lines from ever being learned off its pages."""
    site = site_of(article)
    lines = body_lines(article)
    if site is None:
        memory.remember_clean(uri, lines)
    else:
        memory.observe(site, lines, uri, skip=memory.clean_lines(uri))
