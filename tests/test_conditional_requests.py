"""Conditional requests for discovery: a declared site whose server honours ETag and If-Modified-Since
(tests/conditionalsite.py) costs its second run a 304 for its listing, feed and sitemaps, and no article page; a
server that ignores validators still works; --full sends none; an odd ETag goes back as it came; an article that
failed makes its listing be read again; and a replay answers 304 where the WARC's record had validators."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import Headers, HtmlResponse
from sqlite_utils import Database

from conftest import ROOT, db_rows as rows
from conditionalsite import LAST_MODIFIED, ConditionalSite, write_site_module
from faultsite import generate

from crawler.archive.runs import add_run_counts, sources_text, start_run
from crawler.archive.schema import migrations
from crawler.crawl.spiders.sitemaps import source_counts
from crawler.crawl.spiders.validators import conditional, remember
from crawler.evidence.replay import answers_not_modified
from crawler.evidence.warc import WarcIndex

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=5",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
KEY = "dieukien"
ARTICLES = 30
#: What the site answers 304 to on a second run: the listing's first page, the feed, the two urlsets of the index
#: and the news sitemap (the index itself is read every run: an unchanged index may name a changed sitemap).
UNCHANGED = {"/tin-tuc", "/rss.xml", "/sitemap-1.xml", "/sitemap-2.xml", "/news-sitemap.xml"}
ODD_ETAG = 'tr\xe1ng "x", y'  # unquoted, a comma and a space inside, a Latin-1 byte: sent back as it came


def crawl(folder: Path, db: Path, *extra: str, key: str = KEY) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "crawler", "crawl", "--site", key, "--db", str(db), *FAST, *extra]
    env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(folder))
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def served_site(tmp_path_factory: pytest.TempPathFactory, **options: object):
    folder = tmp_path_factory.mktemp("conditional")
    site = ConditionalSite(generate(ARTICLES), **options).start()
    write_site_module(folder, site.base, KEY)
    return site, folder, folder / "archive.db"


@pytest.fixture(scope="module")
def honoured(tmp_path_factory: pytest.TempPathFactory):
    """Runs on a server that honours validators: the first, a second (nothing new), a third with --full; then
    (`later`) one with validators off and one with --refresh-days, with the validators held before each."""
    site, folder, db = served_site(tmp_path_factory)
    first = crawl(folder, db)
    second_from = site.mark()
    second = crawl(folder, db)
    full_from = site.mark()
    full = crawl(folder, db, "--full")
    later = []
    for extra in (("-s", "NEWSARCHIVE_CONDITIONAL=False"), ("--refresh-days", "30")):
        held, since = rows(db, "SELECT * FROM discovery_validators ORDER BY url"), site.mark()
        later.append((crawl(folder, db, *extra), held, site.asked(since)))
    yield site, db, (first, second, full), (second_from, full_from), later
    site.stop()


def test_the_second_run_gets_304s_and_fetches_no_article(honoured) -> None:
    site, db, (first, second, _), (second_from, full_from), _ = honoured
    assert first.returncode == 0, first.stderr[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    asked = site.asked(second_from)[: full_from - second_from]
    assert {a.path for a in asked if a.status == 304} == UNCHANGED
    assert not [a for a in asked if a.path.startswith("/bai/")]
    assert {a.path for a in asked if a.status == 200} == {"/robots.txt", "/sitemap.xml"}
    assert rows(db, "SELECT new, not_modified FROM crawl_runs WHERE id = 2") == [(0, 5)]
    assert rows(db, "SELECT count(*) FROM articles") == [(ARTICLES,)]
    assert "5 listing pages, feeds and sitemaps not modified (304)" in second.stdout
    # per source, as what each page was when it was last read: the feed is told from the listing
    assert json.loads(rows(db, "SELECT sources FROM crawl_runs WHERE id = 2")[0][0]) == {
        KEY: {"listing": [0, 0, 1], "feed": [0, 0, 1], "sitemap": [0, 0, 3]}}
    assert (f"Sources: {KEY}: feed 0 (0 new, 1 not modified), listing 0 (0 new, 1 not modified), "
            "sitemap 0 (0 new, 3 not modified).") in second.stdout
    assert rows(db, "SELECT source FROM discovery_validators WHERE url = ?", f"{site.base}/rss.xml") == [("feed",)]


def test_an_unchanged_site_raises_no_drift_alarm(honoured) -> None:
    _, db, (_, second, _), _, _ = honoured
    drift = json.loads(rows(db, "SELECT drift FROM crawl_runs WHERE id = 2")[0][0])
    # not_modified: the declared listing and feed that answered 304 (the sitemaps' 304s say nothing of them)
    assert drift == [{"site": KEY, "listed": 0, "not_modified": 2, "articles": 0, "by_selectors": 0, "share": 0.0,
                      "bylines_by_selector": 0, "bylines_by_fallback": 0, "alarm": None}]
    assert "Drift" not in second.stdout + second.stderr


def test_the_validators_sent_are_those_the_server_gave(honoured) -> None:
    site, db, _, (second_from, full_from), _ = honoured
    held = dict((url.removeprefix(site.base), (etag, modified))
                for url, etag, modified in rows(db, "SELECT url, etag, last_modified FROM discovery_validators"))
    assert held["/rss.xml"] == (None, LAST_MODIFIED)  # the feed sends no ETag
    assert held["/tin-tuc"][0].startswith('"') and held["/tin-tuc"][1] is None
    assert "/sitemap.xml" not in held  # an index is read in full every run
    assert {"/tin-tuc?p=2", "/tin-tuc?p=3", "/sitemap-1.xml", "/sitemap-2.xml", "/news-sitemap.xml"} <= set(held)
    second = {a.path: a for a in site.asked(second_from)[: full_from - second_from]}
    assert second["/tin-tuc"].if_none_match == held["/tin-tuc"][0]
    assert (second["/rss.xml"].if_none_match, second["/rss.xml"].if_modified_since) == (None, LAST_MODIFIED)
    assert second["/robots.txt"].if_none_match is None and second["/sitemap.xml"].if_none_match is None


def test_full_sends_no_validators(honoured) -> None:
    site, db, (_, _, full), (_, full_from), later = honoured
    assert full.returncode == 0, full.stderr[-3000:]
    asked = site.asked(full_from)[: len(site.asked(full_from)) - sum(len(run[2]) for run in later)]
    assert asked and all(a.if_none_match is None and a.if_modified_since is None for a in asked)
    assert not [a for a in asked if a.status == 304]
    assert len([a for a in asked if a.path.startswith("/bai/")]) == ARTICLES
    assert rows(db, "SELECT unchanged FROM crawl_runs WHERE id = 3") == [(ARTICLES,)]


def test_validators_off_or_a_refresh_send_none(honoured) -> None:
    """NEWSARCHIVE_CONDITIONAL=False sends and keeps none; --refresh-days reads the listings in full (the articles
    it refreshes are found on them), and keeps what it saw."""
    site, db, _, _, ((off, held_before_off, asked_off), (refresh, held_before_refresh, asked_refresh)) = honoured
    assert off.returncode == 0 and refresh.returncode == 0, refresh.stderr[-3000:]
    for asked in (asked_off, asked_refresh):
        assert asked and all(a.if_none_match is None and a.if_modified_since is None for a in asked)
        assert {a.path for a in asked if a.path.startswith(("/tin-tuc", "/rss"))} >= {"/tin-tuc", "/rss.xml"}
    assert held_before_refresh == held_before_off  # the run with validators off wrote none (not even seen_at)
    assert len(rows(db, "SELECT * FROM discovery_validators")) == len(held_before_off)


def test_a_live_304_is_not_replayed_as_a_page(honoured) -> None:
    """The second run's WARC holds the 304s it got: they hold no page, and a replay of that WARC does not serve
    them (an unconditional request would get a 304 it cannot read)."""
    site, db, *_ = honoured
    first_run, second_run = sorted((db.parent / "warc").glob("*.warc.gz"))[:2]
    assert WarcIndex.open(first_run).get(f"{site.base}/tin-tuc").status == 200
    assert WarcIndex.open(second_run).get(f"{site.base}/tin-tuc") is None
    assert WarcIndex.open(second_run).get(f"{site.base}/sitemap.xml").status == 200  # read every run


def test_a_server_that_ignores_validators_still_works(tmp_path_factory: pytest.TempPathFactory) -> None:
    site, folder, db = served_site(tmp_path_factory, honours=False)
    try:
        assert crawl(folder, db).returncode == 0
        since = site.mark()
        second = crawl(folder, db)
        asked = site.asked(since)
    finally:
        site.stop()
    assert second.returncode == 0, second.stderr[-3000:]
    assert {a.path for a in asked if a.if_none_match or a.if_modified_since} >= {"/tin-tuc", "/rss.xml"}
    assert all(a.status == 200 for a in asked) and not [a for a in asked if a.path.startswith("/bai/")]
    assert rows(db, "SELECT new, not_modified FROM crawl_runs WHERE id = 2") == [(0, 0)]
    assert "not modified" not in second.stdout and "Drift" not in second.stdout


def test_an_odd_etag_is_kept_and_sent_back_verbatim(tmp_path_factory: pytest.TempPathFactory) -> None:
    site, folder, db = served_site(tmp_path_factory, odd_etag=ODD_ETAG)
    try:
        assert crawl(folder, db).returncode == 0
        since = site.mark()
        second = crawl(folder, db)
        asked = {a.path: a for a in site.asked(since)}
    finally:
        site.stop()
    assert second.returncode == 0, second.stderr[-3000:]
    assert rows(db, "SELECT etag FROM discovery_validators WHERE url = ?", f"{site.base}/tin-tuc") == [(ODD_ETAG,)]
    assert asked["/tin-tuc"].if_none_match == ODD_ETAG and asked["/tin-tuc"].status == 304


def test_a_walk_cut_short_or_limited_by_since_keeps_no_validators(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A run stopped before its walk's end (here by Scrapy's page count) may not have asked for what its pages
    listed, and a run with --since leaves older articles out on purpose: a 304 next run would hide them."""
    site, folder, db = served_site(tmp_path_factory)
    try:
        cut = crawl(folder, db, "-s", "CLOSESPIDER_PAGECOUNT=3")
        held_after_cut = rows(db, "SELECT count(*) FROM discovery_validators")
        since = crawl(folder, db, "--since", "2021-03-20")
        held_after_since = rows(db, "SELECT count(*) FROM discovery_validators")
        whole = crawl(folder, db)
    finally:
        site.stop()
    assert cut.returncode == 0 and since.returncode == 0 and whole.returncode == 0, whole.stderr[-3000:]
    assert rows(db, "SELECT count(*) FROM articles") == [(ARTICLES,)]  # the last run got what the others left
    assert held_after_cut == [(0,)] and held_after_since == [(0,)]
    assert rows(db, "SELECT count(*) FROM discovery_validators")[0][0] > 0


