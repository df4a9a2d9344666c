"""Local stand-ins for the Wayback Machine and Common Crawl, serving captures of the thanhuytphcm fixture pages.

Wayback: `/cdx/search/cdx` (JSON, pages of `limit` rows with a resume key, one malformed row, one non-article URL,
two captures of one article) and `/web/<timestamp>id_/<url>` (one capture is a redirect, one answers 503 twice
first). Common Crawl: `/<crawl>-index` (JSON lines, paged, one broken line) and `/data/<file>` answering byte
ranges of a WARC built from the same pages.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FIXTURES = Path(__file__).parent / "fixtures" / "thanhuytphcm" / "pages"


class FakeArchives:
    def __init__(self, page_size: int = 7):
        self.pages = {}
        for golden in sorted(FIXTURES.glob("*.json")):
            url = json.loads(golden.read_text(encoding="utf-8"))["url"]
            self.pages[url] = golden.with_suffix(".html").read_bytes()
        self.urls = sorted(self.pages)
        self.page_size = page_size
        self.requests: dict[str, int] = {}
        self.redirect_url = self.urls[1]  # its Wayback capture is a redirect
        self.busy_url = self.urls[2]  # its Wayback capture answers 503 twice
        self.warc, self.ranges = self._warc()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def timestamp(self, i: int) -> str:
        return f"202205{10 + i % 18:02d}0{i % 10}3000"

    def cdx_rows(self) -> list[list[str]]:
        rows = [[self.timestamp(i), url.replace("https://", "http://"), "200", "text/html"]
                for i, url in enumerate(self.urls)]
        rows.insert(3, ["20220101000000", "http://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416", "200",
                        "text/html"])  # a listing page: not an article
        rows.insert(5, ["not-a-timestamp", "garbage"])  # malformed
        rows.append(["20230101000000", self.urls[0], "200", "text/html"])  # a later capture of the first article
        rows.append(["20210101000000", self.urls[4], "404", "text/html"])  # an error capture: filtered
        return rows

    def _warc(self) -> tuple[bytes, dict[str, tuple[int, int]]]:
        out = BytesIO()
        writer = WARCWriter(out, gzip=True)
        ranges = {}
        for url in self.urls:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            start = out.tell()
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(self.pages[url]),
                                                          http_headers=http))
            ranges[url] = (start, out.tell() - start)
        return out.getvalue(), ranges

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                fake.requests[parts.path] = fake.requests.get(parts.path, 0) + 1
                query = parse_qs(parts.query)
                host = query.get("url", ["/"])[0].split("/")[0]
                if parts.path == "/cdx/search/cdx":
                    rows = [r for r in fake.cdx_rows() if len(r) < 2 or f"//{host}/" in r[1]]
                    start = int(query.get("resumeKey", ["0"])[0])
                    limit = int(query.get("limit", ["1000"])[0])
                    chunk = rows[start:start + min(limit, fake.page_size)]
                    body = [["timestamp", "original", "statuscode", "mimetype"], *chunk]
                    if start + fake.page_size < len(rows):
                        body += [[], [str(start + fake.page_size)]]
                    return self.send(200, json.dumps(body).encode())
                if parts.path.startswith("/web/"):
                    stamp, _, url = parts.path[len("/web/"):].partition("id_/")
                    url = unquote(url)
                    target = next((u for u in fake.urls if u.split("://")[1] == url.split("://")[1]), None)
                    if target is None:
                        return self.send(404, b"not archived")
                    if target == fake.redirect_url:
                        return self.send(302, b"", {"Location": "https://thanhuytphcm.vn/"})
                    if target == fake.busy_url and fake.requests[parts.path] <= 2:
                        return self.send(503, b"slow down", {"Retry-After": "0"})
                    return self.send(200, fake.pages[target], {"Content-Type": "text/html; charset=utf-8"})
                if parts.path.endswith("-index"):
                    page = int(query.get("page", ["0"])[0])
                    lines = [json.dumps({"url": u, "timestamp": fake.timestamp(i), "status": "200",
                                         "mime": "text/html", "filename": "crawl-data/test.warc.gz",
                                         "offset": str(fake.ranges[u][0]), "length": str(fake.ranges[u][1])})
                             for i, u in enumerate(fake.urls) if f"//{host}/" in u]
                    lines.insert(2, "{this is not json")
                    chunk = lines[page * fake.page_size:(page + 1) * fake.page_size]
                    if not chunk:
                        return self.send(400, b"page out of range")
                    return self.send(200, ("\n".join(chunk) + "\n").encode())
                if parts.path == "/data/crawl-data/test.warc.gz":
                    spec = self.headers.get("Range", "")
                    first, _, last = spec.removeprefix("bytes=").partition("-")
                    body = fake.warc[int(first):int(last) + 1]
                    return self.send(206, body, {"Content-Range": f"bytes {first}-{last}/{len(fake.warc)}"})
                return self.send(404, b"")

        return Handler
