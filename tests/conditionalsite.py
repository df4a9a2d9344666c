"""A declared site served on 127.0.0.1 that answers conditional requests, for tests/test_conditional_requests.py.

Its discovery pages: a paginated listing /tin-tuc (ten links a page, `a.next`) that sends an ETag, an RSS feed
/rss.xml that sends a Last-Modified only, and, named by robots.txt, a sitemap index /sitemap.xml over two urlsets
and a news sitemap, which send both. With `honours` it answers 304 when If-None-Match equals the page's ETag as it
sent it (byte for byte), or, without If-None-Match, when If-Modified-Since is its Last-Modified as sent; without, it
answers 200 whatever the request says. `odd_etag` replaces the listing's ETag by a value no RFC allows. Paths in
`failing` answer 500. Every request is logged with its validators and the status it got.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from faultsite import Article, QuietServer, ServedOnLoopback, article_html

LAST_MODIFIED = "Mon, 15 Mar 2021 02:00:00 GMT"
URLSET = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{}</urlset>'


@dataclass
class Asked:
    path: str  # with its query: /tin-tuc?p=2
    if_none_match: str | None
    if_modified_since: str | None
    status: int = 0


@dataclass
class ConditionalSite(ServedOnLoopback):
    articles: list[Article]
    honours: bool = True
    odd_etag: str | None = None
    failing: set[str] = field(default_factory=set)
    log: list[Asked] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: QuietServer | None = None

    def start(self) -> "ConditionalSite":
        self.serve(_handler(self))
        return self

    def mark(self) -> int:
        """Where the log is now: `asked(since=mark)` is what came after."""
        with self.lock:
            return len(self.log)

    def asked(self, since: int = 0) -> list[Asked]:
        with self.lock:
            return list(self.log[since:])

    def listing(self, page: int) -> bytes:
        chunk = self.articles[(page - 1) * 10: page * 10]
        items = "".join(f"<li><a href='/bai/bai-viet-{a.id}'>{a.title}</a></li>" for a in chunk)
        more = f"<a class='next' href='/tin-tuc?p={page + 1}'>Trang sau</a>" if page * 10 < len(self.articles) else ""
        return f"<html><body><div class='list'><ul>{items}</ul></div>{more}</body></html>".encode()

    def feed(self) -> bytes:
        items = "".join(f"<item><title>{a.title}</title><link>{self.base}/bai/bai-viet-{a.id}</link></item>"
                        for a in self.articles[:10])
        return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()

    def urlset(self, articles: list[Article]) -> bytes:
        return URLSET.format("".join(f"<url><loc>{self.base}/bai/bai-viet-{a.id}</loc></url>"
                                     for a in articles)).encode()

    def index(self) -> bytes:
        names = "".join(f"<sitemap><loc>{self.base}{n}</loc></sitemap>" for n in ("/sitemap-1.xml", "/sitemap-2.xml"))
        return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{names}</sitemapindex>').encode()

    def page(self, path: str, query: str) -> tuple[int, bytes, str, dict[str, str]]:
        """(status, body, content type, validator headers) of `path`."""
        half = len(self.articles) // 2
        xml = "application/xml"
        routes = {
            "/robots.txt": (f"User-agent: *\nSitemap: {self.base}/sitemap.xml\n"
                            f"Sitemap: {self.base}/news-sitemap.xml\n".encode(), "text/plain", ()),
            "/rss.xml": (self.feed(), "application/rss+xml", ("Last-Modified",)),
            "/sitemap.xml": (self.index(), xml, ("ETag", "Last-Modified")),
            "/sitemap-1.xml": (self.urlset(self.articles[:half]), xml, ("ETag", "Last-Modified")),
            "/sitemap-2.xml": (self.urlset(self.articles[half:]), xml, ("ETag", "Last-Modified")),
            "/news-sitemap.xml": (self.urlset(self.articles[:5]), xml, ("ETag", "Last-Modified")),
        }
        if path == "/tin-tuc":
            page = int(query.removeprefix("p=") or 1)
            routes[path] = (self.listing(page), "text/html; charset=utf-8", ("ETag",))
        if path in self.failing:
            return 500, b"server error", "text/html", {}
        if path in routes:
            body, content_type, sent = routes[path]
            etag = self.odd_etag if (self.odd_etag and path == "/tin-tuc") else \
                f'"{hashlib.sha256(body).hexdigest()[:12]}"'
            validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            return 200, body, content_type, {k: v for k, v in validators.items() if k in sent}
        by_path = {f"/bai/bai-viet-{a.id}": a for a in self.articles}
        if path in by_path:
            return 200, article_html(by_path[path]).encode(), "text/html; charset=utf-8", {}
        return 404, b"not found", "text/html", {}

    def not_modified(self, asked: Asked, validators: dict[str, str]) -> bool:
        if not self.honours:
            return False
        if asked.if_none_match is not None:
            return asked.if_none_match == validators.get("ETag")
        return asked.if_modified_since is not None and asked.if_modified_since == validators.get("Last-Modified")


def _handler(site: ConditionalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            asked = Asked(parts.path + (f"?{parts.query}" if parts.query else ""),
                          self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
            status, body, content_type, validators = site.page(parts.path, parts.query)
            if status == 200 and site.not_modified(asked, validators):
                status, body = 304, b""
            asked.status = status
            with site.lock:
                site.log.append(asked)
            self.send_response(status)
            for name, value in validators.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def write_site_module(folder, base: str, key: str) -> None:
    """The declaration of the site at `base`, as a module for NEWSARCHIVE_SITES_PATH."""
    (folder / f"{key}.py").write_text(
        "from crawler.sites.base import Selectors, Site\n"
        f"SITE = Site(key={key!r}, name='Local conditional site', hosts=('127.0.0.1',), scheme='http',\n"
        f"    start_urls=('{base}/tin-tuc', '{base}/rss.xml'), article_path=r'^/bai/bai-viet-(?P<id>\\d+)$',\n"
        "    listing_links='div.list a[href]', next_page='a.next', max_listing_pages=10,\n"
        "    selectors=Selectors(title='h1.title', date='span.date', body='div.body'))\n", encoding="utf-8")
