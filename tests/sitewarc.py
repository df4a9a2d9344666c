"""A WARC of one small site, for discovery, add-site and check-site tests replayed offline: article pages given
by the test, a home page linking them (and section pages linking back home), a robots.txt naming /sitemap.xml,
that sitemap, and optionally an RSS feed. The feed, sitemap and WARC writers are tests/realdomains.py's too, which
builds such WARCs for every real domain of ../shared."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HTML, XML, TEXT = "text/html; charset=utf-8", "application/xml", "text/plain"


def xml_escape(url: str) -> str:
    return url.replace("&", "&amp;")


def rss(items: list[str], home: str = "") -> bytes:
    """An RSS 2.0 feed whose items link to `items`."""
    links = "".join(f"<item><title>Bài {i}</title><link>{xml_escape(u)}</link></item>" for i, u in enumerate(items, 1))
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tin</title>'
            f"<link>{xml_escape(home)}</link>{links}</channel></rss>").encode()


def sitemap(urls: list[str]) -> bytes:
    """A urlset sitemap of `urls`."""
    entries = "".join(f"<url><loc>{xml_escape(u)}</loc></url>" for u in urls)
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
    """A WARC at `path` of 200 responses: URL -> (content type, body)."""
    write_responses(path, {url: (200, body, kind) for url, (kind, body) in documents.items()})


def write_responses(path: Path, responses: dict[str, tuple[int, bytes, str]], date: str | None = None) -> Path:
    """A WARC at `path` of responses: URL -> (status, body, content type); `date`: their Date header (when the
    pages were served: what a replay dates its records by), else none (served now)."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, (status, body, kind) in responses.items():
            reason = {200: "OK", 404: "Not Found"}.get(status, "Status")
            headers = [("Content-Type", kind), *([("Date", date)] if date else [])]
            http = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http))
    return path
