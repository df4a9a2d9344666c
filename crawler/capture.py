"""Keep the evidence: every response of a live crawl, with its request, in gzip WARC files (ISO 28500).

`WarcWriterFiles` (no Scrapy) writes and rotates the files; `WarcCaptureMiddleware` feeds it from the downloader,
before decompression, so the records hold the bytes as the site served them. The record's place (file, offset,
record id) goes into the response's meta, and from there into the article's row.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

#: Headers the downloader has already undone: the body in the record is de-chunked.
_DROP = {b"transfer-encoding"}


class WarcWriterFiles:
    """gzip WARC files named `<prefix>-<UTC time>-<n>.warc.gz` in `folder`, each opened with a warcinfo record and
    closed for a new one past `max_bytes`."""

    def __init__(self, folder: Path, prefix: str, max_bytes: int, info: dict[str, str]):
        self.folder, self.prefix, self.max_bytes, self.info = folder, prefix, max_bytes, info
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.number = 0
        self.fh = None
        self.writer: WARCWriter | None = None
        self.path: Path | None = None

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.number += 1
        self.path = self.folder / f"{self.prefix}-{self.stamp}-{self.number:05d}.warc.gz"
        self.fh = self.path.open("ab")
        self.writer = WARCWriter(self.fh, gzip=True)
        self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, self.info))

    def write(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
              request_headers: list[tuple[str, str]], method: str = "GET") -> tuple[str, int, str]:
        """Write the response and its request; (file name, offset, record id) of the response record."""
        if self.fh is None or self.fh.tell() > self.max_bytes:
            self.close()
            self._open()
        writer = self.writer
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        response = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http)
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        request_line = StatusAndHeaders(f"{method} /{path} HTTP/1.1", request_headers, is_http_request=True)
        request = writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=request_line)
        offset = self.fh.tell()
        writer.write_request_response_pair(request, response)
        return self.path.name, offset, response.rec_headers.get_header("WARC-Record-ID")

    def close(self) -> None:
        if self.fh is not None:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            self.fh = None


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
        file, offset, record_id = self.writer.write(response.url, response.status, _reason(response.status),
                                                     headers, response.body, request_headers, request.method)
        request.meta["warc"] = {"file": file, "offset": offset, "record_id": record_id}
        self.crawler.stats.inc_value("newsarchive/warc_records")
        return response

    def close(self) -> None:
        self.writer.close()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
