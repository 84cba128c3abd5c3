"""Choosing the article container for `streams.normalize.formats.html`: chrome removal and text-density scoring."""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from streams.normalize.formats.html_vocab import (
    CHROME_ID_SUBSTR,
    CHROME_SUBSTR,
    CHROME_TOKEN,
    DROP_TAGS,
    KEEP_RE,
    NEGATIVE_RE,
    POSITIVE_RE,
    norm,
)
from streams.normalize.vocab import CREDIT_LINE_RE

_PARA_SELECTOR = "p, pre, blockquote"
# Minimum characters for a node to count as a paragraph when scoring (Readability uses 25).
_MIN_PARA_CHARS = 25
# Siblings of the winning container join when they score at least this share of it (Readability).
_SIBLING_SHARE = 0.2


def _chrome_selector() -> str:
    parts = []
    # Every attribute selector costs a test per element in Lexbor: ids, rarer than classes, are
    # matched by substring only for the commonest chrome words (halves the cost, same result on aeb-dev).
    for word in CHROME_SUBSTR:
        parts.append(f'[class*="{word}" i]')
    for word in CHROME_ID_SUBSTR:
        parts.append(f'[id*="{word}" i]')
    for word in CHROME_TOKEN:
        parts.append(f'[class~="{word}" i]')
        parts.append(f'[id="{word}" i]')
    parts.append('[aria-hidden="true"]')
    parts.append('[role="navigation"], [role="complementary"], [role="contentinfo"], [role="banner"]')
    parts.append("[hidden]")
    parts.append('[style*="display:none"], [style*="display: none"]')
    return ", ".join(parts)


_CHROME_SELECTOR = _chrome_selector()


def remove_chrome(body: LexborNode) -> None:
    """Drop tags and containers that never hold article text, keeping any that hold most of it."""
    body.strip_tags(list(DROP_TAGS))  # decompose by tag name, in C
    para_chars = sum(len(p.text()) for p in body.css("p"))
    candidates = body.css(_CHROME_SELECTOR)
    if not candidates:
        return
    doomed: list[LexborNode] = []
    doomed_ids: set[int] = set()
    for node in candidates:  # document order: ancestors come before descendants
        if node.tag in ("html", "body", "main", "article"):
            continue
        attrs = node.attributes
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if KEEP_RE.search(names):
            continue
        # Lexbor frees a decomposed subtree: never touch a node inside one already doomed.
        parent = node.parent
        inside = False
        while parent is not None:
            if parent.mem_id in doomed_ids:
                inside = True
                break
            parent = parent.parent
        if inside:
            continue
        if para_chars and sum(len(p.text()) for p in node.css("p")) > 0.4 * para_chars:
            continue  # a "chrome" word on the container that holds the article
        if CREDIT_LINE_RE.match(norm(node.text())):
            continue  # the story's closing credit line ("<p class=credit>Reuters</p>"): evidence, kept
        doomed.append(node)
        doomed_ids.add(node.mem_id)
    for node in doomed:
        node.decompose()


# ------------------------------------------------------------------------------------- scoring


def _class_weight(node: LexborNode) -> int:
    attrs = node.attributes
    weight = 0
    for name in (attrs.get("class"), attrs.get("id")):
        if not name:
            continue
        if NEGATIVE_RE.search(name):
            weight -= 25
        if POSITIVE_RE.search(name):
            weight += 25
    return weight


_TAG_BONUS = {
    "div": 5, "section": 5, "article": 10, "main": 5, "pre": 3, "td": 3, "blockquote": 3,
    "ol": -3, "ul": -3, "li": -3, "dl": -3, "dd": -3, "form": -3, "th": -5, "header": -5,
}  # fmt: skip


def _link_chars(node: LexborNode) -> int:
    return sum(len(a.text()) for a in node.css("a"))


