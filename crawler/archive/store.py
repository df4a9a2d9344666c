"""Writing records into the archive: articles (with their images, revisions and search index), the failures of a
run, and the failure memory a crawl reads before it starts (what is archived, what is not due again)."""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from crawler.archive.copies import CopyCandidates, same_text, simhash
from crawler.archive.retries import due_at
from crawler.archive.schema import index_article, now_iso, open_readonly
from crawler.extract.dates import VN_TZ

Outcome = Literal["new", "updated", "unchanged", "duplicate"]

#: Fields whose change makes a new version of an article (a changed fetch time or URL spelling does not).
CONTENT_FIELDS = ("title", "lead", "body", "byline", "published_at", "published_precision")


def content_hash(record: Mapping[str, Any]) -> str:
    captions = [img.get("caption") for img in record.get("images") or []]
    payload = json.dumps([record.get(f) for f in CONTENT_FIELDS] + [captions], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _article_row(record: Mapping[str, Any]) -> dict[str, Any]:
    row = {k: record.get(k) for k in (
        "site", "article_id", "url", "canonical_url", "title", "lead", "body", "body_html", "byline",
        "published_at", "published_precision", "published_text", "published_zone", "updated_at", "category",
        "fetched_at", "warc_file", "warc_offset", "warc_record_id", "captured_at", "archive_url")}
    row["origin"] = record.get("origin") or "live"
    row["tags"] = json.dumps(record.get("tags") or [], ensure_ascii=False)
    row["extracted_with"] = json.dumps(record.get("extracted_with") or {}, ensure_ascii=False)
    # A fleet's workers compute both fingerprints (fingerprints()) and hand them over with the record: workers
    # scale, the one writer does not. From the same normalized record, they are the values computed here.
    given = record.get("fingerprints") or {}
    row["content_hash"] = given.get("content_hash") or content_hash(record)
    row["simhash"] = given["simhash"] if isinstance(given.get("simhash"), int) else simhash(record)
    return row


def fingerprints(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's content hash and SimHash, as `store_article` would compute them."""
    return {"content_hash": content_hash(record), "simhash": simhash(record)}


def store_article(db: Database, record: Mapping[str, Any], seen_at: str | None = None,
                  candidates: CopyCandidates | None = None) -> Outcome:
    """Insert or update one article and its images in one transaction.

    An article already archived with the same content only gets its `last_seen_at` moved; a changed one is
    updated in place, and what it held before goes to `revisions`. `candidates`: the fingerprints held in memory by
    a caller that stores many articles through `db` (see CopyCandidates).
    """
    seen_at = seen_at or now_iso()
    row = _article_row(record)
    with db.atomic():
        copy = db.execute("SELECT id FROM copies WHERE site = ? AND article_id = ?",
                          [row["site"], row["article_id"]]).fetchone()
        if copy is not None:
            db.execute("UPDATE copies SET last_seen_at = ?, url = ? WHERE id = ?", [seen_at, row["url"], copy[0]])
            return "duplicate"
        existing = db.execute(
            "SELECT id, content_hash FROM articles WHERE site = ? AND article_id = ?",
            [row["site"], row["article_id"]],
        ).fetchone()
        if existing is not None and existing[1] == row["content_hash"]:
            db.execute("UPDATE articles SET last_seen_at = ? WHERE id = ?", [seen_at, existing[0]])
            return "unchanged"
        if existing is None:
            _heal(db, row["site"], row["article_id"], seen_at)
            original = same_text(db, row, candidates)
            if original is not None:
                db["copies"].insert({"site": row["site"], "article_id": row["article_id"], "url": row["url"],
                                     "duplicate_of": original[0], "distance": original[1],
                                     "first_seen_at": seen_at, "last_seen_at": seen_at})
                return "duplicate"
            article_pk = _insert_rows(db, "articles", [dict(row, first_seen_at=seen_at, last_seen_at=seen_at)])
            outcome: Outcome = "new"
        else:
            if candidates is not None:
                candidates.clear()  # its fingerprint and date may change: what is held may no longer be true
            article_pk = existing[0]
            _keep_revision(db, article_pk, seen_at)
            db["articles"].update(article_pk, dict(row, last_seen_at=seen_at, last_changed_at=seen_at))
            db.execute("DELETE FROM images WHERE article = ?", [article_pk])
            outcome = "updated"
        images = [
            {"article": article_pk, "position": i, "url": img.get("url"), "caption": img.get("caption"),
             "credit": img.get("credit")}
            for i, img in enumerate(record.get("images") or [])
        ]
        if images:
            _insert_rows(db, "images", images)
        index_article(db, article_pk, record)
    if outcome == "new" and candidates is not None:
        candidates.add(row["published_at"], article_pk, row["simhash"])  # once its savepoint is released
    return outcome


def _insert_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> int:
    """Insert rows that share their keys, with one cached statement; returns the last row's rowid.

    What `Table.insert_all` does for these rows (lists and dicts stored as JSON), without working out the
    statement again for each article: this is the one writer's hot path, where that cost 60 µs of 450 a record."""
    sql = _insert_sql(table, tuple(rows[0]))
    rowid = 0
    for row in rows:
        rowid = db.execute(sql, [json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list, tuple)) else v
                                      for v in row.values()]).lastrowid
    return int(rowid)


