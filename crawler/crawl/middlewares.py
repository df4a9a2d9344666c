"""Downloader middlewares of the project."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_meta_refresh

from crawler.extract.urls import UNREQUESTABLE_STAT, host_of, link_target


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
        target = link_target(request.url, location.decode("latin-1"))
        if target is None:  # javascript:, mailto:, a bad port...: Scrapy would fail building the request
            self.crawler.stats.inc_value(UNREQUESTABLE_STAT)
            raise IgnoreRequest(f"redirect to a URL that cannot be requested: {location.decode('latin-1')[:200]}")
        allowed = getattr(self.crawler.spider, "allowed_domains", None)
        host = host_of(target)
        if allowed and not any(host == d or host.endswith("." + d) for d in allowed):
            self.crawler.stats.inc_value("newsarchive/offsite_redirects")
            raise IgnoreRequest(f"redirect to offsite host {host!r}: {target}")
        return response


class RequestableMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, except to a URL that cannot be requested (`content="0;url=javascript:..."`,
    mailto:, a bad port): Scrapy fails building that request ("Missing scheme") and the page is lost; here the
    refresh is skipped and counted (UNREQUESTABLE_STAT), and the page goes on to its spider like any other."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse) and not request.meta.get("dont_redirect"):
            _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            if url and link_target(request.url, url) is None:
                self.crawler.stats.inc_value(UNREQUESTABLE_STAT)
                return response
        return super().process_response(request, response)


class _RobotsUnreachableInOneLine(logging.Filter):
    """Scrapy logs a robots.txt it could not download (a host that refuses connections) as an error with a full
    traceback, before the page's own request fails and is recorded in `failures`. One warning line says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.levelno >= logging.ERROR:
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg = "robots.txt unreachable for %(request)s: %(f_exception)s"
        return True


class QuietRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, whose download errors are one warning line each (no traceback)."""

    _filter = _RobotsUnreachableInOneLine()

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        logger = logging.getLogger(RobotsTxtMiddleware.__module__)
        if self._filter not in logger.filters:
            logger.addFilter(self._filter)
