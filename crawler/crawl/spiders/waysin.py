"""Ways in besides a site's declared listings and its sitemaps: the home page, the feeds it announces
(`<link rel="alternate">`), and the article links of the home page and of its section pages, kept by the site's
article rule (crawler.extract.discovery reads each page). And robots.txt, asked for by the spider itself when Scrapy
does not fetch it (ROBOTSTXT_OBEY off), once per host, so its `Sitemap:` lines are read all the same.

The rule: these pages cost requests on every run, and the home page of a news site changes every hour (a 304 is
rare), so a declared site walks them only as a fallback: from the start when it declares no start URL, else when
the spider goes idle (spider_idle) and the site's other sources (declared listings and feeds, sitemaps) listed no
article in this run. Then, once per site and run: the home page (its article links count as source "home"), the
feeds it and its sections announce that are not declared already (source "feed"; one that is not a feed is one
recorded failure, "not a feed"), and at most NEWSARCHIVE_MAX_SECTIONS (default 20) of its section pages (source
"section"), in the home page's order. A site whose listings work costs nothing more; a site whose only way in is a
guessed listing URL that is dead is still crawled, and its run says which source found what.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from crawler.crawl.spiders.failures import note_failure
from crawler.crawl.spiders.sitemaps import SOURCE_STAT
from crawler.extract.discovery import read_way_in
from crawler.extract.listing import is_feed, read_listing
from crawler.extract.text import decode_html
from crawler.sites.base import Site

#: The sources a site's own declaration gives or implies (robots.txt's sitemaps): when none of them listed an
#: article, the home page and its sections are walked.
FIRST_SOURCES = ("listing", "feed", "sitemap")
#: Set (to 1) for a site whose home page and sections were walked because its other sources listed nothing.
FELL_BACK_STAT = "newsarchive/fell_back/{site}"
DEFAULT_MAX_SECTIONS = 20


def listed_by_first_sources(stats: Any, site_key: str) -> int:
    """How many article URLs the site's declared listings and feeds and its sitemaps gave in this crawl, and how
    many of their pages answered 304 (not modified: alive, with nothing new, so no reason to fall back)."""
    return sum(int(stats.get_value(SOURCE_STAT.format(site=site_key, source=source, what=what), 0))
               for source in FIRST_SOURCES for what in ("listed", "not_modified"))


class WaysIn:
    """Mixed into SiteSpider (after SitemapDiscovery): `watch_ways_in()` when the crawl starts, the requests of
    `robots_requests(site)` with a site's seeds, and `home_request(site)` among the seeds of a site without start
    URLs. Article URLs go through the spider's `article_requests`."""

    crawler: Any

    def watch_ways_in(self) -> None:
        settings = self.crawler.settings
        self.max_sections = settings.getint("NEWSARCHIVE_MAX_SECTIONS", DEFAULT_MAX_SECTIONS)
        #: robots.txt asked for by the spider itself (ROBOTSTXT_OBEY off), by host
        self.robots_asked: set[str] = set()
        #: sites whose home page was asked for in this crawl
        self.fallen_back: set[str] = set()
        #: feed and section URLs asked for in this crawl (once each, however many pages name them)
        self.ways_seen: set[str] = set()
        self.crawler.signals.connect(self._idle, signal=signals.spider_idle)

    def first_sources_listed(self, site_key: str) -> bool:
        """Whether the site's declared listings and feeds, or its sitemaps, listed an article in this crawl."""
        return bool(listed_by_first_sources(self.crawler.stats, site_key))

    def note_listed(self, site_key: str, source: str, listed: int) -> None:
        """What one listing page, feed or sitemap listed, for the fallback rule (nothing to do on one machine: the
        crawl's stats hold it; the fleet's worker tells the others)."""

    def fallback_sites(self) -> list[Site]:
        """The sites this spider may fall back to the home page for (the fleet's worker: those it seeded)."""
        return self.served_sites()  # type: ignore[attr-defined]

    def robots_requests(self, site: Site) -> list[scrapy.Request]:
        """/robots.txt of each host the site's start URLs and home page are on, once per host, when ROBOTSTXT_OBEY
        is off (SitemapDiscovery reads the answer as it reads Scrapy's own)."""
        if self.crawler.settings.getbool("ROBOTSTXT_OBEY"):
            return []
        requests = []
        for url in (*site.start_urls, site.home_page):
            parts = urlsplit(url)
            if parts.netloc in self.robots_asked:
                continue
            self.robots_asked.add(parts.netloc)
            robots = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
            requests.append(scrapy.Request(robots, callback=self.parse_robots, errback=self._no_robots,
                                           cb_kwargs=self.site_kwargs(site),  # type: ignore[attr-defined]
                                           meta={"handle_httpstatus_all": True}, priority=2))
        return requests

    def parse_robots(self, response: Response, site: str | None = None) -> Iterator[Any]:
        """Nothing to do here: SitemapDiscovery saw the response as it came in (response_received)."""
        self.crawler.stats.inc_value("newsarchive/robots_asked")
        yield from ()

    def _no_robots(self, failure: Failure) -> None:
        """A host without a reachable robots.txt has no sitemap to name: no failure of the site's."""
        self.crawler.stats.inc_value("newsarchive/robots_unreachable")

    def home_request(self, site: Site) -> scrapy.Request:
        """The request for the home page of `site` (needs no running crawl: `newsarchive enqueue` seeds it for a
        site without start URLs)."""
        return scrapy.Request(site.home_page, callback=self.parse_way_in, errback=self.on_error,  # type: ignore
                              cb_kwargs={**self.site_kwargs(site), "home": True},  # type: ignore[attr-defined]
                              dont_filter=True, priority=1)

    def _idle(self, spider: Any) -> None:
        """The spider has nothing left to do: the sites whose first sources listed no article fall back to their
        home page and sections, once per crawl. (A site without start URLs had its home page among its seeds.)"""
        if spider is not self:
            return
        requests = []
        for site in self.fallback_sites():
            if not site.start_urls or site.key in self.fallen_back:
                continue
            if self.first_sources_listed(site.key):
                continue
            self.fallen_back.add(site.key)
            self.crawler.stats.set_value(FELL_BACK_STAT.format(site=site.key), 1)
            requests.append(self.home_request(site))
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def parse_way_in(self, response: Response, home: bool = False,
                     site: str | None = None) -> Iterator[scrapy.Request]:
        """A home page (its article links, announced feeds and sections) or a section page (its article links and
        announced feeds)."""
        declared = self.site_of(site)  # type: ignore[attr-defined]
        if not isinstance(response, TextResponse):
            return
        html = decode_html(response.body, response.encoding)
        way = read_way_in(response.url, html, declared.article_id, declared.owns, response.selector,
                          get_base_url(response))
        requests = self.article_requests(declared, way.articles,  # type: ignore[attr-defined]
                                         "home" if home else "section")[0]
        yield from requests
        kwargs = self.site_kwargs(declared)  # type: ignore[attr-defined]
        for feed in way.feeds:
            if feed not in declared.start_urls and self._first_time(feed):
                yield scrapy.Request(feed, callback=self.parse_feed, errback=self.on_error,  # type: ignore
                                     cb_kwargs=kwargs, priority=1)
        if not home:
            return
        for section in [s for s in way.sections if s not in declared.start_urls][:self.max_sections]:
            if self._first_time(section):
                yield scrapy.Request(section, callback=self.parse_way_in, errback=self.on_error,  # type: ignore
                                     cb_kwargs=kwargs, priority=1)

    def _first_time(self, url: str) -> bool:
        if url in self.ways_seen:
            return False
        self.ways_seen.add(url)
        return True

    def parse_feed(self, response: Response, site: str | None = None) -> Iterator[scrapy.Request]:
        """A feed a page announced: its items' article links; anything else (an HTML page) is one failure."""
        declared = self.site_of(site)  # type: ignore[attr-defined]
        text = decode_html(response.body, response.encoding) if isinstance(response, TextResponse) else ""
        if not is_feed(text):
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1", "replace")
            note_failure(self, response.url, "not a feed", f"announced as a feed, served as {content_type or '?'}")
            return
        listing = read_listing(declared, response.url, text)
        yield from self.article_requests(declared, listing.articles, "feed")[0]  # type: ignore[attr-defined]
