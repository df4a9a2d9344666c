"""`newsarchive`: the command line, a thin layer over library calls.

Exit status, for every command: 0 done; 1 the work itself failed (a crawl that could not run to its end, a query or
search stopped by its --timeout); 2 bad input (unknown site, unreadable file, not a database, SQL that does more
than read, a search of too many words, bad option, an output that cannot be written whole: full disk, closed pipe),
reported in one line on stderr with nothing changed; 3 another
run is writing to the same archive (a crawl does not start); 4 a crawl finished but a site's layout drifted (too
few articles read by its own selectors) or a site yielded no article. Ctrl-C: one line, exit 130.
Commands that only read the archive never import Scrapy.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from crawler import archive
from crawler.archive import readsql
from crawler.archive import ArchiveError
from crawler.archive.outputs import (OutputError, check_distinct, check_writable, describe, discard_standard_output,
                             output_file, standard_output)
from crawler.archive.lock import RunLocked
from crawler.archive.runs import RUN_COLUMNS, archive_stats, crawl_summary, outcomes, recent_runs, reparse_summary
from crawler.archive.search import QueryTooLong
from crawler.cli.terminal import StoreProgress, progress_bar, progress_count, stamped, stop_on_signals
from crawler.sites import SiteDeclarationError, UnknownSite, all_sites, get_site, site_for_url
from crawler.evidence.warc import WarcError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED, EXIT_DRIFT = 0, 1, 2, 3, 4
#: The largest count an option takes: more than any archive holds, and within what SQLite binds as an integer.
MANY = 1_000_000_000
DB_OPTION = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=archive.DEFAULT_DB,
                         show_default=True, help="The archive database.")


class BadInput(click.ClickException):
    exit_code = EXIT_BAD_INPUT


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Archive of Vietnam's party-committee press: crawl declared sites into a deduplicated SQLite archive, and
    read it back.

    \b
    Example:
        newsarchive crawl --replay data/samples/sample.warc.gz
        newsarchive stats
    """


@cli.command()
@click.option("--site", "sites", multiple=True, metavar="KEY",
              help="A declared site (repeatable; default: all, unless --start-url is given).")
@click.option("--start-url", "start_urls", multiple=True, metavar="URL",
              help="Crawl an undeclared site from this page with the generic layer: same-host links, pages that "
                   "look like articles (repeatable).")
@click.option("--max-pages", type=click.IntRange(min=1, max=MANY), default=200, show_default=True,
              help="With --start-url: at most this many pages requested per start URL.")
@click.option("--full", is_flag=True,
              help="Walk every listing page and fetch every article, archived or not (default: incremental).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Stop at articles published before DATE (YYYY-MM-DD); they are not stored.")
@click.option("--refresh-days", type=click.IntRange(min=0, max=200_000), default=0, metavar="N",
              help="Re-fetch archived articles published in the last N days, to catch edits.")
@click.option("--stop-after", type=click.IntRange(min=1, max=MANY), default=10, show_default=True, metavar="N",
              help="Incremental: a section's walk stops after N archived articles in a row.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write Scrapy's log (INFO level) to this file.")
@click.option("--redis", "redis_url", metavar="URL",
              help="Run as one worker of a fleet: take requests from the shared frontier in this Redis and hand "
                   "records to it for `newsarchive store` (no local archive). With --site, also seed those sites.")
