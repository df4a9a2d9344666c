"""What a scheduled run costs: requests of a first run, of a run with nothing new, and of a run after new articles.

    .venv/bin/python bench/scheduled_runs.py [--new 3]

Crawls the bundled snapshot without the N newest thanhuytphcm articles (as the site was an hour earlier), then the
same snapshot again (nothing new), then the whole snapshot (N new articles), then the whole snapshot again (nothing
new, and every article its listings name archived: a quiet hour), all into one temporary archive, and
prints for each run the pages fetched, the requests and response bytes the downloader counted (robots.txt
included), and new and unchanged articles: the discovery cost of an hourly run is the "nothing new" row. It runs
twice on the same archive: first without validators (NEWSARCHIVE_CONDITIONAL=False: every listing page, feed and
sitemap sent in full, the cost before conditional requests), then as a crawl runs by default, with the validators
the first run kept (If-None-Match / If-Modified-Since; the snapshot's listings and feeds carry an ETag and a
Last-Modified, and the replay answers 304 as their server would). The baseline is --full, which walks and fetches
everything every time.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.evidence.warc import copy_without  # noqa: E402
from crawler.sites import all_sites  # noqa: E402

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"


def newest_thanhuytphcm(n: int) -> list[str]:
    goldens = [json.loads(p.read_text(encoding="utf-8"))
               for p in (ROOT / "tests" / "fixtures" / "thanhuytphcm" / "pages").glob("*.json")]
    return [g["url"] for g in sorted(goldens, key=lambda g: g["published_at"], reverse=True)[:n]]


def crawl(warc: Path, db: Path, *extra: str, env: dict[str, str] | None = None) -> dict:
    """Replay `warc` into `db` (`extra`: more crawl options; `env`: the crawl's environment): the run's row, with
    the requests and response bytes the downloader counted."""
    log = db.with_suffix(".log")
    log.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-m", "crawler", "crawl", "--replay", str(warc), "--db", str(db),
                             "--log-file", str(log), *extra], cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode not in (0, 4):
        raise SystemExit(result.stderr)
    import sqlite3

    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    run = dict(conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone())
    text = log.read_text(encoding="utf-8")
    for key, stat in (("requests", "downloader/request_count"), ("bytes", "downloader/response_bytes")):
        found = re.findall(rf"'{stat}': (\d+)", text)
        run[key] = sum(int(n) for n in found)  # one stats dump for each site's crawler
    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--new", type=int, default=3, help="new articles between the second and third run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        earlier = Path(tmp) / "earlier.warc.gz"
        copy_without(SAMPLE, earlier, set(newest_thanhuytphcm(args.new)))
        print(f"Bundled snapshot: {len(all_sites())} sites; the earlier state lacks the {args.new} newest "
              "thanhuytphcm articles.")
        print(f"{'run':<64} {'pages fetched':>13} {'requests':>8} {'bytes':>9} {'304':>4} {'new':>5} "
              f"{'unchanged':>9}")
        unconditional = ("-s", "NEWSARCHIVE_CONDITIONAL=False")
        incremental = (("first run", earlier, ()), ("nothing new, no validators (before)", earlier, unconditional),
                       ("nothing new (after)", earlier, ()), (f"{args.new} new", SAMPLE, ()),
                       ("nothing new again, no validators (before)", SAMPLE, unconditional),
                       ("nothing new again (after)", SAMPLE, ()))
        full = (("first run", earlier, ()), ("nothing new", earlier, ()), (f"{args.new} new", SAMPLE, ()))
        for mode, extra, runs in (("incremental (default)", (), incremental), ("--full (baseline)", ("--full",), full)):
            db = Path(tmp) / f"{mode.split()[0].strip('-')}.db"
            for label, warc, more in runs:
                run = crawl(warc, db, *extra, *more)
                print(f"{mode + ': ' + label:<64} {run['pages_fetched']:>13} {run['requests']:>8} "
                      f"{run['bytes']:>9} {run['not_modified'] or 0:>4} {run['new']:>5} {run['unchanged']:>9}")
    print("Pages fetched include one robots.txt per site; 304: listing pages, feeds and sitemaps not modified.")


if __name__ == "__main__":
    main()
