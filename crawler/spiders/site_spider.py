"""The one spider: walks a declared site's listings, newest first, and turns its article pages into records."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse

from crawler.dates import VN_TZ
from crawler.extract import extract_article
from crawler.sites.base import Site
from crawler.text import decode_html


class SiteSpider(scrapy.Spider):
    """Subclassed per site by `crawler.spiderloader.SiteSpiderLoader`, which sets `name` and `site`."""

    site: ClassVar[Site]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed_domains = [h.removeprefix("www.") for h in self.site.hosts]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing, cb_kwargs={"page": 1, "first_url": url})

    def parse_listing(self, response: Response, page: int, first_url: str | None = None) -> Iterator[scrapy.Request]:
        """A listing page (HTML, or an RSS/Atom feed): its article links, then its next page."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newsarchive/listing_not_html")
            return
        self.crawler.stats.inc_value("newsarchive/listing_pages")
        first_url = first_url or response.url
        found = 0
        feed = _is_feed(response)
        for url in self._listing_links(response, feed):
            if self.site.is_article(url):
                found += 1
                yield scrapy.Request(self.site.canonical_url(url), callback=self.parse_article)
        if page >= self.site.max_listing_pages:
            return
        next_kwargs = {"page": page + 1, "first_url": first_url}
        next_href = response.css(self.site.next_page).xpath("@href").get() if self.site.next_page else None
        if next_href and not next_href.strip().lower().startswith("javascript:"):
            yield response.follow(next_href, callback=self.parse_listing, cb_kwargs=next_kwargs)
        elif found and not feed and (next_url := self.site.listing_page_url(first_url, page + 1)):
            yield scrapy.Request(next_url, callback=self.parse_listing, cb_kwargs=next_kwargs)

    def _listing_links(self, response: TextResponse, feed: bool) -> Iterator[str]:
        if feed:
            feed = Selector(text=response.text, type="xml")
            feed.remove_namespaces()
            for link in feed.xpath("//item/link/text() | //entry/link/@href").getall():
                yield response.urljoin(link.strip())
            return
        for href in response.css(self.site.listing_links).xpath("@href").getall():
            yield response.urljoin(href)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newsarchive/dropped/not html")
            self.logger.warning("not an HTML page, skipped: %s", response.url)
            return
        try:
            html = decode_html(response.body, response.encoding)
            record = extract_article(response.url, html, self.site, fetched_at=served_at(response))
        except Exception:
            self.crawler.stats.inc_value("newsarchive/extract_errors")
            self.logger.exception("could not extract %s", response.url)
            return
        yield record


def _is_feed(response: TextResponse) -> bool:
    head = response.text[:500].lstrip().lower()
    return head.startswith(("<?xml", "<rss", "<feed"))


def served_at(response: Response) -> datetime:
    """When the page was served: its HTTP Date header (kept in replayed captures too), else now."""
    header = response.headers.get(b"Date")
    if header:
        try:
            return parsedate_to_datetime(header.decode("latin-1")).astimezone(VN_TZ)
        except (TypeError, ValueError):
            pass
    return datetime.now(VN_TZ)