def test_a_listing_whose_article_failed_is_read_again(tmp_path_factory: pytest.TempPathFactory) -> None:
    site, folder, db = served_site(tmp_path_factory)
    broken = f"/bai/bai-viet-{site.articles[3].id}"  # on the listing's first page, in the feed and a sitemap
    site.failing.add(broken)
    try:
        assert crawl(folder, db).returncode == 0
        site.failing.clear()  # the site's bad moment is over
        since = site.mark()
        second = crawl(folder, db)
        asked = {a.path: a for a in site.asked(since)}
    finally:
        site.stop()
    assert second.returncode == 0, second.stderr[-3000:]
    assert asked["/tin-tuc"].status == 200 and asked["/tin-tuc"].if_none_match is None
    assert asked[broken].status == 200
    assert rows(db, "SELECT new FROM crawl_runs WHERE id = 2") == [(1,)]
    # Every page that listed it is read again (the feed, the first urlset, the news sitemap of the five newest),
    # whichever of them the article was first asked for from; the second urlset is unchanged and was complete.
    assert {path: asked[path].status for path in ("/rss.xml", "/sitemap-1.xml", "/news-sitemap.xml")} == {
        "/rss.xml": 200, "/sitemap-1.xml": 200, "/news-sitemap.xml": 200}
    assert asked["/sitemap-2.xml"].status == 304 and asked["/tin-tuc?p=2"].status == 304


