"""Discovery from sitemaps: a declared site whose declared listing is a 404 but whose robots.txt names a sitemap
index and a news sitemap (tests/sitemapsite.py) is crawled in full through the real downloader; the second run
fetches no article page; each bad sitemap is one recorded failure; --since stops at the sitemaps' dates. And the
pure reading of sitemaps (crawler.extract.sitemaps)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, db_rows as rows
from faultsite import generate, write_site_module
from sitemapsite import BAD, SitemapSite

from crawler.extract.sitemaps import NotASitemap, read_sitemap

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=5",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
ARTICLES = 40


def crawl(folder: Path, db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "crawler", "crawl", "--site", "sitemapsite", "--db", str(db), *FAST, *extra]
    env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(folder))
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("sitemapsite")
    site = SitemapSite(generate(ARTICLES)).start()
    write_site_module(folder, site.base, "sitemapsite")
    db = folder / "archive.db"
    first = crawl(folder, db)
    after_first = dict(site.requests)
    second = crawl(folder, db)
    yield site, folder, db, first, second, after_first
    site.stop()


def test_a_wrong_listing_next_to_a_sitemap_archives_every_article(served) -> None:
    site, _, db, first, _, _ = served
    assert first.returncode == 0, first.stderr[-3000:]
    stored = dict(rows(db, "SELECT article_id, title FROM articles"))
    assert stored == {str(a.id): a.title for a in site.articles}
    assert "/chuyen-muc/thoi-su" not in site.requests  # not an article by the site's rule


def test_the_run_says_which_source_found_what(served) -> None:
    _, _, db, first, second, _ = served
    sources = json.loads(rows(db, "SELECT sources FROM crawl_runs WHERE id = 1")[0][0])
    # 40 from the two sitemaps of the index, 5 again from the news sitemap (the newest: listed, and new to the
    # walk, though the crawl fetches each page once)
    assert sources == {"sitemapsite": {"listing": [0, 0], "sitemap": [45, 45]}}  # the dead listing: 0
    assert "Sources: sitemapsite: listing 0 (0 new), sitemap 45 (45 new)." in first.stdout
    assert "Sources: sitemapsite: listing 0 (0 new), sitemap 45 (0 new)." in second.stdout
    # a dead declared listing next to a live sitemap: said so, and no "no article" drift alarm (exit 0)
    assert "Listings: sitemapsite: declared listings gave nothing; sitemap gave 45 (45 new)" in first.stdout
    assert "Listings: sitemapsite: declared listings gave nothing; sitemap gave 45 (0 new)" in second.stdout
    assert "Drift" not in first.stdout + second.stdout
    assert "home" not in sources["sitemapsite"]  # the sitemap listed articles: no fallback to the home page
    runs = subprocess.run([sys.executable, "-m", "crawler", "runs", "--db", str(db)], cwd=ROOT, capture_output=True,
                          text=True, env=dict(os.environ, NEWSARCHIVE_SITES_PATH=str(served[1])))
    assert "sitemapsite: listing 0 (0 new), sitemap 45 (0 new)" in runs.stdout
    assert "sitemapsite: listing 0 (0 new), sitemap 45 (45 new)" in runs.stdout


def test_the_second_run_fetches_no_article_page(served) -> None:
    site, _, db, _, second, after_first = served
    assert second.returncode == 0, second.stderr[-3000:]
    articles = [path for path in site.requests if path.startswith("/bai/")]
    assert len(articles) == ARTICLES
    assert all(site.requests[path] == after_first[path] for path in articles)
    assert rows(db, "SELECT new FROM crawl_runs WHERE id = 2")[0][0] == 0


def test_each_bad_sitemap_is_one_failure_and_the_crawl_goes_on(served) -> None:
    site, _, db, first, _, _ = served
    failures = {urlsplit_path(url): kind for url, kind in rows(db, "SELECT url, kind FROM failures WHERE run = 1")}
    assert failures == {"/tin-tuc": "http 404", "/sitemap.xml": "sitemap loop", "/bom.xml.gz": "too large",
                        "/hong.xml": "not a sitemap", "/trang.xml": "not a sitemap"}
    assert rows(db, "SELECT count(*) FROM failures WHERE run = 1")[0][0] == 5
    assert site.requests["/sitemap.xml"] == 2  # once per run: the loop is not followed
    assert set(BAD) <= set(failures)
    assert "Failed: 5 pages" in first.stderr + first.stdout


def test_since_stops_at_the_sitemaps_dates(served, tmp_path: Path) -> None:
    site, folder, _, _, _, _ = served
    before = dict(site.requests)
    db = tmp_path / "since.db"
    result = crawl(folder, db, "--since", "2021-03-20")
    assert result.returncode == 0, result.stderr[-3000:]
    kept = {a.id for a in site.articles if a.published_iso[:10] >= "2021-03-20"}
    assert {int(i) for (i,) in rows(db, "SELECT article_id FROM articles")} == kept
    fetched = {int(p.rsplit("-", 1)[1]) for p in site.requests
               if p.startswith("/bai/") and site.requests[p] > before.get(p, 0)}
    assert fetched == kept  # older articles are not even asked for


def urlsplit_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_read_sitemap_reads_indexes_urlsets_and_news_dates() -> None:
    index = read_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
                         b'<loc> http://a/s1.xml </loc><lastmod>2024-05-01</lastmod></sitemap></sitemapindex>')
    assert index.index and [(e.url, e.date) for e in index.entries] == [("http://a/s1.xml", "2024-05-01")]
    news = read_sitemap(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>http://a/b-1</loc>'
                        b'<news:news><news:publication_date>2024-05-02T08:00:00+07:00</news:publication_date>'
                        b'</news:news></url><url><lastmod>2024-01-01</lastmod></url></urlset>')
    assert not news.index and [(e.url, e.date) for e in news.entries] == [("http://a/b-1",
                                                                          "2024-05-02T08:00:00+07:00")]


@pytest.mark.parametrize("body", [b"", b"<html><body>x</body></html>", b"<urlset><url>", b"<rss><channel/></rss>",
                                  b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><urlset>&a;</urlset>'])
def test_anything_else_is_not_a_sitemap(body: bytes) -> None:
    if body.endswith(b"</urlset>"):  # entities are not expanded: an empty urlset, not an error
        assert read_sitemap(body).entries == []
        return
    with pytest.raises(NotASitemap):
        read_sitemap(body)
