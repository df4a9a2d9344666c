"""`newsarchive browse`: Datasette on the archive, with descriptions, facets, the search box and canned queries.

Datasette is an optional extra (`pip install .[browse]`); nothing else in the project needs it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawler.archive.errors import ArchiveError
from crawler.archive.schema import open_readonly

PLUGINS_DIR = Path(__file__).parents[1] / "datasette_plugins"

ARTICLE_COLUMNS = {
    "site": "Key of the declared site (newsarchive sites)",
    "article_id": "The site's own id of the article, from its URL",
    "url": "The URL the article was fetched from",
    "canonical_url": "One spelling of the URL: https, no www, no tracking parameters",
    "title": "Headline",
    "lead": "The sapo, without the outlet's credit such as '(Thanhuytphcm.vn) - '",
    "body": "Plain text, paragraphs separated by a blank line; no captions, byline or page furniture",
    "body_html": "The article's HTML, sanitized",
    "byline": "Author name(s) as printed; empty when no person is named",
    "published_at": "Publication time, ISO 8601: in the site's zone (UTC+7 for Vietnamese sites), or for an "
                    "undeclared site in the offset the page stated",
    "published_precision": "How much of published_at the page gave: day, minute or second",
    "published_text": "The string published_at was read from",
    "published_zone": "The zone published_at was read in when the page stated none (assumed); empty if it did",
    "published_month": "YYYY-MM of published_at",
    "updated_at": "When the article says it was last modified",
    "category": "Section as the page shows it",
    "tags": "Tags (JSON list)",
    "extracted_with": "Which layer gave each field: site selectors, page metadata or generic heuristics (JSON)",
    "fetched_at": "When the page was served",
    "first_seen_at": "When the archive first stored it",
    "last_seen_at": "When a crawl last saw it",
    "last_changed_at": "When its content last changed (older versions are in revisions)",
}


def metadata(database: str) -> dict[str, Any]:
    return {
        "title": "Archive of Vietnam's party-committee press",
        "description": "Articles crawled from party-committee news sites by newsarchive.",
        "databases": {database: {
            "tables": {
                "articles": {
                    "description": "One row per article",
                    "columns": ARTICLE_COLUMNS,
                    "facets": ["site", "category", "published_month"],
                    "sort_desc": "published_at",
                    "fts_table": "articles_fts",
                    "fts_pk": "id",
                    "label_column": "title",
                },
                "images": {"description": "Photos of each article, in page order, with caption and credit"},
                "revisions": {"description": "Earlier versions of articles that changed"},
                "copies": {"description": "The same text met under another URL or on another site, linked to the "
                                          "first record (duplicate_of)"},
                "crawl_runs": {"description": "One row per crawl run: counts, drop reasons, drift alarms",
                               "sort_desc": "id"},
                "articles_fts": {"hidden": True},
            },
            "queries": {
                "search": {
                    "title": "Search (tone marks and đ/d ignored)",
                    "sql": "SELECT a.published_at, a.site, a.title, a.byline, a.url FROM articles_fts "
                           "JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH fts_query(:q) "
                           "ORDER BY bm25(articles_fts, 10.0, 4.0, 1.0, 2.0, 1.0) LIMIT 100",
                },
                "per_site_per_month": {
                    "title": "Articles per site per month",
                    "sql": "SELECT site, substr(published_at, 1, 7) AS month, count(*) AS articles FROM articles "
                           "GROUP BY site, month ORDER BY month DESC, site",
                },
                "latest": {
                    "title": "Latest articles",
                    "sql": "SELECT published_at, site, title, byline, url FROM articles "
                           "ORDER BY published_at DESC LIMIT 100",
                },
                "by_byline": {
                    "title": "Articles of a byline",
                    "sql": "SELECT published_at, site, title, url FROM articles WHERE byline LIKE '%' || :byline "
                           "|| '%' ORDER BY published_at DESC",
                },
            },
        }},
    }


def datasette_args(db: Path, metadata_file: Path, host: str, port: int) -> list[str]:
    return ["serve", str(db), "--metadata", str(metadata_file), "--plugins-dir", str(PLUGINS_DIR),
            "--host", host, "--port", str(port)]


def serve_args(db: Path, folder: Path, host: str, port: int) -> list[str]:
    """Datasette's arguments to serve the archive at `db`, its metadata written into `folder` (which must outlive
    the server). ArchiveError, before anything is written, when `db` cannot be read."""
    open_readonly(db).close()
    metadata_file = folder / "metadata.json"
    metadata_file.write_text(json.dumps(metadata(db.stem), ensure_ascii=False), encoding="utf-8")
    return datasette_args(db, metadata_file, host, port)


def serve(db: Path, host: str, port: int, on_start: Callable[[], None] = lambda: None) -> None:
    """Serve the archive at `db` with Datasette until it is stopped; `on_start` is called once it is about to
    listen. ArchiveError, before anything starts, when Datasette is not installed or `db` cannot be read."""
    try:
        from datasette.cli import cli as datasette
    except ImportError:
        raise ArchiveError("browsing needs Datasette: pip install '.[browse]'") from None
    with tempfile.TemporaryDirectory() as tmp:
        args = serve_args(db, Path(tmp), host, port)
        on_start()
        datasette.main(args, standalone_mode=False)
