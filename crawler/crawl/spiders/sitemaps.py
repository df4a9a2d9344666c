"""Discovery from sitemaps for a declared site: the `Sitemap:` lines of its robots.txt, the indexes and (news)
sitemaps they lead to, and the article URLs the site's rule accepts among theirs.

The robots.txt is the one Scrapy fetches for ROBOTSTXT_OBEY (seen through the response_received signal), so a
site without sitemaps costs no request more, and a replay whose WARC holds no robots.txt finds none; with
ROBOTSTXT_OBEY off, the spider asks for it itself, once per host (crawler.crawl.spiders.waysin). A sitemap
that is not one (HTML, malformed XML), that decompresses past NEWSARCHIVE_SITEMAP_MAXSIZE (default: the crawl's
DOWNLOAD_MAXSIZE), or that an index names inside itself, is one recorded failure; the crawl goes on. Sitemaps are
asked for conditionally (crawler.crawl.spiders.validators): a sitemap that answers 304 is not read. An index is read
every run (it may stay the same while a sitemap it names changes), its sitemaps conditionally.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.crawl.spiders.failures import note_failure
from crawler.crawl.spiders.validators import asked_url
from crawler.extract.sitemaps import NotASitemap, SitemapEntry, read_sitemap
from crawler.sites.base import Site

#: Per site and discovery source (listing, feed, sitemap, home, section): how many article URLs it gave, how many
#: were new, and how many of its pages answered 304 (not modified: nothing read).
SOURCE_STAT = "newsarchive/source/{site}/{source}/{what}"
SOURCE_PREFIX = "newsarchive/source/"
_COUNTED = ("listed", "new", "not_modified")


def count_source(stats: Any, site_key: str, source: str, listed: int, new: int, not_modified: int = 0) -> None:
    """Add what one listing page, feed or sitemap gave to its source's counts (`not_modified`: it answered 304)."""
    for what, n in zip(_COUNTED, (listed, new, not_modified)):
        if n or what != "not_modified":
            stats.inc_value(SOURCE_STAT.format(site=site_key, source=source, what=what), n)


def source_counts(stats: dict[str, Any]) -> dict[str, dict[str, list[int]]]:
    """site -> source -> [listed, new], or [listed, new, not modified] when some of its pages answered 304, from a
    crawler's stats."""
    counts: dict[str, dict[str, list[int]]] = {}
    for key, value in stats.items():
        if not key.startswith(SOURCE_PREFIX):
            continue
        site, source, what = key[len(SOURCE_PREFIX):].rsplit("/", 2)
        held = counts.setdefault(site, {}).setdefault(source, [0, 0])
        index = _COUNTED.index(what)
        held.extend([0] * (index + 1 - len(held)))
        held[index] += int(value)
    return counts


class SitemapDiscovery:
    """Mixed into SiteSpider: `watch_robots()` when the crawl starts; sitemap responses go to `parse_sitemap`,
    whose article URLs go through the spider's `article_requests` (the same skipping of archived articles as a
    listing's)."""

    crawler: Any
    since: Any

    def watch_robots(self) -> None:
        #: sitemap URLs asked for in this crawl (one request each, however many indexes name them)
        self.sitemaps_seen: set[str] = set()
        self.crawler.signals.connect(self._robots_received, signal=signals.response_received)

    def _robots_received(self, response: Response, request: scrapy.Request, spider: Any) -> None:
        if spider is not self or urlsplit(request.url).path != "/robots.txt" or response.status != 200:
            return
        if not isinstance(response, TextResponse):
            return
        site = self._site_of_host(urlsplit(response.url).hostname or "")
        if site is None:
            return
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            sitemap = self._sitemap_request(site, url, ())
            if sitemap is not None:
                self.crawler.engine.crawl(sitemap)

    def _site_of_host(self, host: str) -> Site | None:
        bare = host.removeprefix("www.")
        for site in self.served_sites():  # type: ignore[attr-defined]
            if bare in {h.removeprefix("www.") for h in site.hosts}:
                return site
        return None

    def _sitemap_request(self, site: Site, url: str, chain: tuple[str, ...]) -> scrapy.Request | None:
        """The request for a sitemap named by robots.txt or by the indexes `chain`; None if asked for already
        (an index that names one of its own ancestors, or itself, is a loop: one failure)."""
        if url in chain:
            note_failure(self, url, "sitemap loop", f"named again inside {chain[-1]}")
            return None
        if url in self.sitemaps_seen:
            return None
        self.sitemaps_seen.add(url)
        self.crawler.stats.inc_value("newsarchive/sitemaps")
        request = scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error,  # type: ignore[attr-defined]
                                 cb_kwargs={**self.site_kwargs(site), "chain": chain},  # type: ignore[attr-defined]
                                 dont_filter=True, priority=1)
        return self.ask_conditionally(request)  # type: ignore[attr-defined]

    def parse_sitemap(self, response: Response, chain: tuple[str, ...] = (),
                      site: str | None = None) -> Iterator[scrapy.Request]:
        """A sitemap index (its sitemaps, unless dated before --since) or a urlset (its articles)."""
        declared = self.site_of(site)  # type: ignore[attr-defined]
        if self.not_modified(response):  # type: ignore[attr-defined]
            count_source(self.crawler.stats, declared.key, "sitemap", 0, 0, not_modified=1)
            return
        sitemap = self._read(response)
        if sitemap is None:  # a failure: asked for in full next run, and recorded again if it still fails
            self.read_every_run(response)  # type: ignore[attr-defined]
            return
        entries = [e for e in sitemap.entries if not self._before_since(e)]
        if sitemap.index:
            self.read_every_run(response)  # type: ignore[attr-defined]
            for entry in entries:
                request = self._sitemap_request(declared, entry.url, (*chain, response.url))
                if request is not None:
                    yield request
            return
        self.page_was(response, "sitemap")  # type: ignore[attr-defined]
        articles = [(url, article_id) for url in (e.url for e in entries)
                    if (article_id := declared.article_id(url)) is not None]
        yield from self.article_requests(declared, articles, "sitemap",  # type: ignore[attr-defined]
                                         listed_by=asked_url(response))[0]

    def _read(self, response: Response) -> Any:
        """The response's sitemap, or None and one failure recorded."""
        body = response.body
        settings = self.crawler.settings
        limit = settings.getint("NEWSARCHIVE_SITEMAP_MAXSIZE", settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            if gzip_magic_number(response):
                body = gunzip(body, max_size=limit)
            elif limit and len(body) > limit:
                raise ValueError("over the limit")
            return read_sitemap(body)
        except NotASitemap as e:
            note_failure(self, response.url, "not a sitemap", str(e))
        except ValueError:  # scrapy's _DecompressionMaxSizeExceeded
            note_failure(self, response.url, "too large", f"sitemap over {limit} bytes decompressed")
        except (OSError, EOFError) as e:
            note_failure(self, response.url, "not a sitemap", f"bad gzip: {e}")
        return None

    def _before_since(self, entry: SitemapEntry) -> bool:
        if self.since is None or not entry.date or entry.date[:10] >= self.since.isoformat():
            return False
        self.crawler.stats.inc_value("newsarchive/sitemap_before_since")
        return True
