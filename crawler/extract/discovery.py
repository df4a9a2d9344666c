"""A home or section page read as a way in: the feeds it announces, its links to articles, and its links to other
section pages of the same site.

The sources a crawl falls back on when a site's declared listings give nothing (or a site has none): the RSS and
Atom feeds of `<link rel="alternate">`, then the article links of the home page and its sections, kept by the
article rule. Pure: the caller fetches and decides what to follow. Used by the spiders (declared and generic),
`check-site` and `add-site` alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsel import Selector
from w3lib.html import get_base_url

from crawler.extract.urls import host_of, link_target

#: The MIME types of `<link rel="alternate">` that announce a feed the crawl reads (RSS, Atom, RDF; a JSON Feed is
#: not read, so not followed).
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")

#: Links that are never pages: downloads and media.
NOT_A_PAGE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|docx?|xlsx?|pptx?|zip|rar|7z|mp[34]|avi|mov|wmv|flv"
                        r"|css|js|xml|rss|json)$", re.I)

#: A section page's path has at most this many segments ("/chinh-tri", "/tin-tuc/thoi-su").
SECTION_DEPTH = 2


@dataclass(frozen=True)
class WayIn:
    """What one home or section page offers a crawl.

    `feeds`: absolute URLs of the feeds it announces, in page order, once each. `articles`: (URL, article id) of
    its links the article rule accepts, once each. `sections`: its other same-site links shallow enough to be
    section pages, once each. `unrequestable`: links that cannot be requested."""

    url: str
    feeds: list[str]
    articles: list[tuple[str, str]]
    sections: list[str]
    unrequestable: int


def announced_feeds(selector: Selector, base: str) -> list[str]:
    """The feeds a page announces with `<link rel="alternate" type="application/rss+xml" href="...">` (and Atom,
    RDF, JSON Feed), absolute, once each, in page order."""
    feeds: list[str] = []
    for link in selector.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rel or kind not in FEED_TYPES:
            continue
        url = link_target(base, link.attrib["href"])
        if url is not None and url not in feeds:
            feeds.append(url)
    return feeds


def is_section_url(url: str) -> bool:
    """Whether a same-site link could be a section page: not a download or media file, and a short path."""
    path = urlsplit(url).path
    if NOT_A_PAGE.search(path):
        return False
    return len([part for part in path.split("/") if part]) <= SECTION_DEPTH


def read_way_in(url: str, text: str, article_id: Callable[[str], str | None], owns: Callable[[str], bool] | None = None,
                selector: Selector | None = None, base_url: str | None = None) -> WayIn:
    """The home or section page at `url`, whose decoded text is `text`.

    `article_id`: the site's article rule (URL -> native id, or None for a URL that is not an article);
    `owns`: whether a URL is the site's (by default: the same host as `url`, `www.` aside). `selector` and
    `base_url` as in `crawler.extract.listing.read_listing`."""
    if selector is None:
        selector = Selector(text=text, type="html")
    base = base_url if base_url is not None else get_base_url(text[:4096], url)
    if owns is None:
        home_host = host_of(url)
        owns = lambda link: host_of(link) == home_host  # noqa: E731
    articles: list[tuple[str, str]] = []
    sections: list[str] = []
    seen: set[str] = {url.split("#", 1)[0]}
    seen_ids: set[str] = set()
    unrequestable = 0
    for href in selector.xpath("//a/@href").getall():
        target = link_target(base, href)
        if target is None:
            unrequestable += 1
            continue
        target = target.split("#", 1)[0]
        if target in seen or not owns(target):
            continue
        seen.add(target)
        native = article_id(target)
        if native is not None:
            if native not in seen_ids:  # one article linked twice (another spelling, www. or not): once
                seen_ids.add(native)
                articles.append((target, native))
        elif is_section_url(target):
            sections.append(target)
    return WayIn(url, announced_feeds(selector, base), articles, sections, unrequestable)
