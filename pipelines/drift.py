"""Drift, counted during a crawl: per article, whether the site's own selectors gave the fields they are declared
for (the rule: crawler.extract.drift). The store pipeline turns the counts into the run's drift report."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.extract.drift import byline_by_selector, held_by_selectors
from crawler.sites.base import Site

from . import STATS_PREFIX

HELD, MISSED = f"{STATS_PREFIX}/selectors/held", f"{STATS_PREFIX}/selectors/missed"
BYLINE_HELD, BYLINE_MISSED = f"{STATS_PREFIX}/selectors/byline_held", f"{STATS_PREFIX}/selectors/byline_missed"


class DriftPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DriftPipeline":
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        site = getattr(self.crawler.spider, "site", None)
        if isinstance(site, Site):
            self.crawler.stats.inc_value(HELD if held_by_selectors(item, site) else MISSED)
            by_site = byline_by_selector(item, site)
            if by_site is not None:
                self.crawler.stats.inc_value(BYLINE_HELD if by_site else BYLINE_MISSED)
        return item
