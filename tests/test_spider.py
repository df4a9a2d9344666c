"""The generic spider's callbacks, called directly on saved pages (no crawl)."""

from __future__ import annotations

import logging

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from conftest import FIXTURES
from crawler.sites import get_site
from crawler.crawl.spiderloader import SiteSpiderLoader

LISTING = "https://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416"


@pytest.fixture
def spider():
    cls = SiteSpiderLoader.from_settings(None).load("thanhuytphcm")  # type: ignore[arg-type]
    return cls.from_crawler(get_crawler(cls))


def html_response(url: str, body: bytes) -> HtmlResponse:
    return HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))


def test_listing_yields_canonical_article_requests_and_the_next_page(spider) -> None:
    page2 = (FIXTURES / "thanhuytphcm" / "listing" / "page-2.html").read_bytes()
    requests = list(spider.parse_listing(html_response(f"{LISTING}?page=2", page2), page=2))
    articles = [r for r in requests if r.callback == spider.parse_article]
    site = get_site("thanhuytphcm")
    # 15 articles of the invented layout and the page of the 2020 layout (its slug starts with "-")
    assert len(articles) == 16 and all(site.is_article(r.url) for r in articles)
    # the wild link (www.hcmcpv.org.vn, ?fbclid=) is requested under its canonical spelling
    assert all(r.url.startswith("https://thanhuytphcm.vn/tin-tuc/") and "fbclid" not in r.url for r in articles)
    assert [r for r in requests if r.callback == spider.parse_listing] == []  # page 2 is the last


def test_first_listing_page_follows_rel_next(spider) -> None:
    page1 = (FIXTURES / "thanhuytphcm" / "listing" / "page-1.html").read_bytes()
    requests = list(spider.parse_listing(html_response(LISTING, page1), page=1))
    (next_page,) = [r for r in requests if r.callback == spider.parse_listing]
    assert next_page.url == f"{LISTING}?page=2"
    assert next_page.cb_kwargs == {"page": 2, "first_url": LISTING, "known_run": 0}


def test_listing_stops_at_max_pages(spider) -> None:
    page1 = (FIXTURES / "thanhuytphcm" / "listing" / "page-1.html").read_bytes()
    requests = list(spider.parse_listing(html_response(LISTING, page1), page=spider.site.max_listing_pages))
    assert not [r for r in requests if r.callback == spider.parse_listing]


def test_a_page_the_extractor_cannot_parse_is_logged_and_skipped(spider, monkeypatch, caplog) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("crawler.crawl.spiders.site_spider.extract_article", broken)
    url = "https://thanhuytphcm.vn/tin-tuc/bai-viet-1491889235"
    with caplog.at_level(logging.ERROR):
        assert list(spider.parse_article(html_response(url, b"<html><h1>x</h1></html>"))) == []
    assert url in caplog.text
    assert spider.crawler.stats.get_value("newsarchive/extract_errors") == 1


def test_a_non_html_response_is_skipped(spider) -> None:
    url = "https://thanhuytphcm.vn/tin-tuc/bai-viet-1491889235"
    assert list(spider.parse_article(Response(url, body=b"%PDF-1.4", request=Request(url)))) == []
    assert spider.crawler.stats.get_value("newsarchive/dropped/not html") == 1


def test_an_rss_listing_gives_its_items_and_is_never_paginated() -> None:
    cls = SiteSpiderLoader.from_settings(None).load("bacgiang")  # type: ignore[arg-type]
    spider = cls.from_crawler(get_crawler(cls))
    feed = (FIXTURES / "bacgiang" / "listing" / "rss.xml").read_bytes()
    url = "https://tinhuybacgiang.org.vn/news/rss/"
    response = HtmlResponse(url, body=feed, encoding="utf-8", request=Request(url))
    requests = list(spider.parse_listing(response, page=1))
    assert requests and all(r.callback == spider.parse_article for r in requests)
    assert all(spider.site.is_article(r.url) for r in requests)


def test_no_callback_of_our_spiders_is_a_generator_that_returns_a_value() -> None:
    """The check Scrapy makes per response (turned off in crawler/settings.py for its cost), made once here: a value
    returned from a generator callback would be dropped silently."""
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value

    from crawler.crawl.spiders.generic_spider import GenericSpider
    from crawler.crawl.spiders.site_spider import SiteSpider
    from crawler.fleet.worker import WorkerSpider

    callbacks = [f for cls in (GenericSpider, SiteSpider, WorkerSpider) for name, f in inspect.getmembers(cls)
                 if inspect.isfunction(f) and (name.startswith("parse") or name.startswith("on_"))]
    assert {f.__name__ for f in callbacks} >= {"parse", "parse_listing", "parse_article", "on_error"}
    generators = [f for f in callbacks if inspect.isgeneratorfunction(f)]
    assert generators  # the check reads these
    assert [f.__qualname__ for f in generators if is_generator_with_return_value(f)] == []


def test_a_crawl_opens_no_remote_code_execution_server() -> None:
    """Scrapy's RemoteControl (an HTTP server that runs Python code sent to it) stays off in our crawls."""
    from scrapy.extensions.remote_control import RemoteControl

    import crawler.settings

    ours = {name: getattr(crawler.settings, name) for name in dir(crawler.settings) if name.isupper()}
    cls = SiteSpiderLoader.from_settings(None).load("thanhuytphcm")  # type: ignore[arg-type]
    crawler_ = get_crawler(cls, settings_dict=ours)
    crawler_._apply_settings()
    enabled = [type(e) for e in crawler_.extensions.middlewares]
    assert RemoteControl not in enabled and enabled  # other extensions load; this one does not


def test_listing_links_that_cannot_be_requested_are_skipped_and_counted(spider) -> None:
    wild = ('<div class="news-list"><a href="javascript:void(0)">x</a><a href="mailto:a@thanhuytphcm.vn">x</a>'
            '<a href="https://thanhuytphcm.vn:99999/tin-tuc/bai-1491870001">x</a>'
            '<a href="HTTPS://thanhuytphcm.vn/tin-tuc/bai-hoa-1491870002">x</a></div>'
            '<ul class="pagination"><a rel="next" href="mailto:a@thanhuytphcm.vn">x</a></ul>')
    response = html_response(LISTING, f"<html><body>{wild}</body></html>".encode())
    requests = list(spider.parse_listing(response, page=1))
    articles = [r.url for r in requests if r.callback == spider.parse_article]
    assert articles == ["https://thanhuytphcm.vn/tin-tuc/bai-hoa-1491870002"]
    assert spider.crawler.stats.get_value("newsarchive/unrequestable_urls") == 4  # three links and the pager
