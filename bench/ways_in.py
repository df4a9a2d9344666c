"""What the ways in cost: a declared site whose declared listing is wrong (a 404), found by one other source alone.

    .venv/bin/python bench/ways_in.py [--shared ../shared]

Writes, in a temporary folder, a WARC of the real vnexpress.net and cafef.vn pages of ../shared/real-pages/ with
the ways in tests/realdomains.py writes (a sitemap, an announced feed, home links, a section's links), declares both
sites with a start URL they do not have, and crawls each case twice (the second run has nothing new), printing the
requests and response bytes of each run (robots.txt included, asked for by the spider: ROBOTSTXT_OBEY off). The
second run is what a quiet hour costs a site whose only way in is that source.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from scheduled_runs import crawl as replay_crawl  # noqa: E402  (bench/ is the script's folder)

CASES = {"sitemap": {"sitemap"}, "announced feed": {"feed"}, "home links": {"home"},
         "a section's links": {"section"}}
RULES = {"vnexpress": ("vnexpress.net", r"-(?P<id>\d{6,})\.html$"), "cafef": ("cafef.vn", r"-(?P<id>\d{9,})\.chn$")}


def declare(folder: Path) -> None:
    for key, (host, rule) in RULES.items():
        (folder / f"{key}.py").write_text(
            "from crawler.sites.base import Site\n"
            f"SITE = Site(key={key!r}, name={key!r}, hosts=({host!r}, 'www.{host}'),\n"
            f"    start_urls=('https://{host}/tin-tuc-doan',), article_path={rule!r})\n", encoding="utf-8")


def crawl(warc: Path, db: Path, sites: Path) -> dict:
    return replay_crawl(warc, db, "--site", "vnexpress", "--site", "cafef", "-s", "ROBOTSTXT_OBEY=False",
                        env=dict(os.environ, NEWSARCHIVE_SITES_PATH=str(sites)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, help="the shared folder (default: ../shared beside the checkout)")
    args = parser.parse_args(argv)
    if args.shared:
        os.environ["NEWSARCHIVE_SHARED"] = str(args.shared)
    from realdomains import SHARED_DIR, build_warc, real_domains

    if not (SHARED_DIR / "real-pages").exists():
        raise SystemExit(f"no real pages under {SHARED_DIR}: give --shared")
    domains = real_domains()
    print(f"{'source alone (2 sites, 2 articles each)':<42} {'run':<12} {'requests':>8} {'bytes':>9} {'new':>4}")
    with tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp) / "sites"
        sites.mkdir()
        declare(sites)
        for label, sources in CASES.items():
            warc = build_warc(Path(tmp) / f"{label.replace(' ', '-')}.warc.gz", domains, sources)
            db = Path(tmp) / f"{label.replace(' ', '-')}.db"
            for run_label in ("first run", "nothing new"):
                run = crawl(warc, db, sites)
                print(f"{label:<42} {run_label:<12} {run['requests']:>8} {run['bytes']:>9} {run['new']:>4}")


if __name__ == "__main__":
    main()
