"""Real article pages served under their own URLs, in a WARC written in tmp_path, with the ways in a test names.

The articles are real: the two vnexpress.net and the two cafef.vn pages of ../shared/real-pages/, and the pages of
every domain of ../shared/benchmarks/article-extraction-benchmark that holds two (ground-truth.json gives each
page's URL; html/<id>.html.gz its page). Everything else is written here, one flag per source, so that a test can
offer one way in alone: a robots.txt (naming /sitemap.xml with "sitemap"), a sitemap of the two articles
("sitemap"), a home page that announces an RSS feed of them ("feed"), links to them ("home") or to a section page
that links to them ("section"). The home page and robots.txt are always there; with no source they lead nowhere.
These home pages, feeds, sitemaps and section pages are reconstructions, not the sites' own.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from conftest import SHARED
from crawler.extract.urls import canonicalize
from sitewarc import rss, sitemap, write_responses, xml_escape

#: ../shared beside the checkout, or where NEWSARCHIVE_SHARED says (tests/conftest.py)
SHARED_DIR = SHARED
REAL_PAGES = SHARED_DIR / "real-pages"
BENCHMARK = SHARED_DIR / "benchmarks" / "article-extraction-benchmark"
#: The real pages of ../shared/real-pages/ used here: two domains of two pages each.
REAL_FILES = ("vnexpress-4954454.html", "vnexpress-5047363.html", "cafef-18826030622484142.html",
              "cafef-188260307071033787.html")
SOURCES = frozenset({"sitemap", "feed", "home", "section"})
SECTION_PATH = "/chuyen-muc/tin-moi"
#: The Date header of every response (a fixed day: the runs do not move with the clock).
DATE = "Wed, 20 Nov 2019 03:00:00 GMT"


@dataclass(frozen=True)
class Domain:
    """One site: its root ("https://vnexpress.net") and its articles, (URL as published, page bytes)."""

    root: str
    articles: tuple[tuple[str, bytes], ...]

    @property
    def home(self) -> str:
        return self.root + "/"


def need_shared() -> None:
    """Skip the test when ../shared (the real pages and the benchmark) is not beside the checkout."""
    if not (REAL_PAGES / "expected.json").exists() or not (BENCHMARK / "ground-truth.json").exists():
        pytest.skip(f"needs the real pages and the benchmark under {SHARED_DIR} (not beside this checkout)")


def _root(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def real_domains() -> list[Domain]:
    """vnexpress.net and cafef.vn, two real pages each."""
    expected = json.loads((REAL_PAGES / "expected.json").read_text(encoding="utf-8"))
    by_root: dict[str, list[tuple[str, bytes]]] = defaultdict(list)
    for name in REAL_FILES:
        url = expected[name]["url"]
        by_root[_root(url)].append((url, (REAL_PAGES / name).read_bytes()))
    return [Domain(root, tuple(pages)) for root, pages in by_root.items()]


def benchmark_domains() -> list[Domain]:
    """Every domain of the benchmark with exactly two pages (the URL without its fragment)."""
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    by_root: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for page_id, entry in truth.items():
        url = entry["url"].split("#", 1)[0]
        by_root[_root(url)].append((url, page_id))
    domains = []
    for root, pages in sorted(by_root.items()):
        if len(pages) == 2:
            domains.append(Domain(root, tuple((url, gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz")
                                                                   .read_bytes())) for url, page_id in pages)))
    return domains


def ways_in(domain: Domain, sources: frozenset[str] | set[str]) -> dict[str, tuple[bytes, str]]:
    """URL -> (body, content type) of the pages written for `domain` with `sources`."""
    root, urls = domain.root, [url for url, _ in domain.articles]
    links = "".join(f'<li><a href="{xml_escape(url)}">Bài {i}</a></li>' for i, url in enumerate(urls, 1))
    head = '<link rel="alternate" type="application/rss+xml" href="/feed.rss">' if "feed" in sources else ""
    body = (f"<ul>{links}</ul>" if "home" in sources else "") + (
        f'<a href="{SECTION_PATH}">Tin mới</a>' if "section" in sources else "") + '<a href="/lien-he">Liên hệ</a>'
    html = "text/html; charset=utf-8"
    robots = "User-agent: *\nAllow: /\n" + (f"Sitemap: {root}/sitemap.xml\n" if "sitemap" in sources else "")
    home = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Trang chủ</title>{head}</head>"
            f"<body><nav>{body}</nav></body></html>")
    pages = {f"{root}/": (home.encode(), html),
             f"{root}/robots.txt": (robots.encode(), "text/plain"),
             f"{root}/lien-he": (b"<html><body><p>Contact</p></body></html>", html)}
    if "sitemap" in sources:
        pages[f"{root}/sitemap.xml"] = (sitemap(urls), "application/xml")
    if "feed" in sources:
        pages[f"{root}/feed.rss"] = (rss(urls, f"{root}/"), "application/rss+xml")
    if "section" in sources:
        pages[f"{root}{SECTION_PATH}"] = (f"<html><body><div class='list'><ul>{links}</ul></div></body></html>"
                                          .encode(), html)
    return pages


def _aliases(url: str) -> set[str]:
    """The URL, its spelling without www. and its canonical one (a site answers them all; a crawl asks for the
    canonical one)."""
    parts = urlsplit(url)
    bare = urlunsplit(parts._replace(netloc=parts.netloc.removeprefix("www.")))
    return {url, bare, canonicalize(url)}


def build_warc(path: Path, domains: list[Domain], sources: frozenset[str] | set[str] | Mapping[str, set[str]],
               extra: dict[str, tuple[int, bytes, str]] | None = None) -> Path:
    """A WARC at `path` with every domain's articles, and its ways in for `sources` (see ways_in), the same for
    every domain or by domain root; `extra`: URL -> (status, body, content type) of more responses (bad input)."""
    responses: dict[str, tuple[int, bytes, str]] = {}
    for domain in domains:
        offered = sources[domain.root] if isinstance(sources, Mapping) else sources
        assert set(offered) <= SOURCES, offered
        for url, page in domain.articles:
            for alias in _aliases(url):
                responses[alias] = (200, page, "text/html; charset=utf-8")
        for url, (body, content_type) in ways_in(domain, offered).items():
            for alias in _aliases(url):
                responses[alias] = (200, body, content_type)
    responses.update(extra or {})
    return write_responses(path, responses, DATE)