def test_the_replay_answers_304_where_the_record_had_validators(honoured, tmp_path: Path) -> None:
    """The first live run's WARC holds the server's validators: replayed twice, the second replay gets 304s."""
    site, db, *_ = honoured
    warcs = sorted((db.parent / "warc").glob("*.warc.gz"))
    first_run = warcs[0]  # named by the time it started: the first run's
    folder = db.parent  # the site's declaration is there
    replayed = tmp_path / "replayed.db"
    one = crawl(folder, replayed, "--replay", str(first_run))
    two = crawl(folder, replayed, "--replay", str(first_run))
    assert one.returncode == 0 and two.returncode == 0, two.stderr[-3000:]
    assert rows(replayed, "SELECT new, not_modified FROM crawl_runs ORDER BY id") == [(ARTICLES, 0), (0, 5)]


def test_the_replay_rule_is_the_servers() -> None:
    recorded = [("ETag", 'W/"abc"'), ("Last-Modified", LAST_MODIFIED)]
    assert answers_not_modified(Headers({"If-None-Match": '"abc"'}), recorded)  # weak comparison
    assert answers_not_modified(Headers({"If-None-Match": '"x", W/"abc"'}), recorded)
    assert answers_not_modified(Headers({"If-None-Match": "*"}), recorded)
    assert not answers_not_modified(Headers({"If-None-Match": '"x"', "If-Modified-Since": LAST_MODIFIED}), recorded)
    assert answers_not_modified(Headers({"If-Modified-Since": LAST_MODIFIED}), recorded)
    assert answers_not_modified(Headers({"If-Modified-Since": "Tue, 16 Mar 2021 00:00:00 GMT"}), recorded)
    assert not answers_not_modified(Headers({"If-Modified-Since": "Sun, 14 Mar 2021 00:00:00 GMT"}), recorded)
    assert not answers_not_modified(Headers({"If-Modified-Since": "yesterday"}), recorded)
    assert not answers_not_modified(Headers({}), recorded)
    assert not answers_not_modified(Headers({"If-None-Match": '"abc"'}), [("Content-Type", "text/html")])


