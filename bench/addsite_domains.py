"""How often `add-site` learns a usable declaration from two real pages of a domain.

    .venv/bin/python bench/addsite_domains.py [--shared ../shared]

For each domain with two pages in ../shared (real-pages: vnexpress, cafef; the extraction benchmark's 55
domains with two pages, each served under its ground-truth URL), replays a WARC holding the two pages, a home page
linking them and two section pages, a robots.txt and a sitemap (tests/sitewarc.py), runs add-site on it, and
counts: declarations written, article rules that accept both pages and reject the home and section URLs,
selectors induced per field, and pages whose title, date and body read with the induced selectors are the
generic layer's (body: 90% of its text in common). Prints one line per domain and the totals.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from datetime import datetime
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from crawler.extract.dates import VN_TZ  # noqa: E402
from crawler.extract.page import ArticlePage  # noqa: E402
from crawler.live.addsite import AddSiteError, add_site  # noqa: E402
from crawler.live.induce import body_overlap  # noqa: E402
from crawler.live.replay import replay_fetcher  # noqa: E402
from sitewarc import site_documents, write_site_warc  # noqa: E402

SECTIONS = ("news", "business/markets")
#: One fetch time for both readings of a page: a relative date ("2 hours ago") reads the same in both.
FETCHED = datetime.now(VN_TZ)


def domains(shared: Path) -> dict[str, dict[str, bytes]]:
    """host -> {url: page} of every domain with two pages."""
    found: dict[str, dict[str, bytes]] = defaultdict(dict)
    expected = json.loads((shared / "real-pages" / "expected.json").read_text(encoding="utf-8"))
    for name, fields in expected.items():
        found[urlsplit(fields["url"]).hostname or ""][fields["url"]] = (shared / "real-pages" / name).read_bytes()
    bench = shared / "benchmarks" / "article-extraction-benchmark"
    for digest, fields in json.loads((bench / "ground-truth.json").read_text(encoding="utf-8")).items():
        page = bench / "html" / f"{digest}.html.gz"
        if page.exists():
            found[urlsplit(fields["url"]).hostname or ""][fields["url"]] = gzip.decompress(page.read_bytes())
    return {host: pages for host, pages in found.items() if len(pages) == 2}


def one_domain(host: str, pages: dict[str, bytes], folder: Path, totals: Counter[str]) -> str:
    scheme = urlsplit(next(iter(pages))).scheme
    home = f"{scheme}://{host}/"
    sections = tuple(home + s for s in SECTIONS)
    warc = folder / f"{host}.warc.gz"
    write_site_warc(warc, site_documents(home, pages, sections))
    try:
        learnt = add_site(home, None, replay_fetcher(warc), 10, folder / host)
    except AddSiteError as e:
        totals["refused"] += 1
        return f"{host}: refused: {e}"
    totals["written"] += 1
    site = learnt.site
    wrong = [u for u in pages if not site.is_article(u)] + [u for u in (home, *sections) if site.is_article(u)]
    totals["rule right"] += not wrong
    for induced in learnt.fields:
        totals[f"selector {induced.field}"] += induced.css is not None
    for url, body in pages.items():
        generic = ArticlePage(url, body, fetched_at=FETCHED).to_record()
        declared = ArticlePage(url, body, site, FETCHED).to_record()
        totals["pages"] += 1
        totals["same title"] += declared["title"] == generic["title"]
        totals["same date"] += declared["published_at"] == generic["published_at"]
        if declared["published_at"] != generic["published_at"]:
            print(f"  {url}: date {declared['published_at']} (generic layer: {generic['published_at']})")
        totals["same body"] += bool(declared["body"] and generic["body"]) and \
            body_overlap(declared["body"], generic["body"]) >= 0.9
    fields = " ".join(f"{f.field}={f.css or '-'}" for f in learnt.fields)
    verdict = f"  RULE WRONG on {', '.join(wrong)}" if wrong else ""
    return f"{host}: {learnt.rule.kind} {learnt.rule.pattern}  {fields}{verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    found = domains(args.shared)
    totals: Counter[str] = Counter()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for host, pages in sorted(found.items()):
            print(one_domain(host, pages, Path(tmp), totals))
    seconds = time.perf_counter() - started
    print(f"\n{len(found)} domains in {seconds:.1f} s: {totals['written']} declarations written, "
          f"{totals['refused']} refused; article rule right (accepts both, rejects home and sections) on "
          f"{totals['rule right']}")
    print("selectors induced: " + ", ".join(f"{f} {totals[f'selector {f}']}"
                                              for f in ("title", "date", "lead", "body", "byline")))
    print(f"of {totals['pages']} pages of written declarations, the same as the generic layer: title "
          f"{totals['same title']}, date {totals['same date']}, body {totals['same body']}")


if __name__ == "__main__":
    main()
