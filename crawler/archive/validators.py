"""The HTTP validators of discovery pages (listing pages, feeds, sitemaps), kept between runs so that the next run
asks for each page conditionally (If-None-Match / If-Modified-Since) and an unchanged page costs a 304 and no body.

A row per URL the crawl first asked for (before any redirect): the ETag and Last-Modified the server last sent,
stored verbatim (decoded as Latin-1, the bytes of the header, so that an odd ETag goes back byte for byte), what
the page was (listing, feed, sitemap: a 304 has no body to tell), and when. The crawl's one writer (pipelines/store.py) writes them at the end of a run that finished its walk; the
spider reads them when the crawl starts (`discovery_validators`). What the rule is (which requests carry them,
what a 304 means) is crawler.crawl.spiders.validators'.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

from crawler.archive.schema import now_iso
from crawler.archive.store import _read_crawl_state

class Validator(NamedTuple):
    """What a discovery page's server sent to validate it (either may be None), and what the page was."""

    etag: str | None
    last_modified: str | None
    #: listing, feed, sitemap...: the discovery source its 304 is counted for (None: not known)
    source: str | None = None


def discovery_validators(path: str | Path) -> dict[str, Validator]:
    """url -> Validator of every discovery page the archive at `path` holds validators for (empty if there is no
    archive yet, or one from before the table)."""
    def read(conn: sqlite3.Connection) -> dict[str, Validator]:
        return {url: Validator(etag, modified, source) for url, etag, modified, source in conn.execute(
            "SELECT url, etag, last_modified, source FROM discovery_validators")}

    return _read_crawl_state(path, read)


def record_validators(db: Database, validators: Mapping[str, Validator], seen_at: str | None = None) -> None:
    """Keep what a run's discovery responses said: a URL with neither validator (the server sent none, or the page's
    articles could not all be fetched) loses its row, so the next run asks for it unconditionally."""
    if not validators:
        return
    seen_at = seen_at or now_iso()
    with db.atomic():
        for url, (etag, modified, *source) in validators.items():
            if etag is None and modified is None:
                db.execute("DELETE FROM discovery_validators WHERE url = ?", [url])
            else:
                db.execute("INSERT INTO discovery_validators (url, etag, last_modified, source, seen_at) "
                           "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                           "last_modified = excluded.last_modified, source = excluded.source, "
                           "seen_at = excluded.seen_at", [url, etag, modified, (source or [None])[0], seen_at])
