"""The SQLite archive: schema (sqlite-utils migrations), writing records, and read-only access.

Nothing here imports Scrapy: the crawl's store pipeline, a re-extraction from WARC and the read-only CLI commands
all come through these functions.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database, Migrations

from crawler.extract.dates import VN_TZ
from crawler.archive.copies import SAME_ARTICLE_BITS, distance, simhash
from crawler.archive.outputs import existing_ancestor
from crawler.archive.readsql import ArchiveReader
from crawler.archive.retries import due_at
from crawler.archive.search import FTS_COLUMNS, FTS_TABLE, index_row

DEFAULT_DB = Path("data/archive.db")
SQLITE_MAGIC = b"SQLite format 3\x00"

Outcome = Literal["new", "updated", "unchanged", "duplicate"]

#: Fields whose change makes a new version of an article (a changed fetch time or URL spelling does not).
CONTENT_FIELDS = ("title", "lead", "body", "byline", "published_at", "published_precision")


class ArchiveError(Exception):
    """The archive cannot be opened or used as asked; the message is meant for the user."""


#: SQLite's result codes for a store that cannot take more (full disk, quota) or cannot write at all.
_CANNOT_WRITE = {getattr(sqlite3, name) for name in ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY",
                                                       "SQLITE_CANTOPEN") if hasattr(sqlite3, name)}


def cannot_write(error: sqlite3.Error) -> bool:
    """Whether `error` says the archive cannot be written any more (as opposed to a bad record)."""
    code = getattr(error, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF in _CANNOT_WRITE) or "disk is full" in str(error)


migrations = Migrations("newsarchive")


@migrations()
def m001_create_tables(db: Database) -> None:
    db["articles"].create(
        {
            "id": int, "site": str, "article_id": str, "url": str, "canonical_url": str, "title": str, "lead": str,
            "body": str, "body_html": str, "byline": str, "published_at": str, "published_precision": str,
            "published_text": str, "updated_at": str, "category": str, "tags": str, "extracted_with": str, "content_hash": str,
            "fetched_at": str, "first_seen_at": str, "last_seen_at": str, "last_changed_at": str,
        },
        pk="id",
        not_null={"site", "article_id", "url", "title", "body"},
    )
    db["articles"].create_index(["site", "article_id"], unique=True)
    db["articles"].create_index(["published_at"])
    db["articles"].create_index(["canonical_url"])
    db["images"].create(
        {"article": int, "position": int, "url": str, "caption": str, "credit": str},
        pk=("article", "position"),
        foreign_keys=[("article", "articles", "id")],
    )
    db["crawl_runs"].create(
        {
            "id": int, "started_at": str, "finished_at": str, "sites": str, "source": str, "status": str,
            "pages_fetched": int, "new": int, "updated": int, "unchanged": int, "dropped": int,
            "dropped_reasons": str, "errors": int,
        },
        pk="id",
    )


@migrations()
def m002_revisions(db: Database) -> None:
    """Earlier versions of articles that changed: what the row held before each change, and until when."""
    db["revisions"].create(
        {
            "id": int, "article": int, "replaced_at": str, "title": str, "lead": str, "body": str, "byline": str,
            "published_at": str, "published_precision": str, "updated_at": str, "captions": str,
            "content_hash": str, "fetched_at": str, "first_seen_at": str,
        },
        pk="id",
        foreign_keys=[("article", "articles", "id")],
    )
    db["revisions"].create_index(["article"])


@migrations()
def m003_run_drift(db: Database) -> None:
    """Per site of a run: how many articles its own selectors read, and the alarm when too few did."""
    db["crawl_runs"].add_column("drift", str)


@migrations()
def m004_copies(db: Database) -> None:
    """Content fingerprints, and the copies of archived articles found under other URLs or on other sites."""
    db["articles"].add_column("simhash", int)
    db["copies"].create(
        {"id": int, "site": str, "article_id": str, "url": str, "duplicate_of": int, "distance": int,
         "first_seen_at": str, "last_seen_at": str},
        pk="id",
        foreign_keys=[("duplicate_of", "articles", "id")],
    )
    db["copies"].create_index(["site", "article_id"], unique=True)
    db["copies"].create_index(["duplicate_of"])
    db["crawl_runs"].add_column("duplicates", int)


@migrations()
def m005_search_and_query_indexes(db: Database) -> None:
    """Accent- and đ-insensitive full-text search (crawler.archive.search), and indexes for the queries users write."""
    columns = ", ".join(FTS_COLUMNS)
    db.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    db.execute(f"CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
               f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END")
    for row in db.query("SELECT id, title, lead, body, byline FROM articles"):
        captions = [{"caption": c} for (c,) in db.execute(
            "SELECT caption FROM images WHERE article = ? ORDER BY position", [row["id"]]).fetchall()]
        _index(db, row["id"], dict(row, images=captions))
    db["articles"].create_index(["site", "published_at"])
    db["articles"].create_index(["byline"])


def _index(db: Database, article_pk: int, record: Mapping[str, Any]) -> None:
    """Keep the search index in step with one article (deletes are kept in step by a trigger)."""
    folded = index_row(record)
    db.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", [article_pk])
    db.execute(f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(folded)}) VALUES (?{', ?' * len(folded)})",
               [article_pk, *folded.values()])


@migrations()
def m006_published_month(db: Database) -> None:
    """YYYY-MM of the publication date, derived by SQLite itself: a facet and a GROUP BY for users."""
    db.execute("ALTER TABLE articles ADD COLUMN published_month TEXT "
               "GENERATED ALWAYS AS (substr(published_at, 1, 7)) VIRTUAL")


@migrations()
def m007_failures(db: Database) -> None:
    """Every URL a run could not get, with why; per run, counts by kind."""
    db["failures"].create({"id": int, "run": int, "site": str, "url": str, "kind": str, "detail": str}, pk="id",
                          foreign_keys=[("run", "crawl_runs", "id")])
    db["failures"].create_index(["run"])
    db["crawl_runs"].add_column("failed", str)


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


def failed_summary(run: dict[str, Any]) -> str | None:
    """The summary line of a run's failures by kind, with the query that lists them; None if nothing failed."""
    failed = json.loads(run.get("failed") or "{}")
    if not failed:
        return None
    kinds = ", ".join(f"{kind}: {n}" for kind, n in sorted(failed.items()))
    return (f"Failed: {sum(failed.values())} pages ({kinds}); "
            f"see: newsarchive query \"SELECT url, kind, detail FROM failures WHERE run = {run['id']}\"")


