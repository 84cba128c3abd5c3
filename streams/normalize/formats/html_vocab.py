"""Word lists, tag sets and patterns of the HTML article reader (`formats.html`), and its text normaliser.

Agency and byline words (bylines, credits, agency openings) are shared with the other readers and live in
`streams.normalize.vocab`.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------------------------------ tags

# Tags whose content is never article text. Removed before scoring (lexbor does this in C).
DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "video", "audio",
    "map", "input", "select", "textarea", "button", "nav", "aside", "footer", "dialog", "link", "meta", "menu",
    "figure",
)  # fmt: skip
# Tags that end a run of inline text while the article container is walked.
BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "header", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
    "table", "tr", "tbody", "thead", "tfoot", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "figure",
    "figcaption", "hr", "address", "center", "details", "summary", "body", "html",
))  # fmt: skip
NAMED_BLOCKS = frozenset(("p", "li", "blockquote", "pre", "dd", "dt", "tr"))
HEADING_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
SKIP_IN_WALK = frozenset(DROP_TAGS) | {"figure", "h1", "img", "picture", "source"}

# ---------------------------------------------------------------------------------------- chrome

# Class / id words naming page chrome. Long words match as substrings ([class*=...]), short or
# ambiguous ones only as a whole class token ([class~=...]). Chosen from Readability's
# "unlikelyCandidates" list and the chrome of common news CMSes (WordPress, Arc, Brightspot).
CHROME_SUBSTR = (
    "comment", "disqus", "share", "social", "newsletter", "subscribe", "signup", "sign-up", "related",
    "most-read", "mostread", "most-popular", "popular", "trending", "recommend", "outbrain", "taboola",
    "cookie", "consent", "gdpr", "advert", "sponsor", "promo", "sidebar", "breadcrumb", "pagination", "paywall",
    "read-more", "readmore", "more-stories", "author-bio", "tags-list", "tag-list", "byline", "dateline",
    "timestamp", "skip-link", "menu", "masthead", "banner", "modal", "popup", "toolbar", "widget", "jump-link",
    "rating", "caption", "credit",
)  # fmt: skip
CHROME_TOKEN = (
    "ad", "ads", "ad-slot", "adslot", "ad-container", "ad-wrapper", "tags", "tools", "print", "hidden", "hide",
    "sr-only", "visually-hidden", "meta", "header", "nav", "footer", "author", "copyright", "disclaimer",
    "correction", "note",
)  # fmt: skip
CHROME_ID_SUBSTR = (
    "comment", "share", "social", "newsletter", "related", "sidebar", "cookie", "consent", "promo", "advert",
    "footer", "menu", "popular", "recommend",
)  # fmt: skip
# A container whose class/id also says "this is the article" is never removed on chrome words
# alone (Readability's okMaybeItsACandidate, narrowed).
KEEP_RE = re.compile(r"article-?body|story-?body|post-?body|entry-content|articlebody|main-?content", re.I)
POSITIVE_RE = re.compile(r"article|body|content|entry|main|page|post|text|blog|story|paragraph|prose|richtext", re.I)
NEGATIVE_RE = re.compile(
    r"hidden|combx|comment|contact|foot|footer|footnote|masthead|media|meta|outbrain|promo|"
    r"related|scroll|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|share|social|"
    r"newsletter|nav|menu|byline|caption|teaser|card|list|feed",
    re.I,
)

# ----------------------------------------------------------------------------------- body lines

BOILERPLATE_LINE = re.compile(
    r"^(advertisement|advertisement\s*-\s*scroll to continue|story continues below( advertisement)?|"
    r"continue reading( below)?|read more|read more:.*|related:.*|related articles?|"
    r"(also )?read:.*|see also:?.*|share( this( article| story)?)?|share on \w+|"
    r"follow us.*|sign up.*|subscribe.*|click here.*|image:.*|photo:.*|"
    r"(copyright|©).{0,80}|all rights reserved.*|this article (was|is) (first )?(published|originally).*|"
    r"(watch|listen):.*|loading\.*|skip (to|ad).*|we'?re sorry.*|ad|sponsored|comments?( \(\d+\))?|"
    r"don'?t miss(?::.*)?|see more:.*|sponsored content|most (read|popular|viewed)|more on this( story)?|"
    r"recommended( for you)?|"
    r"you (may|might) also like.*|editor'?s picks?|top stories|trending( now)?)$",
    re.I,
)
DATE_ONLY_RE = re.compile(
    r"^(?:(?:posted|published|updated|last updated|first published)\b[\s:]*(?:on\s+)?)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\.?\s+[a-z\u00e4\u00e9\u00fb]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?:[\s,|\u00b7-]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,5})?)?\.?$",
    re.I,
)
DATE_PREFIX_RE = re.compile(r"^(?:posted|published|updated|last updated|first published)\b[\s:]*(?:on\s+)?", re.I)
# "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, ..." and the like.
STAMP_RE = re.compile(
    r"^(?:published|updated|posted|last updated|first published)\b[\s:]*[^.!?]{0,100}\b(?:19|20)\d\d\b[^.!?]*$", re.I
)
# A date inside a short line ("Nov. 20, 2019", "20 November 2019", "2019-11-20").
DATE_IN_RE = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})",
    re.I,
)
SENTENCE_RE = re.compile(r"[a-z]{3,}[.!?]\s+[A-Z]")
LETTER_RE = re.compile(r"[^\W\d_]")

# ------------------------------------------------------------------------------ dateline, credits

DATELINE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{1,40}?[A-Z.])"  # WASHINGTON / ST. JOSEPH
    r"(?:,\s*[A-Z][\w.\- ]{1,30}?)?"  # , Mich. / , United Arab Emirates
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&/-]{0,30})\)\s*)?"  # (Reuters)
    r"\s*[-\u2014\u2013]+\s"
)
PHOTO_CREDIT_RE = re.compile(
    r"\s*(?:\((?P<paren>[^()]{2,80})\)|(?:photo|photograph|image|picture|credit|foto)s?\s*(?:credit)?\s*"
    r"[:\-]\s*(?P<label>.{2,80}))\s*$",
    re.I,
)

# --------------------------------------------------------------------------- byline, headline, meta

# Where a byline is looked for, most specific first.
BYLINE_SELECTORS = (
    '[rel="author"]',
    '[itemprop="author"]',
    '[class*="author-name"]',
    ".byline",
    '[class*="byline"]',
    '[class*="author"]',
)
TITLE_SEP_RE = re.compile(r"\s+[|\u2013\u2014\-:\u00bb\u00b7]\s+")
# JSON-LD @type values (lowercased) of an article.
ARTICLE_TYPES = frozenset((
    "article", "newsarticle", "reportagenewsarticle", "blogposting", "report", "analysisnewsarticle", "webpage",
    "liveblogposting", "techarticle", "scholarlyarticle", "socialmediaposting",
))  # fmt: skip
# <meta> keys holding the publication date, in order of trust (after JSON-LD datePublished).
PUBLISHED_META_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publish-date",
    "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date",
)  # fmt: skip

# ------------------------------------------------------------------------------------------ text

WS_RE = re.compile(r"\s+")
TOKEN_RE = re.compile(r"\w+")


def norm(text: str | None) -> str:
    """Whitespace runs collapsed to one space, ends stripped; None becomes ""."""
    return WS_RE.sub(" ", text or "").strip()
