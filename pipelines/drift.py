"""Drift: how many of a site's articles still got their fields from the site's own selectors.

When a site changes its layout, its selectors miss and the fallbacks take over: the records may still look fine,
but they are guesses. Counting, per article, whether every field the site declares a selector for came from that
selector tells the operator early.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from crawler.sites.base import Site

from . import STATS_PREFIX

#: Record field -> the Selectors attribute that should give it. Every article page has these three; a byline is
#: often absent or printed outside the declared node on some pages, so bylines are counted but raise no alarm.
WATCHED = {"title": "title", "published_at": "date", "body": "body"}
HELD, MISSED = f"{STATS_PREFIX}/selectors/held", f"{STATS_PREFIX}/selectors/missed"
BYLINE_HELD, BYLINE_MISSED = f"{STATS_PREFIX}/selectors/byline_held", f"{STATS_PREFIX}/selectors/byline_missed"


def watched_fields(site: Site) -> list[str]:
    """The record fields this site declares a selector for."""
    return [field for field, selector in WATCHED.items() if getattr(site.selectors, selector)]


def held_by_selectors(record: dict[str, Any], site: Site) -> bool:
    """Every watched field came from the site layer."""
    layers = record.get("extracted_with") or {}
    return all(layers.get(field) == "site" for field in watched_fields(site))


def drift_report(site_key: str, articles: int, held: int, threshold: float,
                 bylines: tuple[int, int] = (0, 0), listed: int = 0) -> dict[str, Any]:
    """One site's line of a run's drift report; `alarm` is None when all is well. `listed`: article links its
    listings showed (none means the listings themselves broke, or the site is gone); `bylines`: (by the site's
    byline selector, by a fallback), reported only. A run that fetched no article because all were archived
    raises nothing."""
    share = held / articles if articles else 0.0
    alarm = None
    if listed == 0:
        alarm = "no article"
    elif articles and share < threshold:
        alarm = f"only {held} of {articles} articles read by the site's selectors (threshold {threshold:.0%})"
    return {"site": site_key, "listed": listed, "articles": articles, "by_selectors": held, "share": round(share, 3),
            "bylines_by_selector": bylines[0], "bylines_by_fallback": bylines[1], "alarm": alarm}


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
            if site.selectors.byline and item.get("byline"):
                by_site = (item.get("extracted_with") or {}).get("byline") == "site"
                self.crawler.stats.inc_value(BYLINE_HELD if by_site else BYLINE_MISSED)
        return item