@migrations()
def m008_capture(db: Database) -> None:
    """Where the page each article was read from is kept: WARC file, offset and record id."""
    for column in ("warc_file", "warc_record_id"):
        db["articles"].add_column(column, str)
    db["articles"].add_column("warc_offset", int)


@migrations()
def m009_origin(db: Database) -> None:
    """Where each article was read: the live site, or a capture in the Wayback Machine or Common Crawl."""
    db["articles"].add_column("origin", str, not_null_default="live")
    db["articles"].add_column("captured_at", str)
    db["articles"].add_column("archive_url", str)
    db["articles"].create_index(["origin"])


@migrations()
def m010_copy_candidates(db: Database) -> None:
    """The copy check reads the fingerprints of the articles published around each new one: an index that holds
    them (published_at, simhash) answers it without visiting the article rows, which are large."""
    db["articles"].create_index(["published_at", "simhash"], index_name="idx_articles_published_at_simhash")


@migrations()
def m011_failure_memory(db: Database) -> None:
    """The failure memory: when each failed article may be requested again (crawler.archive.retries).

    `failures` stays a history, a row per failure per run (`WHERE run = N` is what that run could not get, as the
    crawl's summary says), and each row now also says where its URL stands: `article_id` (the site's id of the URL
    that was asked for, before any redirect; NULL for a listing page), `failed_at`, `attempts` (failures of that
    kind in a row, this one included) since `first_failed_at`, `due_at` (when it may be asked for again) and
    `healed_at` (set on every row of an article once it is stored). The newest unhealed row of an article is its
    memory: one row per URL would lose what each run could not get. A failure recorded before this migration has
    no article id: it is asked for again once, and remembered from then on.
    """
    for column in ("article_id", "failed_at", "first_failed_at", "due_at", "healed_at"):
        db["failures"].add_column(column, str)
    db["failures"].add_column("attempts", int)
    db.execute("UPDATE failures SET attempts = 1, failed_at = (SELECT coalesce(finished_at, started_at) "
               "FROM crawl_runs WHERE crawl_runs.id = failures.run)")
    db.execute("UPDATE failures SET first_failed_at = failed_at, due_at = failed_at")
    # What is unhealed is small and read by key (the crawl's memory, the heal on each store): a partial index.
    db.execute("CREATE INDEX idx_failures_unhealed ON failures (site, article_id) WHERE healed_at IS NULL")
    db["crawl_runs"].add_column("skipped_not_due", int)


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


def now_iso() -> str:
    return datetime.now(VN_TZ).replace(microsecond=0).isoformat()


def check_is_database(path: Path) -> None:
    """Raise ArchiveError unless `path` is absent, empty, or an SQLite database file."""
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive database")
    folder = existing_ancestor(path.absolute().parent)
    if not folder.is_dir():
        raise ArchiveError(f"{path} cannot be an archive: {folder} is not a folder")
    if path.exists() and path.stat().st_size > 0:
        try:
            with path.open("rb") as f:
                head = f.read(16)
        except OSError as e:
            raise ArchiveError(f"cannot read {path}: {e.strerror}") from None
        if head != SQLITE_MAGIC:
            raise ArchiveError(f"{path} is not an SQLite database")


