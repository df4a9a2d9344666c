"""Backfill a declared site's history from the public web archives: the Wayback Machine and Common Crawl.

1. List the site's captures from the archives' CDX indexes (its hosts, HTML, status 200), keep those whose URL is an
   article of the site, one per article key (the earliest, or the latest), and remember them in the archive
   (`backfill_captures`), so an interrupted run goes on where it stopped.
2. Fetch each capture as it was archived (Wayback's raw `id_` form; Common Crawl's WARC record by byte range), and
   store it through the same page objects and `archive.store_article` as a crawl: an article already archived is
   not stored twice, a different text becomes a revision. Each record keeps its origin, capture time and archive URL.

Polite: one request at a time per archive, a pause between requests, backoff on 429 and 503. No Scrapy here.
"""

from __future__ import annotations

import json
import os
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from crawler import archive
from crawler.extract.dates import VN_TZ
from crawler.extract.page import extract_article
from crawler.live.http import ServerUnavailable, Client
from crawler.extract.records import prepare
from crawler.archive.lock import run_lock
from crawler.settings import USER_AGENT
from crawler.sites.base import Site
from crawler.extract.text import decode_html
from crawler.evidence.warc import WarcWriterFiles

#: The archives' addresses (environment variables point them elsewhere, e.g. at a mirror or a test server).
WAYBACK = os.environ.get("NEWSARCHIVE_WAYBACK", "https://web.archive.org")
CC_INDEX = os.environ.get("NEWSARCHIVE_CC_INDEX", "https://index.commoncrawl.org")
CC_DATA = os.environ.get("NEWSARCHIVE_CC_DATA", "https://data.commoncrawl.org")
#: Common Crawl indexes searched by default: the most recent crawls (a crawl name per index).
CC_CRAWLS = ("CC-MAIN-2025-47", "CC-MAIN-2025-30", "CC-MAIN-2025-13")


