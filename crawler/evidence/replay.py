"""Offline replay: a download handler that answers every request from a WARC file, keyed by URL.

A URL the file does not hold gets a 404, as a site would answer for a page it does not have. A capture past the
live crawl's size limit (DOWNLOAD_MAXSIZE, on the stored and on the decoded body) or cut short fails as a live
download would ("too large", "truncated" in the run's failures), and damage that no URL stands for (the file
unreadable from some offset on) is recorded once as a failure of the run. Turned on by the
REPLAY_WARC setting (the `ReplayAddon` swaps the http/https handlers), e.g.
`scrapy crawl thanhuytphcm -s REPLAY_WARC=data/samples/sample.warc.gz`.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadCancelledError, ResponseDataLossError
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import BaseSettings

from crawler.evidence.warc import WarcIndex
from crawler.evidence.warcrecords import RecordTooLarge, RecordTruncated

#: Set in the stats once the index's damage is in the spider's failures (http and https get a handler each).
DAMAGE_RECORDED = "replay/damage_recorded"


class WarcReplayHandler(BaseDownloadHandler):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.index = WarcIndex.open(crawler.settings.get("REPLAY_WARC"))
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    def _record_damage(self) -> None:
        stats = self.crawler.stats
        failures = getattr(self.crawler.spider, "failures", None)
        if not self.index.damage or failures is None or stats.get_value(DAMAGE_RECORDED):
            return
        stats.set_value(DAMAGE_RECORDED, True)
        for url, kind, detail in self.index.damage:
            failures.append((url, kind, detail))
            stats.inc_value(f"newsarchive/failed/{kind}")

    async def download_request(self, request: Request) -> Response:
        self._record_damage()
        maxsize = int(request.meta.get("download_maxsize", self.maxsize) or 0)
        try:
            capture = self.index.get(request.url, limit=maxsize if maxsize > 0 else 2**63)
        except RecordTooLarge as e:  # as Scrapy words it live, so the spider counts it as "too large"
            raise DownloadCancelledError(f"Cancelling download of {request.url}: {e}") from None
        except RecordTruncated as e:
            raise ResponseDataLossError(f"{request.url}: {e}") from None
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
        handler = "crawler.evidence.replay.WarcReplayHandler"
        settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="spider")
        settings.set("DOWNLOAD_DELAY", 0, priority="spider")
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 16, priority="spider")
