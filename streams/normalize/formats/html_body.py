"""Article blocks for `formats.html`: walking the container, header trimming, JSON-LD articleBody, body_html."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import nh3
from selectolax.lexbor import LexborHTMLParser, LexborNode

from streams.normalize.chrome import is_chrome_line
from streams.normalize.formats.html_meta import PageMeta
from streams.normalize.formats.html_score import best_containers
from streams.normalize.formats.html_vocab import (
    BLOCK_TAGS,
    BOILERPLATE_LINE,
    DATE_IN_RE,
    DATE_ONLY_RE,
    DATE_PREFIX_RE,
    HEADING_TAGS,
    LETTER_RE,
    NAMED_BLOCKS,
    SENTENCE_RE,
    SKIP_IN_WALK,
    STAMP_RE,
    TOKEN_RE,
    norm,
)
from streams.normalize.formats.markup_limits import check_markup
from streams.normalize.formats.sanitize import clean_html
from streams.normalize.vocab import (
    ADDITIONAL_RE,
    ANONYMOUS_BYLINE_RE,
    BY_RE,
    CREDIT_LINE_RE,
    NAME_ONLY_RE,
    STAFF_RE,
    agency_name,
)

# A block whose linked characters exceed this share of its text is navigation, not prose.
_MAX_BLOCK_LINK_DENSITY = 0.5
# Blocks up to this long are also checked by the page-text chrome classifier (a paragraph is not a widget).
_CHROME_CHECK_CHARS = 300
#: Blocks that are rows of a table (one per <tr>, or one per line of a <pre>).
ROW_TAGS = frozenset(("pre", "tr"))

#: Links keep their target and title inside a block (nh3 adds rel).
_ALLOWED_ATTRS = {"a": {"href", "title"}}
#: Inline markup kept inside one block while the body is assembled; the whole body then goes through
#: `streams.normalize.formats.sanitize.clean_html`, the project's single body policy.
_INLINE_ALLOWED = {"a", "em", "strong", "b", "i", "br", "code", "sub", "sup"}


@dataclass(slots=True)
class Block:
    """One paragraph-like run of text found while walking the article container."""

    text: str
    tag: str  # p, h2, li, blockquote, pre, or "" for an anonymous run inside a div
    link_chars: int = 0
    node: LexborNode | None = None  # the element the block is, when it is exactly one element

    @property
    def link_density(self) -> float:
        return self.link_chars / max(1, len(self.text))


# ------------------------------------------------------------------------------------- walking


# Deeper than this, the walker stops recursing (Python's stack) and takes a subtree's text flat.
_MAX_WALK_DEPTH = 120


class _Walker:
    """Turns a container into blocks in document order; block elements end a run of inline text.

    A `<br>` is a line break inside a block; two in a row end a paragraph (old CMS bodies are one
    element of text separated by `<br><br>`).
    """

    __slots__ = ("blocks", "buf", "last_br", "links")

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.links = 0
        self.last_br = False

    def flush(self, tag: str, node: LexborNode | None) -> None:
        lines = [x for x in (norm(line) for line in "".join(self.buf).split("\n")) if x]
        if tag == "pre":  # a preformatted table or listing: one block per line, its rows stay rows
            self.blocks.extend(Block(line, "pre", 0, None) for line in lines)
        elif lines:
            self.blocks.append(Block("\n".join(lines), tag, self.links, node))
        self.buf.clear()
        self.links = 0
        self.last_br = False

    def walk(self, node: LexborNode, tag: str, in_link: bool = False, depth: int = 0) -> None:
        if depth > _MAX_WALK_DEPTH:  # pathological nesting: take the text flat, do not recurse
            self.buf.append(" " + node.text(separator=" ").replace("\n", " "))
            return
        for child in node.iter(include_text=True):
            ctag = child.tag
            if ctag == "-text":
                text = child.text_content or ""
                self.buf.append(text if tag == "pre" else text.replace("\n", " "))
                if in_link:
                    self.links += len(norm(text))
                if self.last_br and not text.isspace():
                    self.last_br = False
                continue
            if ctag is None or ctag.startswith("-") or ctag in SKIP_IN_WALK:
                continue
            if ctag == "br":
                if self.last_br:
                    self.flush(tag, None)
                else:
                    self.buf.append("\n")
                    self.last_br = True
                continue
            if ctag in ("td", "th"):  # a table row is one block, its cells separated by spaces
                self.buf.append(" ")
                self.walk(child, tag, in_link, depth + 1)
                self.buf.append(" ")
                continue
            if ctag == "header":  # an article's own header: headline, standfirst, byline, dates
                continue
            if ctag in BLOCK_TAGS:
                self.flush(tag, None)
                before = len(self.blocks)
                block_tag = ctag if ctag in NAMED_BLOCKS or ctag in HEADING_TAGS else ""
                if ctag == "p" and tag in ("blockquote", "li"):
                    block_tag = tag  # <blockquote><p>…</p></blockquote> stays a quote
                self.walk(child, block_tag or tag, False, depth + 1)
                nested = len(self.blocks) > before
                self.flush(block_tag or tag, None if nested else child)
            else:
                self.walk(child, tag, in_link or ctag == "a", depth + 1)


def extract_blocks(body: LexborNode) -> list[Block]:
    walker = _Walker()
    for container in best_containers(body):
        walker.flush("", None)
        if container.tag == "p":
            walker.walk(container, "p")
            walker.flush("p", container)
        else:
            walker.walk(container, "")
            walker.flush("", None)
    return [b for b in walker.blocks if _keep_block(b)]


def _keep_block(block: Block) -> bool:
    text = block.text
    if block.tag in ROW_TAGS:
        return True  # a table row or a line of a <pre>: figures, never chrome
    if block.link_density > _MAX_BLOCK_LINK_DENSITY and not (block.tag == "p" and len(text) > 200):
        return False
    if len(text) < 120 and BOILERPLATE_LINE.match(text):
        return False
    if len(text) <= _CHROME_CHECK_CHARS and is_chrome_line(text):
        return False  # the page-text classifier: prompts, appeals, audio players, ad markers
    return not (block.tag == "li" and block.link_density > 0.3)


@dataclass(slots=True)
class Header:
    """Header lines found at the top of the body and dropped from it."""

    date: str | None = None
    name: str | None = None
    credit: str | None = None  # an agency alone where a byline stands ("Reuters")


def trim(blocks: list[Block], headline: str) -> tuple[list[Block], Header]:
    """Drop header leftovers (repeated headline, date lines, a bare author name) and trailing subheads."""
    out: list[Block] = []
    header = Header()
    leading = True
    for block in blocks:
        if leading and block.tag in HEADING_TAGS and block.text == headline:
            continue
        if block.tag not in HEADING_TAGS and block.tag not in ROW_TAGS:
            lines = block.text.split("\n")
            kept = [ln for ln in lines if not _header_line(ln, headline, leading and not out, header)]
            if not kept:
                continue
            if len(kept) < len(lines):
                block = Block("\n".join(kept), block.tag, block.link_chars, None)
        out.append(block)
        if len(block.text) >= 80 or block.tag in ROW_TAGS:
            leading = False
    while out and out[-1].tag in HEADING_TAGS:
        out.pop()
    return out, header


def _header_line(line: str, headline: str, leading: bool, header: Header) -> bool:
    """A line that belongs to the page header, not the story: a date, or (at the very top, before any story
    text) the headline, a bare name or an agency alone."""
    if len(line) <= 120 and STAMP_RE.match(line):
        header.date = header.date or DATE_PREFIX_RE.sub("", line).split("|")[0].strip()
        return True
    if len(line) > 60:
        return False
    if DATE_ONLY_RE.match(line):
        header.date = header.date or DATE_PREFIX_RE.sub("", line)
        return True
    if not leading:
        return False
    if line == headline:
        return True
    if DATE_IN_RE.search(line) and not SENTENCE_RE.search(line):
        header.date = header.date or line  # "Nov. 20, 2019Updated: Nov. 20, 2019 1:35 a.m."
        return True
    if len(line) < 20 and not LETTER_RE.search(line):
        return True  # counters and stray digits from share and comment widgets
    credit = CREDIT_LINE_RE.match(line)
    staff = STAFF_RE.match(line)
    if credit or staff:  # "Reuters", "From Reuters", "By Reuters staff" where a byline stands
        org = credit.group("org") if credit else (staff.group("org") or staff.group("org1")) if staff else ""
        header.credit = header.credit or agency_name(org)
        return True
    if ANONYMOUS_BYLINE_RE.match(line):
        return True  # "Staff and agencies": a byline that names no one
    if NAME_ONLY_RE.match(line):
        header.name = header.name or BY_RE.sub("", line)
        return True
    return False


def closing_credits(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The agency credit lines that close the story ("Reuters", "— Reuters", "Reuters contributed to this
    report"): taken off the body, as the page-text reader does, and returned as credits."""
    credits: list[str] = []
    while blocks and blocks[-1].tag not in ROW_TAGS:
        m = CREDIT_LINE_RE.match(blocks[-1].text) or ADDITIONAL_RE.match(blocks[-1].text)
        if not m:
            break
        credits.append(agency_name(m.group("org")))
        blocks = blocks[:-1]
    return blocks, credits


