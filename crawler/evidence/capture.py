"""Keep the evidence: every response of a live crawl, with its request, in gzip WARC files (ISO 28500).

`WarcWriterFiles` (no Scrapy) writes and rotates the files; `WarcCaptureMiddleware` feeds it from the downloader,
before decompression, so the records hold the bytes as the site served them. The record's place (file, offset,
record id) goes into the response's meta, and from there into the article's row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler.archive.outputs import describe
from crawler.crawl.stopping import stop_crawl
from crawler.evidence.warc import WarcWriterFiles

#: Headers the downloader has already undone: the body in the record is de-chunked.
_DROP = {b"transfer-encoding"}


class WarcCaptureMiddleware:
    """Downloader middleware (nearest the downloader: it sees the bytes before decompression). Settings:
    WARC_CAPTURE (on by default; off in replay), WARC_DIR (data/warc), WARC_MAX_SIZE (bytes per file)."""

    def __init__(self, crawler: Crawler, writer: WarcWriterFiles):
        self.crawler = crawler
        self.writer = writer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "WarcCaptureMiddleware":
        settings = crawler.settings
        if not settings.getbool("WARC_CAPTURE") or settings.get("REPLAY_WARC"):
            raise NotConfigured
        name = crawler.spidercls.name if crawler.spidercls else "crawl"
        worker = settings.get("NEWSARCHIVE_WORKER_ID")  # set by the fleet's worker spider, which names itself
        if settings.get("NEWSARCHIVE_REDIS") and worker:  # one of a fleet: its files are named after it, never collide
            name = f"{name}-{worker}"
        writer = WarcWriterFiles(Path(settings.get("WARC_DIR")), name, settings.getint("WARC_MAX_SIZE"), {
            "software": "newsarchive (Scrapy)", "format": "WARC File Format 1.1",
            "http-header-user-agent": settings.get("USER_AGENT"), "description": f"newsarchive crawl of {name}"})
        mw = cls(crawler, writer)
        from scrapy import signals

        crawler.signals.connect(mw.close, signal=signals.spider_closed)
        return mw

    def process_response(self, request: Request, response: Response) -> Response:
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, values in response.headers.items()
                   for v in values if k.lower() not in _DROP]
        request_headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, values in request.headers.items()
                           for v in values]
        try:
            file, offset, record_id = self.writer.write(response.url, response.status, _reason(response.status),
                                                         headers, response.body, request_headers, request.method)
        except OSError as e:  # a full disk: the file is cut back to its last whole record, and the crawl stops
            stop_crawl(self.crawler, f"cannot write the WARC files in {self.writer.folder}: {describe(e)}")
            raise IgnoreRequest(f"not kept: the WARC file cannot be written ({describe(e)})") from None
        request.meta["warc"] = {"file": file, "offset": offset, "record_id": record_id}
        self.crawler.stats.inc_value("newsarchive/warc_records")
        return response

    def close(self) -> None:
        self.writer.close()


def warc_pointers(response: Response) -> dict[str, Any]:
    """Where the WARC capture put `response` (file, offset, record id), as the article row's fields; nothing when
    the response was not captured (replay, WARC_CAPTURE off)."""
    capture = response.meta.get("warc")
    if not capture:
        return {}
    return {"warc_file": capture["file"], "warc_offset": capture["offset"], "warc_record_id": capture["record_id"]}


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
