"""crawler.extract.listing: a listing page read as the crawl and check-site both read it (no Scrapy, no network)."""

from __future__ import annotations

from dataclasses import replace

from conftest import FIXTURES
from crawler.extract.listing import is_feed, read_listing
from crawler.live.check import discover_site, newest_articles
from crawler.live.http import FetchError
from crawler.sites import get_site

LISTING = "https://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416"


def fixture_text(*parts: str) -> str:
    return FIXTURES.joinpath(*parts).read_text(encoding="utf-8")


def test_an_html_listing_gives_its_article_links_in_order_and_its_pager() -> None:
    site = get_site("thanhuytphcm")
    listing = read_listing(site, LISTING, fixture_text("thanhuytphcm", "listing", "page-1.html"))
    assert not listing.feed and len(listing.articles) == 16
    assert all(site.article_id(url) == article_id for url, article_id in listing.articles)
    assert listing.pager == f"{LISTING}?page=2" and listing.next_page(site, LISTING, 1) == f"{LISTING}?page=2"


def test_a_feed_gives_its_items_and_no_next_page() -> None:
    site = get_site("bacgiang")
    text = fixture_text("bacgiang", "listing", "rss.xml")
    listing = read_listing(replace(site, listing_page="{url}?page={page}"), site.start_urls[0], text)
    assert is_feed(text) and listing.feed and listing.articles
    assert listing.next_page(site, site.start_urls[0], 1) is None  # a feed is one page, whatever the site says


def test_links_join_to_the_base_href_and_unrequestable_ones_are_counted() -> None:
    site = replace(get_site("thanhuytphcm"), listing_page="{url}?page={page}")
    html = ('<html><head><base href="https://thanhuytphcm.vn/tin-tuc/"></head><body><div class="news-list">'
            '<a href="bai-mot-1491870001">x</a><a href="javascript:void(0)">x</a><a href="/lien-he">x</a>'
            '<a href="bai-mot-1491870001?fbclid=1">x</a></div>'
            '<ul class="pagination"><a rel="next" href="javascript:next()">x</a></ul></body></html>')
    listing = read_listing(site, LISTING, html)
    assert [url for url, _ in listing.articles] == ["https://thanhuytphcm.vn/tin-tuc/bai-mot-1491870001",
                                                    "https://thanhuytphcm.vn/tin-tuc/bai-mot-1491870001?fbclid=1"]
    assert listing.unrequestable == 1 and listing.pager is None and listing.pager_unrequestable
    assert listing.next_page(site, LISTING, 1) == f"{LISTING}?page=2"  # no usable pager: the site's own pattern


def test_a_listing_of_no_article_has_no_next_page_but_its_pager() -> None:
    site = replace(get_site("thanhuytphcm"), listing_page="{url}?page={page}")
    assert read_listing(site, LISTING, "<html><body><p>nothing</p></body></html>").next_page(site, LISTING, 1) is None


class FakeFetcher:
    def __init__(self, pages: dict[str, str]):
        self.pages = pages

    def get(self, url: str) -> tuple[bytes, str | None]:
        if url not in self.pages:
            raise FetchError(f"{url}: HTTP 404")
        return self.pages[url].encode("utf-8"), "utf-8"

    def sitemaps(self, url: str) -> list[str]:
        return []


def test_check_site_reads_a_feed_listing_as_the_crawl_does() -> None:
    site = get_site("bacgiang")
    text = fixture_text("bacgiang", "listing", "rss.xml")
    expected = list(dict.fromkeys(site.canonical_url(url) for url, _ in read_listing(site, "x", text).articles))
    found = discover_site(site, FakeFetcher({site.start_urls[0]: text}))  # type: ignore[arg-type]
    assert expected and newest_articles(site, found) == expected
    assert found.sources[0].kind == "feed" and len(found.sources[0].articles) == len(expected)


def test_a_tuyengiao_section_of_2024_25_lists_its_clearfix_items_and_pages_by_query() -> None:
    """The 2024-25 layout's sections: items `div.clearfix` (the title in the second link, the photo in the first,
    one article), page N+1 at `<section>?page=N+1`; the 2020 section keeps its own pager."""
    site = get_site("tuyengiao")
    assert "https://tuyengiao.vn/hoc-va-lam-theo-bac" in site.start_urls
    url = "https://tuyengiao.vn/hoc-va-lam-theo-bac"
    listing = read_listing(site, url, fixture_text("tuyengiao", "listing", "hoc-va-lam-theo-bac.html"))
    assert [article_id for _, article_id in listing.articles] == ["200415", "200415"]
    assert listing.pager is None and listing.next_page(site, url, 1) == f"{url}?page=2"
    first = "https://tuyengiao.vn/thoi-su"
    old = read_listing(site, first, fixture_text("tuyengiao", "listing", "page-1.html"))
    assert old.articles and old.next_page(site, first, 1) == f"{first}?page=2"
