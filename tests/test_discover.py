"""crawler.live.discover over a WARC (crawler.live.replay): each source of a site and the article URLs it gives;
a sitemap that is not one, or an index that names itself, is the source's error and discovery goes on. The site
and its documents are written here (a reconstruction of no real site)."""

from __future__ import annotations

import gzip
from pathlib import Path

from crawler.live.discover import discover
from crawler.live.replay import replay_fetcher
from sitewarc import HTML, TEXT, XML, rss, sitemap, write_site_warc

HOME = "https://tinhuy.example.vn/"
ARTICLES = [f"{HOME}tin-tuc/bai-so-{i}-1000{i}.html" for i in range(1, 5)]
INDEX = f"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{HOME}sitemap-news.xml.gz</loc></sitemap><sitemap><loc>{HOME}sitemap-index.xml</loc></sitemap>
<sitemap><loc>{HOME}sitemap-broken.xml</loc></sitemap></sitemapindex>""".encode()
HOME_PAGE = f"""<html><head><link rel="alternate" type="application/rss+xml" href="/rss/tin-moi.rss"></head>
<body><a href="{ARTICLES[3]}">Bài 4</a><a href="/chuyen-muc/xay-dung-dang">Xây dựng Đảng</a>
<a href="/files/van-kien.pdf">Văn kiện</a></body></html>""".encode()
SECTION = f'<html><body><a href="{ARTICLES[2]}">Bài 3</a><a href="{ARTICLES[3]}">Bài 4</a></body></html>'.encode()


def is_article(url: str) -> str | None:
    return url.rsplit("-", 1)[-1].removesuffix(".html") if "/tin-tuc/" in url else None


def test_each_source_gives_its_articles_and_a_bad_sitemap_is_its_error(tmp_path: Path) -> None:
    warc = tmp_path / "site.warc.gz"
    write_site_warc(warc, {
        HOME: (HTML, HOME_PAGE),
        HOME + "robots.txt": (TEXT, f"User-agent: *\nSitemap: {HOME}sitemap-index.xml\n".encode()),
        HOME + "sitemap-index.xml": (XML, INDEX),
        HOME + "sitemap-news.xml.gz": ("application/gzip", gzip.compress(sitemap(ARTICLES[:2]))),
        HOME + "sitemap-broken.xml": (HTML, b"<html><body>404 trang khong ton tai</body></html>"),
        HOME + "rss/tin-moi.rss": ("application/rss+xml", rss(ARTICLES[1:3])),
        HOME + "chuyen-muc/xay-dung-dang": (HTML, SECTION),
    })
    found = discover(HOME, is_article, replay_fetcher(warc))
    by_kind = {source.kind: source for source in found.sources}
    assert list(by_kind) == ["sitemap", "home", "feed", "section"]
    assert by_kind["sitemap"].articles == ARTICLES[:2]  # the index named itself once: read once
    assert "sitemap-broken.xml" in (by_kind["sitemap"].error or "")
    assert by_kind["home"].articles == [ARTICLES[3]]
    assert by_kind["feed"].url == HOME + "rss/tin-moi.rss" and by_kind["feed"].articles == ARTICLES[1:3]
    assert by_kind["section"].articles == ARTICLES[2:4]
    assert found.article_urls() == [ARTICLES[0], ARTICLES[1], ARTICLES[3], ARTICLES[2]]
    assert found.sections == [HOME + "chuyen-muc/xay-dung-dang"]  # the PDF is no section


def test_a_feed_the_home_page_announces_that_is_html_is_its_error(tmp_path: Path) -> None:
    warc = tmp_path / "site.warc.gz"
    write_site_warc(warc, {HOME: (HTML, HOME_PAGE), HOME + "rss/tin-moi.rss": (HTML, b"<html><body>x</body></html>")})
    found = discover(HOME, is_article, replay_fetcher(warc))
    feed = next(source for source in found.sources if source.kind == "feed")
    assert feed.articles == [] and "not RSS or Atom" in (feed.error or "")
    section = next(source for source in found.sources if source.kind == "section")
    assert "HTTP 404" in (section.error or "")  # not in the WARC: a 404, as the crawl's replay answers
