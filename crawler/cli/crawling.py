"""The commands that write the archive on this machine: `crawl` (also as a fleet's worker), `reparse`, `backfill`.

Scrapy is imported only inside `crawl`: the other commands never load it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crawler import archive
from crawler.archive.runs import crawl_summary, outcomes, reparse_summary, sources_summary
from crawler.cli.group import DATE, DB_OPTION, EXIT_DRIFT, EXIT_FAILED, MANY, BadInput, cli, day
from crawler.cli.terminal import progress_count
from crawler.sites import all_sites, get_site

if TYPE_CHECKING:
    from crawler.crawl.run import CrawlOptions


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
@click.option("--since", type=DATE, metavar="DATE",
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
          overrides: tuple[str, ...], replay: Path | None, db: Path, verbose: bool) -> None:
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
    from crawler.crawl.run import CrawlOptions, CrawlStopped, crawl as run_crawl  # Scrapy: only where it crawls

    options = CrawlOptions(full=full, stop_after=stop_after, refresh_days=refresh_days,
                           since=since.date() if since else None, log_file=log_file, no_warc=no_warc,
                           overrides=overrides, verbose=verbose)
    if redis_url:
        _crawl_as_worker(list(sites), list(start_urls), redis_url, replay, options)
        return
    started = time.monotonic()
    names, source = ", ".join([*keys, *start_urls]), f" from {replay}" if replay else ""
    try:
        row = run_crawl(keys, db, options, replay=replay, start_urls=list(start_urls), max_pages=max_pages,
                        on_start=lambda: click.echo(f"Crawling {names}{source} into {db} ...", err=True))
    except ValueError as e:
        raise BadInput(str(e)) from None
    except CrawlStopped as e:
        raise click.ClickException(str(e)) from None
    _report_crawl(row, time.monotonic() - started)


def _crawl_as_worker(sites: list[str], start_urls: list[str], redis_url: str, replay: Path | None,
                     options: CrawlOptions) -> None:
    """`crawl --redis URL`: this machine as one worker of a fleet."""
    try:
        settings = options.settings()
    except ValueError as e:
        raise BadInput(str(e)) from None
    if start_urls:
        raise BadInput("--start-url crawls one undeclared site on this machine; it does not take --redis")
    from crawler.fleet.run import WorkerStopped, run_worker

    # A worker seeds only the sites it is given; without --site it takes what `enqueue` put in the frontier.
    try:
        totals = run_worker(sites, redis_url, replay, options.log_level, settings)
    except WorkerStopped as e:
        raise click.ClickException(str(e)) from None
    except ValueError as e:
        raise BadInput(str(e)) from None
    recovered = f", {totals['recovered']} requests of dead workers taken back" if totals["recovered"] else ""
    click.echo(f"Worker finished: {totals['pages_fetched']} pages fetched, {totals['handed_off']} records handed "
               f"to {redis_url}{recovered}.")


def _report_crawl(row: dict[str, Any], seconds: float) -> None:
    """The run's summary on stdout, its "but" lines on both streams, and the exit status they call for."""
    from crawler.crawl.run import drift_alarms, listings_notes

    click.echo(crawl_summary(row, seconds))
    sources = sources_summary(row)
    if sources:
        click.echo(sources)
    for note in listings_notes(row):
        click.echo(f"Listings: {note}")
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
        row = run_reparse(db, list(paths) or [db.parent / "warc"], sites, day(since), tick)
    click.echo(reparse_summary(row))
    failed = archive.failed_summary(row)
    if failed:
        click.echo(failed)


@cli.command()
@click.option("--site", "site_key", required=True, metavar="KEY", help="The declared site to backfill.")
@click.option("--source", type=click.Choice(["wayback", "commoncrawl", "all"]), default="all", show_default=True)
@click.option("--since", type=DATE, metavar="DATE", help="Only captures made on or after DATE.")
@click.option("--until", type=DATE, metavar="DATE", help="Only captures made on or before DATE.")
@click.option("--max", "limit", type=click.IntRange(min=1, max=MANY), metavar="N",
              help="Fetch at most N captures this run.")
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
            counts = run_backfill(db, site, sources, day(since), day(until), latest, limit,
                                  on_capture=(lambda _: tick()) if tick else None)
        except ServerUnavailable as e:
            raise BadInput(str(e)) from None
    click.echo(f"Backfill of {site_key} from {', '.join(sources)}: " + (outcomes(counts) or "nothing to do") + ".")
