"""Build the bundled offline snapshot from the fixture pages of every site.

    python scripts/build_sample_warc.py [--out data/samples/sample.warc.gz] [--site KEY]...

For each tests/fixtures/<site>/ that has a snapshot.json, every page it names (listings, feeds) and every article
page pages/<name>.html (its URL from the golden pages/<name>.json) becomes one WARC response record, as if the site
had served it at the snapshot's `captured_at`. The records are reproducible byte for byte: ids and dates are
derived, not random (only the gzip members carry a time stamp).

snapshot.json: {"captured_at": "2022-05-22T10:00:00+07:00", "pages": {"listing/page-1.html": "https://..."}}
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
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml; charset=utf-8"}


def snapshot_sites() -> list[str]:
    return sorted(p.parent.name for p in FIXTURES.glob("*/snapshot.json"))


def fixture_pages(site: str) -> tuple[datetime, list[tuple[str, Path]]]:
    """When the site's pages were captured, and (url, file) of each: named pages first, then articles."""
    folder = FIXTURES / site
    snapshot = json.loads((folder / "snapshot.json").read_text(encoding="utf-8"))
    pages = [(url, folder / name) for name, url in sorted(snapshot["pages"].items())]
    for golden in sorted((folder / "pages").glob("*.json")):
        html = golden.with_suffix(".html")
        if html.exists():
            pages.append((json.loads(golden.read_text(encoding="utf-8"))["url"], html))
    return datetime.fromisoformat(snapshot["captured_at"]), pages


def record_id(url: str) -> str:
    return f"<urn:uuid:{uuid.UUID(hashlib.sha256(url.encode()).hexdigest()[:32])}>"


def build(sites: list[str], out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(out.name, {
            "software": "newsarchive scripts/build_sample_warc.py",
            "description": "Offline sample of RECONSTRUCTED fixture pages (see tests/fixtures/*/README.md); "
                           "not pages captured from the live sites.",
            "format": "WARC File Format 1.1",
        })
        info.rec_headers.replace_header("WARC-Date", "2022-05-22T03:00:00Z")
        info.rec_headers.replace_header("WARC-Record-ID", record_id("warcinfo:" + out.name))
        writer.write_record(info)
        for site in sites:
            captured, pages = fixture_pages(site)
            captured = captured.astimezone(timezone.utc)
            for url, path in pages:
                body = path.read_bytes()
                http = StatusAndHeaders("200 OK", [
                    ("Content-Type", CONTENT_TYPES.get(path.suffix, "text/html; charset=utf-8")),
                    ("Content-Length", str(len(body))),
                    ("Date", format_datetime(captured, usegmt=True)),
                ], protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    url, "response", payload=BytesIO(body), http_headers=http,
                    warc_headers_dict={"WARC-Date": captured.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                       "WARC-Record-ID": record_id(url)})
                writer.write_record(record)
                count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "samples" / "sample.warc.gz")
    parser.add_argument("--site", action="append", dest="sites", help="site key (default: every site with fixtures)")
    args = parser.parse_args(argv)
    sites = args.sites or snapshot_sites()
    count = build(sites, args.out)
    print(f"wrote {count} responses of {len(sites)} site(s) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
