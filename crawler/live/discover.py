"""A site's ways in, found over the polite Fetcher from its home page (and its declared listings): the sitemaps
its robots.txt names (indexes followed), its declared listings and feeds, the feeds its home page announces with
`<link rel="alternate">`, and the article links of its home page and of a few of its section pages.

Each source is reported with the article URLs it gave (kept by the article rule the caller passes), so a dead
listing beside a live sitemap shows at once. Reading is crawler.extract's (discovery.read_way_in, listing,
sitemaps.read_sitemap); this module only fetches and bounds. A source that cannot be fetched or read is reported
with its error; discovery goes on. Used by `check-site` and `add-site`.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler import settings
from crawler.extract.discovery import read_way_in
from crawler.extract.listing import feed_links, is_feed, read_listing
from crawler.extract.sitemaps import NotASitemap, read_sitemap
from crawler.extract.text import decode_html
from crawler.extract.urls import link_target
from crawler.live.http import FetchError, Fetcher
from crawler.sites.base import Site

#: A URL -> its native id, or None for a URL that is not an article.
ArticleRule = Callable[[str], "str | None"]

#: At most this many sitemaps are read per site (indexes and the sitemaps they name, together).
MAX_SITEMAPS = 20
#: A decompressed sitemap past this many bytes is refused: the crawl's own limit (NEWSARCHIVE_SITEMAP_MAXSIZE
#: defaults to DOWNLOAD_MAXSIZE), so check-site never reports as live a sitemap every crawl refuses.
MAX_SITEMAP_BYTES = settings.DOWNLOAD_MAXSIZE
#: At most this many section pages (links of the home page) are read.
MAX_SECTIONS = 5


@dataclass
class Source:
    """One way in: `kind` is "listing", "feed", "sitemap", "home" or "section"; `articles` are the article URLs
    it gave, once each, in its order; `error` why it gave nothing, if it failed."""

    kind: str
    url: str
    articles: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Discovery:
    """What discovery found for one site. `pages`: the raw body of every page fetched (URL -> bytes);
    `sections`: the home page's links that look like section pages (not articles)."""

    home: str
    sources: list[Source] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)

    def article_urls(self) -> list[str]:
        """Every source's article URLs, once each, in source order."""
        return list(dict.fromkeys(url for source in self.sources for url in source.articles))

    def feeds(self) -> list[str]:
        return [s.url for s in self.sources if s.kind == "feed" and s.articles]


def discover(home: str, article_id: ArticleRule, fetcher: Fetcher, listings: tuple[str, ...] = (),
             max_sections: int = MAX_SECTIONS, site: Site | None = None,
             listed_rule: ArticleRule | None = None) -> Discovery:
    """The sources of the site whose home page is `home` (see the module's docstring), in this order: declared
    `listings`, sitemaps, the home page, the feeds it announces, its section pages. `site`: a declared site,
    whose listings are read as the crawl reads them (its `listing_links`; a feed by its items).
    `listed_rule`: what sitemap and feed entries are kept by (default: `article_id`; a site whose rule is not
    known yet keeps them all, as the site itself lists them)."""
    found = Discovery(home)
    for url in listings:
        found.sources.append(_read_listing(url, article_id, fetcher, found, site=site))
    listed_rule = listed_rule or article_id
    for url in fetcher.sitemaps(home):
        found.sources.append(_read_sitemaps(url, listed_rule, fetcher))
    home_source = Source("home", home)
    found.sources.append(home_source)
    text = _fetch_text(home, fetcher, found, home_source)
    if text is None:
        return found
    way_in = read_way_in(home, text, article_id)
    home_source.articles = [url for url, _ in way_in.articles]
    found.sections = way_in.sections
    for feed in way_in.feeds:
        if feed not in listings:
            found.sources.append(_read_listing(feed, listed_rule, fetcher, found, kind="feed", site=site))
    for section in way_in.sections[:max_sections]:
        source = Source("section", section)
        found.sources.append(source)
        section_text = _fetch_text(section, fetcher, found, source)
        if section_text is not None:
            source.articles = [url for url, _ in read_way_in(section, section_text, article_id).articles]
    return found


def _fetch_text(url: str, fetcher: Fetcher, found: Discovery, source: Source) -> str | None:
    try:
        body, charset = fetcher.get(url)
    except FetchError as e:
        source.error = str(e)
        return None
    found.pages[url] = body
    return decode_html(body, charset)


def _read_listing(url: str, article_id: ArticleRule, fetcher: Fetcher, found: Discovery,
                  kind: str = "listing", site: Site | None = None) -> Source:
    """A declared listing (an HTML page or a feed) or an announced feed, and the article links it gives."""
    source = Source(kind, url)
    text = _fetch_text(url, fetcher, found, source)
    if text is None:
        return source
    if site is not None and (kind == "listing" or is_feed(text)):
        listing = read_listing(site, url, text)
        source.kind = "feed" if listing.feed else kind
        source.articles = list(dict.fromkeys(u for u, _ in listing.articles))
    elif is_feed(text):
        source.kind = "feed"
        links = [link_target(url, href) for href in feed_links(text)]
        source.articles = list(dict.fromkeys(u for u in links if u is not None and article_id(u) is not None))
    elif kind == "feed":
        source.error = f"{url}: announced as a feed, but not RSS or Atom"
    else:
        source.articles = [u for u, _ in read_way_in(url, text, article_id).articles]
    return source


def _read_sitemaps(url: str, article_id: ArticleRule, fetcher: Fetcher) -> Source:
    """A sitemap robots.txt names, with the sitemaps it names if it is an index (each once, MAX_SITEMAPS at
    most): the article URLs of all of them. The first failure is the source's error."""
    source = Source("sitemap", url)
    queue, seen = [url], {url}
    while queue and len(seen) <= MAX_SITEMAPS:
        current = queue.pop(0)
        try:
            body, _ = fetcher.get(current)
            sitemap = read_sitemap(_gunzipped(body))
        except (FetchError, NotASitemap) as e:
            source.error = source.error or f"{current}: {e}"
            continue
        for entry in sitemap.entries:
            if sitemap.index:
                if entry.url not in seen:
                    seen.add(entry.url)
                    queue.append(entry.url)
            elif entry.url not in source.articles and article_id(entry.url) is not None:
                source.articles.append(entry.url)
    return source


def _gunzipped(body: bytes) -> bytes:
    """`body`, decompressed if it is gzip (a `.xml.gz` sitemap), refused past MAX_SITEMAP_BYTES either way."""
    if body[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, MAX_SITEMAP_BYTES + 1)
        except zlib.error as e:
            raise NotASitemap(f"bad gzip: {e}") from None
    if len(body) > MAX_SITEMAP_BYTES:
        raise NotASitemap(f"larger than {MAX_SITEMAP_BYTES} bytes")
    return body
