"""`newsarchive check-site`: for a user with network access, a site's discovery sources and newest articles, and
for each field which layer gave it, read as the crawl reads them (crawler.live.discover: declared listings and
feeds read by crawler.extract.listing, robots.txt sitemaps, announced feeds, home and section links;
crawler.extract.drift for whether the site's selectors hold). A handful of polite requests
(crawler.live.http.Fetcher, or a WARC: crawler.live.replay); no Scrapy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.extract.drift import DEFAULT_THRESHOLD, drift_alarm, held_by_selectors
from crawler.extract.page import ArticlePage
from crawler.extract.text import decode_html
from crawler.live.discover import Discovery, Source, discover
from crawler.live.http import FetchError, Fetcher
from crawler.sites.base import Site

CHECKED_FIELDS = ("title", "published_at", "lead", "body", "byline", "images")
#: check-site reads at most this many section pages of the home page (add-site reads more).
CHECKED_SECTIONS = 2


@dataclass
class PageCheck:
    url: str
    layers: dict[str, str]  # field -> "site" | "metadata" | "heuristic" | "missing"
    error: str | None = None
    #: the page's record (None when it could not be fetched)
    record: dict[str, Any] | None = None


@dataclass
class SiteCheck:
    """What check-site found: each discovery source (with the article URLs it gave), and the pages checked."""

    sources: list[Source]
    pages: list[PageCheck]


def check_site(site: Site, limit: int = 5, fetcher: Fetcher | None = None) -> SiteCheck:
    """The site's sources, and the `limit` newest articles they give, with for each field which layer gave it."""
    fetcher = fetcher or Fetcher()
    found = discover_site(site, fetcher)
    checks = []
    for url in newest_articles(site, found)[:limit]:
        try:
            body, charset = fetcher.get(url)
        except FetchError as e:
            checks.append(PageCheck(url, {}, str(e)))
            continue
        record = ArticlePage(url, decode_html(body, charset), site).to_record()
        layers = {f: (record["extracted_with"].get(f, "missing") if record.get(f) else "missing")
                  for f in CHECKED_FIELDS}
        checks.append(PageCheck(url, layers, record=record))
    return SiteCheck(found.sources, checks)


def discover_site(site: Site, fetcher: Fetcher) -> Discovery:
    """A declared site's sources: its listings and feeds first, then robots.txt sitemaps, its home page, the
    feeds it announces and a few of its sections. Raises FetchError when none of them could be fetched."""
    found = discover(site.home_page, site.article_id, fetcher, site.start_urls, max_sections=CHECKED_SECTIONS,
                     site=site)
    if all(source.error for source in found.sources):
        raise FetchError(found.sources[0].error or f"nothing of {site.key} could be fetched")
    return found


def newest_articles(site: Site, found: Discovery) -> list[str]:
    """The canonical URLs of the articles the sources gave, each once: the first listing's (a page or a feed) in
    its order first, then the other sources' in theirs."""
    links: list[str] = []
    seen: set[str] = set()
    for url in found.article_urls():
        canonical = site.canonical_url(url)
        native = site.article_id(url, canonical)
        if native is not None and native not in seen:
            seen.add(native)
            links.append(canonical)
    return links


def source_rows(site: Site, sources: list[Source]) -> list[tuple[Any, ...]]:
    """One row per source: its kind, URL, how many article URLs it gave, and its error."""
    return [(s.kind, s.url, len({site.article_id(u) for u in s.articles}), s.error or "") for s in sources]


def selectors_hold(site: Site, checks: list[PageCheck], threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether the checked pages pass the crawl's drift rule: at least `threshold` of them (pages that could not
    be fetched count as misses) got every field the site declares a selector for from that selector."""
    held = sum(1 for c in checks if c.record is not None and held_by_selectors(c.record, site))
    return drift_alarm(len(checks), len(checks), held, threshold) is None


def as_rows(checks: list[PageCheck]) -> list[tuple[Any, ...]]:
    return [(c.url, *(c.layers.get(f, "-") for f in CHECKED_FIELDS), c.error or "") for c in checks]
