"""A fleet: workers on a shared frontier, one archive writer, through a real Redis (started here on loopback).

The server is the one the `test` extra installs (tests/redis_server.py). Outside CI, without it or a redis-server
on PATH, these tests are skipped with the reason; under CI=true they fail.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, archived_rows, db_rows, golden_pages
from redis_server import redis_server

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"
COLUMNS = "site, article_id, title, body, published_at, byline"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def articles(db: Path) -> list[tuple]:
    return archived_rows(db, COLUMNS)


def stored(db: Path) -> int:
    """Articles in an archive a running writer may still be creating."""
    try:
        return len(articles(db)) if db.exists() else 0
    except sqlite3.OperationalError:  # no tables yet
        return 0


def pages_of(output: str) -> int:
    return int(re.search(r"Worker finished: (\d+) pages fetched, (\d+) records", output).group(1))


def test_two_workers_and_one_writer_give_the_single_process_archive(redis_url: str, tmp_path: Path) -> None:
    import redis

    from crawler.sites import all_sites

    sites = all_sites()
    start_pages = sum(len(site.start_urls) for site in sites.values())
    redis.Redis.from_url(redis_url).flushdb()
    single = tmp_path / "single.db"
    assert cli("crawl", "--replay", str(SAMPLE), "--db", str(single)).returncode == 0
    seeded = cli("enqueue", "--redis", redis_url)
    assert seeded.returncode == 0 and f"New crawl: {start_pages} start pages of {len(sites)} sites queued" in seeded.stdout, seeded.stdout
    workers = [subprocess.Popen([sys.executable, "-m", "crawler", "crawl", "--replay", str(SAMPLE), "--redis",
                                 redis_url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-2000:]
    handed = sum(int(re.search(r"(\d+) records handed", out).group(1)) for out, _ in outputs)
    assert handed == len(golden_pages())  # no article page fetched by both workers
    shared = tmp_path / "shared.db"
    stored = cli("store", "--redis", redis_url, "--db", str(shared))
    assert stored.returncode == 0, stored.stderr
    assert articles(shared) == articles(single)
    assert len(articles(shared)) == len(golden_pages())
    again = cli("store", "--redis", redis_url, "--db", str(shared))
    assert "nothing waiting" in again.stdout
    assert redis.Redis.from_url(redis_url).xlen("newsarchive:records") == 0  # stored records leave Redis
    from crawler.fleet.frontier import status

    left = status(redis.Redis.from_url(redis_url))
    assert (left["queued"], left["workers"], left["taken"]) == (0, 0, 0)  # both workers stopped on an empty frontier
    runs = sqlite3.connect(shared).execute("SELECT source, new, status FROM crawl_runs").fetchall()
    assert runs == [("redis", len(golden_pages()), "finished")]

    # The next crawl, with what the archive holds published: incremental, as on one machine.
    seeded = cli("enqueue", "--redis", redis_url, "--db", str(shared))
    assert f"New crawl: {start_pages} start pages" in seeded.stdout, seeded.stdout
    assert f"{len(golden_pages())} archived articles" in seeded.stdout, seeded.stdout
    again = cli("crawl", "--replay", str(SAMPLE), "--redis", redis_url)
    assert again.returncode == 0, again.stderr[-2000:]
    # listings (one page of each start page) and one robots.txt of each site only
    assert " 0 records handed" in again.stdout and pages_of(again.stdout) <= start_pages + len(sites), again.stdout


def test_a_writer_that_dies_mid_batch_loses_nothing_and_stores_nothing_twice(redis_url: str, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import redis

    from crawler import archive
    from crawler.fleet import stream as queue
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
    """Two workers on one site with a 0.4 s delay: the site sees one request per 0.4 s from both together, and each
    page once."""
    import redis

    from faultsite import FaultSite, generate

    redis.Redis.from_url(redis_url).flushdb()
    # 20 pages (one listing page) at 0.4 s: the walk outlasts a worker that starts seconds after the other (a cold
    # start, a busy machine); with 12 the first worker had taken every page before the second asked for one.
    site = FaultSite(generate(20), faults=False).start()
    try:
        site.site_module(tmp_path)
        env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(tmp_path))
        args = [sys.executable, "-m", "crawler", "crawl", "--site", "faultsite", "--redis", redis_url, "--no-warc",
                "-s", "DOWNLOAD_DELAY=0.4", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
                "-s", "ROBOTSTXT_OBEY=False"]
        workers = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True) for _ in range(2)]
        outputs = [worker.communicate(timeout=300) for worker in workers]
        for worker, (_, err) in zip(workers, outputs):
            assert worker.returncode == 0, err[-2000:]
        assert all(pages_of(out) > 0 for out, _ in outputs)  # both workers took part
        # robots.txt (asked for by the spider, ROBOTSTXT_OBEY being off), the listing and 20 articles, each once
        assert sorted(site.requests.values()) == [1] * 22
        times = sorted(site.times)
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= 0.4 * 0.9, gaps
    finally:
        site.stop()


def test_a_worker_killed_mid_crawl_and_a_writer_killed_mid_batch_lose_nothing(redis_url: str,
                                                                                tmp_path: Path) -> None:
    """SIGKILL one of two workers while it holds requests, and the writer twice while it stores: after restarts,
    every article is archived exactly once."""
    import redis

    from crawler.fleet.frontier import status, taken_key
    from faultsite import FaultSite, generate

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    site = FaultSite(generate(150), faults=False).start()
    try:
        site.site_module(tmp_path)
        env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(tmp_path))
        assert cli("enqueue", "--redis", redis_url, "--site", "faultsite", env=env).returncode == 0

        def worker(name: str) -> subprocess.Popen[str]:
            return subprocess.Popen(
                [sys.executable, "-m", "crawler", "crawl", "--redis", redis_url, "--no-warc",
                 "-s", f"NEWSARCHIVE_WORKER_ID={name}", "-s", "NEWSARCHIVE_WORKER_TTL=2",
                 "-s", "DOWNLOAD_DELAY=0.01", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def writer() -> subprocess.Popen[str]:
            return subprocess.Popen([sys.executable, "-m", "crawler", "store", "--redis", redis_url, "--follow",
                                     "--db", str(db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        db = tmp_path / "archive.db"
        first, second, store = worker("a"), worker("b"), writer()
        deadline = time.monotonic() + 60
        while not client.zcard(taken_key("a")) or client.xinfo_stream("newsarchive:records")["entries-added"] < 20:
            assert time.monotonic() < deadline and first.poll() is None, "worker a never held a request"
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert client.zcard(taken_key("a")) > 0  # it died holding requests: stock scrapy-redis would lose them
        store.send_signal(signal.SIGKILL)
        store.wait(timeout=30)
        store = writer()
        time.sleep(1.0)
        store.send_signal(signal.SIGKILL)
        store.wait(timeout=30)
        out, err = second.communicate(timeout=300)
        assert second.returncode == 0, err[-2000:]
        assert "requests of dead workers taken back" in out  # b recovered what a held
        restarted = worker("a")
        assert restarted.wait(timeout=120) == 0
        final = cli("store", "--redis", redis_url, "--db", str(db))
        assert final.returncode == 0, final.stderr
        assert (integrity := sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]) == "ok", integrity
        keys = [row[1] for row in articles(db)]
        assert len(keys) == len(set(keys))  # 0 duplicated
        assert set(keys) == {str(a.id) for a in site.articles}  # 0 lost
        left = status(client)
        assert (left["queued"], left["taken"]) == (0, 0)
        assert client.xlen("newsarchive:records") == 0
    finally:
        site.stop()


def test_fleet_shows_what_is_queued_taken_and_waiting_for_the_writer(redis_url: str) -> None:
    import redis

    from conftest import load_golden
    from crawler.fleet import stream as queue
    from crawler.fleet.frontier import PREFIX, WORKERS_KEY, taken_key

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    idle = cli("fleet", "--redis", redis_url)
    assert idle.returncode == 0, idle.stderr
    assert idle.stdout.splitlines() == [
        "Frontier (idle): 0 requests queued, 0 taken; 0 live workers; 0 requests seen in this crawl.",
        "Writer: 0 records waiting, 0 taken but not yet stored."]
    assert cli("enqueue", "--redis", redis_url, "--site", "thanhuytphcm").returncode == 0
    client.sadd(WORKERS_KEY, "ghost")  # a worker that died holding a request: its heartbeat key is gone
    client.zadd(taken_key("ghost"), {b"a pickled request": 0})
    records = [load_golden(p) for p in golden_pages()[:3]]
    for record in records:
        queue.enqueue_record(client, record)
    client.xgroup_create(queue.STREAM, queue.GROUP, id="0")
    client.xreadgroup(queue.GROUP, "writer", {queue.STREAM: ">"}, count=1)  # a writer took one, not yet stored
    busy = cli("fleet", "--redis", redis_url).stdout.splitlines()
    assert busy[0] == ("Frontier (crawling): 1 request queued, 1 taken (1 of them by dead workers: the next live "
                       "worker puts them back); 0 live workers; 1 request seen in this crawl."), busy
    assert busy[1] == "Writer: 2 records waiting, 1 taken but not yet stored."
    last = client.xrevrange(queue.STREAM, count=1)[0][0]
    client.xdel(queue.STREAM, last)  # deleted entries leave Redis unable to give the lag: it is counted instead
    assert cli("fleet", "--redis", redis_url).stdout.splitlines()[1] == (
        "Writer: 1 record waiting, 1 taken but not yet stored.")
    assert client.keys(f"{PREFIX}:alive:*") == []  # fleet changed nothing
    unreachable = cli("fleet", "--redis", "redis://127.0.0.1:1/0")
    assert unreachable.returncode == 2 and len(unreachable.stderr.strip().splitlines()) == 1
    assert "cannot reach Redis" in unreachable.stderr


def test_a_following_writer_reports_progress_and_stops_cleanly_on_sigterm(redis_url: str, tmp_path: Path) -> None:
    """As a service (systemd stops it with SIGTERM): a line of progress now and then, and on SIGTERM the batch in
    hand finished, its run closed as finished, the summary printed, exit status 0."""
    import redis

    from conftest import load_golden
    from crawler.fleet import stream as queue

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    db = tmp_path / "a.db"
    writer = subprocess.Popen([sys.executable, "-m", "crawler", "store", "--redis", redis_url, "--follow",
                               "--progress-every", "0.2", "--db", str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not client.exists(queue.STREAM):  # the writer has started: it made its consumer group
            assert time.monotonic() < deadline and writer.poll() is None, "the writer did not start"
            time.sleep(0.05)
        for path in golden_pages()[:3]:
            queue.enqueue_record(client, load_golden(path))
            time.sleep(0.3)
        while queue.backlog(client) != {"waiting": 0, "pending": 0} or stored(db) < 3:
            assert time.monotonic() < deadline and writer.poll() is None, "the writer did not store the records"
            time.sleep(0.05)
        writer.send_signal(signal.SIGTERM)
        out, err = writer.communicate(timeout=30)
    finally:
        writer.kill()
    assert writer.returncode == 0, err
    assert out.strip() == "Stored: 3 new."
    assert re.search(r"stored 1 new in the last \d+ s; [23] since the start\.", err), err
    assert "Stopping after the batch in hand" in err and "Traceback" not in err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status, new FROM crawl_runs").fetchall() == [("finished", 3)]


def test_a_following_writer_waits_out_a_redis_restart(tmp_path: Path) -> None:
    """Redis restarted under a writer that runs as a service: the writer says so, waits, and goes on storing."""
    import redis

    from conftest import load_golden
    from crawler.fleet import stream as queue
    from redis_server import free_port

    port, folder, db = free_port(), tmp_path / "redis", tmp_path / "a.db"
    folder.mkdir()
    records = [load_golden(p) for p in golden_pages()[:4]]

    def wait_for(condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + 60
        while not condition():
            assert time.monotonic() < deadline and writer.poll() is None, what
            time.sleep(0.05)

    with redis_server(folder, port=port, persist=True) as url:
        writer = subprocess.Popen([sys.executable, "-m", "crawler", "store", "--redis", url, "--follow",
                                   "--db", str(db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        client = redis.Redis.from_url(url)
        for record in records[:2]:
            queue.enqueue_record(client, record)
        wait_for(lambda: stored(db) == 2, "the writer did not store the first records")
    try:
        time.sleep(2.5)  # Redis is down: the writer waits rather than exits
        assert writer.poll() is None
        with redis_server(folder, port=port, persist=True) as again:
            client = redis.Redis.from_url(again)
            for record in records[2:]:
                queue.enqueue_record(client, record)
            wait_for(lambda: stored(db) == 4, "the writer did not store what came after the restart")
            writer.send_signal(signal.SIGTERM)
            out, err = writer.communicate(timeout=30)
    finally:
        writer.kill()
    assert writer.returncode == 0, err
    assert "Redis does not answer" in err and "Redis answers again." in err and "Traceback" not in err
    assert out.strip() == "Stored: 4 new."


def test_a_worker_that_loses_redis_stops_and_nothing_is_lost(tmp_path: Path) -> None:
    """Redis stops under a worker: the worker exits at once with one error line (a scheduled worker that hung would
    keep the next from starting). Redis back (append-only file), another worker and the writer archive every
    article exactly once."""
    import redis

    from crawler.fleet.frontier import taken_key
    from faultsite import FaultSite, generate
    from redis_server import free_port

    port, folder, db = free_port(), tmp_path / "redis", tmp_path / "a.db"
    folder.mkdir()
    site = FaultSite(generate(120), faults=False).start()
    try:
        site.site_module(tmp_path)
        env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(tmp_path))
        command = [sys.executable, "-m", "crawler", "crawl", "--no-warc", "-s", "NEWSARCHIVE_WORKER_TTL=2",
                   "-s", "DOWNLOAD_DELAY=0.02", "-s", "AUTOTHROTTLE_ENABLED=False"]
        with redis_server(folder, port=port, persist=True) as url:
            assert cli("enqueue", "--redis", url, "--site", "faultsite", env=env).returncode == 0
            first = subprocess.Popen([*command, "--redis", url, "-s", "NEWSARCHIVE_WORKER_ID=first"], cwd=ROOT,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            client = redis.Redis.from_url(url)
            deadline = time.monotonic() + 60
            while client.xlen("newsarchive:records") < 10 or not client.zcard(taken_key("first")):
                assert time.monotonic() < deadline and first.poll() is None, "the worker never got going"
                time.sleep(0.02)
        out, err = first.communicate(timeout=30)  # Redis is gone: the worker stops, it does not hang
        assert first.returncode == 1, err[-2000:]
        assert err.strip().splitlines()[-1].startswith(f"newsarchive: error: lost Redis at {url}")
        assert "Traceback" not in err
        with redis_server(folder, port=port, persist=True) as again:
            assert redis.Redis.from_url(again).zcard(taken_key("first")) > 0  # what it held is still there
            time.sleep(2.5)  # its heartbeat expires
            second = cli(*command[3:], "--redis", again, env=env)
            assert second.returncode == 0, second.stderr[-2000:]
            assert "requests of dead workers taken back" in second.stdout
            stored = cli("store", "--redis", again, "--db", str(db))
            assert stored.returncode == 0, stored.stderr
        keys = [row[1] for row in articles(db)]
        assert len(keys) == len(set(keys)) and set(keys) == {str(a.id) for a in site.articles}
    finally:
        site.stop()


def test_the_frontier_encodes_requests_exactly_as_scrapy_does() -> None:
    """Its shortcut for naming callbacks gives Request.to_dict's own dict, and its JSON gives that dict back,
    bytes and all (no Redis needed: nothing is sent)."""
    import redis
    from scrapy import Request
    from scrapy.utils.request import request_from_dict

    from crawler.fleet.frontier import QUEUE_KEY
    from crawler.fleet.scheduler import JsonRequests, TakenQueue
    from crawler.sites import get_site
    from crawler.fleet.worker import WorkerSpider

    spider = WorkerSpider()
    queue = TakenQueue(redis.Redis(), spider, QUEUE_KEY)
    url = "https://thanhuytphcm.vn/tin-tuc/bai-viet-1491890000"
    requests = [*spider.seeds(get_site("thanhuytphcm")),
                Request(url, callback=spider.parse_article, errback=spider.on_error, cb_kwargs={"site": "thanhuytphcm"},
                        priority=1, meta={"handle_httpstatus_list": [304], "redirect_urls": ["https://a.vn/x"],
                                          "depth": 2, "download_timeout": 30.0, "~b": "not a tag"},
                        headers={"If-Modified-Since": "Wed, 12 Jan 2022 03:00:00 GMT"}, method="POST",
                        body="đ".encode() + b"\x00\xff"),
                Request(url)]
    for request in requests:
        decoded = JsonRequests.loads(queue._encode_request(request))
        assert decoded == request.to_dict(spider=spider)
        again = request_from_dict(decoded, spider=spider)
        assert (again.url, again.body, again.headers, again.meta, again.callback) == (
            request.url, request.body, request.headers, request.meta, request.callback)


def test_reading_the_frontier_never_runs_code_from_redis() -> None:
    """Entries are JSON: a pickle put in the queue by whoever can write to Redis is refused, not run."""
    import pickle

    from crawler.fleet.scheduler import JsonRequests

    class Boom:
        def __reduce__(self):  # what unpickling would call
            return (os.system, ("touch /tmp/newsarchive-pwned",))

    with pytest.raises(ValueError):  # json.JSONDecodeError
        JsonRequests.loads(pickle.dumps(Boom()))
    assert not os.path.exists("/tmp/newsarchive-pwned")
    with pytest.raises(TypeError, match="holds a set"):
        JsonRequests.dumps({"meta": {"seen": {1, 2}}})


def test_a_worker_drops_a_queue_entry_that_is_not_a_request(redis_url: str, tmp_path: Path) -> None:
    """Junk or an older version's pickle in the queue: the worker says so, drops it, and crawls the rest."""
    import pickle

    import redis

    from crawler.fleet.frontier import QUEUE_KEY, taken_key

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    assert cli("enqueue", "--redis", redis_url, "--site", "thanhuytphcm").returncode == 0
    client.zadd(QUEUE_KEY, {pickle.dumps({"url": "https://thanhuytphcm.vn/x"}): -10, b"not json": -10})
    worker = cli("crawl", "--replay", str(SAMPLE), "--redis", redis_url, "--site", "thanhuytphcm", "-s",
                 "NEWSARCHIVE_WORKER_ID=w")
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert worker.stderr.count("dropped an entry of the shared frontier that is not a request") == 2
    assert pages_of(worker.stdout) > 10
    assert client.zcard(QUEUE_KEY) == 0 and client.zcard(taken_key("w")) == 0


