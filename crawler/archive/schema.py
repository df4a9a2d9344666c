"""The archive's schema (sqlite-utils migrations) and the ways it is opened: for writing, brought up to date, or
read-only, as it is.

Nothing here imports Scrapy: the crawl's store pipeline, a re-extraction from WARC and the read-only CLI commands
all open the archive through these functions.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from crawler.archive.errors import ArchiveError
from crawler.archive.outputs import existing_ancestor
from crawler.archive.reader import ArchiveReader
from crawler.archive.searchindex import FTS_COLUMNS, FTS_TABLE, index_row
from crawler.extract.dates import VN_TZ

DEFAULT_DB = Path("data/archive.db")
SQLITE_MAGIC = b"SQLite format 3\x00"


def now_iso() -> str:
    """The time as the archive writes it (first_seen_at, a run's started_at...): Vietnam time, to the second."""
    return datetime.now(VN_TZ).replace(microsecond=0).isoformat()


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
        index_article(db, row["id"], dict(row, images=captions))
    db["articles"].create_index(["site", "published_at"])
    db["articles"].create_index(["byline"])


def index_article(db: Database, article_pk: int, record: Mapping[str, Any]) -> None:
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


@migrations()
def m012_run_sources(db: Database) -> None:
    """Per site and discovery source of a run (listing, feed, sitemap): how many article URLs it gave and how many
    were new, as JSON {site: {source: [listed, new]}}."""
    db["crawl_runs"].add_column("sources", str)


@migrations()
def m013_discovery_validators(db: Database) -> None:
    """The HTTP validators of discovery pages (listings, feeds, sitemaps: crawler.archive.validators), which the
    next run sends back so that an unchanged page costs a 304, with what the page was (`source`: listing, feed,
    sitemap; what its 304 is counted as); and per run, how many discovery pages answered 304."""
    db["discovery_validators"].create({"url": str, "etag": str, "last_modified": str, "source": str, "seen_at": str},
                                      pk="url")
    db["crawl_runs"].add_column("not_modified", int)


@migrations()
def m014_published_zone(db: Database) -> None:
    """The zone an article's publication time was read in when the page stated none (an IANA name, such as
    "Asia/Ho_Chi_Minh" for a declared Vietnamese site or "Europe/Berlin" for an undeclared .de page); NULL when
    the page stated its offset, and for articles stored before this migration."""
    db["articles"].add_column("published_zone", str)


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
    an authorizer that refuses whatever would write (crawler.archive.reader).

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



@contextmanager
def reading(path: str | Path, failure: str,
            error: type[ArchiveError] = ArchiveError) -> Iterator[ArchiveReader]:
    """A read-only connection to the archive at `path` (`open_readonly`), closed after the block; an SQLite error
    inside the block becomes `error(f"{failure}: {e}")`, the one line the commands that read print."""
    conn = open_readonly(path)
    try:
        yield conn
    except sqlite3.Error as e:
        raise error(f"{failure}: {e}") from None
    finally:
        conn.close()

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
