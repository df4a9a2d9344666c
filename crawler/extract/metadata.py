"""What a page says about itself: JSON-LD, OpenGraph, `article:*` and itemprop metadata, canonical link."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

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


def read_metadata(doc: Selector) -> PageMetadata:
    """Collect metadata, JSON-LD first (most specific), then OpenGraph/article:*, then itemprop and plain meta."""
    meta = PageMetadata()
    articles = _json_ld_articles(doc)
    og_type = (doc.xpath('//meta[@property="og:type"]/@content').get() or "").strip().lower()
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

    def first(*xpaths: str) -> str | None:
        for xp in xpaths:
            for value in doc.xpath(xp).getall():
                value = clean_line(value)
                if value:
                    return value
        return None

    meta.title = meta.title or first('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
                                     '//*[@itemprop="headline"]/@content')
    meta.description = meta.description or first('//meta[@property="og:description"]/@content',
                                                 '//meta[@name="description"]/@content')
    meta.published = meta.published or first(
        '//meta[@property="article:published_time"]/@content', '//*[@itemprop="datePublished"]/@content',
        '//*[@itemprop="datePublished"]/@datetime', '//*[@itemprop="datePublished"]/text()',
        '//meta[@name="pubdate"]/@content', '//meta[@name="publishdate"]/@content',
        '//meta[@property="og:published_time"]/@content')
    meta.modified = meta.modified or first('//meta[@property="article:modified_time"]/@content',
                                           '//*[@itemprop="dateModified"]/@content')
    meta.section = meta.section or first('//meta[@property="article:section"]/@content')
    if not meta.keywords:
        meta.keywords = [clean_line(t) for t in doc.xpath('//meta[@property="article:tag"]/@content').getall()
                         if clean_line(t)] or _keywords(first('//meta[@name="keywords"]/@content'))
    if not meta.authors:
        meta.authors = _names(first('//*[@itemprop="author"]//*[@itemprop="name"]/text()',
                                    '//*[@itemprop="author"]/@content', '//meta[@name="author"]/@content'))
    meta.image = first('//meta[@property="og:image"]/@content')
    meta.canonical = first('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content')
    return meta


def _json_ld_articles(doc: Selector) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for raw in doc.xpath('//script[@type="application/ld+json"]/text()').getall():
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
        text = clean_line(str(value))
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
