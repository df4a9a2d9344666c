"""A party-site that misbehaves on purpose, served on 127.0.0.1 for the reliability tests.

It serves section listings (20 links a page, `a.next` to the next page) over HEALTHY generated articles and one
article per fault. What each URL does is decided by its slug; the server counts requests per path, records user
agents and the most requests it had in flight at once, so tests can check retries and politeness.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SYLLABLES = [a + b for a in ("b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "ph", "s", "t", "th", "tr", "v", "x",
                             "ng", "nh", "ch", "kh", "gi")
             for b in ("a", "à", "ả", "á", "ạ", "ăn", "ân", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "anh", "ương",
                       "iêng", "uôn", "oan", "ơi", "ưng", "ông", "ít")]

#: slug -> what the article URL does. Transient faults heal after `TRANSIENT_FAILURES` requests.
FAULTS = {
    "loi-500": "http 500",
    "tam-503": "http 503 (transient)",
    "cham": "timeout (transient)",
    "ngat": "connection reset",
    "cut": "truncated body",
    "cp1252": "windows-1252 declared over UTF-8 bytes (healthy)",
    "cu-1258": "legacy windows-1258 page, declared (healthy)",
    "pdf": "a PDF",
    "anh": "an image",
    "to": "a 20 MB page",
    "vong": "a redirect loop",
    "ra": "a redirect off-site",
    "cam": "disallowed by robots.txt",
    "sai-utf8": "windows-1258 bytes declared UTF-8 (healthy)",
}
TRANSIENT_FAILURES = 3  # one request and Scrapy's two retries
FAULT_ID = {slug: 9001 + i for i, slug in enumerate(FAULTS)}


@dataclass
class Article:
    id: int
    title: str
    paragraphs: list[str]
    published: str  # as printed: "Thứ hai, 15/03/2021 08:30"
    published_iso: str


def generate(n: int, seed: int = 11) -> list[Article]:
    rng = random.Random(seed)

    def sentence(k: int) -> str:
        return " ".join(rng.choice(SYLLABLES) for _ in range(k)).capitalize() + "."

    articles = []
    for i in range(n):
        day, hour = 1 + i % 28, 6 + i % 12
        articles.append(Article(
            id=10000 + i, title=f"{sentence(9)[:-1]} số {i}",
            paragraphs=[" ".join(sentence(rng.randint(10, 18)) for _ in range(3)) for _ in range(3)],
            published=f"Thứ hai, {day:02d}/03/2021 {hour:02d}:30",
            published_iso=f"2021-03-{day:02d}T{hour:02d}:30:00+07:00"))
    return articles


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Vietnamese as windows-1258 writes it: letters with their vowel marks precomposed, tone marks combining."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def article_html(a: Article, pad: int = 0) -> str:
    """The article page; `pad` bytes of page furniture (menus, related lists) around it, as real pages carry."""
    body = "".join(f"<p>{p}</p>" for p in a.paragraphs)
    furniture = ""
    if pad:
        item = "<li><a href='/chuyen-muc/tin-tuc-su-kien'>Tin tức - Sự kiện</a> <span>Thứ hai, 01/03/2021</span></li>"
        furniture = "<nav class='menu'><ul>" + item * (pad // len(item.encode()) + 1) + "</ul></nav>"
    return (f"<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'><title>{a.title}</title></head><body>"
            f"{furniture}<div class='article'><h1 class='title'>{a.title}</h1><span class='date'>{a.published}</span>"
            f"<div class='body'>{body}</div></div></body></html>")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up on a 20 MB page or a reset: expected here


class ServedOnLoopback:
    """What a test site served on 127.0.0.1 shares: its base URL, `serve` (start a QuietServer on a free port with
    a handler class) and `stop`. The site keeps its server in `server` (a dataclass field, None until served)."""

    server: QuietServer | None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"  # type: ignore[union-attr]

    def serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = QuietServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@dataclass
class FaultSite:
    articles: list[Article]
    per_page: int = 20
    requests: dict[str, int] = field(default_factory=dict)
    user_agents: set[str] = field(default_factory=set)
    in_flight: int = 0
    max_in_flight: int = 0
    times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    offsite_hits: int = 0
    server: ThreadingHTTPServer | None = None
    offsite: ThreadingHTTPServer | None = None
    #: False: a well-behaved site (healthy articles only), for the politeness test.
    faults: bool = True
    #: Bytes of page furniture around each article (bench/crawl.py serves ~60 KB pages).
    pad: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def links(self) -> list[str]:
        """Listing links, newest first: healthy articles with the faulty ones spread among them."""
        healthy = [f"/bai/bai-viet-{a.id}" for a in self.articles]
        if not self.faults:
            return healthy
        faulty = [f"/{'cam' if slug == 'cam' else 'bai'}/{slug}-{FAULT_ID[slug]}" for slug in FAULTS]
        for i, link in enumerate(faulty):
            healthy.insert(min(len(healthy), 3 + i * 7), link)
        return healthy

    def start(self) -> "FaultSite":
        site = self

        class Offsite(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.offsite_hits += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = QuietServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.offsite = QuietServer(("localhost", 0), Offsite)
        self.offsite.daemon_threads = True
        for server in (self.server, self.offsite):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in (self.server, self.offsite):
            if server is not None:
                server.shutdown()
                server.server_close()

    def site_module(self, folder: Path, key: str = "faultsite") -> Path:
        """A site declaration for this server, for NEWSARCHIVE_SITES_PATH."""
        return write_site_module(folder, self.base, key)


def write_site_module(folder: Path, base: str, key: str = "faultsite", max_listing_pages: int = 100) -> Path:
    """A declaration of a site served in this layout at `base`, as a module for NEWSARCHIVE_SITES_PATH."""
    path = folder / f"{key}.py"
    path.write_text(
        "from crawler.sites.base import Selectors, Site\n"
        f"SITE = Site(key={key!r}, name='Local test site', hosts=('127.0.0.1',), scheme='http',\n"
        f"    start_urls=('{base}/tin-tuc',), article_path=r'^/(?:bai|cam)/[^/?]*-(?P<id>\\d+)$',\n"
        f"    listing_links='div.list a[href]', next_page='a.next', max_listing_pages={max_listing_pages},\n"
        "    selectors=Selectors(title='h1.title', date='span.date', body='div.body'))\n", encoding="utf-8")
    return path


def _handler(site: FaultSite) -> type[BaseHTTPRequestHandler]:
    by_id = {a.id: a for a in site.articles}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            path = urlsplit(self.path).path
            with site.lock:
                site.requests[path] = site.requests.get(path, 0) + 1
                site.user_agents.add(self.headers.get("User-Agent", ""))
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
                site.times.append(time.monotonic())
                count = site.requests[path]
            try:
                self.route(path, count)
            finally:
                with site.lock:
                    site.in_flight -= 1

        def send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def route(self, path: str, count: int) -> None:
            if path == "/robots.txt":
                return self.send(200, b"User-agent: *\nDisallow: /cam/\n", "text/plain")
            if path == "/tin-tuc":
                return self.listing(int(dict(p.split("=") for p in urlsplit(self.path).query.split("&") if "=" in p)
                                        .get("p", 1)))
            if not path.startswith(("/bai/", "/cam/")):
                return self.send(404, b"not found")
            slug, _, number = path.split("/")[2].rpartition("-")
            if slug == "bai-viet" and int(number) in by_id:
                return self.send(200, article_html(by_id[int(number)], site.pad).encode())
            return self.fault(slug, path, count)

        def listing(self, page: int) -> None:
            links = site.links()
            chunk = links[(page - 1) * site.per_page: page * site.per_page]
            items = "".join(f"<li><a href='{href}'>{href}</a></li>" for href in chunk)
            more = f"<a class='next' href='/tin-tuc?p={page + 1}'>Trang sau</a>" if page * site.per_page < len(
                links) else ""
            self.send(200, f"<html><body><div class='list'><ul>{items}</ul></div>{more}</body></html>".encode())

        def fault(self, slug: str, path: str, count: int) -> None:
            fault_article = Article(FAULT_ID.get(slug, 0), f"Bài kiểm tra lỗi {slug}",
                                    [f"Nội dung đầy đủ của bài kiểm tra {slug}, đoạn {i}." for i in range(3)],
                                    "Thứ hai, 01/03/2021 09:00", "2021-03-01T09:00:00+07:00")
            html = article_html(fault_article).encode()
            transient_failure = count <= TRANSIENT_FAILURES
            if slug == "loi-500":
                return self.send(500, b"server error")
            if slug == "tam-503":
                return self.send(503, b"busy") if transient_failure else self.send(200, html)
            if slug == "cham":
                if transient_failure:
                    time.sleep(3)
                return self.send(200, html)
            if slug == "ngat":  # a reset: RST instead of an answer
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return None
            if slug == "cut":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(html) * 3))
                self.end_headers()
                self.wfile.write(html[: len(html) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return None
            if slug == "cp1252":
                return self.send(200, html, "text/html; charset=windows-1252")
            if slug == "cu-1258":
                legacy = article_html(fault_article).replace("charset='utf-8'", "charset='windows-1258'")
                return self.send(200, to_cp1258(legacy), "text/html")
            if slug == "sai-utf8":  # the header and the meta say UTF-8
                return self.send(200, to_cp1258(article_html(fault_article)), "text/html; charset=utf-8")
            if slug == "pdf":
                return self.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
            if slug == "anh":
                return self.send(200, b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 100, "image/jpeg")
            if slug == "to":
                return self.send(200, b"<html><body>" + b"x" * (20 * 1024 * 1024) + b"</body></html>")
            if slug == "vong":
                n = count
                return self.send(302, b"", headers={"Location": f"{path}?vong={n}"})
            if slug == "ra":
                return self.send(302, b"", headers={"Location": f"http://localhost:{site.offsite.server_address[1]}/x"})
            return self.send(200, html)

    return Handler
