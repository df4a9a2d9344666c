"""Selector eras: a site's layouts, newest first, each tried per field before the metadata and generic layers."""

from __future__ import annotations

from dataclasses import replace

from crawler.extract.drift import byline_by_selector, watched_fields
from crawler.extract.page import ArticlePage
from crawler.sites.base import Era, Selectors, Site

NEW = Selectors(title="h1.story-headline", date="div.ml-lg-auto", body="div.story-body")
OLD = Selectors(title="span.story_headline", date="span.story_date", body="div.story_body", byline="p.author")
SITE = Site(key="eras", name="Eras", hosts=("example.vn",), start_urls=("https://example.vn/",),
            article_path=r"-(?P<id>\d+)$", eras=(Era(NEW, "2024-2025", "new"), Era(OLD, "2020", "old")))

BODY = "<p>" + "Đoạn văn bản đủ dài của bài báo để lớp chung coi là thân bài. " * 3 + "</p>"
OLD_PAGE = (f'<html><body><span class="story_headline">Tiêu đề kiểu cũ của bài</span>'
            f'<span class="story_date">5/11/2020</span><div class="story_body">{BODY}{BODY}'
            f'<p class="author">Nguyễn Văn A</p></div></body></html>')
NEW_PAGE = (f'<html><body><h1 class="story-headline">Tiêu đề kiểu mới của bài</h1>'
            f'<div class="ml-lg-auto">12/03/2024 08:15</div><div class="story-body">{BODY}{BODY}</div></body></html>')


def test_selectors_default_to_the_newest_era() -> None:
    assert SITE.selectors == NEW
    assert SITE.layouts == (NEW, OLD)
    plain = Site(key="p", name="P", hosts=("p.vn",), start_urls=(), article_path="x", selectors=OLD)
    assert plain.layouts == (OLD,)
    assert replace(SITE, selectors=OLD).layouts == (OLD, OLD)


def test_each_era_is_tried_in_order_and_counts_as_the_site() -> None:
    old = ArticlePage("https://example.vn/a-130656", OLD_PAGE, SITE)
    record = old.to_record()
    assert record["title"] == "Tiêu đề kiểu cũ của bài"
    assert record["published_at"].startswith("2020-11-05")
    assert record["byline"] == "Nguyễn Văn A"
    assert {record["extracted_with"][f] for f in ("title", "published_at", "body", "byline")} == {"site"}
    assert old.eras_used == {"title": 1, "date": 1, "body": 1, "byline": 1}
    new = ArticlePage("https://example.vn/b-130657", NEW_PAGE, SITE)
    new.to_record()
    assert new.eras_used["title"] == new.eras_used["date"] == new.eras_used["body"] == 0


def test_drift_watches_a_field_any_era_declares() -> None:
    only_old_byline = SITE
    assert watched_fields(only_old_byline) == ["title", "published_at", "body"]
    assert byline_by_selector({"byline": "X", "extracted_with": {"byline": "site"}}, only_old_byline) is True
