"""A delivered article as a NewsML-G2 2.35 News Item (XML): Media Topic QCodes, entities as concepts, credits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from streams.model import Article

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"
#: Concept types (IPTC cpnat scheme) for the tagged entities, and the scheme places' ISO codes use.
CONCEPT_TYPE = {"people": "cpnat:person", "organisations": "cpnat:organisation", "places": "cpnat:geoArea"}
ISO_COUNTRY_SCHEME = "iso3166-1a2"


def _el(parent: etree._Element, element: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{NAR}}}{element}", {k.replace("_", ""): v for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def _concept(parent: etree._Element, kind: str, item: Mapping[str, Any]) -> None:
    attrs = {"type": CONCEPT_TYPE[kind]}
    if kind == "places" and item.get("literal"):
        attrs["qcode"] = f"{ISO_COUNTRY_SCHEME}:{item['literal']}"
    elif item.get("uri"):
        attrs["uri"] = str(item["uri"])
    else:
        attrs["literal"] = str(item.get("name", ""))
    subject = _el(parent, "subject", **attrs)
    _el(subject, "name", str(item.get("name", "")))


def _item_meta(item: etree._Element, article: Article, pictures: list[Mapping[str, Any]]) -> None:
    meta = _el(item, "itemMeta")
    _el(meta, "itemClass", qcode="ninat:text")
    _el(meta, "provider", literal=str(article.get("copyrightholder") or "Reuters"))
    _el(meta, "versionCreated", article.get("versioncreated") or article.get("firstcreated") or "")
    if article.get("firstcreated"):
        _el(meta, "firstCreated", article["firstcreated"])
    if article.get("embargoed"):
        _el(meta, "embargoed", article["embargoed"])
    _el(meta, "pubStatus", qcode=f"stat:{article.get('pubstatus', 'usable')}")
    for pic in pictures:
        link = _el(meta, "link", rel="irel:associatedWith", residref=str(pic.get("uri", "")))
        _el(link, "itemClass", qcode="ninat:picture")
        credit = pic.get("copyrightholder") or pic.get("by")
        if credit:
            _el(link, "creditline", str(credit))
        for desc in pic.get("descriptions", ()):
            _el(link, "description", str(desc.get("value", "")), role="drol:caption")


def _content_meta(item: etree._Element, article: Article) -> None:
    cm = _el(item, "contentMeta")
    if article.get("urgency"):
        _el(cm, "urgency", str(article["urgency"]))
    if article.get("located"):
        located = _el(cm, "located", literal=str(article["located"]))
        _el(located, "name", str(article["located"]))
    for source in article.get("infosources", ()):
        info = _el(cm, "infoSource", literal=str(source.get("name", "")), role=f"isrol:{source.get('role', 'source')}")
        _el(info, "name", str(source.get("name", "")))
    for person in article.get("people", ()):
        if person.get("rel") == "author":
            _el(_el(cm, "creator", literal=str(person.get("name", ""))), "name", str(person.get("name", "")))
    if article.get("language"):
        _el(cm, "language", tag=str(article["language"]))
    for subject in article.get("subjects", ()):
        node = _el(cm, "subject", type="cpnat:abstract", qcode=str(subject.get("literal", "")))
        _el(node, "name", str(subject.get("name", "")))
    for kind in ("people", "organisations", "places"):
        for entity in article.get(kind, ()):
            if entity.get("rel") != "author":
                _concept(cm, kind, entity)
    if article.get("slugline"):
        _el(cm, "slugline", str(article["slugline"]))
    for headline in article.get("headlines", ())[:1]:
        _el(cm, "headline", str(headline.get("value", "")))
    if article.get("located"):
        _el(cm, "dateline", str(article["located"]))
    if article.get("by"):
        _el(cm, "by", str(article["by"]))
    if article.get("copyrightholder"):
        _el(cm, "creditline", str(article["copyrightholder"]))
    for desc in article.get("descriptions", ()):
        _el(cm, "description", str(desc.get("value", "")), role="drol:summary")


def _content_set(item: etree._Element, article: Article) -> None:
    text = next((b.get("value", "") for b in article.get("bodies", ()) if b.get("contenttype") == "text/plain"), "")
    content_set = _el(item, "contentSet")
    inline = _el(content_set, "inlineXML", contenttype="application/xhtml+xml")
    html = etree.SubElement(inline, f"{{{XHTML}}}html", nsmap={None: XHTML})
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}title").text = next(
        (str(h.get("value", "")) for h in article.get("headlines", ())), "")
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    for para in (p.strip() for p in text.split("\n\n")):
        if para:
            etree.SubElement(body, f"{{{XHTML}}}p").text = para


def news_item(article: Article, pictures: list[Mapping[str, Any]]) -> str:
    """The News Item for `article` carrying only `pictures` (already filtered by the partner's rights)."""
    item = etree.Element(f"{{{NAR}}}newsItem", nsmap={None: NAR})
    item.set("guid", str(article["uri"]))
    item.set("version", str(article.get("version") or "1"))
    item.set("standard", "NewsML-G2")
    item.set("standardversion", "2.35")
    item.set("conformance", "power")
    if article.get("language"):
        item.set(XML_LANG, str(article["language"]))
    _el(item, "catalogRef", href=CATALOG)
    if article.get("copyrightholder"):
        rights = _el(item, "rightsInfo")
        _el(_el(rights, "copyrightHolder"), "name", str(article["copyrightholder"]))
        if article.get("copyrightnotice"):
            _el(rights, "copyrightNotice", str(article["copyrightnotice"]))
    _item_meta(item, article, pictures)
    _content_meta(item, article)
    _content_set(item, article)
    return etree.tostring(item, xml_declaration=True, encoding="UTF-8").decode("utf-8")
