"""Evidence: a live crawl keeps every response in WARC files that standard tools read, `reparse` rebuilds the
archive from them, and WARCs written by other tools (wget) replay."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, archived_rows
from faultsite import FaultSite, generate
from test_fault_site import FAST, crawl

COLUMNS = "site, article_id, url, canonical_url, title, lead, body, byline, published_at, content_hash"


def articles(db: Path) -> list[tuple]:
    return archived_rows(db, COLUMNS)


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("capture")
    site = FaultSite(generate(25), faults=False).start()
    site.site_module(folder)
    db = folder / "archive.db"
    result = crawl(folder, db, *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    yield site, folder, db
    site.stop()


def test_live_crawl_writes_warcs_that_warcio_reads(captured) -> None:
    _, folder, db = captured
    files = sorted((folder / "warc").glob("faultsite-*.warc.gz"))
    assert files
    warcio = str(Path(sys.executable).parent / "warcio")  # warcio's own command-line tool
    index = subprocess.run([warcio, "index", *map(str, files)], capture_output=True, text=True, check=True).stdout
    assert index.count('"warc-type": "response"') >= 25 + 2  # articles, listings, robots.txt
    assert '"warc-type": "warcinfo"' in index and '"warc-type": "request"' in index
    check = subprocess.run([warcio, "check", *map(str, files)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT warc_file, warc_offset, warc_record_id FROM articles").fetchall()
    assert len(rows) == 25 and all(f and o is not None and r.startswith("<urn:uuid:") for f, o, r in rows)


def test_reparse_rebuilds_an_identical_archive_in_a_fresh_database(captured, tmp_path: Path) -> None:
    _, folder, db = captured
    fresh = tmp_path / "rebuilt.db"
    env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(folder))
    args = [sys.executable, "-m", "crawler", "reparse", "--warc", str(folder / "warc"), "--db", str(fresh)]
    first = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "25 new" in first.stdout
    assert articles(fresh) == articles(db)
    again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    assert "0 new, 0 updated, 25 unchanged" in again.stdout  # idempotent
    assert articles(fresh) == articles(db)


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_a_wget_warc_replays(tmp_path: Path) -> None:
    site = FaultSite(generate(12), faults=False).start()
    try:
        site.site_module(tmp_path)
        subprocess.run(["wget", "--quiet", "--recursive", "--level=3", "--no-parent", "--delete-after",
                        f"--warc-file={tmp_path / 'wget'}", f"{site.base}/tin-tuc"], cwd=tmp_path, timeout=120)
        warc = tmp_path / "wget.warc.gz"
        assert warc.exists()
    finally:
        site.stop()  # from here on, nothing answers but the WARC
    db = tmp_path / "a.db"
    result = crawl(tmp_path, db, "--replay", str(warc))
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(articles(db)) == 12


def test_warc_files_rotate_by_size(tmp_path: Path) -> None:
    from crawler.evidence.warc import WarcWriterFiles

    writer = WarcWriterFiles(tmp_path, "site", max_bytes=2000, info={"software": "test"})
    places = [writer.write(f"https://example.vn/{i}", 200, "OK", [("Content-Type", "text/html")], b"x" * 1500,
                           [("User-Agent", "newsarchive/test")]) for i in range(4)]
    writer.close()
    files = sorted(tmp_path.glob("site-*.warc.gz"))
    assert len(files) >= 2 and {p[0] for p in places} == {f.name for f in files}
    from crawler.evidence.warc import WarcIndex

    for i, (name, _, _) in enumerate(places):
        assert WarcIndex.open(tmp_path / name).get(f"https://example.vn/{i}").body == b"x" * 1500


def test_capture_can_be_turned_off(tmp_path: Path) -> None:
    site = FaultSite(generate(3), faults=False).start()
    try:
        site.site_module(tmp_path)
        result = crawl(tmp_path, tmp_path / "a.db", *FAST, "--no-warc")
        assert result.returncode == 0, result.stderr[-2000:]
        assert not (tmp_path / "warc").exists()
    finally:
        site.stop()


@pytest.mark.parametrize("worker_id", ["w7", None])
def test_a_fleet_workers_warc_files_are_named_after_it(tmp_path: Path, worker_id: str | None) -> None:
    """Workers of a fleet write WARCs side by side (one WARC_DIR under Scrapyd): each file names its worker, given
    (NEWSARCHIVE_WORKER_ID) or not (host and process id), so two workers never write one file."""
    from scrapy.utils.test import get_crawler

    from crawler import settings as project
    from crawler.evidence.capture import WarcCaptureMiddleware
    from crawler.fleet.worker import WorkerSpider

    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    values.update(WARC_DIR=str(tmp_path), NEWSARCHIVE_REDIS="redis://127.0.0.1:9/0")
    if worker_id:
        values["NEWSARCHIVE_WORKER_ID"] = worker_id
    crawler = get_crawler(WorkerSpider, values)
    crawler._apply_settings()
    prefix = WarcCaptureMiddleware.from_crawler(crawler).writer.prefix
    assert prefix == f"worker-{worker_id or f'{socket.gethostname()}-{os.getpid()}'}"