def test_conditional_and_remember() -> None:
    url = "http://127.0.0.1:9/tin-tuc"
    plain = Request(url)
    assert conditional(plain, {}) is plain
    asked = conditional(plain, {url: (ODD_ETAG, LAST_MODIFIED)})
    assert asked.headers[b"If-None-Match"] == ODD_ETAG.encode("latin-1")
    assert asked.headers[b"If-Modified-Since"] == LAST_MODIFIED.encode()
    assert 304 in asked.meta["handle_httpstatus_list"] and not plain.headers and not plain.meta
    served = HtmlResponse(url, status=200, headers={"ETag": ODD_ETAG.encode("latin-1")}, body=b"<html></html>",
                          request=plain)
    assert remember(served) == (url, (ODD_ETAG, None, None))  # what the page was: the spider says once read
    unchanged = HtmlResponse(url, status=304, body=b"", request=asked)
    assert remember(unchanged) == (url, (ODD_ETAG, LAST_MODIFIED, None))  # what it sent is still valid
    assert remember(HtmlResponse(url, status=500, body=b"", request=plain)) is None


def test_per_source_counts_take_the_304s() -> None:
    """A run's sources: [listed, new], and a third count, pages not modified, only for a source that had some."""
    stats = {"newsarchive/source/s/listing/listed": 4, "newsarchive/source/s/listing/new": 1,
             "newsarchive/source/s/sitemap/not_modified": 2, "newsarchive/source/s/sitemap/listed": 0,
             "newsarchive/source/s/sitemap/new": 0}
    counts = source_counts(stats)
    assert counts == {"s": {"listing": [4, 1], "sitemap": [0, 0, 2]}}
    db = Database(memory=True)
    migrations.apply(db)
    run = start_run(db, ["s"])
    add_run_counts(db, run, {}, {}, sources=counts)
    add_run_counts(db, run, {}, {}, sources={"s": {"listing": [1, 0, 1], "sitemap": [3, 3]}})
    assert sources_text(db["crawl_runs"].get(run)["sources"]) == \
        "s: listing 5 (1 new, 1 not modified), sitemap 3 (3 new, 2 not modified)"


def test_a_listing_that_listed_nothing_is_read_in_full_next_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Its selector missed (a redesign, a guess): a 304 next run would hide the "no article" alarm and keep a fixed
    selector from showing, so the page keeps no validators and is asked for unconditionally."""
    site, folder, db = served_site(tmp_path_factory)
    try:
        module = folder / f"{KEY}.py"
        module.write_text(module.read_text(encoding="utf-8").replace("div.list a[href]", "div.nothing a"),
                          encoding="utf-8")
        assert crawl(folder, db).returncode in (0, 4)
        held = {url.removeprefix(site.base): etag or modified for url, etag, modified in
                rows(db, "SELECT url, etag, last_modified FROM discovery_validators")}
        assert held.get("/tin-tuc") is None  # the listing that listed nothing: no validator kept
        assert held.get("/rss.xml")  # the feed listed its articles: kept
        since = site.mark()
        crawl(folder, db)
        assert [a.status for a in site.asked(since) if a.path == "/tin-tuc"] == [200]
    finally:
        site.stop()
