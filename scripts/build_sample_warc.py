"""Build the bundled offline snapshot from the fixture pages.

    python scripts/build_sample_warc.py [--out data/samples/thanhuytphcm.warc.gz] [--site thanhuytphcm]

Every tests/fixtures/<site>/pages/<name>.html (its URL from the golden <name>.json) and every listing page
(tests/fixtures/<site>/listing/urls.json) becomes one WARC response record, as if the site had served it at the
capture time below. The output is byte-for-byte reproducible: record ids and dates are derived, not random.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
#: The day the reconstructed pages show in their "today" line, at 10:00 in Ho Chi Minh City.
CAPTURED = datetime(2022, 5, 22, 3, 0, 0, tzinfo=timezone.utc)


def fixture_pages(site: str) -> list[tuple[str, Path]]:
    """(url, file) of every page of one site's fixtures: listings first, then articles, each sorted."""
    folder = FIXTURES / site
    pages: list[tuple[str, Path]] = []
    listing = folder / "listing" / "urls.json"
    if listing.exists():
        for name, url in sorted(json.loads(listing.read_text(encoding="utf-8")).items()):
            pages.append((url, listing.parent / name))
    for golden in sorted((folder / "pages").glob("*.json")):
        html = golden.with_suffix(".html")
        if html.exists():
            pages.append((json.loads(golden.read_text(encoding="utf-8"))["url"], html))
    return pages


def record_id(url: str) -> str:
    return f"<urn:uuid:{uuid.UUID(hashlib.sha256(url.encode()).hexdigest()[:32])}>"


def build(sites: list[str], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    warc_date = CAPTURED.strftime("%Y-%m-%dT%H:%M:%SZ")
    count = 0
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(out.name, {
            "software": "newsarchive scripts/build_sample_warc.py",
            "description": "Offline sample of RECONSTRUCTED fixture pages (see tests/fixtures/*/README.md); "
                           "not pages captured from the live sites.",
            "format": "WARC File Format 1.1",
        })
        info.rec_headers.replace_header("WARC-Date", warc_date)
        info.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo:" + out.name))
        writer.write_record(info)
        for site in sites:
            for url, path in fixture_pages(site):
                body = path.read_bytes()
                http = StatusAndHeaders("200 OK", [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Date", format_datetime(CAPTURED, usegmt=True)),
                ], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                                   warc_headers_dict={"WARC-Date": warc_date,
                                                                      "WARC-Record-ID": record_id(url)})
                writer.write_record(record)
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "samples" / "thanhuytphcm.warc.gz")
    parser.add_argument("--site", action="append", dest="sites", help="site key (default: thanhuytphcm)")
    args = parser.parse_args(argv)
    count = build(args.sites or ["thanhuytphcm"], args.out)
    print(f"wrote {count} responses to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
