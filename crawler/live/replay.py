"""The answers of a `crawler.live.http.Fetcher` read from a WARC instead of the network (`--replay WARC` of
`add-site` and `check-site`): a URL the file does not hold is a 404, as the crawl's replay answers it
(crawler.evidence.replay)."""

from __future__ import annotations

from email.message import Message
from pathlib import Path

from crawler.evidence.warc import WarcIndex
from crawler.evidence.warcrecords import RecordTooLarge, RecordTruncated
from crawler.live.http import Client, Fetcher, ServerUnavailable


class WarcClient(Client):
    """A `Client` whose answers are a WARC file's responses; nothing is sent anywhere, nothing waits."""

    def __init__(self, path: str | Path, max_bytes: int = 10 * 1024 * 1024):
        super().__init__(delay=0.0, retries=0, max_bytes=max_bytes)
        self.index = WarcIndex.open(path)  # WarcError for a file that is missing or not a WARC

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        self.requests += 1
        try:
            capture = self.index.get(url, limit=self.max_bytes)
        except (RecordTooLarge, RecordTruncated) as e:
            raise ServerUnavailable(f"{url}: {e}") from None
        self.headers = Message()
        if capture is None:
            return 404, b""
        for name, value in capture.headers:
            self.headers[name] = value
        return capture.status, capture.body


def replay_fetcher(path: str | Path) -> Fetcher:
    """A Fetcher (robots.txt obeyed, as live) answered from the WARC at `path`."""
    return Fetcher(client=WarcClient(path))
