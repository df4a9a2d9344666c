"""A crawl that cannot work is refused before it starts: one line, exit 2, and nothing left behind (no archive, no
run row, no lock file). Runs on one archive exclude each other whatever path spells it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from crawler.archive.lock import RunLocked, lock_path, run_lock

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"


def newsarchive(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newsarchive: error: "), stderr
    return lines[0]


@pytest.mark.parametrize(("args", "says"), [
    (["-s", "CONCURRENT_REQUESTS=abc"], "not a whole number"),
    (["-s", "ROBOTSTXT_OBEY=perhaps"], "true/false"),
    (["-s", "DOWNLOAD_DELAY=soon"], "not a number"),
    (["-s", "ITEM_PIPELINES=xyz"], "ITEM_PIPELINES"),
    (["-s", 'ITEM_PIPELINES={"nowhere.Pipeline": 300}'], "cannot load 'nowhere.Pipeline'"),
    (["-s", "WARC_DIR=notes.txt"], "notes.txt is not a folder"),
    (["--log-file", "missing/crawl.log"], "folder that does not exist"),
    (["--db", "notes.txt/a.db"], "notes.txt is not a folder"),
])
def test_a_crawl_that_cannot_work_leaves_nothing_behind(tmp_path: Path, args: list[str], says: str) -> None:
    (tmp_path / "notes.txt").write_text("a file, not a folder\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    base = [] if "--db" in args else ["--db", "a.db"]
    result = newsarchive("crawl", "--site", "thanhuytphcm", *base, *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert says in one_error_line(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no archive, no lock file, no WARC folder


def test_a_refused_crawl_on_an_archive_adds_no_run_row(tmp_path: Path) -> None:
    first = newsarchive("crawl", "--replay", str(SAMPLE), "--db", "a.db", "--site", "thanhuytphcm", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    result = newsarchive("crawl", "--replay", str(SAMPLE), "--db", "a.db", "-s", "CONCURRENT_REQUESTS=many",
                         cwd=tmp_path)
    assert result.returncode == 2
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("SELECT count(*), min(status) FROM crawl_runs").fetchone() == (1, "finished")
    assert not lock_path(tmp_path / "a.db").exists()


def test_a_run_through_a_symlink_meets_the_lock_of_the_real_archive(tmp_path: Path) -> None:
    real = tmp_path / "a.db"
    link = tmp_path / "link.db"
    link.symlink_to(real)
    with run_lock(real):
        with pytest.raises(RunLocked):
            with run_lock(link):
                pass
        result = newsarchive("crawl", "--replay", str(SAMPLE), "--db", str(link), cwd=tmp_path)
        assert result.returncode == 3, result.stderr
    assert not real.exists()  # the locked-out crawl wrote nothing


def test_the_lock_file_goes_when_the_run_ends_and_the_lock_is_free_again(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with run_lock(db):
        assert lock_path(db).exists()
    assert not lock_path(db).exists()
    with run_lock(db):  # taken again at once
        pass


def test_a_reparse_after_a_killed_run_marks_that_run_interrupted(tmp_path: Path) -> None:
    from crawler import archive

    db = archive.open_archive(tmp_path / "a.db")
    killed = archive.start_run(db, ["thanhuytphcm"], "reparse")  # as a SIGKILL leaves it
    db.close()
    result = newsarchive("reparse", "--site", "thanhuytphcm", "--warc", str(SAMPLE), "--db", "a.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "a.db") as conn:
        statuses = dict(conn.execute("SELECT id, status FROM crawl_runs").fetchall())
    assert statuses.pop(killed) == "interrupted" and list(statuses.values()) == ["finished"]


def test_the_library_calls_that_write_take_the_run_lock_themselves(tmp_path: Path) -> None:
    """Not only the CLI: a script calling reparse, backfill or the fleet's writer meets a run in progress."""
    from crawler.live.backfill import backfill
    from crawler.fleet.stream import drain
    from crawler.evidence.reparse import reparse
    from crawler.sites import get_site

    db = tmp_path / "a.db"
    with run_lock(db):
        with pytest.raises(RunLocked):
            reparse(db, [SAMPLE])
        with pytest.raises(RunLocked):
            backfill(db, get_site("thanhuytphcm"), ("wayback",))
        with pytest.raises(RunLocked):
            drain(object(), db)  # refused before Redis is asked anything
    assert not db.exists()


def test_a_library_reparse_of_bad_input_leaves_no_lock_and_no_archive(tmp_path: Path) -> None:
    from crawler.evidence.reparse import reparse
    from crawler.evidence.warc import WarcError

    db = tmp_path / "a.db"
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    with pytest.raises(WarcError):
        reparse(db, [tmp_path / "empty.warc.gz"])
    assert not db.exists() and not lock_path(db).exists()
