"""A crawl whose archive or WARC files cannot be written any more stops with a line saying why and a status that
says it did not finish; what was archived stays, nothing is half-written, and the next run completes the work."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ROOT
from crawler.evidence.warc import WarcWriterFiles

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"

#: Runs a crawl whose archive connections can hold only a few more pages, as a full disk would allow.
FULL_ARCHIVE = """
import sys
from crawler import archive
from crawler.cli import main

opened = archive.open_archive


def nearly_full(path):
    db = opened(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 40}")
    return db


archive.open_archive = nearly_full
sys.exit(main(sys.argv[1:]))
"""


def run(tmp_path: Path, *args: str, script: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "crawler", *args]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_a_crawl_into_a_full_archive_stops_and_the_next_run_completes_it(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    first = run(tmp_path, "crawl", "--replay", str(SAMPLE), "--db", str(db), "--no-warc")
    assert first.returncode == 0, first.stderr
    everything = count(db, "SELECT count(*) FROM articles")
    db.unlink()
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    (tmp_path / "warc").mkdir(exist_ok=True)

    full = run(tmp_path, "crawl", "--replay", str(SAMPLE), "--db", str(db), "--no-warc", script=FULL_ARCHIVE)
    assert full.returncode == 1, full.stdout + full.stderr
    assert "Traceback" not in full.stderr
    assert "cannot write the archive" in full.stderr and "full" in full.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    kept = count(db, "SELECT count(*) FROM articles")
    assert kept < everything

    again = run(tmp_path, "crawl", "--replay", str(SAMPLE), "--db", str(db), "--no-warc")
    assert again.returncode == 0, again.stderr
    assert count(db, "SELECT count(*) FROM articles") == everything
    assert count(db, "SELECT count(*) FROM (SELECT site, article_id FROM articles GROUP BY 1, 2 "
                     "HAVING count(*) > 1)") == 0
    assert count(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'") == 0


class FillsUp:
    """A file that takes `room` more bytes, then fails as a full disk does (after writing what fitted)."""

    def __init__(self, fh, room: int):
        self.fh, self.room = fh, room

    def write(self, data) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        part = bytes(data[: self.room])
        self.room -= len(part)
        return self.fh.write(part)

    def __getattr__(self, name: str):
        return getattr(self.fh, name)


def test_a_warc_file_on_a_full_disk_ends_at_its_last_whole_record(tmp_path: Path) -> None:
    writer = WarcWriterFiles(tmp_path, "crawl", 10 * 1024 * 1024, {"software": "test"})
    writer.write("https://example.vn/a", 200, "OK", [("Content-Type", "text/html")], b"<p>one</p>" * 50, [])
    whole = writer.fh.tell()
    writer.fh = FillsUp(writer.fh, 100)  # room for part of the next record only
    with pytest.raises(OSError):
        writer.write("https://example.vn/b", 200, "OK", [("Content-Type", "text/html")], os.urandom(5000), [])
    writer.fh = writer.fh.fh
    writer.close()
    (path,) = tmp_path.glob("*.warc.gz")
    assert path.stat().st_size == whole
    with path.open("rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(fh)]
    assert ("response", "https://example.vn/a") in records
    assert all(uri != "https://example.vn/b" for _, uri in records)
