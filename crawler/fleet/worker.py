"""The fleet's worker: one spider for every declared site, fed by the shared frontier in Redis (crawler.fleet.frontier).

Each request names its site in its cb_kwargs, so any worker can take any request from the shared queue. The walk
and the extraction are `SiteSpider`'s own. Seeds come from `newsarchive enqueue`, or from the sites a worker is given
(`crawl --redis URL --site KEY`); through the shared duplicate filter, so a seed enters the frontier once.

What is archived comes from Redis too: `newsarchive enqueue --db ARCHIVE` publishes each site's archived article
ids and its failure memory, and a worker walks incrementally against them, as a local crawl does against its
archive.

Its discovery requests are unconditional: a worker has no archive to read validators from, and its records go to
the writer, which keeps no validators, so every listing page, feed and sitemap is sent in full on every run (the
conditional requests of a crawl on one machine: crawler.crawl.spiders.validators). Publishing them as `enqueue`
publishes the archived ids, and handing a run's new ones to the writer, would do it; that is not done.

Scrapy finds this spider through SPIDER_MODULES (crawler.settings), so importing this module must need neither
redis nor scrapy-redis: the scheduler is named by a setting string, and the modules imported here import redis
only when called.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

import scrapy
from twisted.python.failure import Failure

from crawler.sites import all_sites
from crawler.sites.base import Site
from crawler.crawl.spiders.site_spider import SiteSpider
from crawler.fleet.connection import client_for, is_lost, report_lost, unreachable_errors, worker_id
from crawler.crawl.spiders.waysin import FIRST_SOURCES
from crawler.fleet.frontier import begin_crawl, listed_in_crawl, note_listed, published_known, published_not_due
from crawler.fleet.stream import enqueue_failure


class WorkerSpider(SiteSpider):
    """Argument `sites`: comma-separated keys to seed (default: none, only take from the frontier)."""

    name = "worker"
    #: The shared frontier, also when Scrapyd runs the spider. (NEWSARCHIVE_REDIS, which a worker needs anyway,
    #: hands records to the writer instead of storing them: crawler.settings.)
    custom_settings = {"SCHEDULER": "crawler.fleet.scheduler.FrontierScheduler"}

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Name this worker once in its settings (NEWSARCHIVE_WORKER_ID, else host and process id), so that what
        reads the name outside the fleet's room (the WARC files' names: crawler.evidence.capture) finds it there."""
        super().update_settings(settings)
        if not settings.get("NEWSARCHIVE_WORKER_ID"):
            settings.set("NEWSARCHIVE_WORKER_ID", worker_id(settings), priority="spider")

    def __init__(self, *args: Any, sites: str = "", **kwargs: Any):
        self.seed_keys = [k for k in sites.split(",") if k] if isinstance(sites, str) else list(sites)
        #: sites this worker told the fleet were listed (crawler.fleet.frontier.note_listed)
        self.told_listed: set[str] = set()
        super().__init__(*args, **kwargs)

    def served_sites(self) -> list[Site]:
        return list(all_sites().values())

    def site_of(self, key: str | None) -> Site:
        if key is None:
            raise ValueError("a worker's request must name its site")
        return all_sites()[key]

    def site_kwargs(self, site: Site) -> dict[str, str]:
        return {"site": site.key}

    def known_of(self, site: Site) -> dict[str, tuple[str | None, str | None]]:
        if self.full:
            return {}
        if site.key not in self.known:
            self.known[site.key] = published_known(self.crawler.settings.get("NEWSARCHIVE_REDIS"), site.key)
        return self.known[site.key]

    def not_due_of(self, site_key: str, now: datetime) -> Mapping[str, str]:
        """What `newsarchive enqueue --db` published of the site's failure memory (a worker has no archive)."""
        return published_not_due(self.crawler.settings.get("NEWSARCHIVE_REDIS"), site_key, now)

    def fallback_sites(self) -> list[Site]:
        """Only the sites this worker seeded fall back to their home page (crawler.crawl.spiders.waysin), judged by
        what the whole fleet listed (a frontier seeded by `newsarchive enqueue` alone has no fallback; its sites
        without start URLs have their home page among the seeds)."""
        return [self.site_of(key) for key in self.seed_keys]

    def first_sources_listed(self, site_key: str) -> bool:
        if super().first_sources_listed(site_key):
            return True
        try:
            return listed_in_crawl(client_for(self.crawler.settings.get("NEWSARCHIVE_REDIS")), site_key)
        except unreachable_errors() as e:
            report_lost(self.crawler, e)
            return True  # no fallback without the fleet

    def note_listed(self, site_key: str, source: str, listed: int) -> None:
        """Tell the fleet, once per site and worker, that the site's first sources listed an article."""
        if not listed or source not in FIRST_SOURCES or site_key in self.told_listed:
            return
        self.told_listed.add(site_key)
        try:
            note_listed(client_for(self.crawler.settings.get("NEWSARCHIVE_REDIS")), site_key)
        except unreachable_errors() as e:
            report_lost(self.crawler, e)

    def home_request(self, site: Site) -> scrapy.Request:
        """Through the shared duplicate filter: two workers falling back at once ask for the home page once."""
        return super().home_request(site).replace(dont_filter=False)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.configure()
        self.watch_robots()
        self.watch_ways_in()
        if self.seed_keys:
            begin_crawl(client_for(self.crawler.settings.get("NEWSARCHIVE_REDIS")))
        for key in self.seed_keys:
            site = self.site_of(key)
            for request in [*self.seeds(site), *self.robots_requests(site)]:
                yield request

    def on_error(self, failure: Failure) -> None:
        """As on one machine, and the failure goes to the writer at once (a worker may die before its end). A
        request cut short because this worker lost Redis is not the site's failure: it is done again later."""
        if is_lost(self.crawler):
            return
        before = len(self.failures)
        super().on_error(failure)
        if len(self.failures) > before:
            url, kind, detail, article_id = self.failures[-1]
            request = getattr(failure, "request", None)
            site = request.cb_kwargs.get("site", "?") if request is not None else "?"
            try:
                enqueue_failure(client_for(self.crawler.settings.get("NEWSARCHIVE_REDIS")), site, url, kind, detail,
                                article_id)
            except unreachable_errors() as e:
                report_lost(self.crawler, e)
