"""For a user with network access: turn a live page into a test fixture, and check a site's selectors on its
latest articles. A handful of polite requests (robots.txt obeyed, a second apart, our user agent); no Scrapy."""

from __future__ import annotations

import json
import re
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.extract.css import css_xpath
from crawler.extract.page import ArticlePage, parse_html
from crawler.live.http import ServerUnavailable, Client
from crawler.archive.outputs import OutputError, describe, write_file
from crawler.settings import USER_AGENT
from crawler.sites.base import Site
from crawler.extract.text import decode_html

#: The record fields a golden file holds (the rest, such as body_html or fetched_at, change from run to run).
GOLDEN_FIELDS = ("site", "url", "canonical_url", "article_id", "title", "lead", "body", "byline", "published_at",
                 "published_precision", "published_text", "category", "tags", "images")
CHECKED_FIELDS = ("title", "published_at", "lead", "body", "byline", "images")


class FetchError(Exception):
    """A page that could not be fetched; the message is meant for the user."""


class Fetcher:
    """crawler.live.http.Client with robots.txt obeyed; any answer but 200 is a FetchError."""

    def __init__(self, delay: float = 1.0, timeout: float = 30.0):
        self.client = Client(delay=delay, retries=2, timeout=timeout, max_bytes=10 * 1024 * 1024)
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self.robots:
            parser = urllib.robotparser.RobotFileParser(base + "/robots.txt")
            try:
                status, body = self.client.get(base + "/robots.txt")
            except ServerUnavailable:
                status, body = 0, b""
            parser.parse(body.decode("utf-8", "replace").splitlines() if status == 200 else [])
            self.robots[base] = parser
        return self.robots[base].can_fetch(USER_AGENT, url)

    def get(self, url: str) -> tuple[bytes, str | None]:
        if not self.allowed(url):
            raise FetchError(f"robots.txt of {urlsplit(url).netloc} does not allow {url}")
        try:
            status, body = self.client.get(url)
        except ServerUnavailable as e:
            raise FetchError(str(e)) from None
        if status != 200:
            raise FetchError(f"{url}: HTTP {status}")
        return body, self.client.headers.get_content_charset() if self.client.headers else None


def capture(url: str, site: Site, fixtures: Path, fetcher: Fetcher | None = None) -> tuple[Path, Path]:
    """Save the page at `url` under fixtures/<site>/pages/ with its extracted record as an UNREVIEWED golden file.
    Returns (html path, json path)."""
    fetcher = fetcher or Fetcher()
    body, charset = fetcher.get(url)
    record = ArticlePage(url, decode_html(body, charset), site).to_record()
    folder = fixtures / site.key / "pages"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create {folder}: {describe(e)}") from None
    name = re.sub(r"[^a-z0-9-]+", "-", urlsplit(url).path.rsplit("/", 1)[-1].lower()).strip("-")[:80] or "page"
    html_path, json_path = folder / f"{name}.html", folder / f"{name}.json"
    if _reviewed(json_path):
        raise FetchError(f"{json_path} is a reviewed golden file; move it away to capture the page again")
    golden = {k: record[k] for k in GOLDEN_FIELDS}
    golden["reviewed"] = False
    golden["review_note"] = ("Written by `newsarchive capture` from the extractor's output: check every field against "
                             "the page, correct it, then set reviewed to true.")
    new_page = not html_path.exists()
    write_file(html_path, body)
    try:
        write_file(json_path, json.dumps(golden, ensure_ascii=False, indent=1) + "\n")
    except OutputError:
        if new_page:  # a page without its golden file would be an untested fixture
            html_path.unlink(missing_ok=True)
        raise
    return html_path, json_path


def _reviewed(golden: Path) -> bool:
    try:
        return json.loads(golden.read_text(encoding="utf-8")).get("reviewed") is True
    except (OSError, ValueError, AttributeError):
        return False


@dataclass
class PageCheck:
    url: str
    layers: dict[str, str]  # field -> "site" | "metadata" | "heuristic" | "missing"
    error: str | None = None


def check_site(site: Site, limit: int = 5, fetcher: Fetcher | None = None) -> list[PageCheck]:
    """The `limit` newest articles of the site's first listing, and for each field which layer gave it."""
    fetcher = fetcher or Fetcher()
    listing_url = site.start_urls[0]
    body, charset = fetcher.get(listing_url)
    root = parse_html(decode_html(body, charset))
    links: list[str] = []
    for anchor in css_xpath(site.listing_links)(root):
        href = anchor.get("href") if hasattr(anchor, "get") else None
        url = urljoin(listing_url, href or "")
        if href and site.is_article(url) and site.canonical_url(url) not in links:
            links.append(site.canonical_url(url))
    checks = []
    for url in links[:limit]:
        try:
            page_body, page_charset = fetcher.get(url)
        except FetchError as e:
            checks.append(PageCheck(url, {}, str(e)))
            continue
        page = ArticlePage(url, decode_html(page_body, page_charset), site)
        record = page.to_record()
        layers = {f: (record["extracted_with"].get(f, "missing") if record.get(f) else "missing")
                  for f in CHECKED_FIELDS}
        checks.append(PageCheck(url, layers))
    return checks


def selectors_hold(site: Site, checks: list[PageCheck]) -> bool:
    """Whether at least half of the checked pages got title, date and body from the site's own selectors (the
    drift alarm's rule)."""
    watched = [f for f, sel in (("title", site.selectors.title), ("published_at", site.selectors.date),
                                ("body", site.selectors.body)) if sel]
    good = [c for c in checks if not c.error and all(c.layers.get(f) == "site" for f in watched)]
    return bool(checks) and len(good) * 2 >= len(checks)


def as_rows(checks: list[PageCheck]) -> list[tuple[Any, ...]]:
    return [(c.url, *(c.layers.get(f, "-") for f in CHECKED_FIELDS), c.error or "") for c in checks]
