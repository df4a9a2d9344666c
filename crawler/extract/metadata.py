"""What a page says about itself: JSON-LD, OpenGraph, `article:*` and itemprop metadata, canonical link."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from crawler.text import clean_line

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "webpage"}


@dataclass
class PageMetadata:
    title: str | None = None
    description: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    image: str | None = None
    canonical: str | None = None
    body: str | None = None
    #: The page declares itself an article (og:type article, a JSON-LD article type).
    is_article: bool = False


#: The itemprop attributes (their element is `getparent()`): twice as fast as selecting the elements by predicate.
_ITEMPROPS = etree.XPath("//@itemprop")


def read_metadata(root: etree._Element) -> PageMetadata:
    """Collect metadata, JSON-LD first (most specific), then OpenGraph/article:*, then itemprop and plain meta.
    One pass over the page's meta, link and script elements (this runs for every page)."""
    metas: dict[str, list[str]] = {}
    canonical = None
    ld_json: list[str] = []
    for el in root.iter("meta", "link", "script"):
        if el.tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            value = el.get("content")
            if key and value is not None:
                metas.setdefault(key, []).append(value)
        elif el.tag == "link":
            if (el.get("rel") or "").lower() == "canonical" and el.get("href") and canonical is None:
                canonical = el.get("href")
        elif (el.get("type") or "").lower() == "application/ld+json" and el.text:
            ld_json.append(el.text)
    # Elements, not their values: a value is read only if a field needs that property (an articleBody's text never).
    itemprops: dict[str, list[etree._Element]] = {}
    for name in _ITEMPROPS(root):
        el = name.getparent()
        if el.tag != "meta":
            itemprops.setdefault(name.strip().lower(), []).append(el)

    def first(*keys: str, props: tuple[str, ...] = ()) -> str | None:
        for key in keys:
            for value in metas.get(key, ()):
                value = clean_line(value)
                if value:
                    return value
        for prop in props:
            for el in itemprops.get(prop, ()):
                value = clean_line(el.get("content") or el.get("datetime") or "".join(el.itertext()))
                if value:
                    return value
        return None

    meta = PageMetadata()
    articles = _json_ld_articles(ld_json)
    og_type = (first("og:type") or "").lower()
    meta.is_article = og_type == "article" or any(str(n.get("@type")).lower() != "webpage" for n in articles)
    for node in articles:
        meta.title = meta.title or _str(node.get("headline"))
        meta.description = meta.description or _str(node.get("description"))
        meta.published = meta.published or _str(node.get("datePublished"))
        meta.modified = meta.modified or _str(node.get("dateModified"))
        meta.section = meta.section or _str(node.get("articleSection"))
        meta.body = meta.body or _str(node.get("articleBody"))
        if not meta.authors:
            meta.authors = _names(node.get("author"))
        if not meta.keywords:
            meta.keywords = _keywords(node.get("keywords"))
    meta.title = meta.title or first("og:title", "twitter:title", "headline", props=("headline",))
    meta.description = meta.description or first("og:description", "description")
    meta.published = meta.published or first("article:published_time", "datepublished", "pubdate", "publishdate",
                                              "og:published_time", props=("datepublished",))
    meta.modified = meta.modified or first("article:modified_time", "datemodified", props=("datemodified",))
    meta.section = meta.section or first("article:section")
    if not meta.keywords:
        # article:tag only: <meta name="keywords"> is mostly the site's own words ("DotNetNuke, DNN"), not tags
        meta.keywords = [t for t in (clean_line(v) for v in metas.get("article:tag", [])) if t]
    if not meta.authors:
        meta.authors = _names(first("author", props=("author",)))
    meta.image = first("og:image")
    meta.canonical = clean_line(canonical) or first("og:url")
    return meta


def _json_ld_articles(scripts: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for raw in scripts:
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                    found.append(item)
    # The most specific article type first: a WebPage node only fills what the article node left empty.
    found.sort(key=lambda n: str(n.get("@type")).lower() == "webpage")
    return found


def _str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (str, int, float)):
        text = str(value)
        for _ in range(3):  # JSON-LD written from already-escaped HTML: "Chi&amp;#7871;n" is "Chiến"
            if "&" not in text:
                break
            text = html.unescape(text)
        text = clean_line(text)
        return text or None
    return None


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    names = [_str(item) for item in items]
    return [n for n in names if n]


def _keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [k for k in (_str(v) for v in value) if k]
    if isinstance(value, str):
        return [clean_line(k) for k in value.split(",") if clean_line(k)]
    return []
