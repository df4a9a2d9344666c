"""Re-extraction: today's page objects over the pages kept in WARC files, stored exactly as a crawl stores them
(revisions kept, nothing duplicated), without any network access. Nothing here imports Scrapy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from crawler import archive
from crawler.dates import VN_TZ
from crawler.extract import extract_article
from crawler.sites import site_for_url
from crawler.text import decode_html
from crawler.warc import WarcError
from crawler.records import prepare


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


def html_responses(path: Path) -> Iterator[tuple[str, bytes, str | None, datetime | None, int, str]]:
    """(url, body, content type, capture time, offset, record id) of each HTML response in one WARC file."""
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower() or (record.http_headers.get_statuscode() or "") != "200":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                body = record.content_stream().read()
                date = record.rec_headers.get_header("WARC-Date")
                when = datetime.fromisoformat(date.replace("Z", "+00:00")).astimezone(VN_TZ) if date else None
                yield url, body, content_type, when, records.get_record_offset(), \
                    record.rec_headers.get_header("WARC-Record-ID")
    except Exception as e:  # a corrupt file ends its own reading, with a clear error
        raise WarcError(f"cannot read {path} as a WARC file: {type(e).__name__}: {e}".splitlines()[0]) from None


def reparse(db_path: str | Path, paths: list[Path], sites: tuple[str, ...] = (), since: str | None = None,
            on_page: Callable[[], None] | None = None) -> dict[str, Any]:
    """Re-extract every article page of `paths` into the archive; returns the run's row (source "reparse")."""
    files = warc_files(paths)
    db = archive.open_archive(db_path)
    run_id = archive.start_run(db, sites or ["all"], "reparse")
    counts: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    try:
        for path in files:
            for url, body, content_type, when, offset, record_id in html_responses(path):
                if on_page:
                    on_page()
                site = site_for_url(url)
                if site is None or not site.is_article(url) or (sites and site.key not in sites):
                    continue
                counts["pages_fetched"] += 1
                charset = content_type.split("charset=")[-1].strip() if content_type and "charset=" in content_type \
                    else None
                record = extract_article(url, decode_html(body, charset), site, fetched_at=when)
                record.update(warc_file=path.name, warc_offset=offset, warc_record_id=record_id)
                record, reason = prepare(record)
                if reason is None and since and record.get("published_at") and record["published_at"] < since:
                    reason = "before --since"
                if reason:
                    dropped[reason] += 1
                    continue
                counts[archive.store_article(db, record)] += 1
        archive.add_run_counts(db, run_id, {**counts, "duplicates": counts.get("duplicate", 0)}, dropped)
        return archive.finish_run(db, run_id)
    except BaseException:
        archive.finish_run(db, run_id, "failed")
        raise
    finally:
        db.close()
