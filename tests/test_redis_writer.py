"""Several crawling workers, one archive writer, records through a real Redis (started here on loopback).

Outside CI, without a redis-server binary, these tests are skipped with the reason; under CI=true they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, golden_pages

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"
COLUMNS = "site, article_id, title, body, published_at, byline"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing: .ci/run installs Debian's redis-server")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def articles(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT {COLUMNS} FROM articles ORDER BY site, article_id").fetchall()
    finally:
        conn.close()


def test_two_workers_and_one_writer_give_the_single_process_archive(redis_url: str, tmp_path: Path) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    single = tmp_path / "single.db"
    assert cli("crawl", "--replay", str(SAMPLE), "--db", str(single)).returncode == 0
    first = ["--site", "thanhuytphcm", "--site", "bacgiang", "--site", "dangcongsan"]
    second = ["--site", "dangcongsan_2016", "--site", "dongthap", "--site", "quangninh", "--site", "tapchicongsan",
              "--site", "tuyengiao", "--site", "xaydungdang"]
    workers = [subprocess.Popen([sys.executable, "-m", "crawler", "crawl", *sites, "--replay", str(SAMPLE),
                                 "--redis", redis_url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for sites in (first, second)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read()
    shared = tmp_path / "shared.db"
    stored = cli("store", "--redis", redis_url, "--db", str(shared))
    assert stored.returncode == 0, stored.stderr
    assert articles(shared) == articles(single)
    assert len(articles(shared)) == len(golden_pages())
    again = cli("store", "--redis", redis_url, "--db", str(shared))
    assert "nothing waiting" in again.stdout


def test_a_writer_that_dies_mid_batch_loses_nothing_and_stores_nothing_twice(redis_url: str, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    from crawler import archive, queue
    from conftest import load_golden

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    records = [load_golden(p) for p in golden_pages()[:20]]
    for record in records:
        queue.enqueue_record(client, record)
    db = tmp_path / "a.db"
    real_store = archive.store_article
    calls = {"n": 0}

    def dies_on_the_thirteenth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 13:
            raise KeyboardInterrupt("the writer is killed")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(archive, "store_article", dies_on_the_thirteenth)
    with pytest.raises(KeyboardInterrupt):
        queue.drain(client, db, batch=8)
    monkeypatch.setattr(archive, "store_article", real_store)
    assert len(articles(db)) == 8  # the first batch was committed and acknowledged; the second was rolled back
    counts = queue.drain(client, db, batch=8)
    assert counts["new"] == 12 and sum(counts.values()) == 12
    keys = [(r[0], r[1]) for r in articles(db)]
    assert len(keys) == len(set(keys)) == 20


def test_two_workers_share_one_sites_politeness(redis_url: str, tmp_path: Path) -> None:
    """Two workers on the same site with a 0.4 s delay: the site sees one request per 0.4 s from both together."""
    import redis

    from faultsite import FaultSite, generate

    redis.Redis.from_url(redis_url).flushdb()
    site = FaultSite(generate(6), faults=False).start()
    try:
        site.site_module(tmp_path)
        env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(tmp_path))
        args = [sys.executable, "-m", "crawler", "crawl", "--site", "faultsite", "--redis", redis_url, "--no-warc",
                "-s", "DOWNLOAD_DELAY=0.4", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
                "-s", "ROBOTSTXT_OBEY=False"]
        workers = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True) for _ in range(2)]
        for worker in workers:
            assert worker.wait(timeout=300) == 0, worker.stderr.read()[-2000:]
        times = sorted(site.times)
        assert len(times) >= 2 * 7  # both workers fetched the listing and the 6 articles
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= 0.4 * 0.9, gaps
    finally:
        site.stop()
