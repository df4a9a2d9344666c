"""A polite HTTP client for the few requests made outside Scrapy (web-archive backfill, checking a live site):
our user agent, a pause between requests, backoff on 429 and 503 (Retry-After honoured), redirects followed or not;
and, for a site's own pages (check-site, capture), the same client with robots.txt obeyed."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from typing import Any
from urllib.parse import urlsplit

from crawler.settings import USER_AGENT


class ServerUnavailable(Exception):
    """A server that did not answer as it should, after retries; the message is meant for the user."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect answered as such (a web-archive capture that is a redirect must not lead to the live web)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_NO_REDIRECTS = urllib.request.build_opener(_NoRedirects)
_REDIRECTS = urllib.request.build_opener()


class Client:
    """urllib with a pause between requests and backoff on 429/503 (the web archives ask for both)."""

    def __init__(self, delay: float = 1.0, retries: int = 4, backoff: float = 2.0, timeout: float = 60.0,
                 follow_redirects: bool = True, max_bytes: int = 64 * 1024 * 1024):
        self.delay, self.retries, self.backoff, self.timeout = delay, retries, backoff, timeout
        self.opener = _REDIRECTS if follow_redirects else _NO_REDIRECTS
        self.max_bytes = max_bytes
        self.last = 0.0
        self.requests = 0
        #: The response headers of the last request.
        self.headers: Any = None

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        wait = 0.0
        for attempt in range(self.retries + 1):
            pause = max(wait, self.delay - (time.monotonic() - self.last))
            if pause > 0:
                time.sleep(pause)
            self.last = time.monotonic()
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    self.headers = response.headers
                    return response.status, response.read(self.max_bytes)
            except urllib.error.HTTPError as e:
                self.headers = e.headers
                if e.code in (429, 503) and attempt < self.retries:
                    retry_after = e.headers.get("Retry-After")
                    wait = float(retry_after) if retry_after and retry_after.isdigit() else self.backoff * 2 ** attempt
                    continue
                return e.code, e.read() if e.fp else b""
            except (urllib.error.URLError, TimeoutError, OSError) as e:
                if attempt < self.retries:
                    wait = self.backoff * 2 ** attempt
                    continue
                raise ServerUnavailable(f"{url}: {getattr(e, 'reason', e)}") from None
        raise ServerUnavailable(f"{url}: still busy after {self.retries} retries")


class FetchError(Exception):
    """A page that could not be fetched; the message is meant for the user."""


class Fetcher:
    """Client with robots.txt obeyed; any answer but 200 is a FetchError. `client`: where the answers come from
    (by default the network; crawler.live.replay.WarcClient reads them from a WARC instead)."""

    def __init__(self, delay: float = 1.0, timeout: float = 30.0, client: Client | None = None):
        self.client = client or Client(delay=delay, retries=2, timeout=timeout, max_bytes=10 * 1024 * 1024)
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

    def sitemaps(self, url: str) -> list[str]:
        """The sitemaps the `Sitemap:` lines of the robots.txt of `url`'s site name, in its order."""
        self.allowed(url)
        parts = urlsplit(url)
        return list(self.robots[f"{parts.scheme}://{parts.netloc}"].site_maps() or [])

    def get(self, url: str) -> tuple[bytes, str | None]:
        """The page's body and the charset its Content-Type declares (None if it declares none)."""
        if not self.allowed(url):
            raise FetchError(f"robots.txt of {urlsplit(url).netloc} does not allow {url}")
        try:
            status, body = self.client.get(url)
        except ServerUnavailable as e:
            raise FetchError(str(e)) from None
        if status != 200:
            raise FetchError(f"{url}: HTTP {status}")
        return body, self.client.headers.get_content_charset() if self.client.headers else None