@click.option("--no-warc", is_flag=True, help="Do not keep the responses in WARC files (kept by default, in the "
              "warc folder beside the archive).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="A Scrapy setting for this run, e.g. -s DOWNLOAD_DELAY=2 (repeatable).")
@click.option("--replay", type=click.Path(dir_okay=False, path_type=Path), metavar="WARC",
              help="Answer every request from this WARC file instead of the network.")
@DB_OPTION
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO level).")
def crawl(sites: tuple[str, ...], start_urls: tuple[str, ...], max_pages: int, full: bool, since: Any,
          refresh_days: int, stop_after: int, log_file: Path | None, redis_url: str | None, no_warc: bool,
          overrides: tuple[str, ...],
          replay: Path | None,
          db: Path, verbose: bool) -> None:
    """Crawl declared sites into the archive: listings newest first, then each article page.

    Incremental by default: archived articles are not fetched again and a section's walk stops after a run of
    them, so an hourly run costs what is new. An article fetched again is never stored twice: an unchanged one only
    gets its last-seen time moved, a changed one keeps its old version in `revisions`.

    \b
    Example:
        newsarchive crawl --site thanhuytphcm
        newsarchive crawl --replay data/samples/sample.warc.gz --db /tmp/demo.db
        newsarchive crawl --start-url https://tinhuy.example.vn/ --max-pages 100
        newsarchive crawl --refresh-days 3 --log-file data/crawl.log
    """
    keys = list(sites) or ([] if start_urls else sorted(all_sites()))
    for key in keys:
        get_site(key)
    from crawler.crawl.run import CrawlStopped, crawl_settings, run_crawl  # Scrapy: only in the commands that crawl

    started = time.monotonic()
    log_level = "INFO" if verbose or log_file else "WARNING"
    try:
        settings = crawl_settings(full=full, stop_after=stop_after, refresh_days=refresh_days,
                                  since=since.date() if since else None, log_file=log_file, no_warc=no_warc,
                                  overrides=overrides)
    except ValueError as e:
        raise BadInput(str(e)) from None
    if redis_url:
        _crawl_as_worker(list(sites), list(start_urls), redis_url, replay, log_level, settings)
        return
    names, source = ", ".join([*keys, *start_urls]), f" from {replay}" if replay else ""
    try:
        row = run_crawl(keys, db, replay=replay, log_level=log_level, start_urls=list(start_urls),
                        max_pages=max_pages, extra_settings=settings,
                        on_start=lambda: click.echo(f"Crawling {names}{source} into {db} ...", err=True))
    except ValueError as e:
        raise BadInput(str(e)) from None
    except CrawlStopped as e:
        raise click.ClickException(str(e)) from None
    _report_crawl(row, time.monotonic() - started)


def _crawl_as_worker(sites: list[str], start_urls: list[str], redis_url: str, replay: Path | None, log_level: str,
                     settings: dict[str, Any]) -> None:
    if start_urls:
        raise BadInput("--start-url crawls one undeclared site on this machine; it does not take --redis")
    from crawler.fleet.run import WorkerStopped, run_worker

    # A worker seeds only the sites it is given; without --site it takes what `enqueue` put in the frontier.
    try:
        totals = run_worker(sites, redis_url, replay, log_level, settings)
    except WorkerStopped as e:
        raise click.ClickException(str(e)) from None
    except ValueError as e:
        raise BadInput(str(e)) from None
    recovered = f", {totals['recovered']} requests of dead workers taken back" if totals["recovered"] else ""
    click.echo(f"Worker finished: {totals['pages_fetched']} pages fetched, {totals['handed_off']} records handed "
               f"to {redis_url}{recovered}.")


def _report_crawl(row: dict[str, Any], seconds: float) -> None:
    """The run's summary on stdout, its "but" lines on both streams, and the exit status they call for."""
    from crawler.crawl.run import drift_alarms

    click.echo(crawl_summary(row, seconds))
    failed = archive.failed_summary(row)
    if failed:
        _but(failed)
    alarms = drift_alarms(row)
    for alarm in alarms:
        _but(f"Drift: {alarm}")
    if alarms:
        sys.exit(EXIT_DRIFT)
    if row.get("stopped"):
        _but(f"Stopped: {row['stopped']}")
    if row["status"] != "finished":
        _but(f"Run {row['id']} did not finish: {row['status']} (see the log: --log-file or -v)")
        sys.exit(EXIT_FAILED)


