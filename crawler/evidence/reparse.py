"""Re-extraction: today's page objects over the pages kept in WARC files, stored exactly as a crawl stores them
(revisions kept, nothing duplicated), without any network access. Nothing here imports Scrapy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from warcio.recordloader import ArcWarcRecord

from crawler import archive
from crawler.extract.dates import VN_TZ
from crawler.extract.page import extract_article
from crawler.sites import site_for_url
from crawler.extract.text import decode_html
from crawler.evidence.warcrecords import BODY_LIMIT, BadRecord, WarcError, WarcRecords, read_body
from crawler.extract.records import prepare
from crawler.archive.lock import run_lock


def warc_files(paths: list[Path]) -> list[Path]:
    """The WARC files named, or found in the folders named, oldest name first (names carry their time)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.name.endswith((".warc", ".warc.gz"))))
        elif path.is_file():
            files.append(path)
        else:
            raise WarcError(f"no WARC file or folder at {path}")
    return files


@dataclass
class HtmlResponse:
    """One HTML response of a WARC file, its body not yet read (a page of no declared site is never read)."""

    url: str
    content_type: str
    when: datetime | None
    offset: int
    record_id: str | None
    record: ArcWarcRecord

    def body(self, limit: int) -> bytes:
        """Raises RecordTooLarge or RecordTruncated (see crawler.evidence.warcrecords.read_body)."""
        return read_body(self.record, limit)


def html_responses(records: WarcRecords) -> Iterator[HtmlResponse]:
    """Each HTML response with status 200 of one WARC file; damage in the file ends up in `records.problems`."""
    for record, offset in records:
        if record.rec_type != "response" or record.http_headers is None:
            continue
        content_type = record.http_headers.get_header("Content-Type") or ""
        if "html" not in content_type.lower() or (record.http_headers.get_statuscode() or "") != "200":
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        if not url:
            continue
        date = record.rec_headers.get_header("WARC-Date")
        try:
            when = datetime.fromisoformat(date.replace("Z", "+00:00")).astimezone(VN_TZ) if date else None
        except ValueError:
            when = None
        yield HtmlResponse(url, content_type, when, offset, record.rec_headers.get_header("WARC-Record-ID"), record)


def _record_problems(db: Any, run_id: int, problems: list[tuple[str, str, str]]) -> None:
    """Each problem in the run's failures, under the site of its URL ("-" for a file, or a page of no site)."""
    by_site: dict[str, list[tuple[str, str, str]]] = {}
    for problem in problems:
        site = site_for_url(problem[0]) if "://" in problem[0] else None
        by_site.setdefault(site.key if site else "-", []).append(problem)
    for key, rows in by_site.items():
        archive.record_failures(db, run_id, key, rows)


def check_warc_files(paths: list[Path]) -> list[Path]:
    """The WARC files of `paths` (see warc_files); WarcError for a path that is none, or a file with no WARC record
    at its start (empty, not a WARC). Only the first record of each file is read."""
    files = warc_files(paths)
    for path in files:
        for _ in WarcRecords(path):
            break
    return files


def _wanted(url: str, sites: tuple[str, ...]) -> bool:
    """A problem of a page that reparse would have read (an article of the sites asked for), or of a whole file."""
    if "://" not in url:
        return True
    site = site_for_url(url)
    return site is not None and site.is_article(url) and (not sites or site.key in sites)


def reparse(db_path: str | Path, paths: list[Path], sites: tuple[str, ...] = (), since: str | None = None,
            on_page: Callable[[], None] | None = None, limit: int = BODY_LIMIT) -> dict[str, Any]:
    """Re-extract every article page of `paths` into the archive; returns the run's row (source "reparse").

    An article page past `limit` bytes (the live crawl's DOWNLOAD_MAXSIZE) or cut short, and a file unreadable from
    some offset on, are the run's failures ("too large", "truncated"); the rest is read. A file with no WARC record
    at its start (empty, not a WARC) is bad input: WarcError before the run starts.

    Takes the archive's run lock (RunLocked if another run writes to it), after the input is checked: bad input
    leaves nothing behind."""
    archive.check_is_database(Path(db_path))
    files = check_warc_files(paths)
    with run_lock(db_path):
        return _reparse_locked(db_path, files, sites, since, on_page, limit)


def _reparse_locked(db_path: str | Path, files: list[Path], sites: tuple[str, ...], since: str | None,
                    on_page: Callable[[], None] | None, limit: int) -> dict[str, Any]:
    db = archive.open_archive(db_path)
    archive.mark_interrupted_runs(db)
    run_id = archive.start_run(db, sites or ["all"], "reparse")
    counts: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    try:
        for path in files:
            records = WarcRecords(path)
            for page in html_responses(records):
                if on_page:
                    on_page()
                url = page.url
                site = site_for_url(url)
                if site is None or not site.is_article(url) or (sites and site.key not in sites):
                    continue
                try:
                    body = page.body(limit)
                except BadRecord as e:
                    records.report(page.record, e)
                    continue
                counts["pages_fetched"] += 1
                content_type = page.content_type
                charset = content_type.split("charset=")[-1].strip() if "charset=" in content_type else None
                record = extract_article(url, decode_html(body, charset), site, fetched_at=page.when)
                record.update(warc_file=path.name, warc_offset=page.offset, warc_record_id=page.record_id)
                record, reason = prepare(record)
                if reason is None and since and record.get("published_at") and record["published_at"] < since:
                    reason = "before --since"
                if reason:
                    dropped[reason] += 1
                    continue
                counts[archive.store_article(db, record)] += 1
            _record_problems(db, run_id, [p for p in records.problems if _wanted(p[0], sites)])
        archive.add_run_counts(db, run_id, {**counts, "duplicates": counts.get("duplicate", 0)}, dropped)
        return archive.finish_run(db, run_id)
    except BaseException:
        archive.finish_run(db, run_id, "failed")
        raise
    finally:
        db.close()