def best_containers(body: LexborNode) -> list[LexborNode]:
    """Readability-style scoring: paragraphs vote for their ancestors; the best, with close siblings."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    # (node, first node to credit): a paragraph credits its ancestors; a div or td holding long text
    # of its own (old CMS bodies: text and <br>s, no <p>) is a paragraph *and* a container.
    paras: list[tuple[LexborNode, LexborNode | None, str]] = [(p, p.parent, p.text()) for p in body.css(_PARA_SELECTOR)]
    for div in body.css("div, td"):
        own = div.text(deep=False)
        if len(own) >= _MIN_PARA_CHARS and len(own.strip()) >= _MIN_PARA_CHARS:
            paras.append((div, div, own))
    for para, first, text in paras:
        length = len(text.strip())
        if length < _MIN_PARA_CHARS:
            continue
        commas = text.count(",") + text.count("\uff0c") + text.count("\u3001")
        points = 1.0 + commas + (min(length // 100, 3) if first is not para else length // 100)
        ancestor = first
        level = 0
        while ancestor is not None and level < 5:
            key = ancestor.mem_id
            if key not in nodes:
                if ancestor.tag in ("html", "#document", None):
                    break
                nodes[key] = ancestor
                scores[key] = _TAG_BONUS.get(ancestor.tag or "", 0) + _class_weight(ancestor)
            scores[key] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            ancestor = ancestor.parent
            level += 1
    if not scores:
        return [body]
    top = sorted(scores, key=scores.__getitem__, reverse=True)[:5]
    final: dict[int, float] = {}
    for key in top:
        node = nodes[key]
        text_len = max(1, len(node.text()))
        final[key] = scores[key] * (1 - min(1.0, _link_chars(node) / text_len))
    best_key = max(final, key=final.__getitem__)
    best = nodes[best_key]
    best_score = final[best_key]
    # Climb while the parent scores about as well (the article is split over sibling containers).
    parent = best.parent
    while parent is not None and parent.mem_id in scores and parent.tag not in ("body", "html"):
        if scores[parent.mem_id] < best_score * 0.9:
            break
        best, best_score = parent, max(best_score, scores[parent.mem_id])
        parent = best.parent
    best = _paragraph_div_parent(best)
    parent = best.parent
    if parent is None or parent.tag == "html":
        return [best]
    siblings = _with_siblings(best, best_score, scores)
    return _with_chunks(body, best, best_score, siblings, scores)


_INNER_BLOCKS = "p, div, table, ul, ol, pre, blockquote, section, article, h2, h3, h4"


def _paragraph_div_parent(best: LexborNode) -> LexborNode:
    """The container of a winner that is one paragraph written as a ``<div>`` (no blocks inside) among
    siblings of its own tag and class: pages that write every paragraph as ``<div class="x">`` hold the
    story, short lines and table rows too, in the parent."""
    parent = best.parent
    cls = best.attributes.get("class")
    if best.tag != "div" or parent is None or parent.tag in ("body", "html"):
        return best
    if any(n.mem_id != best.mem_id for n in best.css(_INNER_BLOCKS)):  # css() includes the node itself
        return best
    same = 0
    child = parent.child
    while child is not None:
        if child.tag == best.tag and child.attributes.get("class") == cls:
            same += 1
        child = child.next
    return parent if same >= 2 else best


def _with_chunks(
    body: LexborNode, best: LexborNode, best_score: float, chosen: list[LexborNode], scores: dict[int, float]
) -> list[LexborNode]:
    """Add the article's other chunks: containers with the winner's exact tag and class elsewhere.

    CMSes split long articles into repeated wrappers between ads, videos and figures
    (`<div class="article__body">` x 4); they are cousins of the winner, not siblings.
    """
    cls = best.attributes.get("class")
    if not cls or '"' in cls or "\\" in cls or best.tag is None:
        return chosen
    same = body.css(f'{best.tag}[class="{cls}"]')
    if len(same) < 2 or len(same) > 50:
        return chosen
    chosen_ids = {n.mem_id for n in chosen}
    threshold = max(3.0, best_score * 0.05)
    out: list[LexborNode] = []
    for node in same:
        if node.mem_id == best.mem_id:
            out.extend(chosen)
            continue
        if node.mem_id in chosen_ids or _related(node, best):
            continue
        if scores.get(node.mem_id, 0.0) < threshold:
            continue
        if _link_chars(node) > 0.3 * max(1, len(node.text())):
            continue
        out.append(node)
    return out


def _related(a: LexborNode, b: LexborNode) -> bool:
    """Whether one node contains the other."""
    for x, y in ((a, b), (b, a)):
        parent = x.parent
        while parent is not None:
            if parent.mem_id == y.mem_id:
                return True
            parent = parent.parent
    return False


def _with_siblings(best: LexborNode, best_score: float, scores: dict[int, float]) -> list[LexborNode]:
    """The winner and the siblings that score close to it or are plain prose paragraphs."""
    parent = best.parent
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * _SIBLING_SHARE)
    siblings: list[LexborNode] = []
    sib = parent.child
    while sib is not None:
        if sib.mem_id == best.mem_id:
            siblings.append(sib)
        elif sib.tag is not None and not sib.tag.startswith("-"):
            score = scores.get(sib.mem_id, 0.0)
            join = score + (best_score * 0.2 if _class_weight(sib) > 0 and _class_weight(best) > 0 else 0) >= threshold
            if not join and sib.tag == "p":
                text = norm(sib.text())
                density = _link_chars(sib) / max(1, len(text))
                join = (len(text) > 80 and density < 0.25) or (
                    0 < len(text) <= 80 and density == 0 and text.endswith(".")
                )
            if join:
                siblings.append(sib)
        sib = sib.next
    return siblings
