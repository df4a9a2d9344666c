"""The commands about the declared sites and their pages: `sites`, `extract`, `check-site`, `capture`. The last
two fetch live pages (crawler.live: check, capture); none writes the archive."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.cli.group import EXIT_DRIFT, BadInput, cli
from crawler.cli.tables import print_rows
from crawler.sites import all_sites, get_site, site_for_url, site_of_page


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
    site = get_site(site_key) if site_key else None
    try:
        html = file.read_bytes()
    except OSError as e:
        raise BadInput(f"cannot read {file}: {e.strerror}") from None
    site = site or site_of_page(url, html)
    record = extract_article(url, html, site)
    click.echo(json.dumps(record, ensure_ascii=False, indent=1))


@cli.command(name="check-site")
@click.argument("key")
@click.option("-n", "--limit", type=click.IntRange(min=1, max=50), default=5, show_default=True,
              help="How many of the newest articles to check.")
@click.option("--replay", type=click.Path(dir_okay=False, path_type=Path), metavar="WARC",
              help="Read the site's pages from this WARC instead of the network.")
def check_site(key: str, limit: int, replay: Path | None) -> None:
    """Show a site's discovery sources, then fetch its newest articles and show, field by field, whether its own
    selectors still give them.

    The first thing to run when a crawl raises the drift alarm. Each source (declared listings and feeds,
    robots.txt sitemaps, announced feeds, home and section pages) is listed with how many article URLs it gave,
    so a dead listing beside a live sitemap shows. Exit status 4 when fewer than half of the pages get title,
    date and body from the site's selectors, or no source gives an article; 2 when nothing of the site can be
    fetched. Needs network access unless --replay; obeys robots.txt.

    \b
    Example:
        newsarchive check-site thanhuytphcm -n 3
    """
    from crawler.live.check import CHECKED_FIELDS, as_rows, check_site as run_check, selectors_hold, source_rows
    from crawler.live.http import FetchError
    from crawler.live.replay import replay_fetcher

    site = get_site(key)
    try:
        result = run_check(site, limit, replay_fetcher(replay) if replay else None)
    except FetchError as e:
        raise BadInput(str(e)) from None
    print_rows(["source", "url", "articles", "error"], source_rows(site, result.sources), None)
    click.echo()
    if not result.pages:
        click.echo(f"{key}: no source gave an article of the site (see the sources above).")
        sys.exit(EXIT_DRIFT)
    print_rows(["url", *CHECKED_FIELDS, "error"], as_rows(result.pages), None)
    if not selectors_hold(site, result.pages):
        click.echo(f"{key}: the site's selectors no longer give title, date and body on most of its newest pages.")
        sys.exit(EXIT_DRIFT)
    click.echo(f"{key}: the site's selectors hold on {len(result.pages)} of its newest pages.")


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


@cli.command(name="add-site")
@click.argument("url")
@click.option("--key", metavar="KEY", help="The new site's key (default: from the host, e.g. vnexpress).")
@click.option("--replay", type=click.Path(dir_okay=False, path_type=Path), metavar="WARC",
              help="Read the site's pages from this WARC instead of the network.")
@click.option("-n", "--samples", type=click.IntRange(min=1, max=50), default=10, show_default=True,
              help="How many article pages to learn from.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Where to write the site module (default: the first folder of NEWSARCHIVE_SITES_PATH, else "
                   "crawler/sites/); its pages and goldens go to a fixtures folder beside it.")
def add_site(url: str, key: str | None, replay: Path | None, samples: int, into: Path | None) -> None:
    """Learn a site declaration from a site's home page and a sample of its articles.

    Finds the site's sources (robots.txt sitemaps, announced feeds, home and section links), samples article
    pages, infers the article URL rule and a selector per field from where the generic layer finds each value,
    and writes the site module with the sampled pages and UNREVIEWED goldens. Exit status 2 when the home page
    cannot be fetched or is not HTML, no article is found, or a file exists. Needs network access unless
    --replay; obeys robots.txt.

    \b
    Example:
        newsarchive add-site https://hanoimoi.vn/ -n 10 --into mysites
        NEWSARCHIVE_SITES_PATH=mysites newsarchive crawl --site hanoimoi
    """
    from crawler.archive.outputs import OutputError
    from crawler.evidence.warcrecords import WarcError
    from crawler.live.addsite import AddSiteError, add_site as learn
    from crawler.live.http import FetchError
    from crawler.live.replay import replay_fetcher

    try:
        fetcher = replay_fetcher(replay) if replay else None
        learnt = learn(url, key, fetcher, samples, into, f" replayed from {replay}" if replay else "")
    except (AddSiteError, FetchError, OutputError, WarcError) as e:
        raise BadInput(str(e)) from None
    for line in learnt.report():
        click.echo(line)