@dataclass
class Capture:
    source: str  # "wayback" | "commoncrawl"
    url: str
    timestamp: str  # YYYYMMDDhhmmss, UTC
    extra: dict[str, Any]

    @property
    def captured_at(self) -> str:
        when = datetime.strptime(self.timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        return when.astimezone(VN_TZ).isoformat()


def wayback_captures(client: Client, host: str, since: str | None, until: str | None,
                     page_size: int = 5000) -> Iterator[Capture]:
    """The Wayback CDX index of one host, page by page with resume keys; malformed lines are skipped."""
    resume = None
    while True:
        params = [("url", f"{host}/*"), ("output", "json"), ("fl", "timestamp,original,statuscode,mimetype"),
                  ("filter", "statuscode:200"), ("filter", "mimetype:text/html"), ("limit", str(page_size)),
                  ("showResumeKey", "true")]
        if since:
            params.append(("from", since.replace("-", "")))
        if until:
            params.append(("to", until.replace("-", "")))
        if resume:
            params.append(("resumeKey", resume))
        status, body = client.get(f"{WAYBACK}/cdx/search/cdx?{urllib.parse.urlencode(params)}")
        if status != 200:
            raise ServerUnavailable(f"Wayback CDX answered HTTP {status} for {host}")
        try:
            rows = json.loads(body or b"[]")
        except ValueError:
            raise ServerUnavailable(f"Wayback CDX sent something that is not JSON for {host}") from None
        resume = None
        for row in rows[1:]:
            if isinstance(row, list) and len(row) == 1 and isinstance(row[0], str):
                resume = row[0]
            elif isinstance(row, list) and len(row) >= 4 and str(row[0]).isdigit():
                if str(row[2]) == "200" and "html" in str(row[3]):
                    yield Capture("wayback", str(row[1]), str(row[0]), {})
        if not resume:
            return


def commoncrawl_captures(client: Client, host: str, crawls: tuple[str, ...]) -> Iterator[Capture]:
    """Common Crawl's CDX index (JSON lines) of one host in each crawl, page by page; bad lines are skipped."""
    for crawl in crawls:
        page = 0
        while True:
            params = urllib.parse.urlencode({"url": f"{host}/*", "output": "json", "page": str(page)})
            status, body = client.get(f"{CC_INDEX}/{crawl}-index?{params}")
            if status == 404 or (status == 400 and page > 0):
                break  # no capture of this host in this crawl, or past the last page
            if status != 200:
                raise ServerUnavailable(f"Common Crawl index {crawl} answered HTTP {status} for {host}")
            lines = [line for line in body.decode("utf-8", "replace").splitlines() if line.strip()]
            if not lines:
                break
            for line in lines:
                try:
                    row = json.loads(line)
                    if str(row.get("status")) == "200" and "html" in str(row.get("mime", "")):
                        yield Capture("commoncrawl", row["url"], str(row["timestamp"]),
                                      {"filename": row["filename"], "offset": int(row["offset"]),
                                       "length": int(row["length"]), "crawl": crawl})
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue
            page += 1


def fetch(client: Client, capture: Capture) -> tuple[bytes | None, str, str]:
    """(page bytes or None, archive URL, failure reason)."""
    if capture.source == "wayback":
        archive_url = f"{WAYBACK}/web/{capture.timestamp}id_/{capture.url}"
        status, body = client.get(archive_url)
        if status != 200:
            return None, archive_url, f"http {status}"
        return body, archive_url, ""
    start, length = capture.extra["offset"], capture.extra["length"]
    archive_url = f"{CC_DATA}/{capture.extra['filename']}"
    status, body = client.get(archive_url, {"Range": f"bytes={start}-{start + length - 1}"})
    if status not in (200, 206):
        return None, archive_url, f"http {status}"
    try:
        for record in ArchiveIterator(BytesIO(body)):
            if record.rec_type == "response":
                code = record.http_headers.get_statuscode() if record.http_headers else ""
                if code != "200":
                    return None, archive_url, f"archived http {code}"
                return record.content_stream().read(), archive_url, ""
    except Exception as e:  # a damaged range: counted, the backfill goes on
        return None, archive_url, f"bad WARC record: {type(e).__name__}"
    return None, archive_url, "no response record"


def _ensure_tables(db: Database) -> None:
    if "backfill_captures" not in db.table_names():
        db["backfill_captures"].create(
            {"site": str, "source": str, "article_id": str, "url": str, "timestamp": str, "extra": str,
             "outcome": str}, pk=("site", "source", "article_id"))


def backfill(db_path: Any, site: Site, sources: tuple[str, ...] = ("wayback", "commoncrawl"),
             since: str | None = None, until: str | None = None, latest: bool = False, limit: int | None = None,
             client: Client | None = None, crawls: tuple[str, ...] = CC_CRAWLS,
             on_capture: Callable[[str], None] | None = None) -> Counter[str]:
    """Backfill `site` into the archive at `db_path`; counts by outcome. Safe to interrupt and run again.

    Takes the archive's run lock (RunLocked if another run writes to it), after checking that `db_path` can be an
    archive."""
    archive.check_is_database(Path(db_path))
    with run_lock(db_path):
        return _backfill_locked(db_path, site, sources, since, until, latest, limit, client, crawls, on_capture)


def _backfill_locked(db_path: Any, site: Site, sources: tuple[str, ...], since: str | None, until: str | None,
                     latest: bool, limit: int | None, client: Client | None, crawls: tuple[str, ...],
                     on_capture: Callable[[str], None] | None) -> Counter[str]:
    client = client or Client(delay=float(os.environ.get("NEWSARCHIVE_ARCHIVE_DELAY", "1.0")),
                              follow_redirects=False)
    db = archive.open_archive(db_path)
    counts: Counter[str] = Counter()
    # The captures go into this run's WARC too: the evidence stays with the archive, whatever the archives do later.
    warc = WarcWriterFiles(Path(db_path).parent / "warc", f"backfill-{site.key}", 1024 ** 3,
                           {"software": "newsarchive backfill", "description": f"captures of {site.key} from "
                            f"{', '.join(sources)}, as archived", "format": "WARC File Format 1.1"})
    try:
        _ensure_tables(db)
        for source in sources:
            listed = {r["article_id"] for r in db.query(
                "SELECT article_id FROM backfill_captures WHERE site = ? AND source = ?", [site.key, source])}
            chosen: dict[str, Capture] = {}
            for host in dict.fromkeys(h.removeprefix("www.") for h in site.hosts):
                found = wayback_captures(client, host, since, until) if source == "wayback" \
                    else commoncrawl_captures(client, host, crawls)
                for capture in found:
                    key = site.article_id(capture.url)
                    if key is None:
                        counts["not an article"] += 1
                        continue
                    if key in listed:
                        continue
                    if since and capture.timestamp[:8] < since.replace("-", ""):
                        continue
                    if until and capture.timestamp[:8] > until.replace("-", ""):
                        continue
                    best = chosen.get(key)
                    if best is None or (capture.timestamp > best.timestamp if latest
                                        else capture.timestamp < best.timestamp):
                        chosen[key] = capture
            with db.atomic():
                db["backfill_captures"].insert_all(
                    [{"site": site.key, "source": source, "article_id": key, "url": c.url, "timestamp": c.timestamp,
                      "extra": json.dumps(c.extra), "outcome": None} for key, c in sorted(chosen.items())],
                    ignore=True)
            pending = list(db.query("SELECT * FROM backfill_captures WHERE site = ? AND source = ? AND outcome IS "
                                    "NULL ORDER BY timestamp", [site.key, source]))
            for row in pending[:limit] if limit else pending:
                capture = Capture(source, row["url"], row["timestamp"], json.loads(row["extra"] or "{}"))
                outcome = _store(db, site, client, capture, warc)
                db["backfill_captures"].update((site.key, source, row["article_id"]), {"outcome": outcome})
                counts[outcome.split(":")[0]] += 1
                if on_capture:
                    on_capture(outcome)
    finally:
        warc.close()
        db.close()
    return counts


def _store(db: Database, site: Site, client: Client, capture: Capture, warc: WarcWriterFiles) -> str:
    body, archive_url, reason = fetch(client, capture)
    if body is None:
        return f"failed: {reason}"
    when = datetime.fromisoformat(capture.captured_at)
    file, offset, record_id = warc.write(
        capture.url, 200, "OK", [("Content-Type", "text/html; charset=utf-8"), ("X-Archive-Source", archive_url)],
        body, [("User-Agent", USER_AGENT)], warc_date=when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    record = extract_article(capture.url, decode_html(body), site, fetched_at=when)
    record.update(origin=capture.source, captured_at=capture.captured_at, archive_url=archive_url,
                  warc_file=file, warc_offset=offset, warc_record_id=record_id)
    record, reason = prepare(record)
    if reason:
        return f"dropped: {reason}"
    outcome = archive.store_article(db, record, seen_at=capture.captured_at)
    return {"new": "stored", "updated": "revision", "unchanged": "already archived",
            "duplicate": "duplicate"}[outcome]

