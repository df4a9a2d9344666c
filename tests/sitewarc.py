"""A WARC of one small site, for discovery, add-site and check-site tests replayed offline: article pages given
by the test, a home page linking them (and section pages linking back home), a robots.txt naming /sitemap.xml,
that sitemap, and optionally an RSS feed. (A stand-in until tests/realdomains.py, of the discovery work, builds
such WARCs for every real domain; the two are to be merged.)"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HTML, XML, TEXT = "text/html; charset=utf-8", "application/xml", "text/plain"


def rss(items: list[str]) -> bytes:
    links = "".join(f"<item><title>Bài</title><link>{u}</link></item>" for u in items)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>{links}</channel></rss>'.encode()


def sitemap(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{entries}</urlset>").encode()


def site_documents(home: str, articles: dict[str, bytes], sections: tuple[str, ...] = (),
                   in_sitemap: list[str] | None = None, home_links: list[str] | None = None,
                   home_page: bytes | None = None) -> dict[str, tuple[str, bytes]]:
    """URL -> (content type, body) of the site (see the module's docstring). `in_sitemap`, `home_links`: which
    articles the sitemap lists and the home page links (default: all; None of a sitemap: no robots line)."""
    linked = list(articles) if home_links is None else home_links
    links = "".join(f'<li><a href="{u}">Bài {i}</a></li>' for i, u in enumerate(linked))
    links += "".join(f'<li><a href="{u}">Chuyên mục</a></li>' for u in sections)
    listed = list(articles) if in_sitemap is None else in_sitemap
    documents = {
        home: (HTML, home_page or f"<html><head><title>Trang chủ</title></head><body><ul>{links}</ul></body>"
                                  f"</html>".encode()),
        home + "robots.txt": (TEXT, f"User-agent: *\nAllow: /\nSitemap: {home}sitemap.xml\n".encode()),
        home + "sitemap.xml": (XML, sitemap(listed)),
    }
    for section in sections:
        documents[section] = (HTML, f'<html><body><a href="{home}">Trang chủ</a></body></html>'.encode())
    documents.update({url: (HTML, body) for url, body in articles.items()})
    return documents


def write_site_warc(path: Path, documents: dict[str, tuple[str, bytes]]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, (kind, body) in documents.items():
            http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http))