# ------------------------------------------------------------------------------ JSON-LD articleBody

# An articleBody with fewer tokens than this share of the density extraction is an excerpt.
_LD_EXCERPT_SHARE = 0.6
# Above this precision against articleBody, the density extraction is kept as it is.
_LD_AGREES = 0.95
# Share of the articleBody's shingles that must appear in the page's visible text to trust it.
_LD_CONFIRMED = 0.8


def _tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text.lower())


def _shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3))}


def check_ld_body(blocks: list[Block], meta: PageMeta, body: LexborNode) -> list[Block]:
    """Use JSON-LD articleBody as a strong signal, but only when the page's own text confirms it."""
    if meta.article_ld is None:
        return blocks
    raw = meta.article_ld.get("articleBody")
    if not isinstance(raw, str):
        return blocks
    ld_text = htmllib.unescape(raw)
    if "<" in ld_text and ">" in ld_text:
        check_markup(ld_text)
        ld_text = LexborHTMLParser(ld_text).text(separator="\n") if ld_text.strip() else ""
    ld_tokens = _tokens(ld_text)
    if len(ld_tokens) < 30:
        return blocks
    ld_sh = _shingles(ld_tokens)
    got_tokens = _tokens(" ".join(b.text for b in blocks))
    got_sh = _shingles(got_tokens)
    recall = len(ld_sh & got_sh) / len(ld_sh)
    precision = len(ld_sh & got_sh) / max(1, len(got_sh))
    if recall >= 0.9 and precision >= _LD_AGREES:
        return blocks  # the density extraction agrees: keep its paragraph structure
    if len(ld_tokens) < _LD_EXCERPT_SHARE * len(got_tokens):
        return blocks  # a truncated articleBody (an excerpt or teaser): it cannot judge the body
    page_sh = _shingles(_tokens(body.text(separator=" ")))
    confirmed = len(ld_sh & page_sh) / len(ld_sh)
    if confirmed < _LD_CONFIRMED:
        return blocks  # stale, truncated or hidden text: the page does not show it
    if recall >= 0.9:
        # The extraction holds the article plus extra: keep only blocks the articleBody contains.
        kept = [b for b in blocks if _block_in(b, ld_sh)]
        return kept or blocks
    if len(ld_tokens) < len(got_tokens):
        return blocks
    paragraphs = [norm(p) for p in re.split(r"\n\s*\n|\r\n|\n", ld_text) if norm(p)]
    return [Block(p, "p") for p in paragraphs]


