"""Tell site chrome from story text, one line at a time.

:func:`is_chrome_line` classifies one line with patterns for the furniture every news site prints around
and inside a story (notification, newsletter and subscription prompts, "Listen to this article", donation
appeals, comment and login prompts, most-read / related lists, cookie notices, ad markers, share buttons,
copyright lines). The patterns describe kinds of chrome, not any one site's sentences, so they work on
sites never seen before. What they miss, a site's own furniture, is learned across different stories by
:class:`streams.normalize.memory.ChromeMemory` in the pipeline's decide step.
"""

from __future__ import annotations

import bisect
import functools
import re

import ahocorasick

_I = re.IGNORECASE

#: Phrases that mark chrome wherever they appear in a line, however long the line is. Each is a
#: kind of site furniture worded the way sites word it; none is taken from one site's copy.
#: Every rule is (literal triggers, pattern): a pattern can only match where one of its triggers
#: occurs, so an Aho-Corasick pass finds the few rules worth running (one big alternation of these
#: patterns cost ~55 us per line in `re`; the trigger pass makes the classifier ~10x faster).
STRONG_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    # notification / app prompts
    (
        ("notification",),
        r"\b(?:push |browser |desktop )?notifications\b.{0,40}"
        r"\b(?:from|managed|browser|enable|allow|turn on|preferences)\b",
    ),
    (("notifications",), r"\b(?:enable|allow|turn on|manage) (?:push |browser )?notifications\b"),
    (("app",), r"\bdownload (?:the|our) (?:free )?app\b"),
    (
        ("alerts ", "notifications ", "updates "),
        r"\b(?:get|receive|sign up for|turn on)\b.{0,30}\b(?:alerts|notifications|updates) (?:from|on|by)\b",
    ),
    (("stay ",), r"\bstay (?:informed|up to date|in the know)\b.{0,30}\b(?:with|from|by)\b"),
    # newsletters and subscriptions
    (
        ("sign up",),
        r"\bsign up (?:now|today|here|for free|(?:for|to) (?:our|the|a) (?:[\w-]+ ){0,3}"
        r"(?:newsletters?|briefings?|alerts|emails?|updates|digest|account))\b",
    ),
    (("newsletter",), r"\b(?:our|free) (?:\w+ )?newsletters?\b"),
    (("newsletter",), r"\bnewsletter\b.{0,40}\b(?:sign up|subscribe|inbox|email)\b"),
    (("enter your email",), r"\benter your email\b"),
    (("inbox",), r"\b(?:in|to|into) your inbox\b"),
    (("delivered ",), r"\bdelivered (?:to you )?(?:every|each|weekday|daily|weekly|straight to)\b"),
    (
        ("subscribe ",),
        r"\bsubscribe (?:now|today|here|for (?:just|only|free|[$£€])|to (?:our|the) "
        r"(?:\w+ )?(?:newsletters?|podcast|channel|magazine|paper|print edition|digital edition|site))",
    ),
    (
        ("already a subscriber", "become a "),
        r"\b(?:already a subscriber|become a (?:paying )?(?:subscriber|supporter)|"
        r"become a member(?: today| now)?(?:[.!]?$|\s+(?:and|to|for)\b))",
    ),
    (("unlimited", "ad-free", "members-only"), r"\b(?:unlimited (?:digital )?access|ad-free|members-only)\b"),
    # donation and membership appeals
    (("your ",), r"\byour (?:support|donation|contribution)s?\b"),
    (
        ("donat", "contribution", "journalism"),
        r"\b(?:donate (?:now|today|here|to (?:us|our))|make a (?:\w+ )?donation|"
        r"make a (?:\w+ )?contribution (?:today|now|here|to (?:us|our))|"
        r"support (?:our|independent|quality) journalism)\b",
    ),
    (
        ("consider ",),
        r"\b(?:please|why not|you (?:can|could|might|may|should))\s+(?:also\s+)?consider (?:making |giving |sending )?"
        r"(?:a |an )?(?:\w+ )?(?:donation|contribution|gift)\b|"
        r"\bconsider (?:making |giving )?(?:a |an )?(?:\w+ )?(?:donation|contribution|gift) "
        r"(?:today|now|of any size|to (?:us|our|support|keep|help))\b|"
        r"\bconsider (?:supporting us|subscribing|becoming a (?:paying )?(?:member|subscriber|supporter))\b",
    ),
    (("making a",), r"\bmaking a (?:\w+ )?donation (?:today|now|here|to (?:us|our))\b"),
    (
        ("journalism", "reporting", "newsroom"),
        r"\bkeep (?:our|this|the|independent) (?:\w+ )?(?:journalism|reporting|newsroom|site|website) "
        r"(?:free|open|independent|going|alive|accessible)\b|"
        r"\bsupport (?:our|independent|quality|local|public[- ]interest) (?:\w+ )?(?:journalism|reporting|newsroom)\b|"
        r"\b(?:our|independent) journalism\b.{0,80}\b(?:donat\w*|contribut\w*|subscri\w*|supporters?|members?)\b",
    ),
    (
        ("become a",),
        r"\bbecome a (?:paying |digital |monthly )?(?:subscriber|supporter|patron|member)(?: today| now)?\s*[.!]?$",
    ),
    (("paywall",), r"\bpaywalls?\b"),
    (("quality journalism",), r"\bquality journalism\b"),
    (("paid for by",), r"\bpaid for by (?:those|readers)\b"),
    # newsroom prompts
    (("tip",), r"\b(?:got|have) a (?:news )?tip\b|\bsend (?:us )?(?:your )?(?:news )?tips?\b"),
    (("newsroom",), r"\b(?:email|contact|write to|call) (?:our|the) newsroom\b"),
    (("hear from you",), r"\bwe(?:'d| would)? (?:want|like|love) to hear from you\b"),
    # comments, login, registration
    (("join ",), r"\bjoin (?:our|the) (?:commenting|comment|conversation|discussion|community)\b"),
    (("follow other",), r"\bconversations?, follow other\b"),
    (("thank you for",), r"\bthank you for (?:registering|signing up|subscribing)\b"),
    (("refresh", "reload"), r"\b(?:refresh|reload) (?:the|your|this) (?:page|browser)\b"),
    (("logged in",), r"\b(?:to be |automatically |you are )logged in\b"),
    (
        ("log in", "login", "sign in", "register"),
        r"\b(?:log ?in|sign in|register) to (?:comment|reply|continue|read)\b",
    ),
    (
        ("account", "password"),
        r"\b(?:already have an account|create (?:an|a free) account|forgot (?:your )?password)\b",
    ),
    (("community ",), r"^.{0,40}\bcommunity (?:guidelines|rules|standards)\b.{0,40}$"),
    # cookies and privacy
    (("cookie",), r"\bcookies?\b.{0,60}\b(?:accept|consent|policy|settings|we use|this (?:site|website))\b"),
    (("we use cookies",), r"\bwe use cookies\b"),
    (  # footer links: short lines only ("terms and conditions of the offer" is story text)
        ("privacy ", "terms "),
        r"^.{0,60}\b(?:privacy (?:policy|notice|settings)|terms (?:of (?:use|service)|and conditions))\b[^.!?]{0,60}$",
    ),
    # ad markers and reading furniture
    (("continues ",), r"\b(?:story|article) continues (?:below|after)\b"),
    (("continue reading",), r"\bcontinue reading\b"),
    (("to continue",), r"\bscroll (?:down )?to continue\b"),
    (("listen to this", " read"), r"\b(?:listen to this (?:article|story)|\d+ min(?:ute)?s? read)\b"),
    (("report ",), r"\breport (?:an|this) (?:error|ad)\b"),
    (("all rights reserved",), r"\ball rights reserved\b"),
    (("copyright", "reproduced"), r"\b(?:is subject to copyright|may be reproduced without)\b"),
)


