"""Re-extraction speed: `reparse` over a WARC of generated article pages, against reading the same WARC alone.

    .venv/bin/python bench/reparse.py [--pages 2000]

Writes a WARC of N article pages of about 60 KB (the local test site's pages, as a crawl would capture them), then
in one process: reads every record with warcio (the floor: the cost of reading the evidence at all), and runs
`crawler.evidence.reparse.reparse` into a fresh archive (extraction, validation, fingerprint, storage). Pages per second,
on one core.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from warcio.archiveiterator import ArchiveIterator  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from faultsite import article_html, generate, write_site_module  # noqa: E402

HOST = "http://127.0.0.1:8999"


def write_warc(path: Path, n: int) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for article in generate(n):
            body = article_html(article, 60_000).encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Date", "Mon, 01 Mar 2021 03:00:00 GMT")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"{HOST}/bai/bai-viet-{article.id}", "response",
                                                          payload=BytesIO(body), http_headers=http))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sites").mkdir()
        write_site_module(folder / "sites", HOST, "benchsite")
        os.environ["NEWSARCHIVE_SITES_PATH"] = str(folder / "sites")
        from crawler.evidence.reparse import reparse

        warc = folder / "pages.warc.gz"
        write_warc(warc, args.pages)
        start = time.perf_counter()
        with warc.open("rb") as fh:
            read = sum(len(r.content_stream().read()) > 0 for r in ArchiveIterator(fh) if r.rec_type == "response")
        reading = time.perf_counter() - start
        start = time.perf_counter()
        row = reparse(folder / "archive.db", [warc])
        reparsing = time.perf_counter() - start
    print(f"WARC of {args.pages} article pages of ~60 KB; Python {sys.version.split()[0]}, one core")
    print(f"{'pass':<44} {'pages/s':>8}")
    print(f"{'read every record (warcio, the floor)':<44} {read / reading:>8.0f}")
    print(f"{'newsarchive reparse into a fresh archive':<44} {row['pages_fetched'] / reparsing:>8.0f}")
    print(f"stored {row['new']} new articles")


if __name__ == "__main__":
    main()
