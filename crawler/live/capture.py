"""`newsarchive capture`: a live article page becomes a test fixture of its site, with the record extracted from
it as an UNREVIEWED golden file (a person checks each field, then marks it reviewed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from crawler.archive.outputs import OutputError, describe, write_file
from crawler.extract.page import ArticlePage
from crawler.extract.text import decode_html
from crawler.live.http import FetchError, Fetcher
from crawler.sites.base import Site

#: The record fields a golden file holds (the rest, such as body_html or fetched_at, change from run to run).
GOLDEN_FIELDS = ("site", "url", "canonical_url", "article_id", "title", "lead", "body", "byline", "published_at",
                 "published_precision", "published_text", "category", "tags", "images")


def capture(url: str, site: Site, fixtures: Path, fetcher: Fetcher | None = None) -> tuple[Path, Path]:
    """Save the page at `url` under fixtures/<site>/pages/ with its extracted record as an UNREVIEWED golden file.
    Returns (html path, json path)."""
    fetcher = fetcher or Fetcher()
    body, charset = fetcher.get(url)
    record = ArticlePage(url, decode_html(body, charset), site).to_record()
    folder = fixtures / site.key / "pages"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create {folder}: {describe(e)}") from None
    name = re.sub(r"[^a-z0-9-]+", "-", urlsplit(url).path.rsplit("/", 1)[-1].lower()).strip("-")[:80] or "page"
    html_path, json_path = folder / f"{name}.html", folder / f"{name}.json"
    if _reviewed(json_path):
        raise FetchError(f"{json_path} is a reviewed golden file; move it away to capture the page again")
    golden = {k: record[k] for k in GOLDEN_FIELDS}
    golden["reviewed"] = False
    golden["review_note"] = ("Written by `newsarchive capture` from the extractor's output: check every field against "
                             "the page, correct it, then set reviewed to true.")
    new_page = not html_path.exists()
    write_file(html_path, body)
    try:
        write_file(json_path, json.dumps(golden, ensure_ascii=False, indent=1) + "\n")
    except OutputError:
        if new_page:  # a page without its golden file would be an untested fixture
            html_path.unlink(missing_ok=True)
        raise
    return html_path, json_path


def _reviewed(golden: Path) -> bool:
    try:
        return json.loads(golden.read_text(encoding="utf-8")).get("reviewed") is True
    except (OSError, ValueError, AttributeError):
        return False
