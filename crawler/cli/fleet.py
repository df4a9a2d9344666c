"""The commands of a crawl on several machines, around one Redis: `enqueue` seeds the shared frontier, `store`
is the fleet's one archive writer, `fleet` says what it is doing. (Its workers are `crawl --redis URL`.)"""

from __future__ import annotations

from pathlib import Path

import click

from crawler import archive
from crawler.archive.runs import outcomes
from crawler.cli.group import DB_OPTION, cli
from crawler.cli.terminal import StoreProgress, stamped, stop_on_signals
from crawler.sites import all_sites, get_site



@cli.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The Redis the workers hand records to.")
@click.option("--follow", is_flag=True, help="Keep waiting for records (default: stop when none is left), and wait "
              "out a Redis that stops answering. Stop it with SIGTERM or Ctrl-C: it finishes the batch in hand and "
              "exits 0.")
@click.option("--progress-every", type=click.FloatRange(min=0, max=86400), default=60.0, show_default=True,
              metavar="SECONDS", help="With --follow, a line on stderr this often saying what was stored (0: never).")
@DB_OPTION
def store(redis_url: str, follow: bool, progress_every: float, db: Path) -> None:
    """The one archive writer of a multi-machine crawl: store the records workers handed to Redis.

    A batch is acknowledged only once it is committed: a writer killed mid-batch loses nothing, and the next one
    stores nothing twice.

    \b
    Example:
        newsarchive store --redis redis://10.0.0.5:6379/0 --follow
    """
    from crawler.fleet.connection import connect, unreachable_errors
    from crawler.fleet.stream import drain

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
    from crawler.fleet.connection import connect, require_distributed_extra

    require_distributed_extra()  # the frontier's queue is scrapy-redis's
    client = connect(redis_url)
    from crawler.fleet.enqueue import enqueue_sites
    from crawler.fleet.frontier import publish_known, status

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
    from crawler.fleet.connection import connect
    from crawler.fleet.frontier import status
    from crawler.fleet.stream import backlog

    client = connect(redis_url)
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