def _but(line: str) -> None:
    """A "finished, but" line: in the summary on stdout, and on stderr, where a scheduler's mail or journal shows
    it even when stdout goes to a file."""
    click.echo(line)
    click.echo(f"newsarchive: {line}", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per site.")
def sites(as_json: bool) -> None:
    """List the declared sites.

    \b
    Example:
        newsarchive sites
    """
    for site in all_sites().values():
        if as_json:
            click.echo(json.dumps({"key": site.key, "name": site.name, "cms": site.cms, "hosts": site.hosts,
                                   "checked_live": site.checked_live}, ensure_ascii=False))
        else:
            checked = "selectors checked live" if site.checked_live else "selectors not yet checked on a live page"
            click.echo(f"{site.key:<16} {site.name}  [{site.cms}; {', '.join(site.hosts[:2])}; {checked}]")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was served from.")
@click.option("--site", "site_key", metavar="KEY", help="Read the page as this site's (default: from the URL).")
def extract(file: Path, url: str, site_key: str | None) -> None:
    """Print the record of one saved article page as JSON.

    \b
    Example:
        newsarchive extract --url https://thanhuytphcm.vn/tin-tuc/abc-1491889235 page.html
    """
    from crawler.extract.page import extract_article

    try:
        urlsplit(url).port  # noqa: B018 (raises on a malformed host or port)
    except ValueError as e:
        raise BadInput(f"--url {url!r} is not a URL: {e}") from None
    site = get_site(site_key) if site_key else site_for_url(url)
    try:
        html = file.read_bytes()
    except OSError as e:
        raise BadInput(f"cannot read {file}: {e.strerror}") from None
    record = extract_article(url, html, site)
    click.echo(json.dumps(record, ensure_ascii=False, indent=1))


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
    conn = archive.open_readonly(db)
    try:
        columns, rows = readsql.run_query(conn, sql, timeout)
    except readsql.TimedOut as e:
        raise click.ClickException(f"query {e}") from None
    except readsql.Refused as e:
        raise BadInput(str(e)) from None
    except sqlite3.Error as e:
        raise BadInput(f"SQL error: {e}") from None
    finally:
        conn.close()
    _print_rows(columns, rows, fmt)


DATE = click.DateTime(["%Y-%m-%d"])


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
    from crawler.archive.search import search as run_search

    conn = archive.open_readonly(db)
    tty = sys.stdout.isatty()
    mark = ("\x1b[1m", "\x1b[0m") if tty else ("«", "»")
    try:
        with readsql.time_limit(conn, timeout):
            hits = run_search(conn, query, sites=sites, since=_day(since), until=_day(until), limit=limit,
                              mark=mark)
    except readsql.TimedOut as e:
        raise click.ClickException(f"search {e}") from None
    except sqlite3.Error as e:
        raise BadInput(f"{db} is not a searchable archive: {e}") from None
    finally:
        conn.close()
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
    from crawler.archive import export as exporter

    check_distinct([output, images_file], protected=[db])
    for path in (output, images_file):
        if path is not None:
            check_writable(path, force)
    if excel and fmt != "csv":
        raise BadInput("--excel is for CSV")
    conn = archive.open_readonly(db)
    selection = exporter.Selection(sites, _day(since), _day(until), query)
    encoding = "utf-8-sig" if excel else "utf-8"
    try:
        total = exporter.count(conn, selection)
        with _output(output, encoding) as out, progress_bar(total, output, "Exporting") as tick:
            n = exporter.write_articles(conn, selection, fmt, out, images_file is not None, tick)
        if images_file is not None:
            with _output(images_file, encoding) as out:
                exporter.write_images(conn, selection, fmt, out)
    except sqlite3.Error as e:
        raise BadInput(f"cannot export from {db}: {e}") from None
    finally:
        conn.close()
    if output is not None:
        click.echo(f"Wrote {n} articles to {output}.", err=True)


def _output(path: Path | None, encoding: str) -> Any:
    """Standard output, or a file written whole or not at all (crawler.archive.outputs)."""
    if path is None:
        return standard_output(bom=encoding == "utf-8-sig")
    return output_file(path, encoding)


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
    try:
        from datasette.cli import cli as datasette
    except ImportError:
        raise BadInput("browsing needs Datasette: pip install '.[browse]'") from None
    from crawler.archive.browse import datasette_args, metadata

    archive.open_readonly(db).close()
    with tempfile.TemporaryDirectory() as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(json.dumps(metadata(db.stem), ensure_ascii=False), encoding="utf-8")
        click.echo(f"Serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
        datasette.main(datasette_args(db, metadata_file, host, port), standalone_mode=False)


def _day(value: Any) -> str | None:
    return value.date().isoformat() if value else None


@cli.command()
@click.option("--site", "sites", multiple=True, metavar="KEY", help="Only this site (repeatable).")
@click.option("--since", type=DATE, metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--warc", "paths", multiple=True, type=click.Path(path_type=Path), metavar="PATH",
              help="WARC files or folders to read (default: the warc folder beside the archive).")
@DB_OPTION
def reparse(sites: tuple[str, ...], since: Any, paths: tuple[Path, ...], db: Path) -> None:
    """Run today's extraction over the pages kept in WARC files and update the archive as a crawl would.

    Nothing is fetched. Changed articles keep their old version in revisions; running it twice changes nothing.

    \b
    Example:
        newsarchive reparse --site thanhuytphcm
        newsarchive reparse --warc old-captures/ --db rebuilt.db
    """
    from crawler.evidence.reparse import reparse as run_reparse

    for key in sites:
        get_site(key)
    with progress_count("Re-extracting") as tick:  # bad input is refused before the run lock is taken
        row = run_reparse(db, list(paths) or [db.parent / "warc"], sites, _day(since), tick)
    click.echo(reparse_summary(row))
    failed = archive.failed_summary(row)
    if failed:
        click.echo(failed)


@cli.command()
@click.argument("url")
@click.option("--fixtures", type=click.Path(file_okay=False, path_type=Path), default=Path("tests/fixtures"),
              show_default=True, help="Where the fixture folders of the sites are.")
def capture(url: str, fixtures: Path) -> None:
    """Save a live article page as a test fixture of its site, with its record as an UNREVIEWED golden file.

    Check every field of the JSON against the page, correct it, and set "reviewed" to true: the golden tests then
    hold the extractor to it. Needs network access; obeys robots.txt.

    \b
    Example:
        newsarchive capture https://thanhuytphcm.vn/tin-tuc/ten-bai-viet-1491900000
    """
    from crawler.live.capture import capture as run_capture
    from crawler.live.http import FetchError

    site = site_for_url(url)
    if site is None or not site.is_article(url):
        raise BadInput(f"{url} is not an article URL of a declared site (see: newsarchive sites)")
    try:
        html_path, json_path = run_capture(url, site, fixtures)
    except FetchError as e:
        raise BadInput(str(e)) from None
    click.echo(f"Saved {html_path} and {json_path} (unreviewed: check each field, then set \"reviewed\": true).")


@cli.command()
@click.option("--site", "site_key", required=True, metavar="KEY", help="The declared site to backfill.")
@click.option("--source", type=click.Choice(["wayback", "commoncrawl", "all"]), default="all", show_default=True)
@click.option("--since", type=DATE, metavar="DATE", help="Only captures made on or after DATE.")
@click.option("--until", type=DATE, metavar="DATE", help="Only captures made on or before DATE.")
@click.option("--max", "limit", type=click.IntRange(min=1, max=MANY), metavar="N", help="Fetch at most N captures this run.")
@click.option("--latest", is_flag=True, help="Prefer each article's newest capture (default: its earliest).")
@DB_OPTION
def backfill(site_key: str, source: str, since: Any, until: Any, limit: int | None, latest: bool, db: Path) -> None:
    """Reach back in time: archive a site's past articles from the Wayback Machine and Common Crawl.

    Captures are listed from the archives' indexes (the site's hosts, HTML, status 200), one per article, and read
    with the site's page objects; each record keeps its origin, capture time and archive URL. Interrupted, it goes
    on where it stopped; run again, it adds nothing. Polite: a second between requests, backoff on 429/503.

    \b
    Example:
        newsarchive backfill --site thanhuytphcm --source wayback --since 2019-01-01 --max 500
    """
    from crawler.live.backfill import backfill as run_backfill
    from crawler.live.http import ServerUnavailable

    site = get_site(site_key)
    sources = ("wayback", "commoncrawl") if source == "all" else (source,)
    with progress_count("Captures") as tick:
        try:
            counts = run_backfill(db, site, sources, _day(since), _day(until), latest, limit,
                                  on_capture=(lambda _: tick()) if tick else None)
        except ServerUnavailable as e:
            raise BadInput(str(e)) from None
    click.echo(f"Backfill of {site_key} from {', '.join(sources)}: " + (outcomes(counts) or "nothing to do") + ".")


@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The Redis the workers hand records to.")
@click.option("--follow", is_flag=True, help="Keep waiting for records (default: stop when none is left), and wait "
              "out a Redis that stops answering. Stop it with SIGTERM or Ctrl-C: it finishes the batch in hand and "
              "exits 0.")
@click.option("--progress-every", type=click.FloatRange(min=0, max=86400), default=60.0, show_default=True, metavar="SECONDS",
              help="With --follow, a line on stderr this often saying what was stored (0: never).")
@DB_OPTION
def store(redis_url: str, follow: bool, progress_every: float, db: Path) -> None:
    """The one archive writer of a multi-machine crawl: store the records workers handed to Redis.

    A batch is acknowledged only once it is committed: a writer killed mid-batch loses nothing, and the next one
    stores nothing twice.

    \b
    Example:
        newsarchive store --redis redis://10.0.0.5:6379/0 --follow
    """
    from crawler.fleet.stream import unreachable_errors, connect, drain

    archive.check_is_database(db)
    client = connect(redis_url)
    progress = StoreProgress(progress_every) if follow and progress_every else None
    with stop_on_signals(follow) as stop:
        try:
            counts = drain(client, db, until_idle=not follow, on_batch=progress, stop=stop, say=stamped)
        except unreachable_errors() as e:  # without --follow; what was stored stays stored
            raise click.ClickException(f"lost Redis at {redis_url}: {e}") from None
    click.echo(f"Stored: {outcomes(counts) or 'nothing waiting'}.")


@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The Redis of the fleet's frontier.")
@click.option("--site", "sites", multiple=True, metavar="KEY", help="A declared site (repeatable; default: all).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="Publish what this archive holds, so the workers crawl incrementally (skip archived articles).")
def enqueue(redis_url: str, sites: tuple[str, ...], db: Path | None) -> None:
    """Seed the fleet's shared frontier with the sites' first listing pages; workers (`crawl --redis URL`) take
    it from there.

    Into an idle frontier this starts a new crawl (the duplicate filter forgets the last one); into a busy one it
    adds the sites to the crawl under way. Seeds pass the duplicate filter like any request: each enters once.

    \b
    Example:
        newsarchive enqueue --redis redis://10.0.0.5:6379/0 --db data/archive.db
        newsarchive enqueue --redis redis://10.0.0.5:6379/0 --site bacgiang --site dongthap
    """
    keys = list(sites) or sorted(all_sites())
    for key in keys:
        get_site(key)
    if db is not None:
        archive.check_is_database(db)
    from crawler.fleet.stream import connect

    client = connect(redis_url)
    try:
        from crawler.fleet.enqueue import enqueue_sites
        from crawler.fleet.frontier import publish_known, status
    except ImportError:
        raise BadInput("the shared frontier needs the distributed extra: pip install '.[distributed]'") from None
    known = publish_known(client, db, keys) if db is not None else None
    counts = enqueue_sites(client, keys)
    state = status(client)
    what = "New crawl" if counts["new_crawl"] else "Added to the crawl under way"
    published = f"; {known} archived articles published" if known is not None else ""
    click.echo(f"{what}: {counts['seeded']} start pages of {len(keys)} sites queued, {counts['already']} already "
               f"there{published}. Frontier: {state['queued']} queued, {state['taken']} taken by "
               f"{state['workers']} live workers.")


@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The Redis of the fleet's frontier.")
def fleet(redis_url: str) -> None:
    """What a multi-machine crawl is doing: requests queued and taken, live workers, and records waiting for the
    writer. Reads Redis only; changes nothing.

    \b
    Example:
        newsarchive fleet --redis redis://10.0.0.5:6379/0
    """
    from crawler.fleet.stream import backlog, connect

    client = connect(redis_url)
    try:
        from crawler.fleet.frontier import status
    except ImportError:
        raise BadInput("the shared frontier needs the distributed extra: pip install '.[distributed]'") from None
    state, records = status(client), backlog(client)
    crawling = "crawling" if state["queued"] or state["taken"] else "idle"
    orphaned = (f" ({state['orphaned']} of them by dead workers: the next live worker puts them back)"
                if state["orphaned"] else "")
    click.echo(f"Frontier ({crawling}): {_count(state['queued'], 'request')} queued, {state['taken']} taken"
               f"{orphaned}; {_count(state['workers'], 'live worker')}; {_count(state['seen'], 'request')} seen in "
               "this crawl.")
    click.echo(f"Writer: {_count(records['waiting'], 'record')} waiting, {records['pending']} taken but not yet "
               "stored.")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@cli.command(name="check-site")
@click.argument("key")
@click.option("-n", "--limit", type=click.IntRange(min=1, max=50), default=5, show_default=True,
              help="How many of the newest articles to check.")
def check_site(key: str, limit: int) -> None:
    """Fetch a site's newest articles and show, field by field, whether its own selectors still give them.

    The first thing to run when a crawl raises the drift alarm. Exit status 4 when fewer than half of the pages
    get title, date and body from the site's selectors. Needs network access; obeys robots.txt.

    \b
    Example:
        newsarchive check-site thanhuytphcm -n 3
    """
    from crawler.live.check import CHECKED_FIELDS, as_rows, check_site as run_check, selectors_hold
    from crawler.live.http import FetchError

    site = get_site(key)
    try:
        checks = run_check(site, limit)
    except FetchError as e:
        raise BadInput(str(e)) from None
    _print_rows(["url", *CHECKED_FIELDS, "error"], as_rows(checks), None)
    if not selectors_hold(site, checks):
        click.echo(f"{key}: the site's selectors no longer give title, date and body on most of its newest pages.")
        sys.exit(EXIT_DRIFT)
    click.echo(f"{key}: the site's selectors hold on {len(checks)} of its newest pages.")


@cli.command()
@click.option("-n", "--limit", type=click.IntRange(min=1, max=MANY), default=10, show_default=True, help="How many runs.")
@DB_OPTION
def runs(limit: int, db: Path) -> None:
    """The most recent crawl runs, newest first, with their counts and drift alarms ("not due": failed articles
    not asked for, since their failure is not due again).

    \b
    Example:
        newsarchive runs -n 20
    """
    _print_rows(RUN_COLUMNS, recent_runs(db, limit), None)


@cli.command()
@DB_OPTION
def stats(db: Path) -> None:
    """Articles per site and month of publication.

    \b
    Example:
        newsarchive stats --db data/archive.db
    """
    totals = archive_stats(db)
    _print_rows(["site", "month", "articles"], totals["months"], None)
    if totals["origins"]:
        click.echo("\nBy origin: " + ", ".join(f"{origin} {n}" for origin, n in totals["origins"]))
    click.echo(f"\n{totals['articles']} articles; {totals['runs']} crawl runs, the last finished "
               f"{totals['last_finished'] or 'never'}.")


def _print_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: str | None) -> None:
    out = sys.stdout
    rows = readsql.printable_rows(rows)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        out.write(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=1) + "\n")
    else:
        cells = [[_cell(v) for v in row] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")


def _cell(value: Any, limit: int = 70) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error is one line on stderr and a documented exit status, never a traceback."""
    if sys.stdout is None:  # started with `>&-`: nothing could be printed, not even a summary
        _error("standard output is closed")
        return EXIT_BAD_INPUT
    try:
        result = cli.main(args=argv, prog_name="newsarchive", standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed pipe is reported here, not as "Exception ignored" at exit
        return result if isinstance(result, int) else EXIT_OK
    except OutputError as e:
        _error(str(e))
        return EXIT_BAD_INPUT
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.UsageError as e:
        command = e.ctx.command_path if e.ctx else "newsarchive"
        _error(f"{e.format_message()} (see: {command} --help)")
        return EXIT_BAD_INPUT
    except click.ClickException as e:
        _error(e.format_message())
        return e.exit_code
    except (ArchiveError, WarcError, UnknownSite, SiteDeclarationError, QueryTooLong) as e:
        _error(str(e))
        return EXIT_BAD_INPUT
    except RunLocked as e:
        _error(str(e))
        return EXIT_LOCKED
    except click.exceptions.Abort:
        _error("interrupted")
        return 130
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else EXIT_FAILED
    except sqlite3.DatabaseError as e:
        if archive.cannot_write(e):  # a full disk under a reparse, a backfill or the fleet's writer
            _error(f"cannot write the archive: {e}; what was committed stays, the rest is done by the next run")
            return EXIT_FAILED
        _error(f"the archive cannot be read: {e}")
        return EXIT_BAD_INPUT
    except OSError as e:
        if e.errno not in OUTPUT_ERRNOS:
            return _unexpected(e)
        discard_standard_output()
        _error(f"cannot write the output: {describe(e)}")
        return EXIT_BAD_INPUT
    except Exception as e:  # the last net: one line, never a traceback (NEWSARCHIVE_DEBUG=1 shows it)
        return _unexpected(e)


#: What writing to a full disk, a closed pipe or a failing device raises.
OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _unexpected(e: Exception) -> int:
    if os.environ.get("NEWSARCHIVE_DEBUG"):
        raise e
    _error(f"unexpected {type(e).__name__}: {e} (NEWSARCHIVE_DEBUG=1 shows where)")
    return EXIT_FAILED


def _error(message: str) -> None:
    click.echo(f"newsarchive: error: {' '.join(message.split())}", err=True)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
