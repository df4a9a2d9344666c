"""The memory of failures (issue 17): an article that answered 404 is not asked for again until it is due (a day,
then twice as long each time, up to a month); a 503 is asked for again on the next run; --full asks for everything;
an article that answers again leaves the memory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from conftest import ROOT, db_rows as rows
from faultsite import Article, QuietServer, article_html, write_site_module

from crawler import archive
from crawler.extract.dates import VN_TZ
from crawler.archive.retries import LONGEST_INTERVAL, due_at, is_permanent

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=2",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=VN_TZ)


# -- the rule ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["http 404", "http 410", "not html", "too large", "off-site"])
def test_a_permanent_failure_waits_a_day_then_twice_as_long_each_time_up_to_a_month(kind: str) -> None:
    waits = [due_at(kind, attempts, NOW) - NOW for attempts in range(1, 10)]
    assert waits == [timedelta(days=d) for d in (1, 2, 4, 8, 16, 30, 30, 30, 30)]
    assert due_at(kind, 10_000, NOW) - NOW == LONGEST_INTERVAL
    assert is_permanent(kind)


@pytest.mark.parametrize("kind", ["http 500", "http 503", "timeout", "connection", "truncated", "redirect loop",
                                  "robots.txt", "ValueError"])
def test_a_transient_failure_is_due_at_once(kind: str) -> None:
    assert [due_at(kind, attempts, NOW) for attempts in (1, 2, 7)] == [NOW] * 3
    assert not is_permanent(kind)


# -- the archive ------------------------------------------------------------------------------------------------------

def _record(article_id: str) -> dict:
    return {"site": "s", "article_id": article_id, "url": f"https://s.vn/bai-{article_id}", "title": "Tiêu đề",
            "body": f"Nội dung bài {article_id}.", "published_at": "2026-04-30T08:00:00+07:00"}


def test_the_archive_remembers_each_article_s_failures_in_a_row_and_forgets_it_once_stored(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    db = archive.open_archive(path)
    runs = [archive.start_run(db, ["s"]) for _ in range(4)]
    archive.record_failures(db, runs[0], "s", [("https://s.vn/bai-1", "http 404", "HTTP 404", "1"),
                                               ("https://s.vn/bai-2", "http 503", "HTTP 503", "2"),
                                               ("https://s.vn/trang-2", "http 404", "HTTP 404")], now=NOW)
    later = NOW + timedelta(days=1, hours=1)
    archive.record_failures(db, runs[1], "s", [("https://s.vn/bai-1", "http 404", "HTTP 404", "1")], now=later)
    rows = db.execute("SELECT run, url, kind, attempts, first_failed_at, failed_at, due_at FROM failures "
                      "ORDER BY id").fetchall()
    assert rows == [
        (runs[0], "https://s.vn/bai-1", "http 404", 1, NOW.isoformat(), NOW.isoformat(),
         (NOW + timedelta(days=1)).isoformat()),
        (runs[0], "https://s.vn/bai-2", "http 503", 1, NOW.isoformat(), NOW.isoformat(), NOW.isoformat()),
        (runs[0], "https://s.vn/trang-2", "http 404", 1, NOW.isoformat(), NOW.isoformat(), NOW.isoformat()),
        (runs[1], "https://s.vn/bai-1", "http 404", 2, NOW.isoformat(), later.isoformat(),
         (later + timedelta(days=2)).isoformat()),
    ]
    db.close()
    assert archive.not_due_articles(path, "s", later) == {"1": (later + timedelta(days=2)).isoformat()}
    assert archive.not_due_articles(path, "s", later + timedelta(days=2)) == {}  # due: asked for again
    assert archive.not_due_articles(path, "other", later) == {}

    db = archive.open_archive(path)
    archive.record_failures(db, runs[2], "s", [("https://s.vn/bai-1", "http 410", "HTTP 410", "1")], now=later)
    assert db.execute("SELECT attempts FROM failures ORDER BY id DESC LIMIT 1").fetchone() == (1,)  # a new kind
    assert archive.store_article(db, _record("1")) == "new"
    assert db.execute("SELECT count(*) FROM failures WHERE article_id = '1' AND healed_at IS NULL").fetchone() == (0,)
    db.close()
    assert archive.not_due_articles(path, "s", later) == {}


def test_failures_recorded_before_the_memory_keep_their_meaning_and_are_asked_for_again(tmp_path: Path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    archive.migrations.apply(old, stop_before="m011_failure_memory")
    old["crawl_runs"].insert({"id": 1, "started_at": "2026-04-01T08:00:00+07:00", "status": "finished",
                              "finished_at": "2026-04-01T08:05:00+07:00", "failed": '{"http 404": 1}'})
    old["failures"].insert({"run": 1, "site": "s", "url": "https://s.vn/bai-9", "kind": "http 404",
                            "detail": "HTTP 404"})
    old.close()
    archive.open_archive(path).close()  # brought up to date
    assert rows(path, "SELECT run, url, kind, detail, attempts, failed_at, due_at, article_id FROM failures") == [
        (1, "https://s.vn/bai-9", "http 404", "HTTP 404", 1, "2026-04-01T08:05:00+07:00",
         "2026-04-01T08:05:00+07:00", None)]
    assert archive.not_due_articles(path, "s") == {}  # no article id: asked for once more, then remembered
    assert rows(path, "SELECT skipped_not_due FROM crawl_runs") == [(None,)]


# -- a crawl ----------------------------------------------------------------------------------------------------------

@dataclass
class GoneSite:
    """Five healthy articles, three that answer 404, one 410, one always 503, and one that answers 404 until
    `healed` is set; the listing links them all, and every request is counted by path."""

    status: dict[int, int] = field(default_factory=lambda: {
        **{i: 200 for i in range(1, 6)}, 11: 404, 12: 404, 13: 404, 14: 410, 21: 503, 31: 404})
    hits: dict[str, int] = field(default_factory=dict)
    healed: bool = False
    server: QuietServer | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def hits_of(self, article: int) -> int:
        return self.hits.get(f"/bai/bai-viet-{article}", 0)

    def start(self) -> "GoneSite":
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if self.path == "/tin-tuc":
                    items = "".join(f"<li><a href='/bai/bai-viet-{i}'>{i}</a></li>" for i in site.status)
                    return self.send(200, f"<html><body><div class='list'><ul>{items}</ul></div></body></html>")
                number = self.path.rpartition("-")[2]
                status = site.status.get(int(number), 404) if number.isdigit() else 404
                if int(number or 0) == 31 and site.healed:
                    status = 200
                if status != 200:
                    return self.send(status, "gone")
                article = Article(int(number), f"Bài số {number}", [f"Đoạn {k} của bài {number}." for k in range(3)],
                                  "Thứ hai, 01/03/2021 09:00", "2021-03-01T09:00:00+07:00")
                return self.send(200, article_html(article))

            def send(self, status: int, text: str) -> None:
                body = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(folder))
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def crawl(folder: Path, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    done = cli(folder, "crawl", "--site", "gone", "--db", str(db), "--no-warc", *FAST, *extra)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return done


GONE = (11, 12, 13, 14, 31)


@dataclass
class Crawls:
    site: GoneSite
    folder: Path
    db: Path
    outputs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)
    hits: list[dict[str, int]] = field(default_factory=list)

    def crawl(self, *extra: str) -> None:
        self.outputs.append(crawl(self.folder, self.db, *extra))
        self.hits.append(dict(self.site.hits))


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    folder = tmp_path_factory.mktemp("gone")
    site = GoneSite().start()
    try:
        write_site_module(folder, site.base, "gone")
        runs = Crawls(site, folder, folder / "archive.db")
        runs.crawl()  # run 1: the gone articles fail
        runs.crawl()  # run 2: incremental, they are not due
        site.healed = True
        runs.crawl("--full")  # run 3: everything asked for; article 31 answers again
        yield runs
    finally:
        site.stop()


def hits(crawls: Crawls, run: int, article: int) -> int:
    """Requests for an article during crawl number `run` (1-based)."""
    path = f"/bai/bai-viet-{article}"
    return crawls.hits[run - 1].get(path, 0) - (crawls.hits[run - 2].get(path, 0) if run > 1 else 0)


def test_a_second_crawl_asks_for_none_of_the_articles_that_answered_404(crawls: Crawls) -> None:
    assert all(hits(crawls, 1, a) == 1 for a in GONE)
    assert all(hits(crawls, 2, a) == 0 for a in GONE)
    assert rows(crawls.db, "SELECT skipped_not_due FROM crawl_runs ORDER BY id") == [(0,), (len(GONE),), (0,)]
    assert f"{len(GONE)} failed articles skipped (not due again" in crawls.outputs[1].stdout
    assert "skipped" not in crawls.outputs[0].stdout


def test_the_failures_table_says_each_gone_article_is_due_a_day_later(crawls: Crawls) -> None:
    failed = rows(crawls.db, "SELECT article_id, kind, attempts, failed_at, due_at FROM failures WHERE run = 1 "
                             "AND article_id IS NOT NULL ORDER BY article_id")
    assert [(a, k, n) for a, k, n, _, _ in failed] == [
        ("11", "http 404", 1), ("12", "http 404", 1), ("13", "http 404", 1), ("14", "http 410", 1),
        ("21", "http 503", 1), ("31", "http 404", 1)]
    for article_id, kind, _, failed_at, due in failed:
        wait = datetime.fromisoformat(due) - datetime.fromisoformat(failed_at)
        assert wait == (timedelta(0) if kind == "http 503" else timedelta(days=1)), article_id
    # The crawl's summary points at this query; it still lists what the run could not get.
    assert f'newsarchive query "SELECT url, kind, detail FROM failures WHERE run = 1"' in crawls.outputs[0].stdout
    listed = cli(crawls.folder, "query", "SELECT url, kind, detail FROM failures WHERE run = 1", "--db",
                 str(crawls.db))
    assert listed.returncode == 0 and listed.stdout.count("bai-viet-") == 6, listed.stdout + listed.stderr


def test_a_503_is_asked_for_again_on_the_next_run(crawls: Crawls) -> None:
    assert hits(crawls, 2, 21) == hits(crawls, 1, 21) == 3  # one request and Scrapy's two retries, each run
    assert rows(crawls.db, "SELECT run, kind FROM failures WHERE article_id = '21' ORDER BY id") == [
        (1, "http 503"), (2, "http 503"), (3, "http 503")]


def test_runs_shows_the_skipped_count(crawls: Crawls) -> None:
    shown = cli(crawls.folder, "runs", "--db", str(crawls.db))
    assert shown.returncode == 0, shown.stderr
    header, *lines = [line for line in shown.stdout.splitlines() if line.strip() and not set(line) <= set("- ")]
    assert "not due" in header
    column = header.index("not due")
    assert [line[column:column + 7].strip() for line in lines] == ["0", str(len(GONE)), "0"]


def test_full_asks_for_them_again_and_the_interval_doubles(crawls: Crawls) -> None:
    assert all(hits(crawls, 3, a) == 1 for a in GONE)
    again = rows(crawls.db, "SELECT article_id, attempts, failed_at, due_at FROM failures WHERE run = 3 "
                            "AND kind != 'http 503' ORDER BY article_id")
    assert [(a, n) for a, n, _, _ in again] == [("11", 2), ("12", 2), ("13", 2), ("14", 2)]
    for _, _, failed_at, due in again:
        assert datetime.fromisoformat(due) - datetime.fromisoformat(failed_at) == timedelta(days=2)


def test_an_article_that_answers_again_is_stored_and_leaves_the_memory(crawls: Crawls) -> None:
    assert rows(crawls.db, "SELECT title FROM articles WHERE article_id = '31'") == [("Bài số 31",)]
    assert rows(crawls.db, "SELECT count(*), count(healed_at) FROM failures WHERE article_id = '31'") == [(1, 1)]
    assert "31" not in archive.not_due_articles(crawls.db, "gone")
    assert set(archive.not_due_articles(crawls.db, "gone")) == {"11", "12", "13", "14"}


def test_an_article_is_asked_for_again_once_it_is_due(crawls: Crawls) -> None:
    """Runs last of the crawl tests: a fourth crawl, once articles 12 and 13 are due (13 answers again)."""
    due = (datetime.now(VN_TZ) - timedelta(minutes=1)).replace(microsecond=0).isoformat()
    conn = sqlite3.connect(crawls.db)
    with conn:
        conn.execute("UPDATE failures SET due_at = ? WHERE article_id IN ('12', '13') AND run = 3", [due])
    conn.close()
    crawls.site.status[13] = 200
    before = dict(crawls.site.hits)
    done = crawl(crawls.folder, crawls.db)
    asked = {a: crawls.site.hits_of(a) - before.get(f"/bai/bai-viet-{a}", 0) for a in (11, 12, 13, 14)}
    assert asked == {11: 0, 12: 1, 13: 1, 14: 0}
    assert "2 failed articles skipped" in done.stdout
    assert set(archive.not_due_articles(crawls.db, "gone")) == {"11", "12", "14"}
    assert rows(crawls.db, "SELECT count(*) FROM failures WHERE article_id = '13' AND healed_at IS NULL") == [(0,)]
    latest = rows(crawls.db, "SELECT attempts, failed_at, due_at FROM failures WHERE article_id = '12' "
                             "ORDER BY id DESC LIMIT 1")[0]
    assert latest[0] == 3
    assert datetime.fromisoformat(latest[2]) - datetime.fromisoformat(latest[1]) == timedelta(days=4)


# -- a fleet ----------------------------------------------------------------------------------------------------------

class DictRedis:
    """What publish_known and published_not_due use of a Redis client, over dicts (the fleet tests cover Redis)."""

    def __init__(self) -> None:
        self.hashes: dict[str, dict[bytes, bytes]] = {}

    def pipeline(self) -> "DictRedis":
        return self

    def execute(self) -> None:
        pass

    def delete(self, name: str) -> None:
        self.hashes.pop(name, None)

    def hset(self, name: str, mapping: dict[str, str]) -> None:
        self.hashes.setdefault(name, {}).update({k.encode(): v.encode() for k, v in mapping.items()})

    def hgetall(self, name: str) -> dict[bytes, bytes]:
        return dict(self.hashes.get(name, {}))


def test_workers_learn_what_is_not_due_from_what_enqueue_publishes(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.crawl.spiders.failures import failure_memory
    from crawler.fleet import frontier
    from crawler.fleet.worker import WorkerSpider

    path = tmp_path / "a.db"
    db = archive.open_archive(path)
    run = archive.start_run(db, ["s"])
    now = datetime.now(VN_TZ).replace(microsecond=0)
    archive.record_failures(db, run, "s", [("https://s.vn/bai-1", "http 404", "HTTP 404", "1"),
                                           ("https://s.vn/bai-2", "timeout", "timed out", "2")], now=now)
    assert archive.store_article(db, _record("3")) == "new"
    db.close()
    client = DictRedis()
    monkeypatch.setattr(frontier, "client_for", lambda url: client)
    assert frontier.publish_known(client, path, ["s"]) == 1
    assert frontier.published_not_due("redis://x", "s", now) == {"1": (now + timedelta(days=1)).isoformat()}
    assert frontier.published_not_due("redis://x", "s", now + timedelta(days=1)) == {}

    class Stats(dict):
        def inc_value(self, key: str) -> None:
            self[key] = self.get(key, 0) + 1

    class Settings(dict):
        def getbool(self, key: str) -> bool:
            return bool(self.get(key))

    class Crawler:
        settings = Settings(NEWSARCHIVE_REDIS="redis://x", ARCHIVE_DB=str(tmp_path / "none.db"))
        stats = Stats()

    def worker_of(crawler: Crawler) -> WorkerSpider:
        spider = WorkerSpider()
        spider.crawler = crawler  # type: ignore[assignment]
        return spider

    worker = worker_of(Crawler())
    memory = failure_memory(worker)  # from Redis: a worker's ARCHIVE_DB is not read
    assert [memory.skip("s", a) for a in ("1", "2", "3", None)] == [True, False, False, False]
    assert worker.crawler.stats == {"newsarchive/skipped_not_due": 1}
    assert failure_memory(worker) is memory  # read once per crawl

    class FullCrawler(Crawler):
        settings = Settings(NEWSARCHIVE_REDIS="redis://x", NEWSARCHIVE_FULL=True)
        stats = Stats()

    assert not failure_memory(worker_of(FullCrawler())).skip("s", "1")


def test_the_writer_records_a_worker_s_failures_with_their_article_and_its_skipped_count(tmp_path: Path) -> None:
    import json
    from collections import Counter

    from crawler.fleet import stream as queue

    db = archive.open_archive(tmp_path / "a.db")
    run = archive.start_run(db, ["redis"], "redis")
    messages = [
        (b"1", {b"failure": json.dumps(["s", "https://s.vn/bai-1", "http 404", "HTTP 404", "1"]).encode()}),
        (b"2", {b"failure": json.dumps(["s", "https://s.vn/trang", "http 500", "HTTP 500"]).encode()}),  # older
        (b"3", {b"report": json.dumps({"worker": "w", "pages_fetched": 4, "dropped": {},
                                       "skipped_not_due": 7}).encode()}),
    ]
    queue._store_batch(db, run, messages, Counter(), set())
    assert db.execute("SELECT url, article_id, attempts FROM failures ORDER BY id").fetchall() == [
        ("https://s.vn/bai-1", "1", 1), ("https://s.vn/trang", None, 1)]
    assert db.execute("SELECT pages_fetched, skipped_not_due FROM crawl_runs").fetchone() == (4, 7)
    db.close()
    assert set(archive.not_due_articles(tmp_path / "a.db", "s")) == {"1"}


def test_a_fleet_worker_asks_for_none_of_the_articles_that_answered_404(tmp_path: Path) -> None:
    from redis_server import redis_server

    site = GoneSite().start()
    try:
        write_site_module(tmp_path, site.base, "gone")
        db = tmp_path / "archive.db"
        crawl(tmp_path, db)  # on one machine: the gone articles fail
        before = dict(site.hits)
        (tmp_path / "redis").mkdir()
        with redis_server(tmp_path / "redis") as redis_url:
            assert cli(tmp_path, "enqueue", "--redis", redis_url, "--site", "gone", "--db", str(db)).returncode == 0
            worker = cli(tmp_path, "crawl", "--redis", redis_url, "--no-warc", *FAST)
            assert worker.returncode == 0, worker.stderr[-3000:]
            stored = cli(tmp_path, "store", "--redis", redis_url, "--db", str(db))
            assert stored.returncode == 0, stored.stderr[-3000:]
        assert all(site.hits_of(a) == before.get(f"/bai/bai-viet-{a}", 0) for a in GONE)
        assert site.hits_of(21) > before["/bai/bai-viet-21"]  # the 503: asked for again
        assert rows(db, "SELECT source, skipped_not_due FROM crawl_runs ORDER BY id") == [("live", 0),
                                                                                          ("redis", len(GONE))]
        assert rows(db, "SELECT article_id, kind FROM failures WHERE run = 2") == [("21", "http 503")]
    finally:
        site.stop()
