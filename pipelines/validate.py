"""Drop a record that is not an article worth keeping, with a counted reason; never store one half-empty."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extract.records import drop_reason

from . import drop_stat


class ValidatePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ValidatePipeline":
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        reason = drop_reason(item)
        if reason:
            self.crawler.stats.inc_value(drop_stat(reason))
            raise DropItem(f"{reason}: {item.get('url')}")
        return item
