from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
#: The shared research and real pages beside the checkout (NEWSARCHIVE_SHARED names them elsewhere, e.g. from a
#: worktree that is not beside them).
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED") or ROOT.parent / "shared")


def archived_rows(db: Path, columns: str) -> list[tuple]:
    """`columns` of every article in the archive `db`, by site and article id: what two archives are compared by."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT {columns} FROM articles ORDER BY site, article_id").fetchall()
    finally:
        conn.close()


def db_rows(db: Path, sql: str, *params: object) -> list[tuple]:
    """The rows of one query on the archive at `db`, read with a connection of its own."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def golden_pages() -> list[Path]:
    """Every saved page that has a golden record beside it: tests/fixtures/<site>/pages/<name>.{html,json}."""
    return sorted(p for p in FIXTURES.glob("*/pages/*.json") if p.with_suffix(".html").exists())


def load_golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def unreviewed(pages: list[Path]) -> list[str]:
    """The goldens among `pages` marked `"reviewed": false` (as `newsarchive capture` writes them), as
    <site>/pages/<name>.json: their values are the extractor's output, not yet checked against the page."""
    return [f"{p.parent.parent.name}/pages/{p.name}" for p in pages if load_golden(p).get("reviewed") is False]


@pytest.fixture
def seed_page() -> Path:
    return FIXTURES / "thanhuytphcm" / "pages" / "tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235.html"


def write_warc(path: Path, pages: dict[str, bytes], date: str = "Sun, 22 May 2022 03:00:00 GMT") -> None:
    """A WARC holding `pages` (URL -> HTML) as 200 responses, as a site would have served them."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in pages.items():
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Date", date)],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http))


def rewrite_thanhuytphcm(source: Path, target: Path, change) -> None:
    """A copy of `source` with only thanhuytphcm's responses, each body passed through `change(url, body)`."""
    from io import BytesIO

    from warcio.archiveiterator import ArchiveIterator
    from warcio.warcwriter import WARCWriter

    with source.open("rb") as src, target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for record in ArchiveIterator(src):
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type != "response" or "thanhuytphcm.vn" not in url:
                continue
            body = change(url, record.content_stream().read())
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=record.http_headers))


def _hypothesis_profiles() -> None:
    """Property tests run the same examples every time (a green suite stays green); HYPOTHESIS_PROFILE=explore
    draws new random examples each run, to hunt for bugs."""
    import os

    from hypothesis import settings

    settings.register_profile("default", derandomize=True, database=None)
    settings.register_profile("explore", derandomize=False)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


_hypothesis_profiles()
