"""What a site declaration says: where its articles are, how to recognise them, and where their fields sit.

A declaration is data. It imports nothing from Scrapy, so page objects, the CLI and the tests read it freely.
CMS families (issue 4) are `Site` values that sites copy with `dataclasses.replace`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.extract.urls import canonicalize, host_of


#: `Site.cms` of a site whose CMS nobody knows: its pages are read with the CMS family their markup shows, if any
#: (crawler.sites.families.with_family).
UNKNOWN_CMS = "unknown"


@dataclass(frozen=True)
class Selectors:
    """CSS selectors of one site's article page. Any may be None: that field falls through to page metadata and
    then to the generic heuristics."""

    title: str | None = None
    #: The node whose text is the publication date.
    date: str | None = None
    #: The node whose text is the last-modified date, where the site prints one.
    updated: str | None = None
    #: The page header's "today" line: the day the page was viewed. Never a publication date; it is the reference
    #: that dates a year-less dateline ("Chiều 12/1").
    today: str | None = None
    lead: str | None = None
    #: The container of the article text: paragraphs, photos, byline.
    body: str | None = None
    byline: str | None = None
    category: str | None = None
    tags: str | None = None
    #: Nodes inside the body that are not article text (share bars, related boxes, ads).
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Era:
    """One layout a site has had: its selectors, the years it was seen in, and where that is known from (a public
    crawler and its date, or "guess"). A redesigned site keeps its old eras: archived and cached pages, and pages
    the redesign left alone, still print the old markup."""
    selectors: Selectors
    #: The years the layout was seen in, such as "2020" or "2024-2025".
    years: str = ""
    #: Where the selectors come from.
    source: str = ""


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    #: Every host that serves the site; the first is the canonical one, the rest are aliases of it.
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...]
    #: A regex over the canonical URL's path (and query); group `id` is the article's native id, and an optional
    #: group `scope` (a NukeViet module, a SharePoint list) makes the key "scope:id".
    article_path: str
    #: The selectors of the site's current (newest) layout. Where `eras` are declared and this is left out, it is
    #: the first era's selectors; `dataclasses.replace(site, selectors=...)` replaces the newest era only.
    selectors: Selectors = field(default_factory=Selectors)
    #: Every layout the site has had, newest first. Extraction tries each era's selector per field in that order
    #: before the metadata and generic layers. Empty: one era, `selectors`.
    eras: tuple[Era, ...] = ()
    #: CSS of article links on a listing page; links are kept only if they match `article_path`. RSS and Atom
    #: listings need nothing: their item links are read as they are.
    listing_links: str = "a[href]"
    #: CSS of the link to the next listing page.
    next_page: str | None = None
    #: Where there is no next link to follow: page N of a listing, from its first page's URL, e.g. "{url}/p/{page}",
    #: "{url}/page-{page}", "{url}?Page={page}". Pages are walked while they list articles (never past a feed).
    listing_page: str | None = None
    max_listing_pages: int = 50
    #: (regex, replacement) rewrites of the URL path that make aliases one URL, e.g. locale prefixes.
    path_rewrites: tuple[tuple[str, str], ...] = ()
    #: Where set, the only query parameters that identify a page (SharePoint's ItemID); others (Source=...) are
    #: dropped from the canonical URL. Matched case-insensitively.
    query_params: tuple[str, ...] | None = None
    #: A regex for the credit that opens the lead, such as "(Thanhuytphcm.vn) - ".
    lead_credit: str | None = None
    cms: str = "custom"
    #: The scheme of canonical URLs, which are also the URLs fetched ("http" only for a site without TLS).
    scheme: str = "https"
    #: True once the selectors were checked against a live page (none could be from the machines here).
    checked_live: bool = False
    notes: str = ""
    #: The IANA zone the site's pages print their times in where they give no offset (crawler.extract.zones).
    timezone: str = "Asia/Ho_Chi_Minh"
    #: True for a site nobody declared, whose pages a CMS family's fingerprint recognised (`Family`): its fields
    #: are recorded as given by `family:<cms>` rather than by "site".
    detected: bool = False

    @property
    def selector_layer(self) -> str:
        """How `extracted_with` names a field its selectors gave: "site", or "family:<cms>" for a detected site."""
        return f"family:{self.cms}" if self.detected else "site"

    def __post_init__(self) -> None:
        if self.eras and self.selectors == Selectors():
            object.__setattr__(self, "selectors", self.eras[0].selectors)

    @property
    def layouts(self) -> tuple[Selectors, ...]:
        """The selectors of each era, newest first (`selectors` standing for the newest)."""
        return (self.selectors, *(era.selectors for era in self.eras[1:]))

    @cached_property
    def _article_re(self) -> re.Pattern[str]:
        return re.compile(self.article_path)

    @cached_property
    def host_aliases(self) -> dict[str, str]:
        canonical = host_of("//" + self.hosts[0])
        return {host_of("//" + h): canonical for h in self.hosts}

    def owns(self, url: str) -> bool:
        return host_of(url) in self.host_aliases

    @cached_property
    def _rewrites(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple((re.compile(pattern), replacement) for pattern, replacement in self.path_rewrites)

    def canonical_url(self, url: str) -> str:
        canonical = canonicalize(url, self.host_aliases, self.scheme)
        if self.query_params is not None:
            keep = {p.lower() for p in self.query_params}
            parts = urlsplit(canonical)
            query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() in keep]
            canonical = urlunsplit(parts._replace(query=urlencode(query)))
        if self._rewrites:
            parts = urlsplit(canonical)
            path = parts.path
            for pattern, replacement in self._rewrites:
                path = pattern.sub(replacement, path)
            canonical = urlunsplit(parts._replace(path=path or "/"))
        return canonical

    @property
    def home_page(self) -> str:
        """The site's home page: the root of the first start URL the site owns (the host its pages are served from,
        its port kept), else of its canonical host. One rule for the crawl's fallback, check-site and add-site."""
        for url in self.start_urls:
            if self.owns(url):
                parts = urlsplit(url)
                return f"{parts.scheme}://{parts.netloc}/"
        return f"{self.scheme}://{self.hosts[0]}/"

    def listing_page_url(self, first_page_url: str, page: int) -> str | None:
        if not self.listing_page:
            return None
        return self.listing_page.format(url=first_page_url.rstrip("/"), page=page)

    def article_id(self, url: str, canonical: str | None = None) -> str | None:
        """The native id of an article URL of this site, or None if the URL is not an article of it. Tracking
        parameters, fragments and host aliases do not matter. `canonical`: `canonical_url(url)`, when the caller has
        it already (it is most of the cost)."""
        if not self.owns(url):
            return None
        parts = urlsplit(canonical if canonical is not None else self.canonical_url(url))
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        m = self._article_re.search(target)
        if not m:
            return None
        scope = m.groupdict().get("scope")
        return f"{scope}:{m.group('id')}" if scope else m.group("id")

    def is_article(self, url: str) -> bool:
        return self.article_id(url) is not None


@dataclass(frozen=True)
class Family:
    """A CMS that many sites run: how to recognise its pages on any host, and the `Site` it gives a host nobody
    declared (its selectors, article URL rule and listing rules), so such a host is read like a declared one."""

    #: The family's `Site.cms`.
    name: str
    #: Regexes of markup only this CMS writes (a generator meta tag, its own ids and asset paths); one found in the
    #: head of a page marks the page as the family's. Never the page's text: an article may name a CMS.
    marks: tuple[str, ...]
    #: (host, url of one of its pages) -> the `Site` of that host on this family.
    site_for: Callable[[str, str], "Site"]

    @cached_property
    def _marks_re(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{mark})" for mark in self.marks), re.IGNORECASE)

    def marks_page(self, html: str) -> bool:
        return self._marks_re.search(html) is not None
