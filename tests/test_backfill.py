"""Backfill from local stand-ins of the Wayback Machine and Common Crawl (tests/fake_archives.py)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

import crawler.live.backfill as backfill_module
from conftest import db_rows as rows
from crawler.live.backfill import backfill
from crawler.live.http import Client
from crawler.sites import get_site
from fake_archives import FakeArchives

SITE = get_site("thanhuytphcm")


@pytest.fixture
def archives(monkeypatch: pytest.MonkeyPatch):
    fake = FakeArchives()
    monkeypatch.setattr(backfill_module, "WAYBACK", fake.base)
    monkeypatch.setattr(backfill_module, "CC_INDEX", fake.base)
    monkeypatch.setattr(backfill_module, "CC_DATA", fake.base + "/data")
    yield fake
    fake.stop()


def fast() -> Client:
    return Client(delay=0, backoff=0.01, follow_redirects=False)


def test_wayback_backfill_stores_every_article_once_with_its_origin(archives, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    counts = backfill(db, SITE, ("wayback",), client=fast())
    stored = rows(db, "SELECT article_id, origin, captured_at, archive_url, published_at FROM articles")
    assert counts["stored"] == len(archives.urls) - 1 == len(stored)  # the redirect capture is not an article
    assert counts["failed"] == 1 and counts["not an article"] == 1
    assert all(o == "wayback" and c and a.startswith(archives.base + "/web/") for _, o, c, a, _ in stored)
    seed = dict((r[0], r) for r in stored)["1491889235"]
    assert seed[4] == "2022-01-12T00:00:00+07:00"  # the article's own date, not the capture's (May 2022)
    busy = [n for path, n in archives.requests.items()
            if path.startswith("/web/") and path.endswith(archives.busy_url.split("://")[1])]
    assert busy == [3]  # 503 twice, then served: backoff, not failure
    outcomes = dict(rows(db, "SELECT article_id, outcome FROM backfill_captures"))
    assert outcomes[SITE.article_id(archives.redirect_url)] == "failed: http 302"


def test_earliest_capture_is_chosen_unless_latest(archives, tmp_path: Path) -> None:
    backfill(tmp_path / "a.db", SITE, ("wayback",), client=fast())
    first = SITE.article_id(archives.urls[0])
    (stamp,) = rows(tmp_path / "a.db", f"SELECT timestamp FROM backfill_captures WHERE article_id = '{first}'")[0]
    assert stamp.startswith("2022")
    backfill(tmp_path / "b.db", SITE, ("wayback",), latest=True, client=fast())
    (stamp,) = rows(tmp_path / "b.db", f"SELECT timestamp FROM backfill_captures WHERE article_id = '{first}'")[0]
    assert stamp.startswith("2023")


def test_running_again_adds_nothing(archives, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    backfill(db, SITE, ("wayback",), client=fast())
    before = rows(db, "SELECT count(*) FROM articles")[0][0]
    again = backfill(db, SITE, ("wayback",), client=fast())
    assert sum(again.values()) - again["not an article"] == 0
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == before


def test_an_interrupted_backfill_resumes_to_the_same_archive(archives, tmp_path: Path) -> None:
    whole, halves = tmp_path / "whole.db", tmp_path / "halves.db"
    backfill(whole, SITE, ("wayback",), client=fast())
    backfill(halves, SITE, ("wayback",), limit=10, client=fast())  # stopped after 10 captures
    assert rows(halves, "SELECT count(*) FROM articles")[0][0] < rows(whole, "SELECT count(*) FROM articles")[0][0]
    backfill(halves, SITE, ("wayback",), client=fast())
    columns = "article_id, title, body, published_at, origin"
    assert rows(halves, f"SELECT {columns} FROM articles ORDER BY article_id") == \
        rows(whole, f"SELECT {columns} FROM articles ORDER BY article_id")


def test_common_crawl_backfill_reads_warc_ranges(archives, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    counts = backfill(db, SITE, ("commoncrawl",), client=fast(), crawls=("CC-MAIN-TEST",))
    assert counts["stored"] == len(archives.urls)
    assert {r[0] for r in rows(db, "SELECT origin FROM articles")} == {"commoncrawl"}


def test_a_second_archive_links_to_what_the_first_stored(archives, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    backfill(db, SITE, ("wayback",), client=fast())
    counts = backfill(db, SITE, ("commoncrawl",), client=fast(), crawls=("CC-MAIN-TEST",))
    assert counts["already archived"] == len(archives.urls) - 1 and counts["stored"] == 1
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == len(archives.urls)


def test_backfill_command_and_stats_by_origin(archives, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, NEWSARCHIVE_WAYBACK=archives.base, NEWSARCHIVE_ARCHIVE_DELAY="0")
    db = tmp_path / "a.db"
    result = subprocess.run([sys.executable, "-m", "crawler", "backfill", "--site", "thanhuytphcm", "--source",
                             "wayback", "--db", str(db)], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{len(archives.urls) - 1} stored" in result.stdout and "1 failed" in result.stdout
    stats = subprocess.run([sys.executable, "-m", "crawler", "stats", "--db", str(db)], cwd=ROOT, env=env,
                           capture_output=True, text=True)
    assert f"By origin: wayback {len(archives.urls) - 1}" in stats.stdout


def test_captures_go_into_the_runs_warc_dated_as_archived(archives, tmp_path: Path) -> None:
    from crawler.evidence.warc import WarcIndex

    db = tmp_path / "a.db"
    backfill(db, SITE, ("wayback",), client=fast())
    (file, offset, captured) = rows(db, "SELECT warc_file, warc_offset, captured_at FROM articles "
                                        "WHERE article_id = '1491889235'")[0]
    capture = WarcIndex.open(tmp_path / "warc" / file).get(archives.urls[archives.urls.index(
        "https://thanhuytphcm.vn/tin-tuc/tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235")]
        .replace("https://", "http://"))
    assert capture is not None and "Tiếp tục nâng cao chất lượng" in capture.body.decode()
    assert capture.date is not None and capture.date.isoformat()[:13] == \
        datetime.fromisoformat(captured).astimezone(timezone.utc).isoformat()[:13]
