"""Within one run, an article reached twice (two URL spellings the scheduler could not tell apart) is kept once."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from . import drop_stat


def article_key(record: dict[str, Any]) -> tuple[str, str]:
    return record["site"], record["article_id"]


class DeduplicatePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.seen: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DeduplicatePipeline":
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        key = article_key(item)
        if key in self.seen:
            self.crawler.stats.inc_value(drop_stat("duplicate in run"))
            raise DropItem(f"duplicate in run: {item.get('url')}")
        self.seen.add(key)
        return item
