"""Seeding the shared frontier from outside a crawl (`newsarchive enqueue`): the sites' first listing pages, made by
the worker spider and encoded as its requests are, pushed through the frontier's duplicate filter.

Here, not in crawler.fleet.frontier, because it needs the worker spider, which needs the frontier: imports go one
way (enqueue -> worker, scheduler -> frontier)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.fleet.frontier import PUSH_UNSEEN, QUEUE_KEY, SEEN_KEY, begin_crawl
from crawler.fleet.scheduler import TakenQueue
from crawler.fleet.worker import WorkerSpider


def enqueue_sites(client: Any, site_keys: Iterable[str]) -> dict[str, int]:
    """Seed the frontier with the sites' first listing pages (through the duplicate filter). Starts a new crawl if
    the frontier was idle. Returns counts: new_crawl (0/1), seeded, already (seeds the running crawl has)."""
    spider = WorkerSpider()
    new_crawl = begin_crawl(client)
    push_unseen = client.register_script(PUSH_UNSEEN)
    queue = TakenQueue(client, spider, QUEUE_KEY)
    seen = RFPDupeFilter(client, key=SEEN_KEY)
    seeded = already = 0
    for key in site_keys:
        for request in spider.seeds(spider.site_of(key)):
            args = [seen.request_fingerprint(request), -request.priority, queue._encode_request(request)]
            if push_unseen(keys=[QUEUE_KEY, SEEN_KEY], args=args):
                seeded += 1
            else:
                already += 1
    return {"new_crawl": int(new_crawl), "seeded": seeded, "already": already}
