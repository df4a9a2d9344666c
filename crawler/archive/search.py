"""Full-text search that ignores case, tone marks and đ/Đ.

The index holds a folded copy of each article's text (searchindex.py); the query is folded the same way, and
snippets are cut from the original text: folding maps each precomposed Vietnamese letter to one character, so
positions in the folded text are positions in the original.

Nothing here imports Scrapy.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.archive.readsql import TimedOut, time_limit
from crawler.archive.schema import reading
# FTS_COLUMNS and fold_for_index are the index's (searchindex), importable from here as they were.
from crawler.archive.searchindex import FTS_COLUMNS, FTS_TABLE, fold, fold_for_index  # noqa: F401

#: bm25 weights of FTS_COLUMNS: a word in the title counts most.
WEIGHTS = (10.0, 4.0, 1.0, 2.0, 1.0)
#: Ranking costs a bm25 computation per matching article: a query on a common word ("Đảng ủy") matches a large share
#: of the archive. Beyond this many matches, the newest this many are ranked (measured in bench/archive.py).
RANK_AT_MOST = 5000
#: A query holds at most this many different terms (words or quoted phrases), of at most MAX_WORDS words in all.
#: Every term must occur, so a few distinctive words find an article; a pasted page of text is refused with a
#: message rather than searched for seconds or minutes. A repeated term counts once (it changes no result).
MAX_TERMS = 64
MAX_WORDS = 256

_WORD = re.compile(r"\w+")


class QueryTooLong(ValueError):
    """A search query with more terms or words than MAX_TERMS / MAX_WORDS; the message is meant for the user."""


def parse_query(raw: str) -> list[list[str]]:
    """A user's query as terms, each a list of folded words (a phrase when it has several): quoted text is a
    phrase, and so is a token with inner punctuation ("TP.HCM", "Covid-19"); an unbalanced quote is ignored.

    A term given twice is kept once; more than MAX_TERMS terms or MAX_WORDS words raise QueryTooLong."""
    terms = list(map(list, dict.fromkeys(map(tuple, _terms(raw)))))
    words = sum(map(len, terms))
    if len(terms) > MAX_TERMS or words > MAX_WORDS:
        raise QueryTooLong(f"a search takes at most {MAX_TERMS} different words or quoted phrases, {MAX_WORDS} "
                           f"words in all; this one has {len(terms)} terms, {words} words (every word must occur: "
                           "a few distinctive ones are enough)")
    return terms


def _terms(raw: str) -> list[list[str]]:
    terms: list[list[str]] = []
    parts = raw.split('"')
    for i, part in enumerate(parts):
        quoted = i % 2 == 1 and i < len(parts) - 1
        if quoted:
            words = _WORD.findall(fold(part))
            if words:
                terms.append(words)
            continue
        for token in part.split():
            words = _WORD.findall(fold(token))
            if words:
                terms.append(words)
    return terms


def fts_match(terms: list[list[str]]) -> str:
    """The FTS5 MATCH expression: every term must occur; each term quoted, so no input is an FTS syntax error."""
    return " ".join('"' + " ".join(words) + '"' for words in terms)


@dataclass
class Hit:
    id: int
    site: str
    published_at: str | None
    title: str
    url: str
    snippet: str
    rank: float


def search(conn: sqlite3.Connection, query: str, *, sites: tuple[str, ...] = (), since: str | None = None,
           until: str | None = None, limit: int = 20, mark: tuple[str, str] = ("«", "»")) -> list[Hit]:
    """Ranked articles matching every term of `query`, newest first among equals, with a highlighted snippet."""
    terms = parse_query(query)
    if not terms:
        return []
    params: list[Any] = [fts_match(terms)]
    conditions = filters(sites, since, until, params)
    weights = ", ".join(map(str, WEIGHTS))
    if conditions:
        sql = [f"SELECT a.id, a.site, a.published_at, a.title, a.url, a.lead, a.body, bm25({FTS_TABLE}, {weights}) "
               f"AS score FROM {FTS_TABLE} JOIN articles a ON a.id = {FTS_TABLE}.rowid "
               f"WHERE {FTS_TABLE} MATCH ? {conditions} ORDER BY score LIMIT ?"]
    else:
        # Without filters the best matches are found in the index alone, then joined: far cheaper on common words.
        sql = [f"SELECT a.id, a.site, a.published_at, a.title, a.url, a.lead, a.body, m.score FROM "
               f"(SELECT rowid, bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
               f"AND rowid >= ? ORDER BY score LIMIT ?) m JOIN articles a ON a.id = m.rowid ORDER BY m.score"]
        params.append(_newest_matches_start(conn, params[0]))
    params.append(limit)
    hits = []
    for row in conn.execute(" ".join(sql), params):
        text = "\n".join(t for t in (row[5], row[6]) if t)
        hits.append(Hit(row[0], row[1], row[2], row[3], row[4], snippet(text, terms, mark), row[7]))
    return hits


def search_archive(db_path: str | Path, query: str, *, sites: tuple[str, ...] = (), since: str | None = None,
                   until: str | None = None, limit: int = 20, mark: tuple[str, str] = ("«", "»"),
                   seconds: float | None = None) -> list[Hit]:
    """`search` on the archive at `db_path`, read-only, within `seconds` (None or 0: no limit): what `newsarchive
    search` prints. ArchiveError when there is no archive or it cannot be searched, QueryTooLong, TimedOut."""
    try:
        with reading(db_path, f"{db_path} is not a searchable archive") as conn, time_limit(conn, seconds):
            return search(conn, query, sites=sites, since=since, until=until, limit=limit, mark=mark)
    except TimedOut as e:
        raise TimedOut(f"search {e}") from None


def _newest_matches_start(conn: sqlite3.Connection, match: str) -> int:
    """The smallest rowid among the RANK_AT_MOST newest matches (0 when there are fewer): a walk of the index in
    rowid order, with no ranking."""
    row = conn.execute(f"SELECT min(rowid) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
                       f"ORDER BY rowid DESC LIMIT ?)", [match, RANK_AT_MOST]).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def filters(sites: tuple[str, ...], since: str | None, until: str | None, params: list[Any],
            alias: str = "a") -> str:
    """SQL conditions (starting with AND) on site and the ISO publication date; `until` includes its whole day."""
    clauses = []
    if sites:
        clauses.append(f"{alias}.site IN ({', '.join('?' for _ in sites)})")
        params.extend(sites)
    if since:
        clauses.append(f"{alias}.published_at >= ?")
        params.append(since)
    if until:
        clauses.append(f"{alias}.published_at < ?")
        params.append(until + "\uffff")
    return "".join(f" AND {c}" for c in clauses)


def snippet(text: str, terms: list[list[str]], mark: tuple[str, str] = ("«", "»"), width: int = 220) -> str:
    """About `width` characters of `text` around the first match, matches marked; the start if none is found."""
    text = unicodedata.normalize("NFC", text or "")
    folded = fold(text)
    spans = sorted(_spans(folded, terms))
    if not spans:
        return " ".join(text[:width].split())
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    pieces, position = [], start
    for s, e in spans:
        if s < position or e > end:
            continue
        pieces.append(text[position:s])
        pieces.append(f"{mark[0]}{text[s:e]}{mark[1]}")
        position = e
    pieces.append(text[position:end])
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + " ".join("".join(pieces).split()) + suffix


def _spans(folded: str, terms: list[list[str]]) -> Iterator[tuple[int, int]]:
    for words in terms:
        pattern = r"\W+".join(re.escape(w) for w in words)
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", folded):
            yield m.span()