class _StrongMatcher:
    """The STRONG_RULES behind one Aho-Corasick automaton of their triggers (immutable once built)."""

    def __init__(self, rules: tuple[tuple[tuple[str, ...], str], ...]) -> None:
        self.patterns = [re.compile(p, _I) for _, p in rules]
        by_trigger: dict[str, list[int]] = {}
        for i, (triggers, _) in enumerate(rules):
            for t in triggers:
                by_trigger.setdefault(t, []).append(i)
        self.automaton = ahocorasick.Automaton()
        for trigger, idxs in by_trigger.items():
            self.automaton.add_word(trigger, tuple(idxs))
        self.automaton.make_automaton()

    def flag_lines(self, lines: list[str]) -> list[bool]:
        """For each line, whether a rule matches it: one automaton pass over all lines at once."""
        flags = [False] * len(lines)
        if not lines:
            return flags
        starts = []
        pos = 0
        for line in lines:
            starts.append(pos)
            pos += len(line) + 1
        joined = "\n".join(lines).lower()
        tried: set[tuple[int, int]] = set()
        for end, idxs in self.automaton.iter(joined):
            n = bisect.bisect_right(starts, end) - 1
            if flags[n]:
                continue
            for i in idxs:
                if (n, i) not in tried:
                    tried.add((n, i))
                    if self.patterns[i].search(lines[n]):
                        flags[n] = True
                        break
        return flags

    def search(self, line: str) -> bool:
        tried: set[int] = set()
        for _, idxs in self.automaton.iter(line.lower()):
            for i in idxs:
                if i not in tried:
                    tried.add(i)
                    if self.patterns[i].search(line):
                        return True
        return False


