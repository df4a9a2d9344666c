"""A listing page of a declared site, read: which of its links are articles, and where its pager leads.

One reading for the crawl (crawler.crawl.spiders.site_spider) and for `newsarchive check-site`. A listing is an
HTML page (the site's `listing_links` and `next_page` selectors) or an RSS/Atom feed (its items' links). Pure: no
request is made here, and what to follow and when to stop is the caller's to decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsel import Selector
from w3lib.html import get_base_url

from crawler.extract.urls import link_target
from crawler.sites.base import Site

#: The links of a feed's items: RSS `<item><link>`, Atom `<entry><link href>` (namespaces removed).
_FEED_LINKS = "//item/link/text() | //entry/link/@href"


def is_feed(text: str) -> bool:
    """Whether a listing is an RSS or Atom feed rather than an HTML page, by its first characters."""
    head = text[:500].lstrip().lower()
    return head.startswith(("<?xml", "<rss", "<feed"))


@dataclass(frozen=True)
class Listing:
    """What one listing page shows.

    `articles`: (URL, article id) of each link to an article of the site, in page order, repeats kept; the URL is
    the link made absolute, not yet canonical. `unrequestable`: links (to articles or not) that cannot be
    requested (javascript:, a port out of range...). `pager`: where the site's next-page link leads;
    `pager_unrequestable`: there is such a link, but it cannot be requested (a pager run by a script)."""

    url: str
    feed: bool
    articles: list[tuple[str, str]]
    unrequestable: int
    pager: str | None
    pager_unrequestable: bool

    def next_page(self, site: Site, first_url: str, page: int) -> str | None:
        """The listing page after this one, page `page` of the section that starts at `first_url`: the pager's,
        else (for an HTML listing that listed articles) the site's own pattern for page `page + 1`."""
        if self.pager:
            return self.pager
        if self.articles and not self.feed:
            return site.listing_page_url(first_url, page + 1)
        return None


def read_listing(site: Site, url: str, text: str, selector: Selector | None = None,
                 base_url: str | None = None) -> Listing:
    """The listing page at `url` of `site`, whose text (decoded) is `text`.

    `selector`: the page already parsed (a Scrapy response's own), else `text` is parsed as HTML; `base_url`: what
    the page's links are relative to (its `<base href>`, else `url`), else found in `text` as Scrapy finds it."""
    feed = is_feed(text)
    base = base_url if base_url is not None else get_base_url(text[:4096], url)
    if selector is None:
        selector = Selector(text=text, type="html")
    articles: list[tuple[str, str]] = []
    unrequestable = 0
    for href in feed_links(text) if feed else selector.css(site.listing_links).xpath("@href").getall():
        target = link_target(base, href)
        if target is None:
            unrequestable += 1
        elif (article_id := site.article_id(target)) is not None:
            articles.append((target, article_id))
    pager_href = selector.css(site.next_page).xpath("@href").get() if site.next_page else None
    pager = link_target(base, pager_href) if pager_href else None
    return Listing(url, feed, articles, unrequestable, pager, bool(pager_href) and pager is None)


def feed_links(text: str) -> list[str]:
    """The links of a feed's items (RSS `<item><link>`, Atom `<entry><link href>`), as written, in feed order."""
    xml = Selector(text=text, type="xml")
    xml.remove_namespaces()
    return xml.xpath(_FEED_LINKS).getall()
