"""A declared site whose declared listing is wrong (404) but whose robots.txt names sitemaps, served on 127.0.0.1
for tests/test_sitemaps.py: a sitemap index over a gzipped urlset and a plain one, a Google News sitemap, and bad
input the index names too (itself, a gzip bomb, malformed XML, an HTML page)."""

from __future__ import annotations

import gzip
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from faultsite import Article, QuietServer, ServedOnLoopback, article_html

URLSET = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>{body}</urlset>'
NEWS_NS = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
#: What the index names besides the two good sitemaps: each is one failure.
BAD = {"/sitemap.xml": "the index itself", "/bom.xml.gz": "1 GB of zeros gzipped", "/hong.xml": "malformed XML",
       "/trang.xml": "an HTML page"}


def bomb(size: int = 1024 ** 3) -> bytes:
    """A gzip member of `size` zero bytes (about 1 MB for 1 GB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + packer.flush()


@dataclass
class SitemapSite(ServedOnLoopback):
    articles: list[Article]
    requests: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: QuietServer | None = None
    bomb: bytes = b""

    def start(self) -> "SitemapSite":
        self.bomb = bomb()
        self.serve(_handler(self))
        return self

    def urlset(self, articles: list[Article], news: bool = False) -> bytes:
        def entry(a: Article) -> str:
            date = (f"<news:news><news:publication_date>{a.published_iso}</news:publication_date></news:news>"
                    if news else f"<lastmod>{a.published_iso}</lastmod>")
            return f"<url><loc>{self.base}/bai/bai-viet-{a.id}</loc>{date}</url>"
        body = "".join(entry(a) for a in articles) + f"<url><loc>{self.base}/chuyen-muc/thoi-su</loc></url>"
        return URLSET.format(ns=NEWS_NS if news else "", body=body).encode()

    def index(self) -> bytes:
        names = ["/sitemap-1.xml.gz", "/sitemap-2.xml", *BAD]
        body = "".join(f"<sitemap><loc>{self.base}{name}</loc></sitemap>" for name in names)
        return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>').encode()

    def page(self, path: str) -> tuple[int, bytes, str]:
        """(status, body, content type) of `path`."""
        half = len(self.articles) // 2
        xml = "application/xml"
        routes = {
            "/robots.txt": (f"User-agent: *\nDisallow: /cam/\nSitemap: {self.base}/sitemap.xml\n"
                            f"Sitemap: {self.base}/news-sitemap.xml\n".encode(), "text/plain"),
            "/sitemap.xml": (self.index(), xml),
            "/sitemap-1.xml.gz": (gzip.compress(self.urlset(self.articles[:half])), "application/x-gzip"),
            "/sitemap-2.xml": (self.urlset(self.articles[half:]), xml),
            "/news-sitemap.xml": (self.urlset(self.articles[-5:], news=True), xml),
            "/bom.xml.gz": (self.bomb, "application/x-gzip"),
            "/hong.xml": (b'<?xml version="1.0"?><urlset><url><loc>http://x/</loc></url', xml),
            "/trang.xml": (b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Trang</title></head>"
                           b"<body><p>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y<br></body></html>", "text/html"),
        }
        if path in routes:
            return (200, *routes[path])
        by_path = {f"/bai/bai-viet-{a.id}": a for a in self.articles}
        if path in by_path:
            return 200, article_html(by_path[path]).encode(), "text/html; charset=utf-8"
        return 404, b"not found", "text/html"  # the declared listing /tin-tuc among them


def _handler(site: SitemapSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            with site.lock:
                site.requests[path] = site.requests.get(path, 0) + 1
            status, body, content_type = site.page(path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
