"""Line measures of the page-text reader (`formats.text`): cleaning, word counts, date, title and paragraph lines."""

from __future__ import annotations

import re

from streams.normalize.dates import parse_date
from streams.normalize.vocab import CREDIT_LINE_RE

#: A date line is short; anything longer is prose that merely mentions a date.
MAX_DATE_LINE = 60
#: Headline bounds in words: fewer is a section label ("World news"), more is a paragraph.
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 4, 30
#: A body line has this many words at least, unless it ends like a sentence.
BODY_MIN_WORDS = 6

_DATE_SHAPE = re.compile(
    r"^(?:(?:published|updated|posted|last (?:updated|modified))\b[:\s]*)?"
    r"(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[a-z]{2,5}\b)?[,\s]*)?"  # a time first: "13:05 GMT 09/11/2022"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日)",
    re.IGNORECASE,
)
#: A line that opens with an HTML tag (a tag's name, then attributes or the tag's end); "<The Palace>", a
#: title in angle brackets, and "<BAC>", a wire ticker, are no tags.
MARKUP = re.compile(
    r"^</?(?:img|a|div|span|p|br|hr|script|style|iframe|noscript|link|meta|ins|video|audio|source|picture|figure|"
    r"svg|input|form|button|table|tr|td|ul|ol|li|section|article|header|footer|nav|aside|h[1-6]|em|strong|b|i|u|"
    r"amp-[\w-]+)(?:\s*/?>|\s+[\w:-]+\s*=)",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
#: How a sentence (or a quotation, a parenthesis) ends, in Latin and CJK scripts.
SENTENCE_END = re.compile(r"[.!?:;\"”'’)。！？」』）]$")


def clean(line: str) -> str:
    """The line stripped, its runs of spaces, tabs and no-break spaces made one space."""
    s = line.strip()
    return " ".join(s.split()) if "  " in s or "\t" in s or "\xa0" in s else s


def words(line: str) -> int:
    """Words in a line; scripts written without spaces (Chinese, Japanese) count two characters a word."""
    if not line:
        return 0
    spaced = line.count(" ") + 1
    if not line.isascii() and len(line) > 4 * spaced:
        cjk = len(_CJK.findall(line))
        if cjk * 3 > len(line):
            return spaced + cjk // 2
    return spaced


def is_paragraph(line: str) -> bool:
    """Enough words, and ends like a sentence."""
    return words(line) >= BODY_MIN_WORDS and SENTENCE_END.search(line) is not None


def is_date_line(line: str) -> bool:
    """A short line that is a date (with a "Published"/"Updated" label or a time, perhaps)."""
    return len(line) <= MAX_DATE_LINE and _DATE_SHAPE.match(line) is not None and parse_date(line) is not None


def is_title_like(line: str) -> bool:
    """As long as a headline, and not ending like a sentence."""
    n = words(line)
    if not HEADLINE_MIN_WORDS <= n <= HEADLINE_MAX_WORDS or len(line) > 250:
        return False
    return not ((line.endswith(".") and not line.endswith("...")) or line.endswith("。"))


#: A headline may end with a full stop (wire headlines sometimes do, "PRESALE - Bay Co Bldg Auth .."); a
#: sentence longer than this is a paragraph.
HEADLINE_SENTENCE_MAX_WORDS = 15
_OPENING = re.compile(r"^[A-Z][\w .,'’-]{1,60}?\s\([A-Z][A-Za-z]+\)\s*[-–—]")


def is_headline_shaped(line: str) -> bool:
    """Could open a page as its headline: a short line, no date line, no dateline-opened paragraph."""
    n = words(line)
    if not 0 < n <= HEADLINE_MAX_WORDS or is_date_line(line) or _OPENING.match(line) or CREDIT_LINE_RE.match(line):
        return False
    return n <= HEADLINE_SENTENCE_MAX_WORDS or not is_paragraph(line)


def opens_with_dateline(line: str) -> bool:
    """A paragraph opened by a wire dateline: "NEW YORK, Mar 4 (Reuters) - ..."."""
    return _OPENING.match(line) is not None
