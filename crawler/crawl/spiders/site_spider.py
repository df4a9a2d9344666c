"""The one spider: walks a declared site's listings, newest first, and turns its article pages into records.

Besides the declared listings: the sitemaps robots.txt names (crawler.crawl.spiders.sitemaps) and, as a fallback,
the home page, the feeds it announces and its sections (crawler.crawl.spiders.waysin says when).

Incremental by default: articles already in the archive are not fetched again, and a section's walk stops after
NEWSARCHIVE_STOP_AFTER_KNOWN archived articles in a row, or at a listing page that lists nothing else. NEWSARCHIVE_FULL walks and fetches everything;
NEWSARCHIVE_SINCE (a date) stops paginating once an article older than it turns up, and keeps none of those;
NEWSARCHIVE_REFRESH_DAYS re-fetches archived articles published in the last N days (conditionally: a server that
answers 304 Not Modified sends no page). NEWSARCHIVE_RESUME (set after a killed run) walks every listing page
without fetching archived articles. An article whose last failure is not due again (crawler.archive.retries: a 404 waits a
day, then longer) is not asked for either, unless NEWSARCHIVE_FULL. Listing pages, feeds and sitemaps are asked for
conditionally (crawler.crawl.spiders.validators): one that answers 304 has nothing new, and its walk stops there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from crawler.archive import known_articles
from crawler.evidence.capture import warc_pointers
from crawler.extract.dates import VN_TZ
from crawler.extract.listing import read_listing
from crawler.extract.page import extract_article
from crawler.sites import all_sites
from crawler.sites.base import Site
from crawler.crawl.spiders.failures import archived_not_due, failed_request, failure_memory, note_failure
from crawler.crawl.spiders.sitemaps import SitemapDiscovery, count_source
from crawler.crawl.spiders.validators import ConditionalDiscovery, asked_url
from crawler.crawl.spiders.waysin import WaysIn
from crawler.extract.text import decode_html
from crawler.extract.urls import UNREQUESTABLE_STAT


#: A listing's next page goes ahead of the articles already queued, so discovery never waits for them: in a shared
#: frontier (a sorted set: by priority, then by the bytes of the pickled request) it could wait behind every article.
LISTING_PRIORITY = 1


class SiteSpider(WaysIn, SitemapDiscovery, ConditionalDiscovery, scrapy.Spider):
    """Subclassed per site by `crawler.crawl.spiderloader.SiteSpiderLoader`, which sets `name` and `site`. A spider that
    serves several sites (the fleet's worker) names each request's site in its cb_kwargs (`site`)."""

    site: ClassVar[Site]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed_domains = sorted({h.removeprefix("www.") for site in self.served_sites() for h in site.hosts})
        #: site key -> {article_id: (published_at, fetched_at)} of what the archive holds
        self.known: dict[str, dict[str, tuple[str | None, str | None]]] = {}
        self.full = False
        self.replaying = False
        self.resume = False
        self.stop_after_known = 10
        self.since: date | None = None
        self.refresh_after: str | None = None
        #: sites whose walk reached an article older than --since
        self.reached_since: set[str] = set()
        #: (url, kind, detail, article_id or None) of every request that failed for good; the store pipeline
        #: records them in the run.
        self.failures: list[tuple[str, str, str, str | None]] = []

    def served_sites(self) -> list[Site]:
        return [self.site]

    def site_of(self, key: str | None) -> Site:
        """The site a request belongs to: named in its cb_kwargs, or this spider's own."""
        return self.site if key is None else all_sites()[key]

    def site_kwargs(self, site: Site) -> dict[str, str]:
        """What a request carries to say whose it is: nothing on a one-site spider."""
        return {}

    def known_of(self, site: Site) -> dict[str, tuple[str | None, str | None]]:
        """The articles of `site` the archive holds (read once per crawl); nothing with NEWSARCHIVE_FULL."""
        if self.full:
            return {}
        if site.key not in self.known:
            path = self.crawler.settings.get("ARCHIVE_DB")
            self.known[site.key] = known_articles(path, site.key) if path else {}
        return self.known[site.key]

    def not_due_of(self, site_key: str, now: datetime) -> Mapping[str, str]:
        """The failure memory of `site_key` in the archive (crawler.crawl.spiders.failures.failure_memory reads it
        once per crawl and site, and not at all with NEWSARCHIVE_FULL or in a replay)."""
        return archived_not_due(self.crawler.settings, site_key, now)

    def configure(self) -> None:
        """Read the crawl's settings (called when the crawl starts)."""
        settings = self.crawler.settings
        self.full = settings.getbool("NEWSARCHIVE_FULL")
        self.replaying = bool(settings.get("REPLAY_WARC"))
        self.resume = settings.getbool("NEWSARCHIVE_RESUME")
        self.stop_after_known = settings.getint("NEWSARCHIVE_STOP_AFTER_KNOWN", 10)
        since = settings.get("NEWSARCHIVE_SINCE")
        self.since = date.fromisoformat(since) if since else None
        refresh_days = settings.getint("NEWSARCHIVE_REFRESH_DAYS", 0)
        if refresh_days > 0:
            self.refresh_after = (datetime.now(VN_TZ) - timedelta(days=refresh_days)).date().isoformat()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.configure()
        self.watch_robots()
        self.watch_validators()
        self.watch_ways_in()
        for site in self.served_sites():
            self.known_of(site)
            failure_memory(self).of(site.key)
            for request in [*self.seeds(site), *self.robots_requests(site)]:
                yield request

    def seeds(self, site: Site) -> list[scrapy.Request]:
        """The first listing page of each of `site`'s sections; the home page of a site without start URLs
        (crawler.crawl.spiders.waysin)."""
        if not site.start_urls:
            return [self.home_request(site)]
        return [self.ask_conditionally(scrapy.Request(
                    url, callback=self.parse_listing, errback=self.on_error,
                    cb_kwargs={**self.site_kwargs(site), "page": 1, "first_url": url}))
                for url in site.start_urls]

    def parse_listing(self, response: Response, page: int, first_url: str | None = None,
                      known_run: int = 0, site: str | None = None) -> Iterator[scrapy.Request]:
        """A listing page (HTML, or an RSS/Atom feed): its article links, then its next page; nothing when it
        answered 304 (unchanged since the last run: the walk stops)."""
        declared = self.site_of(site)
        if self.not_modified(response):  # counted as what the page was when its validators were kept
            count_source(self.crawler.stats, declared.key, self.source_of(response, "listing") or "listing", 0, 0,
                         not_modified=1)
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newsarchive/listing_not_html")
            self.read_every_run(response)  # never a 304 that hides it next run
            return
        self.crawler.stats.inc_value("newsarchive/listing_pages")
        first_url = first_url or response.url
        listing = read_listing(declared, response.url, response.text, response.selector, get_base_url(response))
        if listing.unrequestable:
            self.crawler.stats.inc_value(UNREQUESTABLE_STAT, listing.unrequestable)
        source = "feed" if listing.feed else "listing"
        if listing.articles:
            self.page_was(response, source)
        else:  # a page that lists nothing (its selectors missed) is read in full next run: a fix shows at once
            self.read_every_run(response)
        requests, found, known_run = self.article_requests(declared, listing.articles, source, known_run,
                                                           asked_url(response))
        fresh = len(requests)
        yield from requests
        if page >= declared.max_listing_pages or declared.key in self.reached_since:
            return
        if not (self.full or self.resume) and (known_run >= self.stop_after_known or (found and not fresh)):
            # Listings run newest first: a run of archived articles, or a page of nothing else, means caught up.
            self.crawler.stats.inc_value("newsarchive/sections_caught_up")
            return
        if listing.pager_unrequestable:  # a pager run by a script (javascript:), a broken link
            self.crawler.stats.inc_value(UNREQUESTABLE_STAT)
        next_url = listing.next_page(declared, first_url, page)
        if next_url:
            next_kwargs = {**self.site_kwargs(declared), "page": page + 1, "first_url": first_url,
                           "known_run": known_run}
            yield self.ask_conditionally(scrapy.Request(next_url, callback=self.parse_listing, errback=self.on_error,
                                                        cb_kwargs=next_kwargs, priority=LISTING_PRIORITY))

    def article_requests(self, declared: Site, articles: list[tuple[str, str]], source: str,
                         known_run: int = 0, listed_by: str | None = None
                         ) -> tuple[list[scrapy.Request], int, int]:
        """(requests, articles found, archived articles in a row at the end) for the (url, article_id) pairs a
        listing page, feed or sitemap gave: archived articles are not asked for again (unless within the refresh
        window), nor those whose last failure is not due. Counted per source (crawler.crawl.spiders.sitemaps).
        `listed_by`: the URL of the page that listed them, whose validators a failure drops (validators)."""
        known = self.known_of(declared)
        memory = failure_memory(self)
        requests: list[scrapy.Request] = []
        new = 0
        for url, article_id in articles:
            self.crawler.stats.inc_value("newsarchive/listed_articles")
            request = scrapy.Request(declared.canonical_url(url), callback=self.parse_article, errback=self.on_error,
                                     cb_kwargs=self.site_kwargs(declared))
            if article_id in known:
                refresh = self._refresh_request(request, *known[article_id])
                if refresh is None:
                    known_run += 1
                    continue
                request = refresh  # within the refresh window: asked for again, and the walk goes on
            elif memory.skip(declared.key, article_id):
                self.article_failed(request, listed_by)  # its page is read again next run, when it may be due
                continue  # failed before and not due again: neither fresh nor archived for the walk
            else:
                new += 1
            known_run = 0
            if listed_by:
                self.listed(request, listed_by)
            requests.append(request)
        count_source(self.crawler.stats, declared.key, source, len(articles), new)
        self.note_listed(declared.key, source, len(articles))
        return requests, len(articles), known_run

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): counted by kind, listed in the run's record."""
        url, kind, detail = failed_request(failure)
        request = getattr(failure, "request", None)
        if (request is not None and request.callback == self.parse_listing and kind in ("http 404", "http 410")
                and request.cb_kwargs.get("page", 1) > 1):
            self.crawler.stats.inc_value("newsarchive/listing_ends")  # a page past the last one: the walk is over
            return
        if request is not None and request.callback == self.parse_listing:  # a dead declared listing: 0 found
            count_source(self.crawler.stats, self.site_of(request.cb_kwargs.get("site")).key, "listing", 0, 0)
        if request is not None and request.callback == self.parse_article:
            self.article_failed(request)
        note_failure(self, url, kind, detail, self._article_asked_for(request))

    def _article_asked_for(self, request: scrapy.Request | None) -> str | None:
        """The article id of the URL an article request first asked for (before redirects): what the failure
        memory is keyed on, as the listing knows it. None for any other request, and in a replay, whose 404 says
        what its WARC lacks, not what the site has."""
        if request is None or request.callback != self.parse_article or self.replaying:
            return None
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        return self.site_of(request.cb_kwargs.get("site")).article_id(first)

    def _refresh_request(self, request: scrapy.Request, published_at: str | None,
                         fetched_at: str | None) -> scrapy.Request | None:
        """An archived article published within the refresh window, asked for only if it changed since we saw it."""
        if self.refresh_after is None or not published_at or published_at[:10] < self.refresh_after:
            return None
        self.crawler.stats.inc_value("newsarchive/refreshed")
        headers = {}
        if fetched_at:
            headers["If-Modified-Since"] = format_datetime(datetime.fromisoformat(fetched_at).astimezone(timezone.utc),
                                                           usegmt=True)
        return request.replace(headers=headers, meta={"handle_httpstatus_list": [304]})

    def parse_article(self, response: Response, site: str | None = None) -> Iterator[dict[str, Any]]:
        if response.status == 304:
            self.crawler.stats.inc_value("newsarchive/not_modified")
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1", "replace").lower()
        if not isinstance(response, TextResponse) or (content_type and "html" not in content_type):
            self.crawler.stats.inc_value("newsarchive/dropped/not html")
            self.failures.append((response.url, "not html", content_type or "no Content-Type",
                                  self._article_asked_for(response.request)))
            self.logger.warning("not an HTML page, skipped: %s", response.url)
            self.article_failed(response.request)  # the pages that listed it are read in full next run
            return
        try:
            html = decode_html(response.body, response.encoding)
            record = extract_article(response.url, html, self.site_of(site), fetched_at=served_at(response))
        except Exception:
            self.crawler.stats.inc_value("newsarchive/extract_errors")
            self.logger.exception("could not extract %s", response.url)
            self.article_failed(response.request)
            return
        record.update(warc_pointers(response))
        if self.since and record.get("published_at") and record["published_at"][:10] < self.since.isoformat():
            self.reached_since.add(record["site"])
            self.crawler.stats.inc_value("newsarchive/dropped/before --since")
            return
        yield record


def served_at(response: Response) -> datetime:
    """When the page was served: its HTTP Date header (kept in replayed captures too), else now."""
    header = response.headers.get(b"Date")
    if header:
        try:
            return parsedate_to_datetime(header.decode("latin-1")).astimezone(VN_TZ)
        except (TypeError, ValueError):
            pass
    return datetime.now(VN_TZ)
