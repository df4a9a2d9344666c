"""Discovery through each way in alone, on real pages served under their own URLs (tests/realdomains.py): an
undeclared site's crawl (`crawl --start-url`) and a declared site's (site modules written here) find every article
by a sitemap alone, by the feed its home page announces alone, by its home page's links alone, by a section page's
links alone; `newsarchive runs` shows which source gave what. Skipped without ../shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, db_rows as rows
from realdomains import Domain, benchmark_domains, build_warc, need_shared, real_domains

from crawler.extract.urls import canonicalize

#: Benchmark domains whose two pages an undeclared crawl keeps none of, however it finds them: vortexcannon.org's
#: are product pages ("about bugs", a card pack) with no date; entermedia.co.kr's print their date in no form the
#: generic layer reads; usatoday.com's and detroitnews.com's (Gannett) metadata carry the placeholder date
#: 0001-01-01, read as the publication date, and the record then fails in the pipeline (an OverflowError: a bug
#: of the date layer, reported, not this test's to hide).
NOT_ARTICLES = {"http://entermedia.co.kr", "https://vortexcannon.org", "https://www.usatoday.com",
                "https://www.detroitnews.com"}

#: The declared sites of the test: the real domains, with their article rules (vnexpress: "-<id>.html",
#: cafef: "-<id>.chn"), and a start URL that is wrong (a listing the site does not have).
DECLARED = {"https://vnexpress.net": r"-(?P<id>\d{6,})\.html$", "https://cafef.vn": r"-(?P<id>\d{9,})\.chn$"}


#: What `newsarchive runs` shows of cafef (the first site of its "sources" column) with each source alone: the home
#: page is asked for only when the sitemap is not there (and then counts, though it lists nothing itself).
RUNS_SOURCES = {"sitemap": "cafef: listing 0 (0 new), sitemap 2 (2 new)",
                "feed": "cafef: feed 2 (2 new), home 0 (0 new), listing 0 (0 new)",
                "home": "cafef: home 2 (2 new), listing 0 (0 new)",
                "section": "cafef: home 0 (0 new), listing 0 (0 new), section 2 (2 new)"}


SOURCE_TURNS = ("sitemap", "feed", "home", "section")


def newsarchive(*args: str, sites_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if sites_path is not None:
        env["NEWSARCHIVE_SITES_PATH"] = str(sites_path)
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def domains() -> list[Domain]:
    need_shared()
    return real_domains() + benchmark_domains()


def _key(url: str) -> str:
    """What an undeclared crawl keys an article by: host and canonical URL (no scheme)."""
    return canonicalize(url).split("://", 1)[1]


def test_an_undeclared_crawl_finds_every_article_through_one_source_alone(domains: list[Domain],
                                                                         tmp_path: Path) -> None:
    kept = [d for d in domains if d.root not in NOT_ARTICLES]
    assert len(kept) == 53  # 2 real domains and 51 of the benchmark's 55 two-page domains
    # each domain offers one way in alone, in turn: a sitemap, an announced feed, home links, a section's links
    offered = {d.root: {SOURCE_TURNS[i % len(SOURCE_TURNS)]} for i, d in enumerate(kept)}
    warc = build_warc(tmp_path / "real.warc.gz", kept, offered)
    db = tmp_path / "a.db"
    starts = [arg for d in kept for arg in ("--start-url", d.home)]
    result = newsarchive("crawl", *starts, "--replay", str(warc), "--db", str(db), "--max-pages", "8",
                         "-s", "ROBOTSTXT_OBEY=False")
    assert result.returncode == 0, result.stderr[-3000:]
    stored = set(rows(db, "SELECT site, article_id FROM articles"))
    expected = {(_host(d), _key(url)) for d in kept for url, _ in d.articles}
    assert stored == expected, sorted(expected - stored)[:10]
    sources = json.loads(rows(db, "SELECT sources FROM crawl_runs")[0][0])
    for domain in kept:  # both articles came through the one source offered
        (source,) = offered[domain.root]
        assert sources[_host(domain)][source][0] >= 2, (domain.root, source, sources[_host(domain)])
    assert {s for d in kept for s in offered[d.root]} == set(SOURCE_TURNS)


def _host(domain: Domain) -> str:
    """The site key of an undeclared crawl: the host, without www."""
    return domain.root.split("://", 1)[1].removeprefix("www.")


def _declare(folder: Path, root: str, rule: str) -> str:
    key = root.split("://", 1)[1].split(".")[0]
    host = root.split("://", 1)[1]
    (folder / f"{key}.py").write_text(
        "from crawler.sites.base import Site\n"
        f"SITE = Site(key={key!r}, name={key!r}, hosts=({host!r}, 'www.{host}'),\n"
        f"    start_urls=('{root}/tin-tuc-doan',), article_path={rule!r})\n", encoding="utf-8")
    return key


@pytest.fixture(scope="module")
def declared_folder(tmp_path_factory: pytest.TempPathFactory, domains: list[Domain]) -> Path:
    folder = tmp_path_factory.mktemp("declared")
    for root, rule in DECLARED.items():
        _declare(folder, root, rule)
    return folder


@pytest.mark.parametrize("source", ["sitemap", "feed", "home", "section"])
def test_a_declared_site_with_a_wrong_listing_finds_every_article_through_one_source(
        domains: list[Domain], declared_folder: Path, source: str, tmp_path: Path) -> None:
    real = [d for d in domains if d.root in DECLARED]
    warc = build_warc(tmp_path / "real.warc.gz", real, {source})
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--site", "vnexpress", "--site", "cafef", "--replay", str(warc), "--db", str(db),
                         "-s", "ROBOTSTXT_OBEY=False", sites_path=declared_folder)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert set(rows(db, "SELECT site, article_id FROM articles")) == {
        ("vnexpress", "4954454"), ("vnexpress", "5047363"), ("cafef", "18826030622484142"),
        ("cafef", "188260307071033787")}
    sources = json.loads(rows(db, "SELECT sources FROM crawl_runs")[0][0])
    assert sources["vnexpress"]["listing"] == [0, 0]  # the wrong listing: a 404, nothing listed
    assert sources["vnexpress"][source] == [2, 2]
    assert f"Listings: vnexpress: declared listings gave nothing; {source} gave 2 (2 new)" in result.stdout
    assert "Drift" not in result.stdout  # a dead listing next to a live source is no "no article" alarm
    failures = rows(db, "SELECT url, kind FROM failures")
    assert sorted(failures) == [("https://cafef.vn/tin-tuc-doan", "http 404"),
                                ("https://vnexpress.net/tin-tuc-doan", "http 404")]
    runs = newsarchive("runs", "--db", str(db), sites_path=declared_folder)
    assert RUNS_SOURCES[source] in runs.stdout, runs.stdout


def test_the_second_run_of_a_fallen_back_site_fetches_no_article(domains: list[Domain], declared_folder: Path,
                                                                 tmp_path: Path) -> None:
    real = [d for d in domains if d.root in DECLARED]
    warc = build_warc(tmp_path / "real.warc.gz", real, {"home", "section"})
    db = tmp_path / "a.db"
    args = ("crawl", "--site", "vnexpress", "--replay", str(warc), "--db", str(db), "-s", "ROBOTSTXT_OBEY=False")
    first = newsarchive(*args, sites_path=declared_folder)
    second = newsarchive(*args, sites_path=declared_folder)
    assert first.returncode == 0 and second.returncode == 0, second.stderr[-3000:]
    (again,) = rows(db, "SELECT new, updated, unchanged, sources FROM crawl_runs WHERE id = 2")
    assert again[:3] == (0, 0, 0)  # no article page fetched: each would be new, updated or unchanged
    # both found again on the home page and the section page, neither new
    assert json.loads(again[3])["vnexpress"] == {"listing": [0, 0], "home": [2, 0], "section": [2, 0]}


def test_an_announced_feed_that_is_html_is_one_failure_and_the_crawl_goes_on(
        domains: list[Domain], declared_folder: Path, tmp_path: Path) -> None:
    real = [d for d in domains if d.root in DECLARED]
    html_feed = (200, b"<!DOCTYPE html><html><body><p>Trang RSS</p></body></html>", "text/html; charset=utf-8")
    warc = build_warc(tmp_path / "real.warc.gz", real, {"feed", "home"},
                      extra={"https://vnexpress.net/feed.rss": html_feed})
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--site", "vnexpress", "--site", "cafef", "--replay", str(warc), "--db", str(db),
                         "-s", "ROBOTSTXT_OBEY=False", sites_path=declared_folder)
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(rows(db, "SELECT id FROM articles")) == 4  # the home page's links gave vnexpress's two
    assert sorted(rows(db, "SELECT url, kind FROM failures")) == [
        ("https://cafef.vn/tin-tuc-doan", "http 404"), ("https://vnexpress.net/feed.rss", "not a feed"),
        ("https://vnexpress.net/tin-tuc-doan", "http 404")]
    sources = json.loads(rows(db, "SELECT sources FROM crawl_runs")[0][0])
    # the contact page, a section by its short path, lists nothing; cafef's feed lists the two articles again (new
    # to the archive, though each page is fetched once)
    assert sources["vnexpress"] == {"listing": [0, 0], "home": [2, 2], "section": [0, 0]}
    assert sources["cafef"] == {"listing": [0, 0], "home": [2, 2], "feed": [2, 2], "section": [0, 0]}


def test_a_fleet_worker_finds_the_sitemap_and_the_home_page(domains: list[Domain], declared_folder: Path,
                                                          tmp_path: Path) -> None:
    from redis_server import redis_server

    real = [d for d in domains if d.root in DECLARED]
    warc = build_warc(tmp_path / "real.warc.gz", real, {"https://vnexpress.net": {"sitemap"},
                                                        "https://cafef.vn": {"home"}})
    (tmp_path / "redis").mkdir()
    with redis_server(tmp_path / "redis") as url:
        worker = newsarchive("crawl", "--site", "vnexpress", "--site", "cafef", "--replay", str(warc), "--redis", url,
                             "--no-warc", "-s", "ROBOTSTXT_OBEY=False", sites_path=declared_folder)
        assert worker.returncode == 0, worker.stderr[-3000:]
        assert "4 records handed" in worker.stdout, worker.stdout
        db = tmp_path / "a.db"
        stored = newsarchive("store", "--redis", url, "--db", str(db), sites_path=declared_folder)
        assert stored.returncode == 0, stored.stderr[-3000:]
    assert set(rows(db, "SELECT site, article_id FROM articles")) == {
        ("vnexpress", "4954454"), ("vnexpress", "5047363"), ("cafef", "18826030622484142"),
        ("cafef", "188260307071033787")}
