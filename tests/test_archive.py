"""The archive's write and read paths, without Scrapy."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler import archive
from crawler.archive import ArchiveError

RECORD = {
    "site": "thanhuytphcm", "article_id": "1491889235", "url": "https://thanhuytphcm.vn/tin-tuc/x-1491889235",
    "canonical_url": "https://thanhuytphcm.vn/tin-tuc/x-1491889235", "title": "Tiêu đề", "lead": "Chiều 12/1, ...",
    "body": "Đoạn một.\n\nĐoạn hai.", "body_html": "<div><p>Đoạn một.</p></div>", "byline": "Bích Quyên",
    "published_at": "2022-01-12T00:00:00+07:00", "published_precision": "day", "published_text": "Chiều 12/1",
    "category": None, "tags": ["a"], "fetched_at": "2022-05-22T10:00:00+07:00",
    "images": [{"url": "https://images.hcmcpv.org.vn/a.jpg", "caption": "Chú thích", "credit": None}],
    "extracted_with": {"title": "site"},
}


def test_new_then_unchanged_changes_nothing_but_last_seen(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    assert archive.store_article(db, RECORD, seen_at="2022-05-22T10:00:00+07:00") == "new"
    before = dict(db["articles"].get(1))
    assert archive.store_article(db, copy.deepcopy(RECORD), seen_at="2022-05-23T10:00:00+07:00") == "unchanged"
    assert db["revisions"].count == 0
    after = dict(db["articles"].get(1))
    assert {k for k in before if before[k] != after[k]} == {"last_seen_at"}
    assert db["articles"].count == 1 and db["images"].count == 1


def test_changed_article_is_updated_in_place(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    archive.store_article(db, RECORD)
    changed = dict(RECORD, body="Đoạn một, đã sửa.", images=[])
    assert archive.store_article(db, changed) == "updated"
    row = db["articles"].get(1)
    assert row["body"] == "Đoạn một, đã sửa." and row["last_changed_at"]
    assert db["articles"].count == 1 and db["images"].count == 0
    (revision,) = db["revisions"].rows
    assert revision["article"] == 1 and revision["body"] == RECORD["body"]
    assert json.loads(revision["captions"]) == ["Chú thích"]


def test_schema_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    assert {"articles", "images", "crawl_runs"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    again = archive.open_archive(tmp_path / "a.db")  # a second open applies nothing twice
    assert again["_sqlite_migrations"].count == len(archive.migrations.pending(Database(memory=True)))


def test_unique_on_site_and_article_id(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    archive.store_article(db, RECORD)
    with pytest.raises(sqlite3.IntegrityError):
        row = {k: v for k, v in db["articles"].get(1).items() if k not in ("id", "published_month")}
        db["articles"].insert(row)


def test_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my notes")
    with pytest.raises(ArchiveError, match="not an SQLite database"):
        archive.open_archive(path)
    with pytest.raises(ArchiveError):
        archive.open_readonly(path)
    assert path.read_text() == "my notes"


def test_readonly_connection_cannot_write(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    archive.store_article(db, RECORD)
    db.close()
    conn = archive.open_readonly(tmp_path / "a.db")
    with pytest.raises(sqlite3.DatabaseError):  # "not authorized": the authorizer refuses it before SQLite runs it
        conn.execute("DELETE FROM articles")
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_run_counts_add_up_across_crawlers(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    run = archive.start_run(db, ["a", "b"], "replay")
    archive.add_run_counts(db, run, {"pages_fetched": 3, "new": 2}, {"no body": 1})
    archive.add_run_counts(db, run, {"pages_fetched": 4, "unchanged": 1}, {"no body": 2, "no title": 1})
    row = archive.finish_run(db, run)
    assert (row["pages_fetched"], row["new"], row["unchanged"], row["dropped"]) == (7, 2, 1, 4)
    assert row["status"] == "finished" and row["finished_at"]


def test_an_archive_of_an_older_schema_is_upgraded_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    archive.migrations.apply(old, stop_before="m002_revisions")
    old["articles"].insert({"site": "thanhuytphcm", "article_id": "1", "url": RECORD["url"], "title": RECORD["title"],
                            "body": RECORD["body"], "published_at": RECORD["published_at"]})
    old.close()
    db = archive.open_archive(path)
    assert {"revisions", "copies"} <= set(db.table_names())
    assert db["articles"].get(1)["title"] == RECORD["title"]
    assert archive.store_article(db, dict(RECORD, article_id="1")) == "updated"  # the new write path on old rows
    assert db["revisions"].count == 1


def test_a_killed_run_of_any_command_is_marked_interrupted_and_only_a_killed_crawl_makes_a_resume(
        tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    killed_crawl = archive.start_run(db, ["thanhuytphcm"], "live")  # never finished: killed
    assert archive.mark_interrupted_runs(db) == 1  # the next command that holds the lock: a reparse, say
    killed_reparse = archive.start_run(db, ["all"], "reparse")  # killed too
    archive.mark_interrupted_runs(db)  # the fleet's writer, say
    archive.finish_run(db, archive.start_run(db, [], "redis"))
    statuses = dict(db.execute("SELECT id, status FROM crawl_runs").fetchall())
    assert statuses[killed_crawl] == statuses[killed_reparse] == "interrupted"
    assert archive.last_crawl_interrupted(db)  # the next crawl walks every listing, though other runs came between
    archive.finish_run(db, archive.start_run(db, ["thanhuytphcm"], "live"))
    assert not archive.last_crawl_interrupted(db)
    db.close()
