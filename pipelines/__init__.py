"""Item pipelines, in the order settings.ITEM_PIPELINES runs them: normalize, validate, deduplicate, store.

Each is a thin Scrapy class over plain functions (tested without a crawl) and records what it did in crawl stats
under `newsarchive/`.
"""

STATS_PREFIX = "newsarchive"


def drop_stat(reason: str) -> str:
    return f"{STATS_PREFIX}/dropped/{reason}"
