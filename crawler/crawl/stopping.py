"""Stopping a crawl that cannot keep what it fetches: the archive's disk is full, a WARC file cannot be written.

Going on would fetch pages only to drop them (and count each as an error). The reason goes into the crawl's stats,
where the run's summary finds it: one line for the user, and a run that did not finish.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro


#: The crawl stat that holds why a crawl was stopped.
STOPPED_STAT = "newsarchive/stopped"

logger = logging.getLogger(__name__)


def stop_crawl(crawler: Crawler, reason: str) -> None:
    """Close the crawl as soon as the engine can, saying why (the first reason given wins)."""
    if crawler.stats.get_value(STOPPED_STAT):
        return
    crawler.stats.set_value(STOPPED_STAT, reason)
    logger.error("stopping the crawl: %s", reason)
    if crawler.engine is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason="newsarchive_stopped"))
