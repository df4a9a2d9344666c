"""Offline replay: a download handler that answers every request from a WARC file, keyed by URL.

A URL the file does not hold gets a 404, as a site would answer for a page it does not have. A capture past the
live crawl's size limit (DOWNLOAD_MAXSIZE, on the stored and on the decoded body) or cut short fails as a live
download would ("too large", "truncated" in the run's failures), and damage that no URL stands for (the file
unreadable from some offset on) is recorded once as a failure of the run. A conditional request is answered as the
recorded server would have answered it (`answers_not_modified`): when the record carries an ETag or a Last-Modified
that the request's If-None-Match or If-Modified-Since matches, a 304 with no body. Turned on by the
REPLAY_WARC setting (the `ReplayAddon` swaps the http/https handlers), e.g.
`scrapy crawl thanhuytphcm -s REPLAY_WARC=data/samples/sample.warc.gz`.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime

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
        if capture.status == 200 and answers_not_modified(request.headers, capture.headers):
            stats.inc_value("replay/not_modified")
            kept = [(k, v) for k, v in capture.headers if k.lower() in NOT_MODIFIED_HEADERS]
            return Response(request.url, status=304, headers=Headers(kept), body=b"", request=request)
        headers = Headers(capture.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=capture.body)
        return cls(url=request.url, status=capture.status, headers=headers, body=capture.body, request=request)


#: What a 304 carries of the recorded response's headers (RFC 9110 15.4.5).
NOT_MODIFIED_HEADERS = frozenset({"etag", "last-modified", "date", "cache-control", "expires", "vary",
                                  "content-location"})


def _opaque(tag: str) -> str:
    """An entity tag as the weak comparison sees it: without its W/ prefix."""
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _http_date(value: str) -> object:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def answers_not_modified(request_headers: Headers, recorded: list[tuple[str, str]]) -> bool:
    """Whether the recorded server would answer this request 304 (RFC 9110 13.1.2 and 13.2.2): If-None-Match,
    when sent, decides alone (the recorded ETag equal to the header as sent, or to one tag of its list by the weak
    comparison, or "*"); else If-Modified-Since at or after the recorded Last-Modified (an unreadable date in either
    is ignored)."""
    held = {k.lower(): v for k, v in recorded}
    none_match = request_headers.get(b"If-None-Match")
    if none_match is not None:
        sent = none_match.decode("latin-1")
        etag = held.get("etag")
        if etag is None:
            return False
        return (sent.strip() in ("*", etag.strip())
                or _opaque(etag) in {_opaque(tag) for tag in sent.split(",")})
    since = request_headers.get(b"If-Modified-Since")
    if since is None or "last-modified" not in held:
        return False
    asked, modified = _http_date(since.decode("latin-1")), _http_date(held["last-modified"])
    if asked is None or modified is None:
        return False
    try:
        return modified <= asked  # type: ignore[operator]
    except TypeError:  # one naive, one aware: not a date the server would have sent
        return False


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
