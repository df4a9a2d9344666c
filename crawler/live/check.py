"""`newsarchive check-site`: for a user with network access, a site's newest articles, and for each field which
layer gave it, read as the crawl reads them (crawler.extract.listing for the listing, crawler.extract.drift for
whether the site's selectors hold). A handful of polite requests (crawler.live.http.Fetcher); no Scrapy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.extract.drift import DEFAULT_THRESHOLD, drift_alarm, held_by_selectors
from crawler.extract.listing import read_listing
from crawler.extract.page import ArticlePage
from crawler.extract.text import decode_html
from crawler.live.http import FetchError, Fetcher
from crawler.sites.base import Site

CHECKED_FIELDS = ("title", "published_at", "lead", "body", "byline", "images")


@dataclass
class PageCheck:
    url: str
    layers: dict[str, str]  # field -> "site" | "metadata" | "heuristic" | "missing"
    error: str | None = None
    #: the page's record (None when it could not be fetched)
    record: dict[str, Any] | None = None


def check_site(site: Site, limit: int = 5, fetcher: Fetcher | None = None) -> list[PageCheck]:
    """The `limit` newest articles of the site's first listing, and for each field which layer gave it."""
    fetcher = fetcher or Fetcher()
    checks = []
    for url in newest_articles(site, fetcher)[:limit]:
        try:
            body, charset = fetcher.get(url)
        except FetchError as e:
            checks.append(PageCheck(url, {}, str(e)))
            continue
        record = ArticlePage(url, decode_html(body, charset), site).to_record()
        layers = {f: (record["extracted_with"].get(f, "missing") if record.get(f) else "missing")
                  for f in CHECKED_FIELDS}
        checks.append(PageCheck(url, layers, record=record))
    return checks


def newest_articles(site: Site, fetcher: Fetcher) -> list[str]:
    """The canonical URLs of the articles the site's first listing (an HTML page or a feed) links to, in its
    order, each once."""
    listing_url = site.start_urls[0]
    body, charset = fetcher.get(listing_url)
    links: list[str] = []
    for url, _ in read_listing(site, listing_url, decode_html(body, charset)).articles:
        canonical = site.canonical_url(url)
        if canonical not in links:
            links.append(canonical)
    return links


def selectors_hold(site: Site, checks: list[PageCheck], threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether the checked pages pass the crawl's drift rule: at least `threshold` of them (pages that could not
    be fetched count as misses) got every field the site declares a selector for from that selector."""
    held = sum(1 for c in checks if c.record is not None and held_by_selectors(c.record, site))
    return drift_alarm(len(checks), len(checks), held, threshold) is None


def as_rows(checks: list[PageCheck]) -> list[tuple[Any, ...]]:
    return [(c.url, *(c.layers.get(f, "-") for f in CHECKED_FIELDS), c.error or "") for c in checks]
