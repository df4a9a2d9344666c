"""The crawl pipeline's cost, side by side with a bare Scrapy spider on the same local site.

    .venv/bin/python bench/crawl.py [--articles 5000]

Serves a generated party-site (listings of 20 links, articles of about 60 KB) from a local HTTP server on
127.0.0.1 in its own process, then crawls it twice in turn: a bare Scrapy spider that only downloads and counts
pages, and the full archive crawl (`newsarchive crawl`: extraction, dedup, SQLite). Both run without politeness
delays and with the same concurrency. Prints pages per second, their ratio, CPU seconds per page of each crawler
process and its peak memory.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from faultsite import FaultSite, generate, write_site_module  # noqa: E402

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "CONCURRENT_REQUESTS": "16", "ROBOTSTXT_OBEY": "False", "LOG_LEVEL": "WARNING"}

BARE_SPIDER = '''
import scrapy, sys
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [sys.argv[1] + "/tin-tuc"]
    def parse(self, response):
        for href in response.css("div.list a::attr(href)").getall():
            yield response.follow(href, callback=self.page)
        nxt = response.css("a.next::attr(href)").get()
        if nxt:
            yield response.follow(nxt)
    def page(self, response):
        pass

settings = dict(arg.split("=", 1) for arg in sys.argv[2:])
process = CrawlerProcess(settings)
process.crawl(Bare)
process.start()
'''


def serve(n: int, port_queue: "multiprocessing.Queue[int]") -> None:
    site = FaultSite(generate(n), faults=False, pad=60_000).start()
    port_queue.put(site.server.server_address[1])
    while True:
        time.sleep(3600)


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one child process."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execve(args[0], args, env or dict(os.environ))
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 4):
        raise SystemExit(f"{args[:4]} failed with {status}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    opts = parser.parse_args(argv)
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(opts.articles, ports), daemon=True)
    server.start()
    port = ports.get(timeout=120)
    base = f"http://127.0.0.1:{port}"
    pages = opts.articles + (opts.articles + 19) // 20
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_site_module(folder, base, "benchsite", max_listing_pages=100_000)
        (folder / "bare").mkdir()
        script = folder / "bare" / "bare.py"  # not beside the site module: that folder is read for site modules
        script.write_text(BARE_SPIDER, encoding="utf-8")
        bare = run([sys.executable, str(script), base, *(f"{k}={v}" for k, v in FAST.items())])
        env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(folder))
        sets = [a for k, v in FAST.items() for a in ("-s", f"{k}={v}")]
        full = run([sys.executable, "-m", "crawler", "crawl", "--site", "benchsite", "--db", str(folder / "a.db"),
                    *sets], env)
    server.terminate()
    print(f"Local site: {opts.articles} articles of ~60 KB and {pages - opts.articles} listing pages; "
          f"concurrency 16, no delays; Python {sys.version.split()[0]}")
    print(f"{'crawler':<34} {'pages/s':>8} {'CPU ms/page':>12} {'peak MiB':>9}")
    for name, (wall, cpu, peak) in (("bare Scrapy spider (download only)", bare), ("newsarchive crawl (full)", full)):
        print(f"{name:<34} {pages / wall:>8.0f} {cpu / pages * 1000:>12.2f} {peak:>9.0f}")
    print(f"full / bare pages per second: {bare[0] / full[0]:.0%}")


if __name__ == "__main__":
    main()