@functools.lru_cache(maxsize=32)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def _keep_revision(db: Database, article_pk: int, replaced_at: str) -> None:
    old = db["articles"].get(article_pk)
    captions = [r[0] for r in db.execute(
        "SELECT caption FROM images WHERE article = ? ORDER BY position", [article_pk]).fetchall()]
    db["revisions"].insert({
        "article": article_pk, "replaced_at": replaced_at, "captions": json.dumps(captions, ensure_ascii=False),
        "first_seen_at": old["last_changed_at"] or old["first_seen_at"],
        **{k: old[k] for k in ("title", "lead", "body", "byline", "published_at", "published_precision",
                               "updated_at", "content_hash", "fetched_at")},
    })


#: One failure as the spiders list them: (url, kind, detail), and the article id of the URL asked for if it was an
#: article's.
FailureRow = tuple[str, str, str] | tuple[str, str, str, str | None]


def record_failures(db: Database, run_id: int, site: str, failures: Iterable[FailureRow],
                    now: datetime | None = None) -> None:
    """Add one crawl's failures to its run, each with when it may be requested again (crawler.archive.retries.due_at)."""
    failures = list(failures)
    if not failures:
        return
    now = now or datetime.now(VN_TZ).replace(microsecond=0)
    failed_at = now.isoformat()
    with db.atomic():
        counts_row = db["crawl_runs"].get(run_id)
        counts = json.loads(counts_row.get("failed") or "{}")
        for url, kind, detail, *rest in failures:
            article_id = rest[0] if rest else None
            row = {"run": run_id, "site": site, "url": url, "kind": kind, "detail": detail,
                   "article_id": article_id, "failed_at": failed_at, "first_failed_at": failed_at, "attempts": 1,
                   "due_at": failed_at}
            if article_id is not None:
                before = db.execute(
                    "SELECT kind, attempts, first_failed_at FROM failures WHERE site = ? AND article_id = ? "
                    "AND healed_at IS NULL ORDER BY id DESC LIMIT 1", [site, article_id]).fetchone()
                if before is not None and before[0] == kind:
                    row.update(attempts=(before[1] or 1) + 1, first_failed_at=before[2] or failed_at)
                # Only an article is kept from the crawl; a listing page is asked for on every run.
                row["due_at"] = due_at(kind, row["attempts"], now).isoformat()
            db["failures"].insert(row)
            counts[kind] = counts.get(kind, 0) + 1
        db["crawl_runs"].update(run_id, {"failed": json.dumps(counts, sort_keys=True)})


def _heal(db: Database, site: str, article_id: str, healed_at: str) -> None:
    """An article archived for the first time (or its copy): what its failures said no longer holds. (Once archived,
    an article is never skipped for a failure, the known check comes first: an indexed lookup per new article is
    all this costs the writer, about 10 µs.)"""
    db.execute("UPDATE failures SET healed_at = ? WHERE site = ? AND article_id = ? AND healed_at IS NULL",
               [healed_at, site, article_id])


def not_due_articles(path: str | Path, site: str, now: datetime | None = None) -> dict[str, str]:
    """article_id -> due_at of every article of `site` whose last failure is not due again at `now` (empty if there
    is no archive yet, or one from before the failure memory): what a crawl does not ask for, unless --full."""
    at = (now or datetime.now(VN_TZ)).replace(microsecond=0).isoformat()
    return _read_crawl_state(path, lambda conn: dict(conn.execute(
        "SELECT article_id, due_at FROM failures AS f WHERE site = ? AND article_id IS NOT NULL "
        "AND healed_at IS NULL AND due_at > ? AND id = (SELECT max(id) FROM failures WHERE site = f.site "
        "AND article_id = f.article_id AND healed_at IS NULL)", [site, at]).fetchall()))


def _read_crawl_state(path: str | Path, read: Callable[[sqlite3.Connection], dict[str, Any]]) -> dict[str, Any]:
    """What `read` gives from the archive at `path`, or nothing when there is no archive yet, or it is from before
    the tables `read` needs: what a crawl asks before it starts, on an archive it may be about to create."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return {}
    conn = open_readonly(path)
    try:
        return read(conn)
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def known_articles(path: str | Path, site: str) -> dict[str, tuple[str | None, str | None]]:
    """article_id -> (published_at, fetched_at) of every article of `site` already archived at `path` (empty if
    there is no archive yet): what an incremental crawl need not fetch again."""
    def read(conn: sqlite3.Connection) -> dict[str, Any]:
        known = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT article_id, published_at, fetched_at FROM articles WHERE site = ?", [site])}
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'copies'").fetchone():
            for (article_id,) in conn.execute("SELECT article_id FROM copies WHERE site = ?", [site]):
                known.setdefault(article_id, (None, None))
        return known

    return _read_crawl_state(path, read)
