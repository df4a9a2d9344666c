"""The whole job: replay the bundled snapshot through the real Scrapy crawl into a temporary archive.

Each crawl runs in a child process, as a user runs it (Scrapy's reactor cannot be restarted inside one process).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, golden_pages, load_golden, rewrite_thanhuytphcm, write_warc
from crawler.sites import all_sites

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"
#: The first crawl's output of each archive the `crawled` fixture made, shown where a test on that crawl fails.
_FIRST_CRAWL_OUTPUT: dict[Path, str] = {}


def newsarchive(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def shown(result: subprocess.CompletedProcess[str]) -> str:
    """A crawl's whole output, for an assertion message: the drift reason and the run summary are on stdout."""
    return f"\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("archive") / "archive.db"
    first = newsarchive("crawl", "--replay", str(SAMPLE), "--db", str(db))
    assert first.returncode == 0, shown(first)
    _FIRST_CRAWL_OUTPUT[db] = shown(first)
    return db


def rows(db: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


SNAPSHOT_GOLDENS = golden_pages()  # every site's pages are in the snapshot (tests/test_site_fixtures.py)
#: thanhuytphcm's pages in the snapshot: the site the rewritten snapshots of these tests change.
THANHUYTPHCM = [p for p in SNAPSHOT_GOLDENS if p.parent.parent.name == "thanhuytphcm"]


def test_every_article_of_the_snapshot_is_archived_once(crawled: Path) -> None:
    articles = rows(crawled, "SELECT * FROM articles")
    expected = {(load_golden(p)["site"], load_golden(p)["article_id"]) for p in SNAPSHOT_GOLDENS}
    output = _FIRST_CRAWL_OUTPUT[crawled]
    assert len(articles) == len(expected), output
    assert {(a["site"], a["article_id"]) for a in articles} == expected, output
    assert {a["site"] for a in articles} == set(all_sites()), output  # every declared site gave articles
    assert all(a["title"] and a["body"] and a["published_at"] for a in articles)


@pytest.mark.parametrize("golden_path", SNAPSHOT_GOLDENS, ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_archived_row_matches_golden(crawled: Path, golden_path: Path) -> None:
    golden = load_golden(golden_path)
    (row,) = rows(crawled, "SELECT * FROM articles WHERE site = ? AND article_id = ?", golden["site"],
                  golden["article_id"])
    for field in ("title", "lead", "body", "byline", "published_at", "published_precision", "canonical_url"):
        assert row[field] == golden[field], field
    images = rows(crawled, "SELECT url, caption, credit FROM images WHERE article = ? ORDER BY position", row["id"])
    assert [dict(i) for i in images] == golden["images"]


def test_run_is_recorded(crawled: Path) -> None:
    (run,) = rows(crawled, "SELECT * FROM crawl_runs ORDER BY id LIMIT 1")
    assert run["status"] == "finished" and run["source"] == "replay"
    assert run["sites"] == ",".join(sorted(all_sites()))
    output = _FIRST_CRAWL_OUTPUT[crawled]
    assert run["new"] == len(SNAPSHOT_GOLDENS) and run["pages_fetched"] > len(SNAPSHOT_GOLDENS), output
    assert run["errors"] == 0 and run["dropped"] == 0, output


def test_second_crawl_adds_no_row_and_fetches_no_article(crawled: Path) -> None:
    before = rows(crawled, "SELECT id, content_hash, first_seen_at, last_seen_at FROM articles ORDER BY id")
    images_before = rows(crawled, "SELECT count(*) FROM images")[0][0]
    again = newsarchive("crawl", "--replay", str(SAMPLE), "--db", str(crawled))
    assert again.returncode == 0, shown(again)
    run = rows(crawled, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    # no article page fetched (each would count as new, updated or unchanged), one listing page per section
    assert (run["new"], run["updated"], run["unchanged"], run["dropped"]) == (0, 0, 0, 0), shown(again)
    sections = sum(len(site.start_urls) for site in all_sites().values())
    hosts = len(all_sites())  # one robots.txt each
    assert run["pages_fetched"] <= sections + hosts, shown(again)
    after = rows(crawled, "SELECT id, content_hash, first_seen_at, last_seen_at FROM articles ORDER BY id")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert rows(crawled, "SELECT count(*) FROM images")[0][0] == images_before


def test_full_crawl_refetches_everything_and_changes_nothing(crawled: Path) -> None:
    again = newsarchive("crawl", "--full", "--replay", str(SAMPLE), "--db", str(crawled))
    assert again.returncode == 0, shown(again)
    assert " 0 new" in again.stdout and f" {len(SNAPSHOT_GOLDENS)} unchanged" in again.stdout, shown(again)
    assert rows(crawled, "SELECT count(*) FROM revisions")[0][0] == 0


def test_scrapy_commands_see_the_declared_sites(tmp_path: Path) -> None:
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True)
    assert listed.stdout.split() == sorted([*all_sites(), "worker"])  # and the fleet's worker (crawl --redis)
    db = tmp_path / "scrapy.db"
    crawl = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "thanhuytphcm", "-s", f"REPLAY_WARC={SAMPLE}",
                            "-s", f"ARCHIVE_DB={db}", "-s", "LOG_LEVEL=WARNING"], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert crawl.returncode == 0, shown(crawl)
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == len(THANHUYTPHCM), shown(crawl)
    assert json.loads(json.dumps(rows(db, "SELECT status FROM crawl_runs")[0][0])) == "finished"


def test_a_page_without_body_is_dropped_with_its_reason(tmp_path: Path) -> None:
    """A listing that links an empty article page: it is counted as dropped, never stored half-empty."""
    listing = (FIXTURES / "thanhuytphcm" / "listing" / "page-2.html").read_bytes()
    empty = "<html><body><h1 class='news-title'>Chỉ có tiêu đề</h1></body></html>".encode()
    pages = {
        "https://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416": listing.replace(
            b'href="/tin-tuc/', b'href="/tin-tuc/trang-trong-1000000001" data-x="', 1),
        "https://thanhuytphcm.vn/tin-tuc/trang-trong-1000000001": empty,
    }
    warc = tmp_path / "one.warc.gz"
    write_warc(warc, pages)
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(warc), "--db", str(db))
    assert result.returncode == 0, shown(result)
    assert "no body: 1" in result.stdout, shown(result)
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 0
    assert json.loads(rows(db, "SELECT dropped_reasons FROM crawl_runs")[0][0]) == {"no body": 1}


