"""Downloader middlewares of the project."""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.urls import host_of


class OffsiteRedirectMiddleware:
    """A redirect to a host the site does not own is refused here, before RedirectMiddleware follows it, so the
    request's errback records it ("off-site"). Scrapy's own offsite filter drops such redirects silently."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "OffsiteRedirectMiddleware":
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = urljoin(request.url, location.decode("latin-1"))
        allowed = getattr(self.crawler.spider, "allowed_domains", None)
        host = host_of(target)
        if allowed and not any(host == d or host.endswith("." + d) for d in allowed):
            self.crawler.stats.inc_value("newsarchive/offsite_redirects")
            raise IgnoreRequest(f"redirect to offsite host {host!r}: {target}")
        return response
