"""The crawl against a site that misbehaves (tests/faultsite.py), through the real Scrapy downloader, and a crawl
killed with SIGKILL at random points and resumed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import ROOT, db_rows as rows
from faultsite import FAULT_ID, FAULTS, TRANSIENT_FAILURES, FaultSite, generate

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=1",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
HEALTHY = 300


def crawl(folder: Path, db: Path, *extra: str, popen: bool = False):
    args = [sys.executable, "-m", "crawler", "crawl", "--site", "faultsite", "--db", str(db), *extra]
    env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(folder))
    if popen:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("faultsite")
    site = FaultSite(generate(HEALTHY)).start()
    site.site_module(folder)
    db = folder / "archive.db"
    first = crawl(folder, db, *FAST)
    after_first = dict(site.requests)
    second = crawl(folder, db, *FAST)
    yield site, db, first, second, after_first
    site.stop()


def test_the_crawl_finishes_and_archives_every_healthy_article_once(faulty) -> None:
    site, db, first, _, _ = faulty
    assert first.returncode == 0, first.stderr[-2000:]
    stored = dict(rows(db, "SELECT article_id, title FROM articles"))
    for article in site.articles:
        assert stored[str(article.id)] == article.title
    bodies = dict(rows(db, "SELECT article_id, body FROM articles"))
    assert all(bodies[str(a.id)] == "\n\n".join(a.paragraphs) for a in site.articles)
    assert rows(db, "SELECT count(*), count(DISTINCT article_id) FROM articles")[0][0] == len(stored)


def test_mislabelled_and_legacy_charsets_are_read_right(faulty) -> None:
    _, db, _, _, _ = faulty
    titles = dict(rows(db, "SELECT article_id, title FROM articles"))
    assert titles[str(FAULT_ID["cp1252"])] == "Bài kiểm tra lỗi cp1252"
    assert titles[str(FAULT_ID["cu-1258"])] == "Bài kiểm tra lỗi cu-1258"  # decomposed windows-1258, stored NFC
    body = rows(db, f"SELECT body FROM articles WHERE article_id = '{FAULT_ID['cu-1258']}'")[0][0]
    assert body.startswith("Nội dung đầy đủ của bài kiểm tra cu-1258")
    assert titles[str(FAULT_ID["sai-utf8"])] == "Bài kiểm tra lỗi sai-utf8"  # windows-1258 bytes declared UTF-8
    body = rows(db, f"SELECT body FROM articles WHERE article_id = '{FAULT_ID['sai-utf8']}'")[0][0]
    assert body.startswith("Nội dung đầy đủ của bài kiểm tra sai-utf8")


def test_every_failed_url_is_recorded_with_its_reason(faulty) -> None:
    _, db, first, _, _ = faulty
    failures = {url.split("/")[-1].split("?")[0]: kind for url, kind in rows(
        db, "SELECT url, kind FROM failures WHERE run = 1")}
    expected = {"loi-500-9001": "http 500", "tam-503-9002": "http 503", "cham-9003": "timeout",
                "ngat-9004": "connection", "cut-9005": "truncated", "pdf-9008": "not html",
                "anh-9009": "not html", "to-9010": "too large", "vong-9011": "redirect loop",
                "ra-9012": "off-site", "cam-9013": "robots.txt"}
    assert failures == expected
    counts = json.loads(rows(db, "SELECT failed FROM crawl_runs WHERE id = 1")[0][0])
    assert counts == {"connection": 1, "http 500": 1, "http 503": 1, "not html": 2, "off-site": 1,
                      "redirect loop": 1, "robots.txt": 1, "timeout": 1, "too large": 1, "truncated": 1}
    summary = first.stdout
    for kind, n in counts.items():
        assert f"{kind}: {n}" in summary


def test_retries_happen_where_they_should_and_nothing_off_site_is_fetched(faulty) -> None:
    site, _, _, _, after_first = faulty
    assert after_first["/bai/loi-500-9001"] == 1 + 2  # RETRY_TIMES
    assert after_first["/bai/tam-503-9002"] == TRANSIENT_FAILURES
    assert after_first["/bai/pdf-9008"] == 1 and after_first["/bai/ra-9012"] == 1
    assert "/cam/cam-9013" not in after_first  # robots.txt said no
    assert site.offsite_hits == 0
    assert all(ua.startswith("newsarchive/") for ua in site.user_agents)


def test_a_second_run_heals_the_transient_failures(faulty) -> None:
    _, db, _, second, _ = faulty
    assert second.returncode == 0
    healed = {r[0] for r in rows(db, "SELECT article_id FROM articles")}
    assert {str(FAULT_ID["tam-503"]), str(FAULT_ID["cham"])} <= healed
    still = {url.split("/")[-1] for (url,) in rows(db, "SELECT url FROM failures WHERE run = 2")}
    assert "tam-503-9002" not in still and "cham-9003" not in still and "loi-500-9001" in still


def test_killed_at_random_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    site = FaultSite(generate(120)).start()
    try:
        site.site_module(tmp_path)
        db = tmp_path / "archive.db"
        slow = ["-s", "DOWNLOAD_DELAY=0.02", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=1",
                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
        rng = random.Random(5)
        stored_before = 0
        for _ in range(4):
            proc = crawl(tmp_path, db, *slow, popen=True)
            time.sleep(rng.uniform(1.0, 2.5))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            if not db.exists():
                continue
            assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
            count = rows(db, "SELECT count(*) FROM articles")[0][0]
            assert count >= stored_before  # nothing archived is lost
            stored_before = count
        final = crawl(tmp_path, db, *slow)
        assert final.returncode == 0, final.stderr[-2000:]
        assert rows(db, "PRAGMA integrity_check")[0][0] == "ok"
        ids = [r[0] for r in rows(db, "SELECT article_id FROM articles")]
        assert len(ids) == len(set(ids))
        assert {str(a.id) for a in site.articles} <= set(ids)
        assert rows(db, "SELECT count(*) FROM copies")[0][0] == 0
        statuses = [r[0] for r in rows(db, "SELECT status FROM crawl_runs ORDER BY id")]
        assert statuses[-1] == "finished" and "running" not in statuses
    finally:
        site.stop()


def test_each_kind_of_failure_is_remembered_with_when_it_is_due(faulty) -> None:
    """The real downloader's failures, through the memory: the ones a retry will not heal wait a day, the others
    are due at once. (The second run's walk stops once caught up, so which of them it skips depends on the listing;
    tests/test_failure_memory.py counts the skipped.)"""
    site, db, _, _, after_first = faulty
    gone = {"pdf", "anh", "to", "ra"}  # not html, not html, too large, off-site
    remembered = {article_id: (failed_at, due_at) for article_id, failed_at, due_at in rows(
        db, "SELECT article_id, failed_at, due_at FROM failures WHERE run = 1")}
    failed = [slug for slug in FAULT_ID if not FAULTS[slug].endswith("(healthy)")]
    assert set(remembered) == {str(FAULT_ID[slug]) for slug in failed}  # vong and ra: the id asked for
    for slug in failed:
        failed_at, due_at = remembered[str(FAULT_ID[slug])]
        wait = datetime.fromisoformat(due_at) - datetime.fromisoformat(failed_at)
        assert wait == (timedelta(days=1) if slug in gone else timedelta(0)), slug
    skipped = rows(db, "SELECT skipped_not_due FROM crawl_runs WHERE id = 2")[0][0]
    assert skipped >= 1
    for slug in gone:
        path = f"/bai/{slug}-{FAULT_ID[slug]}"
        assert site.requests[path] == after_first[path], slug
