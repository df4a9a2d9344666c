"""A home page read as a way in (crawler.extract.discovery): its announced feeds, article links and sections."""

from __future__ import annotations

import re

from crawler.extract.discovery import announced_feeds, is_section_url, read_way_in
from parsel import Selector

HOME = """<html><head><base href="https://bao.example.vn/">
<link rel="alternate" type="application/rss+xml" title="Tin mới" href="/rss/home.rss">
<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://bao.example.vn/atom.xml">
<link rel="alternate" hreflang="en" href="/en/">
<link rel="stylesheet" type="text/css" href="/site.css">
<link rel="alternate" type="application/rss+xml" href="/rss/home.rss">
</head><body>
<a href="/chinh-tri">Chính trị</a> <a href="/chinh-tri/dang">Đảng</a>
<a href="/chinh-tri/bai-viet-moi-123.html">Bài viết mới</a>
<a href="https://www.bao.example.vn/chinh-tri/bai-viet-moi-123.html#top">again</a>
<a href="/xa-hoi/tin-khac-456.html">Tin khác</a>
<a href="/files/bao-cao.pdf">PDF</a> <a href="/a/b/c/d">deep</a>
<a href="https://other.example.com/x-789.html">elsewhere</a>
<a href="javascript:void(0)">menu</a>
</body></html>"""


def _rule(url: str) -> str | None:
    m = re.search(r"-(\d+)\.html$", url)
    return m.group(1) if m else None


def test_a_home_page_announces_its_rss_and_atom_feeds_once_each_and_nothing_else():
    assert announced_feeds(Selector(text=HOME), "https://bao.example.vn/") == [
        "https://bao.example.vn/rss/home.rss", "https://bao.example.vn/atom.xml"]


def test_article_links_are_kept_by_the_rule_once_each_and_other_hosts_are_not_the_sites():
    way_in = read_way_in("https://bao.example.vn/", HOME, _rule)
    assert way_in.articles == [("https://bao.example.vn/chinh-tri/bai-viet-moi-123.html", "123"),
                               ("https://bao.example.vn/xa-hoi/tin-khac-456.html", "456")]
    assert way_in.unrequestable == 1


def test_sections_are_the_shallow_same_site_pages_that_are_not_articles_or_files():
    way_in = read_way_in("https://bao.example.vn/", HOME, _rule)
    assert way_in.sections == ["https://bao.example.vn/chinh-tri", "https://bao.example.vn/chinh-tri/dang"]
    assert not is_section_url("https://bao.example.vn/files/bao-cao.pdf")


def test_a_site_rule_of_ownership_admits_its_aliases():
    page = '<a href="https://alias.example.vn/tin-1.html">x</a>'
    way_in = read_way_in("https://bao.example.vn/", page, _rule,
                         owns=lambda url: "example.vn" in url)
    assert way_in.articles == [("https://alias.example.vn/tin-1.html", "1")]


def test_a_sites_home_page_is_on_the_first_start_url_it_owns() -> None:
    """One rule for the crawl's fallback, check-site and add-site: a feed served from another host is not where
    the site's home page is."""
    from crawler.sites.base import Site

    site = Site(key="x", name="x", hosts=("bao.example.vn",), article_path=r"-(?P<id>\d+)\.html$",
                start_urls=("https://feeds.other.example/bao.rss", "http://www.bao.example.vn:8080/tin-moi"))
    assert site.home_page == "http://www.bao.example.vn:8080/"
    assert Site(key="y", name="y", hosts=("bao.example.vn",), start_urls=(),
                article_path=r"(?P<id>\d+)").home_page == "https://bao.example.vn/"
