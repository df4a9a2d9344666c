"""The runs an archive records: a run's row kept up to date while it runs, and read back (the recent runs, the
archive's totals, and the one-line summaries every command that writes prints of its run: crawl, reparse,
backfill, store). SQLite only; no Scrapy."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.archive.schema import column_or_null, now_iso, reading


def start_run(db: Database, sites: Iterable[str], source: str = "live") -> int:
    table = db["crawl_runs"]
    table.insert({
        "started_at": now_iso(), "sites": ",".join(sites), "source": source, "status": "running",
        "pages_fetched": 0, "new": 0, "updated": 0, "unchanged": 0, "duplicates": 0, "dropped": 0,
        "dropped_reasons": "{}", "errors": 0, "skipped_not_due": 0,
    })
    return int(table.last_pk)


def add_run_counts(db: Database, run_id: int, counts: Mapping[str, int], dropped_reasons: Mapping[str, int],
                   drift: Mapping[str, Any] | None = None,
                   sources: Mapping[str, Mapping[str, list[int]]] | None = None) -> None:
    """Add one crawler's counts (and its site's drift line, and what each discovery source gave: site -> source ->
    [listed, new]) to its run's row (several site crawls of one process share a run)."""
    with db.atomic():
        row = db["crawl_runs"].get(run_id)
        if sources:
            db["crawl_runs"].update(run_id, {"sources": json.dumps(_merged_sources(row.get("sources"), sources),
                                                                   ensure_ascii=False, sort_keys=True)})
        if drift is not None:
            report = json.loads(row.get("drift") or "[]")
            report.append(dict(drift))
            db["crawl_runs"].update(run_id, {"drift": json.dumps(report, ensure_ascii=False)})
        reasons = json.loads(row["dropped_reasons"] or "{}")
        for reason, n in dropped_reasons.items():
            reasons[reason] = reasons.get(reason, 0) + n
        update = {k: (row[k] or 0) + int(counts.get(k, 0))
                  for k in ("pages_fetched", "new", "updated", "unchanged", "duplicates", "errors", "skipped_not_due",
                            "not_modified")}
        update["dropped"] = sum(reasons.values())
        update["dropped_reasons"] = json.dumps(reasons, ensure_ascii=False, sort_keys=True)
        db["crawl_runs"].update(run_id, update)


def _merged_sources(held: str | None, sources: Mapping[str, Mapping[str, list[int]]]) -> dict[str, Any]:
    merged: dict[str, dict[str, list[int]]] = json.loads(held or "{}")
    for site, by_source in sources.items():
        for source, counts in by_source.items():  # [listed, new], or [listed, new, not modified]
            kept = merged.setdefault(site, {}).setdefault(source, [0, 0])
            kept.extend([0] * (len(counts) - len(kept)))
            for i, n in enumerate(counts):
                kept[i] += n
    return merged


def _source_text(source: str, counts: list[int]) -> str:
    """"sitemap 45 (0 new, 2 not modified)": the third count, pages that answered 304, only when there were."""
    unchanged = f", {counts[2]} not modified" if len(counts) > 2 and counts[2] else ""
    return f"{source} {counts[0]} ({counts[1]} new{unchanged})"


def sources_text(sources: str | None) -> str:
    """"faultsite: listing 0 (0 new), sitemap 300 (300 new)": per site, the article URLs each source gave and how
    many of them were new, and how many of its pages answered 304 if any did ("; " between sites); empty if the run
    recorded none."""
    held = json.loads(sources or "{}")
    return "; ".join(f"{site}: " + ", ".join(_source_text(source, counts)
                                             for source, counts in sorted(by_source.items()))
                     for site, by_source in sorted(held.items()))


def sources_summary(row: Mapping[str, Any]) -> str | None:
    """The crawl summary's line of discovery sources, when a run found articles by more than its declared listings
    (a sitemap): a dead listing next to a live sitemap is then visible. None otherwise, so a crawl of listings alone
    prints what it always printed."""
    held = json.loads(row.get("sources") or "{}")
    if not any(set(by_source) - {"listing", "feed"} for by_source in held.values()):
        return None
    return f"Sources: {sources_text(row.get('sources'))}."


def finish_run(db: Database, run_id: int, status: str = "finished") -> dict[str, Any]:
    db["crawl_runs"].update(run_id, {"finished_at": now_iso(), "status": status})
    return dict(db["crawl_runs"].get(run_id))


