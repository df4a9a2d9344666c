"""A live progress line on stderr while a crawl runs (only on a terminal: nothing in a pipe or a log file)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

_TOTALS: dict[str, int] = {}


class ProgressLine:
    """One line, rewritten in place, totalled over every crawler of the process."""

    def __init__(self, crawler: Crawler, stream: TextIO):
        self.crawler = crawler
        self.stream = stream
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ProgressLine":
        stream = sys.stderr
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS") or not stream.isatty():
            raise NotConfigured
        ext = cls(crawler, stream)
        crawler.signals.connect(ext.on_response, signal=signals.response_received)
        crawler.signals.connect(ext.on_item, signal=signals.item_scraped)
        crawler.signals.connect(ext.on_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.on_close, signal=signals.spider_closed)
        return ext

    def _bump(self, key: str) -> None:
        _TOTALS[key] = _TOTALS.get(key, 0) + 1
        now = time.monotonic()
        if now - self.last >= 0.2:
            self.last = now
            self._draw()

    def _draw(self) -> None:
        line = (f"  pages {_TOTALS.get('pages', 0)}  ·  articles {_TOTALS.get('items', 0)}"
                f"  ·  dropped {_TOTALS.get('dropped', 0)}")
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()

    def on_response(self, **_: object) -> None:
        self._bump("pages")

    def on_item(self, **_: object) -> None:
        self._bump("items")

    def on_dropped(self, **_: object) -> None:
        self._bump("dropped")

    def on_close(self, **_: object) -> None:
        self._draw()
        self.stream.write("\r\x1b[K")
        self.stream.flush()
