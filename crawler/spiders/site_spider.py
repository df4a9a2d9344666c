"""The one spider: walks a declared site's listings, newest first, and turns its article pages into records.

Incremental by default: articles already in the archive are not fetched again, and a section's walk stops after
NEWSARCHIVE_STOP_AFTER_KNOWN archived articles in a row, or at a listing page that lists nothing else. NEWSARCHIVE_FULL walks and fetches everything;
NEWSARCHIVE_SINCE (a date) stops paginating once an article older than it turns up, and keeps none of those;
NEWSARCHIVE_REFRESH_DAYS re-fetches archived articles published in the last N days (conditionally: a server that
answers 304 Not Modified sends no page). NEWSARCHIVE_RESUME (set after a killed run) walks every listing page
without fetching archived articles.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, ClassVar

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.archive import known_articles
from crawler.dates import VN_TZ
from crawler.extract import extract_article
from crawler.sites.base import Site
from crawler.spiders.failures import failure_kind
from crawler.text import decode_html


class SiteSpider(scrapy.Spider):
    """Subclassed per site by `crawler.spiderloader.SiteSpiderLoader`, which sets `name` and `site`."""

    site: ClassVar[Site]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed_domains = [h.removeprefix("www.") for h in self.site.hosts]
        self.known: dict[str, tuple[str | None, str | None]] = {}
        self.full = False
        self.resume = False
        self.stop_after_known = 10
        self.since: date | None = None
        self.refresh_after: str | None = None
        self.reached_since = False
        #: (url, kind, detail) of every request that failed for good; the store pipeline records them in the run.
        self.failures: list[tuple[str, str, str]] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        settings = self.crawler.settings
        self.full = settings.getbool("NEWSARCHIVE_FULL")
        self.resume = settings.getbool("NEWSARCHIVE_RESUME")
        self.stop_after_known = settings.getint("NEWSARCHIVE_STOP_AFTER_KNOWN", 10)
        since = settings.get("NEWSARCHIVE_SINCE")
        self.since = date.fromisoformat(since) if since else None
        refresh_days = settings.getint("NEWSARCHIVE_REFRESH_DAYS", 0)
        if refresh_days > 0:
            self.refresh_after = (datetime.now(VN_TZ) - timedelta(days=refresh_days)).date().isoformat()
        if not self.full:
            self.known = known_articles(settings.get("ARCHIVE_DB"), self.site.key)
        for url in self.site.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                 cb_kwargs={"page": 1, "first_url": url})

    def parse_listing(self, response: Response, page: int, first_url: str | None = None,
                      known_run: int = 0) -> Iterator[scrapy.Request]:
        """A listing page (HTML, or an RSS/Atom feed): its article links, then its next page."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newsarchive/listing_not_html")
            return
        self.crawler.stats.inc_value("newsarchive/listing_pages")
        first_url = first_url or response.url
        found = fresh = 0
        feed = _is_feed(response)
        for url in self._listing_links(response, feed):
            article_id = self.site.article_id(url)
            if article_id is None:
                continue
            found += 1
            self.crawler.stats.inc_value("newsarchive/listed_articles")
            request = scrapy.Request(self.site.canonical_url(url), callback=self.parse_article, errback=self.on_error)
            if article_id in self.known:
                refresh = self._refresh_request(request, *self.known[article_id])
                if refresh is None:
                    known_run += 1
                    continue
                request = refresh  # within the refresh window: asked for again, and the walk goes on
            known_run = 0
            fresh += 1
            yield request
        if page >= self.site.max_listing_pages or self.reached_since:
            return
        if not (self.full or self.resume) and (known_run >= self.stop_after_known or (found and not fresh)):
            # Listings run newest first: a run of archived articles, or a page of nothing else, means caught up.
            self.crawler.stats.inc_value("newsarchive/sections_caught_up")
            return
        next_kwargs = {"page": page + 1, "first_url": first_url, "known_run": known_run}
        next_href = response.css(self.site.next_page).xpath("@href").get() if self.site.next_page else None
        if next_href and not next_href.strip().lower().startswith("javascript:"):
            yield response.follow(next_href, callback=self.parse_listing, errback=self.on_error, cb_kwargs=next_kwargs)
        elif found and not feed and (next_url := self.site.listing_page_url(first_url, page + 1)):
            yield scrapy.Request(next_url, callback=self.parse_listing, errback=self.on_error, cb_kwargs=next_kwargs)

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): counted by kind, listed in the run's record."""
        kind, detail = failure_kind(failure)
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if (request is not None and request.callback == self.parse_listing and kind in ("http 404", "http 410")
                and request.cb_kwargs.get("page", 1) > 1):
            self.crawler.stats.inc_value("newsarchive/listing_ends")  # a page past the last one: the walk is over
            return
        self.failures.append((url, kind, detail))
        self.crawler.stats.inc_value(f"newsarchive/failed/{kind}")
        self.logger.warning("failed (%s): %s %s", kind, url, detail)

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

    def _listing_links(self, response: TextResponse, feed: bool) -> Iterator[str]:
        if feed:
            xml = Selector(text=response.text, type="xml")
            xml.remove_namespaces()
            for link in xml.xpath("//item/link/text() | //entry/link/@href").getall():
                yield response.urljoin(link.strip())
            return
        for href in response.css(self.site.listing_links).xpath("@href").getall():
            yield response.urljoin(href)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if response.status == 304:
            self.crawler.stats.inc_value("newsarchive/not_modified")
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1", "replace").lower()
        if not isinstance(response, TextResponse) or (content_type and "html" not in content_type):
            self.crawler.stats.inc_value("newsarchive/dropped/not html")
            self.failures.append((response.url, "not html", content_type or "no Content-Type"))
            self.logger.warning("not an HTML page, skipped: %s", response.url)
            return
        try:
            html = decode_html(response.body, response.encoding)
            record = extract_article(response.url, html, self.site, fetched_at=served_at(response))
        except Exception:
            self.crawler.stats.inc_value("newsarchive/extract_errors")
            self.logger.exception("could not extract %s", response.url)
            return
        capture = response.meta.get("warc")
        if capture:
            record.update(warc_file=capture["file"], warc_offset=capture["offset"],
                          warc_record_id=capture["record_id"])
        if self.since and record.get("published_at") and record["published_at"][:10] < self.since.isoformat():
            self.reached_since = True
            self.crawler.stats.inc_value("newsarchive/dropped/before --since")
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