def mark_interrupted_runs(db: Database) -> int:
    """Runs still marked running when a new run holds the lock were killed: say so. Every command that writes
    (crawl, reparse, the fleet's writer) calls it once it holds the lock, so no killed run stays "running"."""
    cursor = db.execute("UPDATE crawl_runs SET status = 'interrupted' WHERE status = 'running'")
    return cursor.rowcount


#: The sources of runs that walk a site's listings (a reparse or the fleet's writer walks none).
CRAWL_SOURCES = ("live", "replay")


def last_crawl_interrupted(db: Database) -> bool:
    """Whether the newest crawl of the archive was killed or stopped before it finished (status interrupted or
    failed): its listing pages may be unwalked, whatever other commands ran since."""
    row = db.execute(f"SELECT status FROM crawl_runs WHERE source IN ({', '.join('?' * len(CRAWL_SOURCES))}) "
                     "ORDER BY id DESC LIMIT 1", list(CRAWL_SOURCES)).fetchone()
    return bool(row) and row[0] in ("interrupted", "failed")


#: The columns of `recent_runs`' rows, as `newsarchive runs` prints them.
RUN_COLUMNS = ["run", "started", "finished", "status", "sites", "pages", "new", "updated", "unchanged", "dropped",
               "errors", "not due", "drift", "sources"]


def recent_runs(db_path: str | Path, limit: int) -> list[tuple[Any, ...]]:
    """The `limit` most recent runs, newest first, one row of RUN_COLUMNS each (drift: the alarms, "; "-joined).
    ArchiveError when `db_path` is not an archive."""
    with reading(db_path, f"{db_path} is not a newsarchive archive") as conn:
        rows = conn.execute(
            "SELECT id, started_at, finished_at, status, sites, pages_fetched, new, updated, unchanged, dropped, "
            f"errors, drift, {column_or_null(conn, 'crawl_runs', 'skipped_not_due')}, "
            f"{column_or_null(conn, 'crawl_runs', 'sources')} "
            "FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit]).fetchall()
    table = []
    for row in rows:
        drift = json.loads(row[11] or "[]")
        alarms = "; ".join(f"{d['site']}: {d.get('alarm') or d['note']}" for d in drift
                           if d.get("alarm") or d.get("note"))
        table.append((*row[:11], row[12], alarms, sources_text(row[13])))
    return table


def archive_stats(db_path: str | Path) -> dict[str, Any]:
    """What `newsarchive stats` shows: "months" (site, month or 'undated', articles), "origins" ((origin, count),
    empty before the origin column), "articles" (the total), "runs" and "last_finished" (None: never).
    ArchiveError when `db_path` is not an archive."""
    with reading(db_path, f"{db_path} is not a newsarchive archive") as conn:
        months = conn.execute(
            "SELECT site, coalesce(substr(published_at, 1, 7), 'undated') AS month, count(*) AS articles "
            "FROM articles GROUP BY site, month ORDER BY site, month").fetchall()
        origins = conn.execute("SELECT origin, count(*) FROM articles GROUP BY origin ORDER BY origin").fetchall() \
            if any(r[1] == "origin" for r in conn.execute("PRAGMA table_info(articles)")) else []
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        runs, last = conn.execute("SELECT count(*), max(finished_at) FROM crawl_runs").fetchone()
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
            + (f", {row['not_modified']} listing pages, feeds and sitemaps not modified (304)"
               if row.get("not_modified") else "")
            + (f", {row['skipped_not_due']} failed articles skipped (not due again; --full asks for them)."
               if row.get("skipped_not_due") else "."))


def reparse_summary(row: Mapping[str, Any]) -> str:
    """The summary line of a reparse run's row (its failures are a line of their own: failed_summary)."""
    return (f"Reparse {row['id']} {row['status']}: {row['pages_fetched']} article pages read, {row['new']} new, "
            f"{row['updated']} updated, {row['unchanged']} unchanged, {row['duplicates']} copies, "
            f"{row['dropped']} dropped{_dropped(row, False)}.")


def failed_summary(run: dict[str, Any]) -> str | None:
    """The summary line of a run's failures by kind, with the query that lists them; None if nothing failed."""
    failed = json.loads(run.get("failed") or "{}")
    if not failed:
        return None
    kinds = ", ".join(f"{kind}: {n}" for kind, n in sorted(failed.items()))
    return (f"Failed: {sum(failed.values())} pages ({kinds}); "
            f"see: newsarchive query \"SELECT url, kind, detail FROM failures WHERE run = {run['id']}\"")