@functools.cache
def _strong() -> _StrongMatcher:
    return _StrongMatcher(STRONG_RULES)


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
    r"share(?: this)?(?: article| story| on \w+| via \w+)?|tweet|email|print|copy link|"
    r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|flipboard|messenger)|"
    r"follow (?:us|@\w+)(?: on .{1,40})?|"
    r"(?:home|menu|search|close|skip to (?:main )?content|back to top|"
    r"sign in|log in|log out|register|subscribe)|"
    r"(?:©|\(c\)|copyright)\b.{0,120}|"
    r"(?:video|watch|listen|gallery|photos?|image \d+ of \d+|\d+ of \d+|\d+\s*(?:min|mins|minutes?)(?: read| listen)?)"
    r")[\s.:!>»›|]*$",
    _I,
)

#: First-person plural outside quotes: a house voice ("we need reporters") inside an appeal block.
_HOUSE_VOICE = re.compile(r"\b(?:we|our|us)\b", _I)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


#: A teaser: a link to another story, labelled ("Related: ...", "READ MORE: ...", "Watch: ...").
_TEASER = re.compile(
    r"^(?:related|read more|read also|also read|see also|more|watch|listen|recommended|trending|"
    r"don'?t miss|must read|top story|editor'?s picks?)\s*[:|»›]",
    _I,
)
#: Whole-line and teaser rules look at lines up to this long; a widget is never a paragraph.
WIDGET_MAX_CHARS = 200


_WIDGET = re.compile(f"(?:{_WHOLE.pattern})|(?:{_TEASER.pattern})", _I)


def _is_widget(s: str) -> bool:
    return len(s) <= WIDGET_MAX_CHARS and _WIDGET.match(s) is not None


def is_chrome_line(line: str) -> bool:
    """True if one line of page text is site furniture rather than story text."""
    s = line.strip()
    if not s:
        return False
    return _is_widget(s) or _strong().search(s)


def classify_lines(lines: list[str]) -> list[bool]:
    """`is_chrome_line` for many (stripped) lines at once; much cheaper than one call per line."""
    flags = _strong().flag_lines(lines)
    for i, line in enumerate(lines):
        if not flags[i] and _is_widget(line):
            flags[i] = True
    return flags


_LIST_HEADING = re.compile(
    r"^(?:(?:most|more) (?:read|popular|viewed|shared|commented)|"
    r"(?:related|recommended|suggested|top|latest|trending|popular)(?: \w+)?(?: (?:stories|articles|news|reads|now))?|"
    r"you may (?:also )?like|you might (?:also )?like|don'?t miss|in other news|up next|read (?:more|next)|"
    r"more (?:from|on|about|in) .{1,60}|more stories|editor'?s picks?)[\s.:!>»›|]*$",
    _I,
)


def is_list_heading(line: str) -> bool:
    """True for a heading over a list of links to other stories ("Most read", "More from Politics")."""
    return len(line) <= 80 and _LIST_HEADING.match(line.strip()) is not None


_COMMENTS_HEADING = re.compile(
    r"^[\[(]?\s*(?:"
    r"(?:\d[\d,]*\s+)?(?:(?:top|best|most|highest|recent|latest|newest|oldest|featured|all|reader|readers'?|user)"
    r"(?:\s+(?:rated|recommended|liked|voted|popular))?\s+)?comments?(?:\s*\(\d[\d,]*\))?|"
    r"(?:show|view|load|read|see) (?:all |more |the )?(?:\d[\d,]* )?comments(?:\s*\(\d[\d,]*\))?|"
    r"leave a (?:comment|reply)|post a comment|add (?:a|your) comment|join the (?:conversation|discussion|debate)|"
    r"comments? (?:are )?closed|discussion|(?:\d[\d,]*\s+)?(?:responses|replies|reactions)"
    r")\s*[\])]?[\s.:!>»›|]*$",
    _I,
)


def is_comments_heading(line: str) -> bool:
    """True for the heading of a readers' comment thread ("[ 167 comments ]", "Top Rated Comments")."""
    s = line.strip()
    return len(s) <= 60 and _COMMENTS_HEADING.match(s) is not None


def speaks_as_house(line: str) -> bool:
    """True if a line speaks as the site ("we", "our", "us") outside any quotation."""
    return _HOUSE_VOICE.search(_QUOTED.sub("", line)) is not None


def line_key(line: str) -> str:
    """Normalise a line for recurrence counting: case and spacing folded.

    Numbers are kept: templated wire reports ("round 3", "round 4") differ only in their figures,
    and folding those would teach the memory that a whole story template is chrome.
    """
    s = line.strip().lower()
    return " ".join(s.split()) if "  " in s or "\t" in s or "\xa0" in s or "\n" in s else s
