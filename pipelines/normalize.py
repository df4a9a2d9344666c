"""Normalize a record: NFC text, trimmed whitespace, de-duplicated tags (crawler.extract.records, which the other sources of
records use too: a WARC re-extraction, a backfill, the queue of other machines)."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.extract.records import normalize_record

from . import STATS_PREFIX


class NormalizePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "NormalizePipeline":
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        normalized = normalize_record(dict(item))
        if normalized != item:
            self.stats.inc_value(f"{STATS_PREFIX}/normalized")
        return normalized
