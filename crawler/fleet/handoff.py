"""On a crawling worker: hand each record to the Redis stream that the one archive writer drains (crawler.fleet.stream)."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.archive import fingerprints
from crawler.fleet.connection import LOST_STAT, connect, worker_id
from crawler.fleet.stream import enqueue_record, enqueue_report, record_message
from crawler.crawl.spiders.failures import SKIPPED_NOT_DUE

from pipelines import STATS_PREFIX


class HandoffPipeline:
    """Setting NEWSARCHIVE_REDIS: the Redis URL. Takes the place of StorePipeline on a worker; off without it."""

    def __init__(self, crawler: Crawler, client: Any):
        self.crawler = crawler
        self.client = client

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "HandoffPipeline":
        url = crawler.settings.get("NEWSARCHIVE_REDIS")
        if not url:
            raise NotConfigured
        return cls(crawler, connect(url))

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        # The fingerprints are worked out here, where the work scales with the workers, not by the one writer.
        record = dict(item, fingerprints=fingerprints(item))
        frontier = getattr(self.crawler, "frontier_queue", None)
        if frontier is not None:
            frontier.hand_off(record_message(record))  # with the worker's other writes, ahead of its ack
        else:
            enqueue_record(self.client, record)
        self.crawler.stats.inc_value(f"{STATS_PREFIX}/handed_off")
        return item

    def close_spider(self) -> None:
        """The worker's counts, for the writer's run: pages fetched, records dropped here (by reason), and articles
        not asked for because their failure is not due again."""
        stats = self.crawler.stats.get_stats()
        prefix = f"{STATS_PREFIX}/dropped/"
        dropped = {k[len(prefix):]: int(v) for k, v in stats.items() if k.startswith(prefix)}
        if stats.get(LOST_STAT):
            return  # Redis is gone (the frontier said so and stops the worker): nowhere to send the report
        enqueue_report(self.client, worker_id(self.crawler.settings), int(stats.get("response_received_count", 0)),
                       dropped, int(stats.get(SKIPPED_NOT_DUE, 0)))
