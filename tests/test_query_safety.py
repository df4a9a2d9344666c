"""`query` and `search` as a careless or hostile user drives them: reading only (no ATTACH, VACUUM INTO, writable
PRAGMA, load_extension), a time limit, Ctrl-C, BLOBs in every format, queries of thousands of words. Each case: the
exit status, the one line on stderr, the archive unchanged and no file created."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import threading
from pathlib import Path

import pytest

from crawler import archive, readsql, search
from crawler.cli import main
from test_archive import RECORD

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    path = folder / "archive.db"
    conn = archive.open_archive(path)
    archive.store_article(conn, RECORD)
    archive.store_article(conn, dict(RECORD, article_id="2", url="https://thanhuytphcm.vn/tin-tuc/y-2",
                                     title="Đảng ủy phường", body="Hội nghị Đảng ủy.\n\nĐoạn hai."))
    conn.close()
    return path


def state(folder: Path) -> dict[str, str]:
    """What a folder holds, each file by its digest: "unchanged" means this is equal before and after. SQLite's
    shared-memory index (-shm) and an empty -wal are left out: a read-only reader makes them where it can and does
    not delete them, and they hold no data."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)}


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("newsarchive: error: "), err
    return err


REFUSED = [
    "ATTACH DATABASE '{x}' AS e", "VACUUM INTO '{x}'", "VACUUM", "DETACH main", "PRAGMA journal_mode = DELETE",
    "PRAGMA writable_schema = 1", "PRAGMA user_version = 7", "SELECT load_extension('{x}')", "ANALYZE", "REINDEX",
    "CREATE TEMP TABLE t (x)", "CREATE TEMP VIEW v AS SELECT 1", "BEGIN IMMEDIATE", "DELETE FROM articles",
    "UPDATE articles SET title = 'x'", "INSERT INTO crawl_runs (status) VALUES ('x')", "DROP TABLE articles",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_statements_that_do_more_than_read_are_refused_and_create_no_file(
        sql: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # where a relative 'x.db' would be created
    before = state(db.parent)
    for target in ("x.db", str(db.parent / "x.db")):
        assert main(["query", "--db", str(db), sql.format(x=target)]) == 2
        assert "refused" in one_line_error(capsys)
        assert not (tmp_path / "x.db").exists() and not (db.parent / "x.db").exists()
    assert state(db.parent) == before


def test_statements_that_only_read_still_work(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for sql, expected in [("PRAGMA table_info(articles)", "published_at"),
                          ("SELECT name FROM pragma_table_info('images')", "caption"),
                          ("PRAGMA journal_mode", "wal"), ("PRAGMA integrity_check", "ok"),
                          ("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH 'dang'", "1"),
                          ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) "
                           "SELECT sum(x) FROM c", "15")]:
        assert main(["query", "--db", str(db), sql]) == 0, sql
        assert expected in capsys.readouterr().out.split(), sql


def test_a_query_past_its_time_limit_is_stopped(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = state(db.parent)
    assert main(["query", "--db", str(db), "--timeout", "0.3", FOREVER]) == 1
    assert "time limit" in one_line_error(capsys)
    assert state(db.parent) == before


def test_a_search_past_its_time_limit_is_stopped(db: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # No search of the bounded size is slow on a test archive: one that runs for ever stands in for a slow one.
    monkeypatch.setattr(search, "search", lambda conn, *a, **k: conn.execute(FOREVER).fetchall())
    assert main(["search", "--db", str(db), "--timeout", "0.3", "dang"]) == 1
    assert "time limit" in one_line_error(capsys)


def _ctrl_c_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_ends_a_running_query(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = state(db.parent)
    timer = _ctrl_c_after(0.3)
    try:
        # The query never ends by itself: only Ctrl-C stops it before the 20 s limit.
        assert main(["query", "--db", str(db), "--timeout", "20", FOREVER]) == 130
    finally:
        timer.cancel()  # if the command ended first, no Ctrl-C must reach the test run
        timer.join()
    err = capsys.readouterr().err
    assert err.strip() == "newsarchive: error: interrupted"  # click closes the terminal's "^C" with a newline
    assert state(db.parent) == before


def test_time_limit_turns_ctrl_c_into_keyboard_interrupt(db: Path) -> None:
    conn = archive.open_readonly(db)
    timer = _ctrl_c_after(0.2)
    try:
        with pytest.raises(KeyboardInterrupt):
            readsql.run_query(conn, FOREVER, 20)
    finally:
        timer.cancel()  # if the command ended first, no Ctrl-C must reach the test run
        timer.join()
        conn.close()


def test_blobs_are_hex_in_every_format(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT x'00ff10' AS b, 'Đảng' AS t, zeroblob(2) AS z"
    assert main(["query", "--db", str(db), sql]) == 0
    assert capsys.readouterr().out.splitlines()[2].split() == ["00FF10", "Đảng", "0000"]
    assert main(["query", "--csv", "--db", str(db), sql]) == 0
    assert capsys.readouterr().out == "b,t,z\n00FF10,Đảng,0000\n"
    assert main(["query", "--json", "--db", str(db), sql]) == 0
    assert json.loads(capsys.readouterr().out) == [{"b": "00FF10", "t": "Đảng", "z": "0000"}]


def test_a_word_repeated_thousands_of_times_is_one_term(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert search.parse_query("dang " * 4000 + '"dang uy" "Đảng ủy"') == [["dang"], ["dang", "uy"]]
    assert main(["search", "--db", str(db), "dang uy"]) == 0
    once = capsys.readouterr().out
    assert main(["search", "--db", str(db), "Đảng ủy " * 4000]) == 0
    assert capsys.readouterr().out == once and "Đảng ủy phường" in once


def test_a_query_of_too_many_words_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = state(db.parent)
    many = " ".join(f"w{i}" for i in range(search.MAX_TERMS + 1))
    long_phrase = '"' + " ".join(f"w{i}" for i in range(search.MAX_WORDS + 1)) + '"'
    for args in (["search", many], ["search", long_phrase], ["export", "--format", "jsonl", "--search", many]):
        assert main([*args, "--db", str(db)]) == 2, args
        assert "at most 64 different words" in one_line_error(capsys)
    assert main(["search", " ".join(f"w{i}" for i in range(search.MAX_TERMS)), "--db", str(db)]) == 0
    assert capsys.readouterr().err == "No article matches.\n"
    assert state(db.parent) == before
