"""Sanitise source HTML bodies with nh3 and read their paragraphs (shared by the ninjs and NewsML readers)."""

from __future__ import annotations

import re

import nh3
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from streams.normalize.formats.markup_limits import check_markup

#: What survives in an article's text/html body: paragraph-level structure and inline emphasis.
#: Scripts, styles, event handlers, iframes, images and forms never do (pictures travel as
#: associations, with their own credit).
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "code",
        "sub",
        "sup",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "q",
        "cite",
        "abbr",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
_WS = re.compile(r"\s+")
_BLOCKS = "p, li, h2, h3, h4, h5, h6, blockquote, pre, td"


def clean_html(html: str) -> str:
    """Sanitised HTML: allowed tags only, no scripts or event handlers, safe link schemes."""
    check_markup(html)  # raises MarkupTooComplex: nh3 cannot be stopped once it parses
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def html_paragraphs(html: str) -> list[str]:
    """The text of each paragraph-level block of an HTML fragment (scripts and styles ignored)."""
    check_markup(html)
    tree = HTMLParser(html)
    for node in tree.css("script, style, noscript, template, iframe, figure, figcaption"):
        node.decompose()
    out = []
    for node in tree.css(_BLOCKS):
        if len(node.css(_BLOCKS)) > 1:  # a container of blocks (css() includes the node): children speak
            continue
        text = _WS.sub(" ", node.text(separator=" ")).strip()
        if text:
            out.append(text)
    if not out and tree.body is not None:
        out = [t for t in (_WS.sub(" ", x).strip() for x in tree.body.text(separator="\n").split("\n")) if t]
    return out