def test_a_second_run_on_a_locked_archive_exits_with_the_lock_status(tmp_path: Path) -> None:
    from crawler.archive.lock import run_lock

    db = tmp_path / "a.db"
    first = newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(SAMPLE), "--db", str(db))
    assert first.returncode == 0
    before = rows(db, "SELECT count(*), max(last_seen_at) FROM articles")[0]
    with run_lock(db):  # a run in progress
        second = newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(SAMPLE), "--db", str(db))
    assert second.returncode == 3
    assert second.stderr.count("\n") == 1 and "another run is writing to" in second.stderr
    assert tuple(rows(db, "SELECT count(*), max(last_seen_at) FROM articles")[0]) == tuple(before)
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    third = newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(SAMPLE), "--db", str(db))
    assert third.returncode == 0, "the lock is released when the run holding it ends"


def test_two_runs_started_together_never_overlap(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    args = [sys.executable, "-m", "crawler", "crawl", "--replay", str(SAMPLE), "--db", str(db)]
    procs = [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    # Both may finish one after the other on a fast machine; they never overlap, and the archive is whole.
    assert codes in ([0, 0], [0, 3]), results
    assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == len(SNAPSHOT_GOLDENS), results


def _redesigned_snapshot(path: Path) -> None:
    """thanhuytphcm's pages after a redesign: every class its selectors name is renamed."""
    renames = {b"news-detail": b"post-detail", b"news-title": b"post-heading", b"news-content": b"post-body",
               b"news-sapo": b"post-summary"}

    def redesign(url: str, body: bytes) -> bytes:
        for old, new in renames.items():
            body = body.replace(old, new)
        return body

    rewrite_thanhuytphcm(SAMPLE, path, redesign)


def test_a_changed_layout_raises_the_drift_alarm(tmp_path: Path) -> None:
    warc = tmp_path / "redesign.warc.gz"
    _redesigned_snapshot(warc)
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(warc), "--db", str(db))
    n = len(THANHUYTPHCM)
    assert result.returncode == 4, shown(result)
    assert f"Drift: thanhuytphcm: only 0 of {n} articles read by the site's selectors" in result.stdout, shown(result)
    assert "Drift: thanhuytphcm" in result.stderr, shown(result)  # also where a scheduler mails or journals it
    (run,) = rows(db, "SELECT status, drift FROM crawl_runs")
    assert run["status"] == "drift" and json.loads(run["drift"])[0]["alarm"], shown(result)
    # the articles are still archived, through the fallbacks
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == n, shown(result)
    listed = newsarchive("runs", "--db", str(db))
    assert listed.returncode == 0 and "drift" in listed.stdout and f"only 0 of {n}" in listed.stdout, shown(listed)


def test_a_site_that_yields_no_article_raises_the_alarm(tmp_path: Path) -> None:
    warc = tmp_path / "redesign.warc.gz"
    _redesigned_snapshot(warc)  # holds thanhuytphcm pages only
    result = newsarchive("crawl", "--site", "tuyengiao", "--replay", str(warc), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 4, shown(result)
    assert "Drift: tuyengiao: no article" in result.stdout, shown(result)


def test_the_bundled_snapshot_raises_no_alarm(crawled: Path) -> None:
    (run,) = rows(crawled, "SELECT status, drift FROM crawl_runs ORDER BY id LIMIT 1")
    output = _FIRST_CRAWL_OUTPUT[crawled]
    assert run["status"] == "finished", output
    report = json.loads(run["drift"])
    assert sorted(d["site"] for d in report) == sorted(all_sites()), output
    assert not [d for d in report if d["alarm"]], output


def test_a_run_after_k_new_articles_fetches_those_k_and_few_listings(tmp_path: Path) -> None:
    from crawler.evidence.warc import copy_without

    newest = sorted((load_golden(p) for p in THANHUYTPHCM), key=lambda g: g["published_at"], reverse=True)[:3]
    earlier = tmp_path / "earlier.warc.gz"
    assert copy_without(SAMPLE, earlier, {g["url"] for g in newest}) == 3
    db = tmp_path / "a.db"
    first = newsarchive("crawl", "--replay", str(earlier), "--db", str(db))
    assert first.returncode == 0, shown(first)
    second = newsarchive("crawl", "--replay", str(SAMPLE), "--db", str(db))
    assert second.returncode == 0, shown(second)
    run = rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    assert (run["new"], run["unchanged"], run["updated"]) == (3, 0, 0), shown(second)
    sections = sum(len(site.start_urls) for site in all_sites().values())
    assert run["pages_fetched"] <= 3 + 2 * sections + len(all_sites()), shown(second)
    stored = {r[0] for r in rows(db, "SELECT url FROM articles WHERE site = 'thanhuytphcm'")}
    assert {g["url"] for g in newest} <= stored


def test_since_stops_at_older_articles(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--site", "thanhuytphcm", "--since", "2022-03-01", "--replay", str(SAMPLE),
                         "--db", str(db))
    assert result.returncode == 0, shown(result)
    dates = [r[0] for r in rows(db, "SELECT published_at FROM articles")]
    assert dates and min(dates) >= "2022-03-01", shown(result)
    assert "before --since" in result.stdout, shown(result)


def test_an_edited_article_is_updated_and_its_old_version_kept(tmp_path: Path) -> None:
    seed = "thanhuytphcm.vn/tin-tuc/tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235"
    edited = tmp_path / "edited.warc.gz"

    def edit(url: str, body: bytes) -> bytes:
        return body.replace("cho 10 đơn vị".encode(), "cho 12 đơn vị".encode()) if url.endswith(seed) else body

    rewrite_thanhuytphcm(SAMPLE, edited, edit)
    db = tmp_path / "a.db"
    assert newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(SAMPLE), "--db", str(db)).returncode == 0
    again = newsarchive("crawl", "--site", "thanhuytphcm", "--refresh-days", "100000", "--replay", str(edited),
                        "--db", str(db))
    assert again.returncode == 0, shown(again)
    assert f"1 updated, {len(THANHUYTPHCM) - 1} unchanged" in again.stdout, shown(again)
    (article,) = rows(db, "SELECT id, body FROM articles WHERE article_id = '1491889235'")
    assert "cho 12 đơn vị" in article["body"]
    (revision,) = rows(db, "SELECT article, body FROM revisions")
    assert revision["article"] == article["id"] and "cho 10 đơn vị" in revision["body"]


def test_the_end_of_a_paged_listing_is_not_a_failure(crawled: Path) -> None:
    (run,) = rows(crawled, "SELECT failed FROM crawl_runs ORDER BY id LIMIT 1")
    assert run["failed"] is None  # listing pages past the last one answer 404: the walk ends, nothing failed