def open_archive(path: str | Path) -> Database:
    """Open (creating if needed) the archive for writing, in WAL mode, with the schema brought up to date."""
    path = Path(path)
    check_is_database(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        db = Database(conn)
        db.enable_wal()
        # In WAL mode NORMAL never corrupts the database and survives a killed process; only a power cut may lose
        # the last commits. It spares an fsync per article.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrations.apply(db)
    except sqlite3.DatabaseError as e:
        raise ArchiveError(f"cannot open {path} as an archive: {e}") from None
    except OSError as e:
        raise ArchiveError(f"cannot create {path}: {e.strerror}") from None
    return db


def open_readonly(path: str | Path) -> ArchiveReader:
    """A connection that can only read the archive: the file opened read-only, the connection query-only, and
    an authorizer that refuses whatever would write (crawler.archive.readsql).

    An archive in a folder or on a mount this process cannot write is read too. The archive is in WAL mode, and a
    WAL reader needs the -shm (shared index) and -wal files beside the database: it creates them when they are
    missing, which a read-only folder (SQLITE_READONLY_DIRECTORY) or mount (SQLITE_CANTOPEN) does not allow. When
    they exist (a writer is running, or a reader left them) SQLite reads through them and nothing more is needed.
    When they cannot be created, the archive is opened `immutable=1`: no locks, no -shm, the -wal not read. That
    is right only when every commit is in the database file itself, so it is done only when there is no -wal file
    or an empty one (a writer killed mid-run may leave one full of commits: then the archive cannot be read here,
    and the message says why), and only when this process cannot write the folder (a read-only mount, or its
    permissions): this process is no writer, and on a read-only mount no process is. A writer that does start
    meanwhile (the folder's owner starting a crawl) can only make this one read inconsistent: a reader never
    writes, so the archive itself is never at risk.
    """
    path = Path(path)
    if not path.exists():
        raise ArchiveError(f"no archive at {path} (run `newsarchive crawl` first, or pass --db)")
    check_is_database(path)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        try:
            conn = _reader(uri)
        except sqlite3.OperationalError as e:
            if not _cannot_create_wal_index(e, path):
                raise
            conn = _reader(uri + "&immutable=1")
    except sqlite3.DatabaseError as e:
        raise ArchiveError(f"cannot open {path}: {e}") from None
    conn.restrict()
    return conn


def _reader(uri: str) -> ArchiveReader:
    conn = sqlite3.connect(uri, uri=True, factory=ArchiveReader)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file: an error shows here
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _cannot_create_wal_index(error: sqlite3.OperationalError, path: Path) -> bool:
    """Whether the read-only open failed only for want of the -shm/-wal files, and reading the database file
    alone is reading every commit (see open_readonly). Raises ArchiveError when the folder cannot be written and
    the -wal holds commits."""
    if error.sqlite_errorcode not in (sqlite3.SQLITE_READONLY_DIRECTORY, sqlite3.SQLITE_CANTOPEN):
        return False
    folder = path.resolve().parent
    if os.access(folder, os.W_OK) and not os.statvfs(folder).f_flag & os.ST_RDONLY:
        return False
    wal = path.resolve().with_name(path.resolve().name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ArchiveError(f"cannot read {path}: its folder cannot be written and {wal.name} holds commits not yet "
                           "in the database file (copy both files to a folder that can be written and read the "
                           "copy)")
    return True


def column_or_null(conn: sqlite3.Connection, table: str, column: str) -> str:
    """`column`, or NULL if `table` has no such column (an archive from before the migration that adds it, read
    through a read-only connection, which does not migrate)."""
    names = {r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")}
    return f"[{column}]" if column in names else "NULL"


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


def content_hash(record: Mapping[str, Any]) -> str:
    captions = [img.get("caption") for img in record.get("images") or []]
    payload = json.dumps([record.get(f) for f in CONTENT_FIELDS] + [captions], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _article_row(record: Mapping[str, Any]) -> dict[str, Any]:
    row = {k: record.get(k) for k in (
        "site", "article_id", "url", "canonical_url", "title", "lead", "body", "body_html", "byline",
        "published_at", "published_precision", "published_text", "updated_at", "category", "fetched_at",
        "warc_file", "warc_offset", "warc_record_id", "captured_at", "archive_url")}
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
            original = _same_text(db, row, candidates)
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
        _index(db, article_pk, record)
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


def _same_text(db: Database, row: Mapping[str, Any],
               candidates: CopyCandidates | None = None) -> tuple[int, int] | None:
    """(id, distance) of the archived article this one is a copy of, if any: same text within
    SAME_ARTICLE_BITS, among the articles published from two days before to two days after it (the closest; of
    equally close ones, the first archived)."""
    published = row.get("published_at")
    if not published:
        return None
    day = datetime.fromisoformat(published).date()
    if candidates is not None:
        around: Iterable[tuple[int, int]] = candidates.around(db, day)
    else:
        around = _fingerprints_between(db, day - timedelta(days=2), day + timedelta(days=3)).items()
    best: tuple[int, int] | None = None
    mine = row["simhash"]
    for article_pk, other in around:
        if ((mine ^ other) & _MASK64).bit_count() <= SAME_ARTICLE_BITS:  # fingerprint.distance, inlined: hot loop
            bits = distance(mine, other)
            if best is None or (bits, article_pk) < (best[1], best[0]):
                best = (article_pk, bits)
    return best


_MASK64 = (1 << 64) - 1


def _fingerprints_between(db: Database, first: date, end: date) -> dict[int, int]:
    """id -> simhash of the articles published from day `first` up to, not including, day `end`."""
    return dict(db.execute(
        "SELECT id, simhash FROM articles WHERE published_at >= ? AND published_at < ? AND simhash IS NOT NULL",
        [first.isoformat(), end.isoformat()]).fetchall())


class CopyCandidates:
    """The fingerprints of archived articles by day of publication, held in memory for a caller that stores many
    articles through one connection (the fleet's writer, a crawl's store pipeline). The copy check then reads the
    five days around each new article from memory: reading them from SQLite costs about 0.3 µs a candidate, and on a
    busy archive those days hold thousands.

    It stays true to the archive because its owner stores every article through `store_article` with it, no other
    process writes meanwhile (the run lock), and a rollback of stored articles ends the owner's use of it. It holds
    the `max_days` days used last (at least the five of one check).
    """

    def __init__(self, max_days: int = 32) -> None:
        self.max_days = max(5, max_days)
        self._days: OrderedDict[date, dict[int, int]] = OrderedDict()

    def around(self, db: Database, day: date) -> Iterator[tuple[int, int]]:
        """(id, simhash) of the articles published from two days before `day` to two days after it."""
        for offset in range(-2, 3):
            yield from self._day(db, day + timedelta(days=offset)).items()

    def add(self, published: str | None, article_pk: int, fingerprint: int) -> None:
        """A new article, stored: into its day, if that day is held (else it is read with the day)."""
        try:
            day = date.fromisoformat((published or "")[:10])
        except ValueError:
            return
        held = self._days.get(day)
        if held is not None:
            held[article_pk] = fingerprint

    def clear(self) -> None:
        self._days.clear()

    def _day(self, db: Database, day: date) -> dict[int, int]:
        held = self._days.get(day)
        if held is None:
            held = self._days[day] = _fingerprints_between(db, day, day + timedelta(days=1))
            if len(self._days) > self.max_days:
                self._days.popitem(last=False)
        else:
            self._days.move_to_end(day)
        return held


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


def start_run(db: Database, sites: Iterable[str], source: str = "live") -> int:
    table = db["crawl_runs"]
    table.insert({
        "started_at": now_iso(), "sites": ",".join(sites), "source": source, "status": "running",
        "pages_fetched": 0, "new": 0, "updated": 0, "unchanged": 0, "duplicates": 0, "dropped": 0,
        "dropped_reasons": "{}", "errors": 0, "skipped_not_due": 0,
    })
    return int(table.last_pk)


def add_run_counts(db: Database, run_id: int, counts: Mapping[str, int], dropped_reasons: Mapping[str, int],
                   drift: Mapping[str, Any] | None = None) -> None:
    """Add one crawler's counts (and its site's drift line) to its run's row (several site crawls of one process
    share a run)."""
    with db.atomic():
        row = db["crawl_runs"].get(run_id)
        if drift is not None:
            report = json.loads(row.get("drift") or "[]")
            report.append(dict(drift))
            db["crawl_runs"].update(run_id, {"drift": json.dumps(report, ensure_ascii=False)})
        reasons = json.loads(row["dropped_reasons"] or "{}")
        for reason, n in dropped_reasons.items():
            reasons[reason] = reasons.get(reason, 0) + n
        update = {k: (row[k] or 0) + int(counts.get(k, 0))
                  for k in ("pages_fetched", "new", "updated", "unchanged", "duplicates", "errors", "skipped_not_due")}
        update["dropped"] = sum(reasons.values())
        update["dropped_reasons"] = json.dumps(reasons, ensure_ascii=False, sort_keys=True)
        db["crawl_runs"].update(run_id, update)


def finish_run(db: Database, run_id: int, status: str = "finished") -> dict[str, Any]:
    db["crawl_runs"].update(run_id, {"finished_at": now_iso(), "status": status})
    return dict(db["crawl_runs"].get(run_id))
