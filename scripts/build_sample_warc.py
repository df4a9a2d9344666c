"""Build the bundled offline snapshot from the fixture pages of every site.

    python scripts/build_sample_warc.py [--out data/samples/sample.warc.gz] [--site KEY]...

For each tests/fixtures/<site>/ that has a snapshot.json, every page it names (listings, feeds) and every article
page pages/<name>.html (its URL from the golden pages/<name>.json) becomes one WARC response record, as if the site
had served it at the snapshot's `captured_at`. The records are reproducible byte for byte: ids and dates are
derived, not random (only the gzip members carry a time stamp).

snapshot.json: {"captured_at": "2022-05-22T10:00:00+07:00", "pages": {"listing/page-1.html": "https://..."}}

A site folder without snapshot.json needs none: its listing files are named after their URLs (`listing_file_name`),
and the script walks each start URL of the site's declaration, page by page (its `listing_page` template, else its
`next_page` link read from the saved page), while the folder holds the next file; the pages are taken as captured
at DEFAULT_CAPTURED_AT, the viewing day the golden-page tests assume for such a folder.

Listing pages and feeds get the validators a server would send, an ETag (a digest of the page) and a Last-Modified
(the capture time), so that a replay answers a conditional request as such a server would (304: see
crawler.evidence.replay). They are reconstructions, like the pages: no saved response of these sites says what
validators, if any, their servers send.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/rss+xml; charset=utf-8"}
DEFAULT_CAPTURED_AT = "2022-05-22T10:00:00+07:00"


def snapshot_sites() -> list[str]:
    """Every declared site (its fixture folder is checked by tests/test_site_fixtures.py)."""
    from crawler.sites import all_sites

    return sorted(all_sites())


def listing_file_name(url: str) -> str:
    """The name, without extension, of the saved listing page of `url` in listing/: its path and query, lowercased,
    each run of other characters a dash ("https://x.vn/news/thoi-su/page-2/" -> "news-thoi-su-page-2")."""
    parts = urlsplit(url)
    return re.sub(r"[^a-z0-9]+", "-", f"{parts.path}?{parts.query}".lower()).strip("-") or "index"


def derived_listings(site_key: str, folder: Path) -> list[tuple[str, Path]]:
    """(url, file) of the saved listing pages of a folder without snapshot.json, from the site's declaration."""
    from parsel import Selector

    from crawler.sites import get_site

    site = get_site(site_key)
    found: list[tuple[str, Path]] = []
    for start in site.start_urls:
        url: str | None = start
        for page in range(2, site.max_listing_pages + 2):
            file = next((f for f in (folder / "listing").glob(listing_file_name(url) + ".*")), None)
            if file is None:
                break
            found.append((url, file))
            url = site.listing_page_url(start, page)
            if url is None and site.next_page:
                href = Selector(text=file.read_text(encoding="utf-8")).css(site.next_page).attrib.get("href")
                url = urljoin(found[-1][0], href) if href else None
            if url is None:
                break
    return found


def fixture_pages(site: str) -> tuple[datetime, list[tuple[str, Path]]]:
    """When the site's pages were captured, and (url, file) of each: named pages first, then articles."""
    folder = FIXTURES / site
    if (folder / "snapshot.json").exists():
        snapshot = json.loads((folder / "snapshot.json").read_text(encoding="utf-8"))
        pages = [(url, folder / name) for name, url in sorted(snapshot["pages"].items())]
    else:
        snapshot = {"captured_at": DEFAULT_CAPTURED_AT}
        pages = derived_listings(site, folder)
    for golden in sorted((folder / "pages").glob("*.json")):
        html = golden.with_suffix(".html")
        if html.exists():
            pages.append((json.loads(golden.read_text(encoding="utf-8"))["url"], html))
    return datetime.fromisoformat(snapshot["captured_at"]), pages


def validator_headers(body: bytes, captured: datetime) -> list[tuple[str, str]]:
    """The ETag and Last-Modified given to a listing page or feed (reconstructed, see the module's docstring)."""
    return [("ETag", f'"{hashlib.sha256(body).hexdigest()[:16]}"'),
            ("Last-Modified", format_datetime(captured, usegmt=True))]


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
                is_article = path.parent == FIXTURES / site / "pages"
                http = StatusAndHeaders("200 OK", [
                    ("Content-Type", CONTENT_TYPES.get(path.suffix, "text/html; charset=utf-8")),
                    ("Content-Length", str(len(body))),
                    ("Date", format_datetime(captured, usegmt=True)),
                    *([] if is_article else validator_headers(body, captured)),
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
