"""`query` and `search` as a careless or hostile user drives them: reading only (no ATTACH, VACUUM INTO, writable
PRAGMA, load_extension), a time limit, Ctrl-C, BLOBs in every format, queries of thousands of words, and archives
that cannot be written (read-only folder, file or mount). Each case: the exit status, the one line on stderr, the
archive unchanged and no file created."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shlex
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from crawler import archive
from crawler.archive import readsql
from crawler.archive import schema
from crawler.archive import search
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


# --- Archives that cannot be written -------------------------------------------------------------------------------
#
# Not root: chmod makes the folder (or file) read-only and main() runs in this process. Root ignores permissions, so
# the command runs in a child whose capability bounding set lacks CAP_DAC_OVERRIDE (dropped with prctl before exec):
# that child is root without the power to write where the mode bits say no. A read-only mount needs a mount
# namespace (unshare); where neither is possible the test is skipped, and the decision itself is still tested below
# with the error SQLite gives (test_open_readonly_retries_immutable_only_when_the_wal_index_cannot_be_made).

READ_COMMANDS = [
    (["query", "SELECT count(*) AS n FROM articles"], "2"),
    (["search", "dang uy"], "Đảng ủy phường"),
    (["stats"], "2 articles"),
    (["runs"], "run"),
    (["export", "--format", "jsonl"], '"article_id": "1491889235"'),
]

PR_CAPBSET_DROP, CAP_DAC_OVERRIDE = 24, 1


def _without_dac_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


#: Runs each command given as JSON with crawler.cli.main, and prints [status, stdout, stderr] of each as JSON: one
#: interpreter for many commands.
CHILD = """
import contextlib, io, json, sys
from crawler.cli import main
results = []
for args in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def _children(commands: list[list[str]], prefix: list[str] | None = None,
              preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(prefix or []), sys.executable, "-c", CHILD, json.dumps(commands)], cwd=ROOT,
                          capture_output=True, text=True, preexec_fn=preexec, timeout=120)


def _run_unprivileged(commands: list[list[str]], capsys: pytest.CaptureFixture[str]) -> list[tuple[int, str, str]]:
    """(status, stdout, stderr) of each command, run by a reader that cannot write where the mode bits say no."""
    if os.geteuid() != 0:
        results = []
        for args in commands:
            code = main(args)
            captured = capsys.readouterr()
            results.append((code, captured.out, captured.err))
        return results
    try:
        child = _children(commands, preexec=_without_dac_override)
    except subprocess.SubprocessError as e:
        pytest.skip(f"cannot drop CAP_DAC_OVERRIDE to act as an unprivileged reader: {e}")
    assert child.returncode == 0, child.stderr
    return [tuple(r) for r in json.loads(child.stdout)]


@pytest.mark.parametrize("read_only", ["folder", "file"])
def test_an_archive_that_cannot_be_written_is_read(read_only: str, db: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = state(db.parent)
    target = db.parent if read_only == "folder" else db
    mode = target.stat().st_mode
    target.chmod(stat.S_IMODE(mode) & ~0o222)
    try:
        results = _run_unprivileged([[*args, "--db", str(db)] for args, _ in READ_COMMANDS], capsys)
    finally:
        target.chmod(stat.S_IMODE(mode))
    for (args, expected), (code, out, err) in zip(READ_COMMANDS, results):
        assert (code, err) == (0, ""), args
        assert expected in out, args
    assert state(db.parent) == before
    if read_only == "folder":
        assert sorted(p.name for p in db.parent.iterdir()) == [db.name]


def test_an_archive_on_a_read_only_mount_is_read(db: Path, tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare (util-linux) for a private read-only mount")
    mount = tmp_path / "mount"
    mount.mkdir()
    before = state(db.parent)
    namespace = ["unshare", "--mount"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    source, target = shlex.quote(str(db.parent)), shlex.quote(str(mount))
    script = (f"mount --bind {source} {target} && mount -o remount,bind,ro {target} || exit 98; "
              f"touch {target}/probe 2>/dev/null && exit 99; exec \"$@\"")
    child = _children([[*args, "--db", str(mount / db.name)] for args, _ in READ_COMMANDS],
                      prefix=[*namespace, "sh", "-c", script, "sh"])
    if child.returncode in (98, 99) or child.stderr.startswith("unshare:"):
        pytest.skip(f"no private read-only mount here: {child.stderr.strip()}")
    assert child.returncode == 0, child.stderr
    for (args, expected), (code, out, err) in zip(READ_COMMANDS, json.loads(child.stdout)):
        assert (code, err) == (0, ""), args
        assert expected in out, args
    assert state(db.parent) == before


def test_a_read_only_archive_whose_wal_holds_commits_is_refused(db: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # A writer killed mid-run: its commits are still in the -wal, which immutable=1 would not read.
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE articles SET title = 'Đã sửa' WHERE article_id = '2'")
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    shutil.copy(db, crashed / db.name)
    shutil.copy(db.with_name(db.name + "-wal"), crashed / (db.name + "-wal"))
    writer.close()
    before = state(crashed)
    crashed.chmod(0o555)
    try:
        [(code, out, err)] = _run_unprivileged([["query", "--db", str(crashed / db.name), "SELECT 1"]], capsys)
    finally:
        crashed.chmod(0o755)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "holds commits not yet in the database file" in err, err
    assert state(crashed) == before


def test_open_readonly_retries_immutable_only_when_the_wal_index_cannot_be_made(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The decision of open_readonly, with the error SQLite gives in a read-only folder, wherever the test runs."""
    real_reader, uris = schema._reader, []

    def reader(uri: str) -> readsql.ArchiveReader:
        uris.append(uri)
        if "immutable=1" not in uri:
            error = sqlite3.OperationalError("attempt to write a readonly database")
            error.sqlite_errorcode = sqlite3.SQLITE_READONLY_DIRECTORY
            raise error
        return real_reader(uri)

    monkeypatch.setattr(schema, "_reader", reader)
    with pytest.raises(archive.ArchiveError, match="readonly"):
        archive.open_readonly(db)  # the folder can be written: the error is not for want of a read-only folder
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if m == os.W_OK else real_access(p, m))
    uris.clear()
    conn = archive.open_readonly(db)
    try:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (2,)
        assert [u.endswith("immutable=1") for u in uris] == [False, True]
        with pytest.raises(readsql.Refused):
            readsql.run_query(conn, "DELETE FROM articles", None)
    finally:
        conn.close()
