"""A spider for a site nobody has declared: it follows same-host links from a start URL and keeps the pages that
look like articles, read by the generic layer, or by a CMS family's selectors where the page carries that family's
markup (crawler.sites.families: `newsarchive/family/<cms>` counts such pages). Bounded by `max_pages`. Each URL keeps its own scheme (a site
served over plain http is crawled over http); links that cannot be requested are counted (UNREQUESTABLE_STAT) and
skipped. Failures and WARC pointers are recorded as the declared sites' spider records them.

Incremental as a declared site's crawl is: a link to a page the archive already holds as an article of this host is
not fetched again (counted as SKIPPED_ARCHIVED; NEWSARCHIVE_FULL fetches everything). Pages that are not articles
(the home page, sections) are not archived, so they are read again and bring the new links."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Collection, Iterator, Mapping
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from crawler.archive import known_articles
from crawler.evidence.capture import warc_pointers
from crawler.extract.page import ArticlePage
from crawler.crawl.spiders.failures import archived_not_due, failed_request, failure_memory, note_failure
from crawler.crawl.spiders.site_spider import served_at
from crawler.extract.text import decode_html
from crawler.extract.urls import UNREQUESTABLE_STAT, canonicalize, host_of, link_target
from crawler.sites.families import detected_site

FAMILY_STAT = "newsarchive/family"
SKIPPED_ARCHIVED = "newsarchive/skipped_archived"

#: Links that are never pages: downloads and media.
_NOT_PAGES = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|pptx?|zip|rar|mp[34]|avi|mov|css|js)$", re.I)


class GenericSpider(scrapy.Spider):
    name = "generic"

    def __init__(self, start_url: str, max_pages: int = 200, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start_url = start_url
        self.host = host_of(start_url)
        #: the `site` of its records and failures in the archive
        self.site_key = self.host
        self.allowed_domains = [self.host]
        self.max_pages = int(max_pages)
        self.requested = 0
        #: page keys (`_page_key`) of this host's archived articles, read when the crawl starts
        self.archived: Collection[str] = frozenset()
        self.skipped: set[str] = set()
        #: (url, kind, detail) of every request that failed for good; the store pipeline records them in the run.
        self.failures: list[tuple[str, str, str, str | None]] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        settings = self.crawler.settings
        path = settings.get("ARCHIVE_DB")
        if path and not settings.getbool("NEWSARCHIVE_FULL"):
            self.archived = known_articles(path, self.site_key).keys()
        self.requested = 1
        yield scrapy.Request(self.start_url, callback=self.parse, errback=self.on_error)

    def not_due_of(self, site_key: str, now: datetime) -> Mapping[str, str]:
        """The failure memory of the host in the archive, keyed by page (`_page_key`)."""
        return archived_not_due(self.crawler.settings, site_key, now)

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): counted by kind, listed in the run's record."""
        url, kind, detail = failed_request(failure)
        note_failure(self, url, kind, detail, _page_key(url))

    def parse(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        html = decode_html(response.body, response.encoding)
        site = detected_site(response.url, html)
        if site is not None:
            self.crawler.stats.inc_value(f"{FAMILY_STAT}/{site.cms}")
        page = ArticlePage(response.url, html, site, served_at(response))
        if page.looks_like_article:
            record = page.to_record()
            record["site"] = self.host
            record["article_id"] = _page_key(response.url)
            record.update(warc_pointers(response))
            yield record
        base = get_base_url(response)
        for href in response.xpath("//a/@href").getall():
            if self.requested >= self.max_pages:
                return
            url = link_target(base, href)
            if url is None:
                self.crawler.stats.inc_value(UNREQUESTABLE_STAT)
                continue
            if host_of(url) != self.host or _NOT_PAGES.search(url.split("?", 1)[0]):
                continue
            if _page_key(url) in self.archived:
                if url not in self.skipped:
                    self.skipped.add(url)
                    self.crawler.stats.inc_value(SKIPPED_ARCHIVED)
                continue
            if failure_memory(self).skip(self.host, _page_key(url)):
                continue  # it failed for good lately: not due again yet (--full asks for it)
            self.requested += 1
            yield scrapy.Request(canonicalize(url), callback=self.parse, errback=self.on_error)


def _page_key(url: str) -> str:
    """A page's key in the archive, and in the failure memory: its canonical URL without the scheme."""
    return canonicalize(url).split("://", 1)[1]
