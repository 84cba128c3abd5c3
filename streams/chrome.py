"""Tell site chrome from story text: per-line patterns plus a per-publisher memory of recurring lines.

Two complementary tools:

* :func:`is_chrome_line` classifies one line with patterns for the furniture every news site
  prints around a story (notification and newsletter prompts, donation appeals, comment and
  login prompts, most-read / related lists, cookie notices, ad markers, share buttons, copyright
  lines). The patterns describe kinds of chrome, not any one site's sentences, so they work on
  sites never seen before.
* :class:`ChromeMemory` learns what the patterns miss: a line that recurs in many *different*
  stories of the same publisher is chrome ("More from The Daily Lantern", a site's own slogan).
  Its state is a ``MutableMapping[str, int]`` so a Faust table (or a dict in tests) can back it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping

import xxhash

_I = re.IGNORECASE

#: Phrases that mark chrome wherever they appear in a line, however long the line is. Each is a
#: kind of site furniture worded the way sites word it; none is taken from one site's copy.
_STRONG = re.compile(
    r"|".join(
        (
            # notification / app prompts
            r"\b(?:push |browser |desktop )?notifications?\b.{0,40}"
            r"\b(?:from|managed|browser|enable|allow|turn on|preferences)\b",
            r"\b(?:enable|allow|turn on|manage) (?:push |browser )?notifications\b",
            r"\bdownload (?:the|our) (?:free )?app\b",
            r"\b(?:get|receive|sign up for|turn on)\b.{0,30}\b(?:alerts|notifications|updates) (?:from|on|by)\b",
            r"\bstay (?:informed|up to date|in the know)\b.{0,30}\b(?:with|from|by)\b",
            # newsletters and subscriptions
            r"\bsign up (?:for|to) (?:our|the|a)\b",
            r"\b(?:our|free|daily|weekly|morning|evening) (?:\w+ )?newsletters?\b",
            r"\bnewsletter\b.{0,40}\b(?:sign up|subscribe|inbox|email)\b",
            r"\benter your email\b",
            r"\bsubscribe (?:now|today|to (?:our|the)|for)\b",
            r"\b(?:already a subscriber|become a (?:member|subscriber|supporter))\b",
            # donation and membership appeals
            r"\byour (?:support|donation|contribution)s?\b",
            r"\b(?:donate|make a (?:donation|contribution)|support (?:our|independent|quality) journalism)\b",
            r"\bpaywalls?\b",
            r"\bquality journalism\b",
            r"\bpaid for by (?:those|readers)\b",
            # comments, login, registration
            r"\bjoin (?:our|the) (?:commenting|comment|conversation|discussion|community)\b",
            r"\b(?:thought-provoking )?conversations?, follow other\b",
            r"\bthank you for (?:registering|signing up|subscribing)\b",
            r"\b(?:refresh|reload) (?:the|your|this) (?:page|browser)\b",
            r"\b(?:to be |automatically |you are )logged in\b",
            r"\b(?:log ?in|sign in|register) to (?:comment|reply|continue|read)\b",
            r"\b(?:already have an account|create (?:an|a free) account|forgot (?:your )?password)\b",
            r"\bcommunity (?:guidelines|rules|standards)\b",
            # cookies and privacy
            r"\bcookies?\b.{0,60}\b(?:accept|consent|policy|settings|we use|this (?:site|website))\b",
            r"\bwe use cookies\b",
            r"\b(?:privacy (?:policy|notice|settings)|terms (?:of (?:use|service)|and conditions))\b",
            # ad markers and reading furniture
            r"\b(?:story|article) continues (?:below|after)\b",
            r"\bcontinue reading\b",
            r"\bscroll (?:down )?to continue\b",
            r"\b(?:listen to this (?:article|story)|\d+ min(?:ute)?s? read)\b",
            r"\breport (?:an|this) (?:error|ad)\b",
            r"\ball rights reserved\b",
        )
    ),
    _I,
)

#: Whole-line furniture: the line *is* the widget ("Comments", "Advertisement", "Most read").
_WHOLE = re.compile(
    r"^(?:"
    r"\d*\s*comments?|show comments|view comments|leave a comment|"
    r"advertisement|advertising|sponsored(?: content)?|promoted(?: content)?|partner content|ad|ads|"
    r"(?:most|more) (?:read|popular|viewed|shared|commented)(?: stories| articles)?|"
    r"(?:related|recommended|suggested|more|top|latest|trending)(?: \w+)? "
    r"(?:stories|articles|news|topics|content|videos|reads)|"
    r"read (?:more|next)|up next|you may (?:also )?like|you might (?:also )?like|don'?t miss|in other news|"
    r"more (?:from|on|about) .{1,60}|"
    r"share(?: this)?(?: article| story| on \w+)?|tweet|email|print|copy link|"
    r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|flipboard|messenger)|"
    r"follow (?:us|@\w+)(?: on .{1,40})?|"
    r"(?:home|menu|search|close|skip to (?:main )?content|back to top|"
    r"sign in|log in|log out|register|subscribe)|"
    r"(?:©|\(c\)|copyright)\b.{0,120}|"
    r"(?:video|watch|listen|gallery|photos?|image \d+ of \d+|\d+ of \d+)"
    r")[\s.:!>»›|]*$",
    _I,
)

#: First-person plural outside quotes: a house voice ("we need reporters") inside an appeal block.
_HOUSE_VOICE = re.compile(r"\b(?:we|our|us)\b", _I)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_SPACES = re.compile(r"\s+")


def is_chrome_line(line: str) -> bool:
    """True if one line of page text is site furniture rather than story text."""
    s = line.strip()
    if not s:
        return False
    if len(s) <= 140 and _WHOLE.match(s):
        return True
    return _STRONG.search(s) is not None


def speaks_as_house(line: str) -> bool:
    """True if a line speaks as the site ("we", "our", "us") outside any quotation."""
    return _HOUSE_VOICE.search(_QUOTED.sub("", line)) is not None


def line_key(line: str) -> str:
    """Normalise a line for recurrence counting: case and spacing folded.

    Numbers are kept: templated wire reports ("round 3", "round 4") differ only in their figures,
    and folding those would teach the memory that a whole story template is chrome.
    """
    return _SPACES.sub(" ", line.strip().lower())


#: Stories are spread over this many buckets of a bit mask; a line's distinct-story count is the
#: number of bits set. 62 keeps the mask a small non-negative int; collisions only under-count,
#: which errs on the side of keeping text.
_BUCKETS = 62


class ChromeMemory:
    """Learns lines that recur across different stories of the same publisher.

    ``counts`` maps ``f"{publisher}|{line_hash}"`` to a bit mask of the story buckets the line was
    seen in (see ``_BUCKETS``). Masks, not counters, so a re-sent story (same story key) never
    counts twice: a wire re-send must not teach the memory that its own paragraphs are chrome.
    A line becomes learned chrome once it has been seen in ``min_stories`` distinct stories.
    """

    def __init__(self, counts: MutableMapping[str, int], *, min_stories: int = 3) -> None:
        if min_stories < 2:
            raise ValueError("min_stories must be at least 2: one story alone proves nothing")
        self.counts = counts
        self.min_stories = min_stories

    @staticmethod
    def key(publisher: str | None, line: str) -> str:
        digest = xxhash.xxh3_64_hexdigest(line_key(line).encode("utf-8", "surrogatepass"))
        return f"{(publisher or '?').lower()}|{digest}"

    def observe(self, publisher: str | None, lines: Iterable[str], story_key: str) -> None:
        """Record that the story identified by ``story_key`` printed these lines."""
        bit = 1 << (xxhash.xxh3_64_intdigest(story_key.encode("utf-8", "surrogatepass")) % _BUCKETS)
        counts = self.counts
        seen: set[str] = set()
        for line in lines:
            if not line.strip():
                continue
            k = self.key(publisher, line)
            if k in seen:
                continue
            seen.add(k)
            counts[k] = counts.get(k, 0) | bit

    def stories_seen(self, publisher: str | None, line: str) -> int:
        """How many distinct stories (at least) printed this line."""
        return int(self.counts.get(self.key(publisher, line), 0)).bit_count()

    def is_learned(self, publisher: str | None, line: str) -> bool:
        """True once the line has recurred in ``min_stories`` distinct stories of this publisher."""
        return self.stories_seen(publisher, line) >= self.min_stories
