"""Limits on HTML structure, checked before the C parsers see a page (they cannot be stopped mid-call).

Lexbor (selectolax) and nh3 (html5ever) parse in C and Rust: the per-input budget (streams/guard/deadline.py)
cannot interrupt them, and three shapes make them quadratic. Measured on this project's 2-core machine
(tests/normalize/test_markup_limits.py keeps the shapes; `syndicate bench flood` feeds them at volume):
- nesting: 10,000 nested <div> took Lexbor 0.47 s and nh3 0.92 s, 40,000 took 5.1 s and 10.4 s;
- attributes: one element with 100,000 attributes took Lexbor 87 s and nh3 8 s;
- open formatting elements: 5,000 <b> with distinct attributes before 5,000 <p> took nh3 2.0 s (each
  paragraph reopens every one of them: the HTML5 "reconstruct the active formatting elements" step).
So a page is refused (`too-complex`, a dead letter) before parsing when one of these exceeds its limit.
The scan is one pass of a regular expression over the tags, in Python (interruptible by the budget).
It approximates the HTML5 tree: void elements and those whose end tag may be left out (p, li, td, ...)
do not count as nesting; an end tag closes the nearest open element of its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from streams.errors import InputError

#: Elements open at once. Real article pages stay far below (the deepest of the aeb-dev pages: see the
#: note of issue 13); at 512 both parsers take a few milliseconds.
MAX_DEPTH = 512
#: Attributes on one element (Lexbor checks each against the others: quadratic).
MAX_ATTRIBUTES = 1000
#: Formatting elements (b, i, a, font, ...) open at once; each block element reopens all of them.
MAX_OPEN_FORMATTING = 200

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^>]*)")
#: Attributes of a tag this long (two characters each at least) are counted one by one.
_LONG_ATTRIBUTES = 2 * MAX_ATTRIBUTES
_ATTRIBUTE = re.compile(r"""[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
#: Case-insensitive only after the literal "<", which keeps sre's fast scan for it (re.IGNORECASE on the whole
#: pattern, or lower-casing the page, cost more than the rest of the check).
_RAW_START = re.compile(r"<((?i:script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext))\b")
_RAW_END = {name: re.compile(rf"</(?i:{name})") for name in (
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext")}
_CHUNK = 32_768
_IGNORED, _NESTS, _FORMATTING = 0, 1, 2
_KIND: dict[str, int] = {
    # void elements, and those whose end tag may be left out (a sibling closes them): no nesting
    **dict.fromkeys(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                     "track", "wbr", "frame", "keygen", "basefont", "bgsound", "image", "isindex", "p", "li", "dt",
                     "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rb", "rt",
                     "rtc", "rp", "html", "head", "body"), _IGNORED),
    **dict.fromkeys(("a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"),
                    _FORMATTING),
}


class MarkupTooComplex(InputError):
    """The page's structure exceeds a limit the HTML parsers need; the message says which."""


def check_markup(html: str) -> None:
    """Raise `MarkupTooComplex` if `html` nests too deep, has an element with too many attributes or keeps too
    many formatting elements open. Returns at once for text without tags."""
    if "<" not in html:
        return
    stack: list[str] = []
    formatting = 0
    for segment in _outside_raw_text(html):
        for closing, tag, attributes in _tags(segment):
            name = tag if tag.islower() else tag.lower()
            kind = _KIND.get(name, _NESTS)
            if closing:
                if kind and name in stack:
                    while True:
                        top = stack.pop()
                        formatting -= _KIND.get(top) == _FORMATTING
                        if top == name:
                            break
                continue
            if len(attributes) > _LONG_ATTRIBUTES and len(_ATTRIBUTE.findall(attributes)) > MAX_ATTRIBUTES:
                raise MarkupTooComplex(f"an element <{name}> with more than {MAX_ATTRIBUTES} attributes")
            if kind == _IGNORED:
                continue
            stack.append(name)
            if len(stack) > MAX_DEPTH:
                raise MarkupTooComplex(f"elements nested more than {MAX_DEPTH} deep")
            if kind == _FORMATTING:
                formatting += 1
                if formatting > MAX_OPEN_FORMATTING:
                    raise MarkupTooComplex(f"more than {MAX_OPEN_FORMATTING} formatting elements (<{name}>...) open")


def _tags(segment: str) -> Iterator[tuple[str, str, str]]:
    """The tags of `segment`, found a slice of about CHUNK characters at a time (cut where a tag starts): one
    findall for all of a long page took 0.7 s before the first tag was looked at; finditer cost twice as much
    on ordinary pages."""
    at = 0
    while at < len(segment):
        cut = segment.find("<", at + _CHUNK)
        end = len(segment) if cut < 0 else cut
        yield from _TAG.findall(segment, at, end)
        at = end


def _outside_raw_text(html: str) -> list[str]:
    """The parts of `html` outside script, style and the other raw-text elements (their content is not markup;
    an unclosed one runs to the end)."""
    parts: list[str] = []
    at = 0
    while (m := _RAW_START.search(html, at)) is not None:
        parts.append(html[at:m.start()])
        end = _RAW_END[m.group(1).lower()].search(html, m.end())
        if end is None:
            return parts
        at = end.start()
    parts.append(html[at:])
    return parts
