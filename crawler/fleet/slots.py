"""Politeness for a fleet: one request slot per host, shared in Redis by every worker.

With N workers, each site still sees at most one request per DOWNLOAD_DELAY from all of them together: before a
request goes out, its worker takes the host's slot, a Redis key that expires after the delay (SET NX PX). A worker
that finds the slot taken waits and tries again. Active only on workers (`crawl --redis URL`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.extract.urls import host_of
from crawler.fleet.connection import connect, report_lost, unreachable_errors


class FleetSlotMiddleware:
    def __init__(self, crawler: Crawler, client: Any, delay: float):
        self.crawler = crawler
        self.client = client
        self.delay_ms = max(1, int(delay * 1000))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "FleetSlotMiddleware":
        url = crawler.settings.get("NEWSARCHIVE_REDIS")
        delay = crawler.settings.getfloat("NEWSARCHIVE_FLEET_DELAY", crawler.settings.getfloat("DOWNLOAD_DELAY"))
        if not url or delay <= 0:
            raise NotConfigured
        return cls(crawler, connect(url), delay)

    async def process_request(self, request: Request) -> None:
        key = f"newsarchive:slot:{host_of(request.url)}"
        waited = 0
        try:
            while not self.client.set(key, "1", nx=True, px=self.delay_ms):
                waited += 1
                ttl = self.client.pttl(key)
                await asyncio.sleep(max(ttl, 5) / 1000)
        except unreachable_errors() as e:
            report_lost(self.crawler, e)
            raise IgnoreRequest(f"Redis unreachable: {e}") from None
        if waited:
            self.crawler.stats.inc_value("newsarchive/fleet_waits", waited)
        return None