def test_fingerprints_a_worker_hands_over_are_those_the_writer_would_compute() -> None:
    """A worker sends each record's fingerprints with it (the writer then skips them); through the stream's JSON and
    the writer's own normalizing, they equal what the writer computes from the record it stores."""
    import json

    from conftest import load_golden
    from crawler import archive
    from crawler.archive import store
    from crawler.extract.records import prepare

    for path in golden_pages():
        worker_side, _ = prepare(load_golden(path))
        sent = json.loads(json.dumps(dict(worker_side, fingerprints=archive.fingerprints(worker_side)),
                                     ensure_ascii=False))
        writer_side, reason = prepare(sent)
        assert reason is None
        computed = store._article_row({k: v for k, v in writer_side.items() if k != "fingerprints"})
        given = store._article_row(writer_side)
        assert (given["simhash"], given["content_hash"]) == (computed["simhash"], computed["content_hash"])


def test_a_writer_with_nothing_waiting_still_marks_a_killed_run_interrupted(redis_url: str, tmp_path: Path) -> None:
    """Found by bench/soak.py: a writer killed after its last batch left its run "running" for good."""
    from crawler import archive

    db = tmp_path / "a.db"
    conn = archive.open_archive(db)
    killed = archive.start_run(conn, [], "redis")  # as a SIGKILL leaves it
    conn.close()
    empty = redis_url.rsplit("/", 1)[0] + "/7"  # a database of that server no other test uses
    result = cli("store", "--redis", empty, "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "nothing waiting" in result.stdout
    assert db_rows(db, "SELECT id, status FROM crawl_runs") == [(killed, "interrupted")]
