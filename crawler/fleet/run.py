"""Run one worker of a fleet in this process (the library behind `newsarchive crawl --redis URL`), with the same
preflight as a crawl on one machine (crawler.crawl.run)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.crawl.run import check_settings, project_settings
from crawler.evidence.warc import WarcIndex
from crawler.fleet.connection import LOST_STAT, connect, require_distributed_extra
from crawler.fleet.worker import WorkerSpider
from crawler.sites import get_site


class WorkerStopped(Exception):
    """A worker could not go on (its Redis stopped answering); the message is meant for the user."""


def run_worker(site_keys: list[str], redis_url: str, replay: str | Path | None = None, log_level: str = "WARNING",
               extra_settings: dict[str, Any] | None = None) -> dict[str, int]:
    """Crawl as one worker of a fleet: requests come from the shared frontier in Redis (seeded with `site_keys`'s
    start pages, if any, or by `newsarchive enqueue`), and records go to the stream that `newsarchive store` drains
    into the one archive. Returns when the fleet has nothing left to do: counts of pages and records handed off."""
    for key in site_keys:
        get_site(key)
    if replay:
        WarcIndex.open(replay)
    check_settings(extra_settings or {})
    connect(redis_url)
    require_distributed_extra()
    values: dict[str, Any] = {"LOG_LEVEL": log_level, "WARC_DIR": "data/warc"}
    values.update(extra_settings or {})
    values.update(NEWSARCHIVE_REDIS=redis_url, REPLAY_WARC=str(replay or ""))
    process = CrawlerProcess(project_settings(**values))
    crawler = process.create_crawler(WorkerSpider)
    process.crawl(crawler, sites=",".join(site_keys))
    process.start()
    stats = crawler.stats.get_stats()
    if stats.get(LOST_STAT):
        raise WorkerStopped(f"lost Redis at {redis_url} ({stats[LOST_STAT]}); this worker stopped "
                            f"after {int(stats.get('response_received_count', 0))} pages. What it had taken goes "
                            "back to the queue when another worker finds Redis again")
    return {"pages_fetched": int(stats.get("response_received_count", 0)),
            "handed_off": int(stats.get("newsarchive/handed_off", 0)),
            "recovered": int(stats.get("newsarchive/frontier/recovered", 0))}