def _block_in(block: Block, ld_sh: set[tuple[str, ...]]) -> bool:
    tokens = _tokens(block.text)
    if len(tokens) < 4:
        return True
    sh = _shingles(tokens)
    return len(sh & ld_sh) / len(sh) >= 0.5


# ---------------------------------------------------------------------------------------- body_html


def _inline_html(node: LexborNode) -> str:
    inner = node.inner_html or ""
    return nh3.clean(inner, tags=_INLINE_ALLOWED, attributes=_ALLOWED_ATTRS, link_rel="noopener nofollow")


def _cells(node: LexborNode | None, text: str) -> list[str]:
    """The row's own cells (a table nested in a cell stays that cell's text)."""
    cells = []
    child = node.child if node is not None else None
    while child is not None:
        if child.tag in ("td", "th"):
            cells.append(norm(child.text(separator=" ")))
        child = child.next
    return cells or [text]


def _rows_html(run: list[Block]) -> str:
    """A run of row blocks as the structure it came in: a <pre> (lines) or a <table> (cells)."""
    if run[0].tag == "pre":
        return "<pre>" + "\n".join(htmllib.escape(b.text, quote=False) for b in run) + "</pre>"
    rows = "".join(
        "<tr>" + "".join(f"<td>{htmllib.escape(c, quote=False)}</td>" for c in _cells(b.node, b.text)) + "</tr>"
        for b in run
    )
    return f"<table><tbody>{rows}</tbody></table>"


def build_body_html(blocks: Iterable[Block]) -> str:
    parts: list[str] = []
    open_list = False
    run: list[Block] = []
    for block in blocks:
        if run and block.tag != run[0].tag:
            parts.append(_rows_html(run))
            run = []
        if block.tag in ROW_TAGS:
            if open_list:
                parts.append("</ul>")
                open_list = False
            run.append(block)
            continue
        tag = block.tag if block.tag in ("p", "h2", "h3", "h4", "li", "blockquote") else "p"
        if block.tag in ("h5", "h6"):
            tag = "h4"
        if tag == "li" and not open_list:
            parts.append("<ul>")
            open_list = True
        elif tag != "li" and open_list:
            parts.append("</ul>")
            open_list = False
        inner = _inline_html(block.node) if block.node is not None else htmllib.escape(block.text, quote=False)
        if not norm(re.sub(r"<[^>]+>", "", inner)):
            inner = htmllib.escape(block.text, quote=False)
        parts.append(f"<{tag}>{inner.strip()}</{tag}>")
    if run:
        parts.append(_rows_html(run))
    if open_list:
        parts.append("</ul>")
    return clean_html("".join(parts))  # the one body policy, shared with the ninjs and NewsML readers
