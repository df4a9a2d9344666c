"""A spider for a site nobody has declared: it follows same-host links from a start URL and keeps the pages that
look like articles, read by the generic layer, or by a CMS family's selectors where the page carries that family's
markup (crawler.sites.families: `newsarchive/family/<cms>` counts such pages). Bounded by `max_pages`. Each URL keeps its own scheme (a site
served over plain http is crawled over http); links that cannot be requested are counted (UNREQUESTABLE_STAT) and
skipped. Failures and WARC pointers are recorded as the declared sites' spider records them.

Incremental as a declared site's crawl is: a link to a page the archive already holds as an article of this host is
not fetched again (counted as SKIPPED_ARCHIVED; NEWSARCHIVE_FULL fetches everything). Pages that are not articles
(the home page, sections) are not archived, so they are read again and bring the new links.

The same discovery as a declared site's, with the page-looks-like-an-article test standing in for an article rule:
the `Sitemap:` lines of robots.txt (crawler.crawl.spiders.sitemaps), the feeds the home page and other pages that
are not articles announce (crawler.crawl.spiders.waysin), and the links of every page. Counted per source ("home":
the start page's links, "section": other pages' links, "feed", "sitemap"; each page by the first source that gave
it). `max_pages` bounds the pages asked for (robots.txt, sitemaps and feeds aside)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterator, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from crawler.archive import known_articles
from crawler.evidence.capture import warc_pointers
from crawler.extract.discovery import NOT_A_PAGE, announced_feeds
from crawler.extract.page import ArticlePage
from crawler.crawl.spiders.failures import archived_not_due, failed_request, failure_memory, note_failure
from crawler.crawl.spiders.site_spider import served_at
from crawler.crawl.spiders.sitemaps import SitemapDiscovery, count_source
from crawler.crawl.spiders.waysin import WaysIn
from crawler.crawl.spiders.validators import ConditionalDiscovery
from crawler.extract.text import decode_html
from crawler.extract.urls import UNREQUESTABLE_STAT, canonicalize, host_of, link_target
from crawler.sites.base import Site
from crawler.sites.families import detected_site

FAMILY_STAT = "newsarchive/family"
SKIPPED_ARCHIVED = "newsarchive/skipped_archived"


class UndeclaredSite(Site):
    """The host of a `--start-url` crawl as the discovery mixins see it: every page URL of the host (not a
    download, not the start page) stands for an article until its page is read (`ArticlePage.looks_like_article`
    decides), and its key is the page key (`_page_key`)."""

    def article_id(self, url: str, canonical: str | None = None) -> str | None:
        if not self.owns(url) or NOT_A_PAGE.search(urlsplit(url).path) or urlsplit(url).path in ("", "/"):
            return None
        return _page_key(url)


def undeclared_site(start_url: str) -> UndeclaredSite:
    host = host_of(start_url)
    return UndeclaredSite(key=host, name=host, hosts=(host, f"www.{host}"), start_urls=(start_url,),
                          article_path=r"(?P<id>.+)", scheme=urlsplit(start_url).scheme.lower() or "https")


class GenericSpider(WaysIn, SitemapDiscovery, ConditionalDiscovery, scrapy.Spider):
    name = "generic"

    def __init__(self, start_url: str, max_pages: int = 200, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start_url = start_url
        self.host = host_of(start_url)
        #: the `site` of its records and failures in the archive
        self.site_key = self.host
        self.way_site = undeclared_site(start_url)
        self.allowed_domains = [self.host]
        self.max_pages = int(max_pages)
        self.requested = 0
        self.since: date | None = None
        #: page keys (`_page_key`) of this host's archived articles, read when the crawl starts
        self.archived: Collection[str] = frozenset()
        self.skipped: set[str] = set()
        #: page keys some source gave already in this crawl (each is counted, and asked for, once)
        self.listed_keys: set[str] = set()
        #: (url, kind, detail) of every request that failed for good; the store pipeline records them in the run.
        self.failures: list[tuple[str, str, str, str | None]] = []

    def served_sites(self) -> list[Site]:
        return [self.way_site]

    def fallback_sites(self) -> list[Site]:
        return []  # the start page is walked from the start

    def site_of(self, key: str | None) -> Site:
        return self.way_site

    def site_kwargs(self, site: Site) -> dict[str, str]:
        return {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        settings = self.crawler.settings
        path = settings.get("ARCHIVE_DB")
        if path and not settings.getbool("NEWSARCHIVE_FULL"):
            self.archived = known_articles(path, self.site_key).keys()
        since = settings.get("NEWSARCHIVE_SINCE")
        self.since = date.fromisoformat(since) if since else None
        self.watch_robots()
        self.watch_validators()  # its sitemaps are asked for conditionally, as a declared site's
        self.watch_ways_in()
        for request in self.robots_requests(self.way_site):
            yield request
        self.requested = 1
        self.listed_keys.add(_page_key(self.start_url))
        yield scrapy.Request(self.start_url, callback=self.parse, errback=self.on_error,
                             cb_kwargs={"source": "home"})

    def not_due_of(self, site_key: str, now: datetime) -> Mapping[str, str]:
        """The failure memory of the host in the archive, keyed by page (`_page_key`)."""
        return archived_not_due(self.crawler.settings, site_key, now)

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): counted by kind, listed in the run's record."""
        url, kind, detail = failed_request(failure)
        note_failure(self, url, kind, detail, _page_key(url))
        request = getattr(failure, "request", None)
        if request is not None:
            self.article_failed(request)  # a sitemap that listed it is read in full next run

    def parse(self, response: Response, source: str = "section") -> Iterator[Any]:
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
        else:  # a home or section page: the feeds it announces are ways in too
            for feed in announced_feeds(response.selector, get_base_url(response)):
                if host_of(feed) == self.host and self._first_time(feed):
                    yield scrapy.Request(feed, callback=self.parse_feed, errback=self.on_error, priority=1)
        links = []
        base = get_base_url(response)
        for href in response.xpath("//a/@href").getall():
            url = link_target(base, href)
            if url is None:
                self.crawler.stats.inc_value(UNREQUESTABLE_STAT)
            elif (key := self.way_site.article_id(url)) is not None:
                links.append((url, key))
        yield from self.article_requests(self.way_site, links, source if not page.looks_like_article else "section")[0]

    def article_requests(self, declared: Site, articles: list[tuple[str, str]], source: str,
                         known_run: int = 0, listed_by: str | None = None) -> tuple[list[scrapy.Request], int, int]:
        """Requests for the pages a source gave ((url, page key) pairs), each once per crawl, within
        `max_pages`: not those archived as articles, nor those whose last failure is not due. Counted per source
        (the home page's links as "home", other pages' as "section"; each page by the first source that gave it).
        `listed_by`: the sitemap that listed them, read in full next run if one of them fails (as a declared
        site's, crawler.crawl.spiders.validators)."""
        requests: list[scrapy.Request] = []
        fresh = [(url, key) for url, key in articles if key not in self.listed_keys]
        new = 0
        for url, key in fresh:
            self.listed_keys.add(key)
            if key in self.archived:
                if url not in self.skipped:
                    self.skipped.add(url)
                    self.crawler.stats.inc_value(SKIPPED_ARCHIVED)
                continue
            if failure_memory(self).skip(self.host, key):
                if listed_by:
                    self.article_failed(scrapy.Request(url), listed_by)
                continue  # it failed for good lately: not due again yet (--full asks for it)
            new += 1
            if self.requested >= self.max_pages:
                continue
            self.requested += 1
            request = scrapy.Request(canonicalize(url), callback=self.parse, errback=self.on_error)
            if listed_by:
                self.listed(request, listed_by)
            requests.append(request)
        if fresh:
            count_source(self.crawler.stats, self.host, source, len(fresh), new)
        return requests, len(fresh), 0


def _page_key(url: str) -> str:
    """A page's key in the archive, and in the failure memory: its canonical URL without the scheme."""
    return canonicalize(url).split("://", 1)[1]
