"""Guess an input's format (one of `streams.model.FORMATS`) from the first characters of its content."""

from __future__ import annotations

import re

#: How much of the content the sniffers look at.
SNIFF_CHARS = 4096
_HTML = re.compile(
    r"<(?:!doctype\s+html|html|head|body|div|p|article|section|span|a\s|meta|title|script|h1|br|main)\b", re.I
)
_NEWSML = re.compile(r"<(?:\w+:)?(?:newsItem|newsMessage|packageItem)\b|iptc\.org/std/nar/", re.I)
_SGML21578 = re.compile(r"<!DOCTYPE\s+lewis|<REUTERS\b[^>]*\bNEWID=")


def detect_format(content: str) -> str:
    """ "ninjs" for JSON, "newsml", "reuters21578", "html", else "text" (page text is the fallback)."""
    head = content[:SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return "ninjs"
    if _SGML21578.search(head):
        return "reuters21578"
    if head.startswith("<"):
        if _NEWSML.search(head):
            return "newsml"
        return "html"
    if _HTML.search(head) and head.count("<") >= 3:
        return "html"
    return "text"
