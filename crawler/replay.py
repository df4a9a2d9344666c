"""Offline replay: a download handler that answers every request from a WARC file, keyed by URL.

A URL the file does not hold gets a 404, as a site would answer for a page it does not have. Turned on by the
REPLAY_WARC setting (the `ReplayAddon` swaps the http/https handlers), e.g.
`scrapy crawl thanhuytphcm -s REPLAY_WARC=data/samples/sample.warc.gz`.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import BaseSettings

from crawler.warc import WarcIndex


class WarcReplayHandler(BaseDownloadHandler):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.index = WarcIndex.open(crawler.settings.get("REPLAY_WARC"))

    async def download_request(self, request: Request) -> Response:
        capture = self.index.get(request.url)
        stats = self.crawler.stats
        if capture is None:
            stats.inc_value("replay/missing")
            return Response(request.url, status=404, body=b"not in the replayed WARC", request=request)
        stats.inc_value("replay/hit")
        headers = Headers(capture.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=capture.body)
        return cls(url=request.url, status=capture.status, headers=headers, body=capture.body, request=request)


class ReplayAddon:
    """When REPLAY_WARC is set: every http(s) request goes to the WARC, with no politeness delay (nothing is sent
    to any site)."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("REPLAY_WARC"):
            return
        handler = "crawler.replay.WarcReplayHandler"
        settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="spider")
        settings.set("DOWNLOAD_DELAY", 0, priority="spider")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="spider")
