"""What a partner receives: the article in the partner's format (ninjs, ninjs-text, teaser, newsml-g2), carrying
only the pictures the partner may have."""

from __future__ import annotations

from typing import Any

from streams.model import Article
from streams.route.newsml_out import news_item
from streams.route.registry import Partner

FORMATS = ("ninjs", "ninjs-text", "teaser", "newsml-g2")


def _link(article: Article) -> str | None:
    """The story's web address when the source gave one (an item id that is an http(s) URL)."""
    for alt in article.get("altids", ()):
        value = str(alt.get("value", ""))
        if alt.get("role") == "item-id" and value.startswith(("http://", "https://")):
            return value
    return None


def teaser(article: Article) -> dict[str, Any]:
    """headline, summary, uri, link, versioncreated, subjects (and version, pubstatus, embargoed: what a partner
    needs to recognise updates, kills and embargoes). Contract: schemas/teaser.schema.json."""
    out: dict[str, Any] = {
        "uri": article["uri"],
        "version": str(article.get("version") or "1"),
        "versioncreated": article.get("versioncreated") or article.get("firstcreated"),
        "pubstatus": article.get("pubstatus", "usable"),
        "headline": next((h.get("value", "") for h in article.get("headlines", ())), ""),
    }
    summary = next((d.get("value") for d in article.get("descriptions", ()) if d.get("role") == "summary"), None)
    if summary:
        out["summary"] = summary
    link = _link(article)
    if link:
        out["link"] = link
    if article.get("embargoed"):
        out["embargoed"] = article["embargoed"]
    out["subjects"] = [
        {k: s[k] for k in ("name", "literal", "uri") if s.get(k)} for s in article.get("subjects", ())
    ]
    if out["versioncreated"] is None:
        del out["versioncreated"]
    return out


def render(partner: Partner, article: Article) -> dict[str, Any] | str:
    """The article in this partner's form, within its picture rights: a new dict (JSON formats) or XML text."""
    pictures = [a for a in article.get("associations", ()) if partner.may_have_picture(a)]
    if partner.format == "teaser":
        return teaser(article)
    if partner.format == "newsml-g2":
        return news_item(article, pictures)
    out = dict(article)
    if partner.format == "ninjs-text":
        out["bodies"] = [b for b in article.get("bodies", ()) if b.get("contenttype") != "text/html"]
    if pictures:
        out["associations"] = pictures
    else:
        out.pop("associations", None)
    return out
