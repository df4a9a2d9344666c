"""Export the archive as CSV or JSON Lines, streaming: one row in memory at a time, whatever the archive's size.

Nothing here imports Scrapy.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from crawler.archive.errors import ArchiveError
from crawler.archive.outputs import check_distinct, check_writable, output_file, standard_output
from crawler.archive.schema import column_or_null, reading
from crawler.archive.search import FTS_TABLE, filters, fts_match, parse_query

COLUMNS = ("id", "site", "article_id", "url", "canonical_url", "title", "lead", "body", "byline", "published_at",
           "published_precision", "published_text", "published_zone", "updated_at", "category", "tags", "images",
           "fetched_at", "first_seen_at", "last_seen_at", "extracted_with")
JSON_COLUMNS = ("tags", "images", "extracted_with")
IMAGE_COLUMNS = ("article", "position", "url", "caption", "credit")

#: What shows an export's progress: given the number of articles, a context that yields a callable to call once
#: per article written (or None).
Progress = Callable[[int], AbstractContextManager[Callable[[], None] | None]]


class ExportError(ArchiveError):
    """An export that cannot be made as asked; the message is meant for the user."""


@dataclass
class Selection:
    """Which articles to export."""

    sites: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    search: str | None = None
    params: list[Any] = field(default_factory=list)

    def where(self) -> str:
        self.params = []
        sql = "WHERE 1"
        if self.search:
            terms = parse_query(self.search)
            sql += f" AND a.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)"
            self.params.append(fts_match(terms) if terms else '""')
        return sql + filters(self.sites, self.since, self.until, self.params)


def count(conn: sqlite3.Connection, selection: Selection) -> int:
    where = selection.where()
    return conn.execute(f"SELECT count(*) FROM articles a {where}", selection.params).fetchone()[0]


def articles(conn: sqlite3.Connection, selection: Selection, with_images: bool = True) -> Iterator[dict[str, Any]]:
    """The selected articles in publication order, JSON columns decoded; images as a list unless `with_images`
    is False (then they are exported as a table of their own)."""
    images = ("(SELECT json_group_array(json_object('url', url, 'caption', caption, 'credit', credit)) "
              "FROM (SELECT * FROM images WHERE article = a.id ORDER BY position))") if with_images else "NULL"
    zone = column_or_null(conn, "articles", "published_zone").replace("[", "a.[")  # NULL before migration 14
    columns = [f"{images} AS images" if c == "images" else zone if c == "published_zone" else f"a.{c}"
               for c in COLUMNS]
    where = selection.where()
    cursor = conn.execute(f"SELECT {', '.join(columns)} FROM articles a {where} "
                          f"ORDER BY a.published_at, a.id", selection.params)
    for row in cursor:
        record = dict(zip(COLUMNS, row))
        for key in JSON_COLUMNS:
            record[key] = json.loads(record[key]) if record[key] else ([] if key != "extracted_with" else {})
        if not with_images:
            del record["images"]
        yield record


def images(conn: sqlite3.Connection, selection: Selection) -> Iterator[dict[str, Any]]:
    where = selection.where()
    cursor = conn.execute(f"SELECT {', '.join('i.' + c for c in IMAGE_COLUMNS)} FROM images i "
                          f"JOIN articles a ON a.id = i.article {where} ORDER BY a.published_at, a.id, i.position",
                          selection.params)
    for row in cursor:
        yield dict(zip(IMAGE_COLUMNS, row))


def write_csv(rows: Iterator[dict[str, Any]], out: TextIO, columns: tuple[str, ...],
              on_row: Callable[[], None] | None = None) -> int:
    """CSV with a header row; lists and objects as JSON text; every field quoted where it needs it (newlines,
    quotes), so it reads back through Python's csv module, pandas and Excel."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for record in rows:
        writer.writerow([_csv_cell(record.get(c)) for c in columns])
        n += 1
        if on_row:
            on_row()
    return n


def write_jsonl(rows: Iterator[dict[str, Any]], out: TextIO, on_row: Callable[[], None] | None = None) -> int:
    n = 0
    for record in rows:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
        if on_row:
            on_row()
    return n


def write_articles(conn: sqlite3.Connection, selection: Selection, fmt: str, out: TextIO, separate_images: bool,
                   on_row: Callable[[], None] | None = None) -> int:
    """The selected articles to `out` as `fmt` ("csv" or "jsonl"); their photos in a column of their own unless
    `separate_images` (then `write_images` writes them). Returns how many articles were written."""
    columns = tuple(c for c in COLUMNS if c != "images" or not separate_images)
    rows = articles(conn, selection, with_images=not separate_images)
    return write_csv(rows, out, columns, on_row) if fmt == "csv" else write_jsonl(rows, out, on_row)


def write_images(conn: sqlite3.Connection, selection: Selection, fmt: str, out: TextIO) -> int:
    """The photos of the selected articles to `out` as `fmt`, one row each (IMAGE_COLUMNS)."""
    photos = images(conn, selection)
    return write_csv(photos, out, IMAGE_COLUMNS) if fmt == "csv" else write_jsonl(photos, out)


def export_archive(db_path: str | Path, selection: Selection, fmt: str, output: Path | None,
                   images_file: Path | None, *, excel: bool = False, force: bool = False,
                   progress: Progress | None = None) -> int:
    """`newsarchive export`: the selected articles of the archive at `db_path` to `output` (None: standard output)
    as `fmt` ("csv" or "jsonl"), their photos to `images_file` if given, each file written whole or not at all.
    `excel`: UTF-8 with a byte-order mark, CSV only. Returns how many articles were written.

    The outputs are checked before the archive is read (OutputError: two naming one file or the archive, one
    that exists without `force`, a folder); ExportError when `excel` is asked for JSON Lines or the archive
    cannot be read as asked; QueryTooLong for the selection's search."""
    check_distinct([output, images_file], protected=[Path(db_path)])
    for path in (output, images_file):
        if path is not None:
            check_writable(path, force)
    if excel and fmt != "csv":
        raise ExportError("--excel is for CSV")
    encoding = "utf-8-sig" if excel else "utf-8"
    with reading(db_path, f"cannot export from {db_path}", ExportError) as conn:
        total = count(conn, selection)
        with _output(output, encoding) as out, (progress or _no_progress)(total) as tick:
            n = write_articles(conn, selection, fmt, out, images_file is not None, tick)
        if images_file is not None:
            with _output(images_file, encoding) as out:
                write_images(conn, selection, fmt, out)
    return n


def _no_progress(_total: int) -> AbstractContextManager[None]:
    return nullcontext()


def _output(path: Path | None, encoding: str) -> AbstractContextManager[Any]:
    """Standard output, or a file written whole or not at all (crawler.archive.outputs)."""
    if path is None:
        return standard_output(bom=encoding == "utf-8-sig")
    return output_file(path, encoding)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
