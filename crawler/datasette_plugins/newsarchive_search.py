"""Datasette plugin loaded by `newsarchive browse`: the SQL function fts_query(text), so a canned query can search
the archive the way `newsarchive search` does (case, tone marks and đ/Đ ignored, no FTS syntax errors)."""

from datasette import hookimpl

from crawler.archive.search import fts_match, parse_query


@hookimpl
def prepare_connection(conn):  # type: ignore[no-untyped-def]
    conn.create_function("fts_query", 1, lambda text: fts_match(parse_query(text or "")) or '""', deterministic=True)
