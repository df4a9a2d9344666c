"""The runs an archive records, read back: the recent runs, the archive's totals, and the one-line summaries
every command that writes prints of its run (crawl, reparse, backfill, store). SQLite only; no Scrapy."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawler import archive
from crawler.archive import ArchiveError

#: The columns of `recent_runs`' rows, as `newsarchive runs` prints them.
RUN_COLUMNS = ["run", "started", "finished", "status", "sites", "pages", "new", "updated", "unchanged", "dropped",
               "errors", "not due", "drift"]


def recent_runs(db_path: str | Path, limit: int) -> list[tuple[Any, ...]]:
    """The `limit` most recent runs, newest first, one row of RUN_COLUMNS each (drift: the alarms, "; "-joined).
    ArchiveError when `db_path` is not an archive."""
    conn = archive.open_readonly(db_path)
    try:
        rows = conn.execute(
            "SELECT id, started_at, finished_at, status, sites, pages_fetched, new, updated, unchanged, dropped, "
            f"errors, drift, {archive.column_or_null(conn, 'crawl_runs', 'skipped_not_due')} "
            "FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit]).fetchall()
    except sqlite3.Error as e:
        raise ArchiveError(f"{db_path} is not a newsarchive archive: {e}") from None
    finally:
        conn.close()
    table = []
    for row in rows:
        drift = json.loads(row[11] or "[]")
        alarms = "; ".join(f"{d['site']}: {d['alarm']}" for d in drift if d.get("alarm"))
        table.append((*row[:11], row[12], alarms))
    return table


def archive_stats(db_path: str | Path) -> dict[str, Any]:
    """What `newsarchive stats` shows: "months" (site, month or 'undated', articles), "origins" ((origin, count),
    empty before the origin column), "articles" (the total), "runs" and "last_finished" (None: never).
    ArchiveError when `db_path` is not an archive."""
    conn = archive.open_readonly(db_path)
    try:
        months = conn.execute(
            "SELECT site, coalesce(substr(published_at, 1, 7), 'undated') AS month, count(*) AS articles "
            "FROM articles GROUP BY site, month ORDER BY site, month").fetchall()
        origins = conn.execute("SELECT origin, count(*) FROM articles GROUP BY origin ORDER BY origin").fetchall() \
            if any(r[1] == "origin" for r in conn.execute("PRAGMA table_info(articles)")) else []
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        runs, last = conn.execute("SELECT count(*), max(finished_at) FROM crawl_runs").fetchone()
    except sqlite3.Error as e:
        raise ArchiveError(f"{db_path} is not a newsarchive archive: {e}") from None
    finally:
        conn.close()
    return {"months": months, "origins": origins, "articles": total, "runs": runs, "last_finished": last}


def outcomes(counts: Mapping[str, int]) -> str:
    """"3 new, 1 unchanged": counts by outcome, by name (empty if none)."""
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))


def _dropped(row: Mapping[str, Any], ordered: bool) -> str:
    reasons = json.loads(row["dropped_reasons"] or "{}")
    items = sorted(reasons.items()) if ordered else reasons.items()
    return f" ({', '.join(f'{r}: {n}' for r, n in items)})" if reasons else ""


def crawl_summary(row: Mapping[str, Any], seconds: float) -> str:
    """The summary line of a crawl run's row (its failures, drift and stop reason are lines of their own)."""
    return (f"Run {row['id']} {row['status']} in {seconds:.1f} s: "
            f"{row['pages_fetched']} pages fetched, {row['new']} new, {row['updated']} updated, "
            f"{row['unchanged']} unchanged, {row['duplicates']} copies of archived articles, "
            f"{row['dropped']} dropped{_dropped(row, True)}, {row['errors']} errors"
            + (f", {row['skipped_not_due']} failed articles skipped (not due again; --full asks for them)."
               if row.get("skipped_not_due") else "."))


def reparse_summary(row: Mapping[str, Any]) -> str:
    """The summary line of a reparse run's row (its failures are a line of their own: archive.failed_summary)."""
    return (f"Reparse {row['id']} {row['status']}: {row['pages_fetched']} article pages read, {row['new']} new, "
            f"{row['updated']} updated, {row['unchanged']} unchanged, {row['duplicates']} copies, "
            f"{row['dropped']} dropped{_dropped(row, False)}.")
