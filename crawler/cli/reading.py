"""The commands that only read the archive: `query`, `search`, `export`, `browse`, `runs`, `stats`. Each is its
options, one call of crawler.archive, and the output; none imports Scrapy."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from crawler.archive import export as exporter
from crawler.archive.readsql import query_archive
from crawler.archive.runs import RUN_COLUMNS, archive_stats, recent_runs
from crawler.archive.search import search_archive
from crawler.cli.group import DATE, DB_OPTION, MANY, cli, day
from crawler.cli.tables import print_rows
from crawler.cli.terminal import progress_bar


@cli.command()
@click.argument("sql")
@click.option("--csv", "fmt", flag_value="csv", help="CSV with a header row.")
@click.option("--json", "fmt", flag_value="json", help="A JSON array of objects.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True, metavar="SECONDS",
              help="Stop the statement after this long (exit 1); 0: no limit.")
@DB_OPTION
def query(sql: str, fmt: str | None, timeout: float, db: Path) -> None:
    """Run one read-only SQL statement on the archive and print the rows.

    Tables: articles, images, revisions, copies, failures, crawl_runs. Only reading is allowed: a statement that
    would write, ATTACH or VACUUM, set a PRAGMA or load an extension is refused (exit 2) and changes nothing.
    BLOB values are printed as upper-case hexadecimal, as SQLite's hex() gives them, in every format.

    \b
    Example:
        newsarchive query "SELECT published_at, title FROM articles ORDER BY published_at DESC LIMIT 10"
        newsarchive query --csv "SELECT * FROM articles WHERE site = 'thanhuytphcm'" > articles.csv
    """
    columns, rows = query_archive(db, sql, timeout)
    print_rows(columns, rows, fmt)


@cli.command()
@click.argument("query")
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only this site (repeatable).")
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after DATE (YYYY-MM-DD).")
@click.option("--until", type=DATE, metavar="DATE", help="Published on or before DATE (YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(min=1, max=MANY), default=20, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0), default=30, show_default=True, metavar="SECONDS",
              help="Stop the search after this long (exit 1); 0: no limit.")
@DB_OPTION
def search(query: str, sites: tuple[str, ...], since: Any, until: Any, limit: int, timeout: float,
           db: Path) -> None:
    """Full-text search of titles, leads, bodies, bylines and captions, best first.

    Case, tone marks and đ/Đ do not matter: "dang uy" finds "Đảng ủy", "thanh uy" finds "Thành ủy" and "Thành uỷ".
    Every word must occur; "quoted words" must occur together. Punctuation is never an error (TP.HCM, Covid-19).
    A word given twice counts once; a query of more than 64 different words or phrases (or 256 words in all) is
    refused (exit 2): a few distinctive words are enough.

    \b
    Example:
        newsarchive search "dang uy" --site thanhuytphcm --since 2022-01-01
        newsarchive search '"giáo dục lý luận chính trị"' --limit 5
    """
    mark = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("«", "»")
    hits = search_archive(db, query, sites=sites, since=day(since), until=day(until), limit=limit, mark=mark,
                          seconds=timeout)
    if not hits:
        click.echo("No article matches.", err=True)
        return
    for i, hit in enumerate(hits, 1):
        click.echo(f"{i}. {(hit.published_at or 'undated')[:10]}  {hit.site}  {hit.title}")
        click.echo(f"   {hit.snippet}")
        click.echo(f"   {hit.url}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only this site (repeatable).")
@click.option("--since", type=DATE, metavar="DATE", help="Published on or after DATE (YYYY-MM-DD).")
@click.option("--until", type=DATE, metavar="DATE", help="Published on or before DATE (YYYY-MM-DD).")
@click.option("--search", "query", metavar="QUERY", help="Only articles matching this search (as `search`).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: "
              "standard output).")
@click.option("--excel", is_flag=True, help="CSV for Excel: UTF-8 with a byte-order mark.")
@click.option("--images", "images_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write photos (article, position, url, caption, credit) to this file instead of a JSON column.")
@click.option("--force", is_flag=True, help="Write over existing files.")
@DB_OPTION
def export(fmt: str, sites: tuple[str, ...], since: Any, until: Any, query: str | None, output: Path | None,
           excel: bool, images_file: Path | None, force: bool, db: Path) -> None:
    """Export articles as CSV or JSON Lines, in publication order, streaming (any archive size).

    Tags, photos (url, caption, credit) and extraction provenance are JSON in one column each; --images writes
    the photos as a table of their own instead. Dates filter on the ISO publication date.

    \b
    Example:
        newsarchive export --site thanhuytphcm --since 2022-01-01 -o thanhuytphcm-2022.csv
        newsarchive export --format jsonl --search "chuyen doi so" > chuyen-doi-so.jsonl
        newsarchive export --excel --images photos.csv -o articles.csv
    """
    selection = exporter.Selection(sites, day(since), day(until), query)
    n = exporter.export_archive(db, selection, fmt, output, images_file, excel=excel, force=force,
                                progress=lambda total: progress_bar(total, output, "Exporting"))
    if output is not None:
        click.echo(f"Wrote {n} articles to {output}.", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@DB_OPTION
def browse(host: str, port: int, db: Path) -> None:
    """Browse and search the archive in a web browser (Datasette), with facets and ready-made queries.

    Needs the browse extra: pip install '.[browse]'.

    \b
    Example:
        newsarchive browse --port 8001     # then open http://127.0.0.1:8001/
    """
    from crawler.archive.browse import serve

    serve(db, host, port, on_start=lambda: click.echo(f"Serving {db} at http://{host}:{port}/ (Ctrl-C to stop)",
                                                      err=True))


@cli.command()
@click.option("-n", "--limit", type=click.IntRange(min=1, max=MANY), default=10, show_default=True,
              help="How many runs.")
@DB_OPTION
def runs(limit: int, db: Path) -> None:
    """The most recent crawl runs, newest first, with their counts and drift alarms ("not due": failed articles
    not asked for, since their failure is not due again; "sources": per site, the article URLs each listing, feed,
    sitemap, home page or section source gave, and how many were new).

    \b
    Example:
        newsarchive runs -n 20
    """
    print_rows(RUN_COLUMNS, recent_runs(db, limit), None)


@cli.command()
@DB_OPTION
def stats(db: Path) -> None:
    """Articles per site and month of publication.

    \b
    Example:
        newsarchive stats --db data/archive.db
    """
    totals = archive_stats(db)
    print_rows(["site", "month", "articles"], totals["months"], None)
    if totals["origins"]:
        click.echo("\nBy origin: " + ", ".join(f"{origin} {n}" for origin, n in totals["origins"]))
    click.echo(f"\n{totals['articles']} articles; {totals['runs']} crawl runs, the last finished "
               f"{totals['last_finished'] or 'never'}.")
