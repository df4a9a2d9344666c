"""`newsarchive add-site`: a declaration learnt from a site's own pages, live or replayed from a WARC.

From the home page: the site's sources (crawler.live.discover: robots.txt sitemaps, announced feeds, home and
section links), then up to n article pages sampled from them (pages the generic layer reads as articles), the
article URL rule inferred from them and checked against the links that are not articles (crawler.live.urlrule),
the CMS family their markup shows (crawler.sites.families), and a selector per field induced from where the
generic layer found each value (crawler.live.induce). The declaration, the sampled pages and their UNREVIEWED
goldens are written (crawler.live.sitewriter), and the report says what was inferred, with how many samples
agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from parsel import Selector

from crawler.extract.page import ArticlePage
from crawler.extract.text import decode_html
from crawler.extract.urls import canonicalize, host_of
from crawler.live.discover import Discovery, discover
from crawler.live.http import FetchError, Fetcher
from crawler.live.induce import Induced, induce
from crawler.live.sitewriter import Written, sites_folder, write_site
from crawler.live.urlrule import UrlRule, infer_rule, looks_like_article
from crawler.sites import all_sites
from crawler.sites.base import Selectors, Site
from crawler.sites.families import detect_family

#: At most this many candidate URLs are fetched per sample asked for (the rest were not articles).
TRIES_PER_SAMPLE = 3


class AddSiteError(Exception):
    """add-site cannot learn a declaration; the message, one line, says why."""


@dataclass
class Learnt:
    site: Site
    rule: UrlRule
    fields: list[Induced]
    discovery: Discovery
    samples: list[tuple[str, bytes]]
    written: Written | None = None

    def report(self) -> list[str]:
        """What was inferred, with how many samples agree, one line a finding."""
        site, rule = self.site, self.rule
        family = site.cms if site.cms != "custom" else "none recognised"
        lines = [f"{site.key}: {site.name} ({site.hosts[0]}); CMS family: {family}"]
        for source in self.discovery.sources:
            count = sum(1 for url in source.articles if site.is_article(url))
            lines.append(f"  source {source.kind:<8} {source.url}: {count} article URLs"
                         + (f" ({source.error})" if source.error else ""))
        lines.append(f"Sampled {len(self.samples)} article pages.")
        lines.append(f"Article rule ({rule.kind}): {rule.pattern}  accepts {rule.accepted} of {rule.accepted} "
                     f"sampled articles, rejects {rule.rejected} of {rule.rejected} other links")
        for f in self.fields:
            if f.css:
                lines.append(f"  {f.field:<7} {f.css}  ({f.agree} of {f.total} samples agree)")
            else:
                lines.append(f"  {f.field:<7} left to the fallbacks: {f.note}")
        if self.written:
            lines.append(f"Wrote {self.written.module} and {len(self.written.pages)} pages with UNREVIEWED goldens "
                         f"in {self.written.fixtures} (check them against the pages, then set \"reviewed\": true).")
        return lines


def add_site(home: str, key: str | None = None, fetcher: Fetcher | None = None, samples: int = 10,
             into: Path | None = None, origin: str = "") -> Learnt:
    """Learn and write the declaration of the site whose home page is `home` (see the module's docstring).
    Raises AddSiteError, FetchError, OutputError, with a one-line message."""
    parts = urlsplit(home)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddSiteError(f"{home!r} is not an http(s) URL of a home page")
    if not parts.path:
        home += "/"
    key = key or key_of(parts.hostname)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key) or key in ("base", "families"):
        # the registry skips modules named _*, and base/families are crawler.sites' own: such a module never loads
        raise AddSiteError(f"--key {key!r}: a site key is a lower-case letter, then letters, digits and _ "
                           "(a module name other than base and families)")
    if key in all_sites():
        raise AddSiteError(f"site {key!r} is declared already; choose another --key")
    fetcher = fetcher or Fetcher()
    found = discover(home, looks_like_article, fetcher, listed_rule=same_host(home))
    home_text = _home_text(found, home)
    pages, others = sample_articles(found, fetcher, samples)
    rule = infer_rule([canonicalize(url) for url, _ in pages],
                      [canonicalize(u) for u in (home, *found.sections, *others)])
    if rule is None:
        raise AddSiteError(f"no article URL rule accepts the {len(pages)} sampled articles of {home} and rejects "
                           "its other links")
    site = _declaration(home, key, home_text, found, rule, pages)
    fields = induce([(url, decode_html(body)) for url, body in pages], site)
    site = replace(site, selectors=Selectors(**{f.field: f.css for f in fields if f.css}))
    learnt = Learnt(site, rule, fields, found, pages)
    listings = {url: found.pages[url] for url in site.start_urls if url in found.pages}
    learnt.written = write_site(site, _docstring(learnt, origin), pages, sites_folder(into), origin, listings)
    return learnt


def same_host(home: str) -> Callable[[str], str | None]:
    """A rule that keeps every URL of `home`'s host (`www.` aside), as its own id."""
    host = host_of(home)
    return lambda url: url if host_of(url) == host else None


def key_of(host: str) -> str:
    """A site key from a host: its first label past "www." ("vnexpress.net" -> "vnexpress")."""
    label = host.lower().removeprefix("www.").split(".")[0]
    label = re.sub(r"[^a-z0-9]+", "_", label).strip("_") or "site"
    return label if not label[0].isdigit() else f"site_{label}"


def _home_text(found: Discovery, home: str) -> str:
    home_source = next(s for s in found.sources if s.kind == "home")
    if home_source.error:
        raise FetchError(home_source.error)
    text = decode_html(found.pages[home])
    if not re.search(r"<(?:html|body|head|a)[\s>]", text[:65536], re.I):
        raise AddSiteError(f"{home} is not an HTML page")
    return text


def sample_articles(found: Discovery, fetcher: Fetcher, wanted: int) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Up to `wanted` (URL, page) the generic layer reads as articles, from the sources' candidate URLs of the
    home page's host, each fetched as the site links it (canonical URLs drop `www.` and trailing slashes, which
    a site may not serve); and the candidates fetched that were not articles."""
    home_host = host_of(found.home)
    # URLs that look like an article's first: sitemaps and feeds may list sections, tags and authors too.
    listed = sorted(found.article_urls(), key=lambda u: looks_like_article(u) is None)
    candidates = {canonicalize(u): u for u in reversed(listed) if host_of(u) == home_host}
    pages: list[tuple[str, bytes]] = []
    others: list[str] = []
    for url in list(reversed(candidates.values()))[:wanted * TRIES_PER_SAMPLE]:
        if len(pages) >= wanted:
            break
        try:
            body, charset = fetcher.get(url)
        except FetchError:
            continue
        if ArticlePage(url, decode_html(body, charset)).looks_like_article:
            pages.append((url, body))
        else:
            others.append(url)
    if not pages:
        raise AddSiteError(f"no article found from {found.home} ({len(candidates)} candidate links, "
                           f"{len(found.sources)} sources)")
    return pages, others


def _declaration(home: str, key: str, home_text: str, found: Discovery, rule: UrlRule,
                 pages: list[tuple[str, bytes]]) -> Site:
    parts = urlsplit(home)
    host = parts.hostname or ""
    alias = host[4:] if host.startswith("www.") else f"www.{host}"
    page = Selector(text=home_text)
    name = (page.css('meta[property="og:site_name"]::attr(content)').get()
            or page.css("title::text").get() or host).strip()
    family = detect_family(home_text) or detect_family(decode_html(pages[0][1]))
    return Site(key=key, name=" ".join(name.split())[:120], hosts=(host, alias),
                start_urls=(*found.feeds(), home), article_path=rule.pattern,
                cms=family.name if family else "custom", scheme=parts.scheme,
                notes=f"Learnt by `newsarchive add-site` from {len(pages)} sampled pages; not reviewed.")


def _docstring(learnt: Learnt, origin: str) -> list[str]:
    return [f"{learnt.site.hosts[0]}: {learnt.site.name}.", "",
            f"Learnt by `newsarchive add-site` from {len(learnt.samples)} article pages{origin}, and NOT REVIEWED:",
            "a person must check the selectors and the article rule against the site's pages. What it inferred:", "",
            *learnt.report(), "",
            "A field without a selector was left to the page metadata and the generic layer."]
