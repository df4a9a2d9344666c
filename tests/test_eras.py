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


def _fixture_eras(key: str) -> dict[str, set[int]]:
    """Page name -> the eras that gave its fields, for every golden page of the site `key`."""
    import json
    from pathlib import Path

    from crawler.sites import get_site
    folder = Path(__file__).parent / "fixtures" / key / "pages"
    out: dict[str, set[int]] = {}
    for golden in sorted(folder.glob("*.json")):
        url = json.loads(golden.read_text(encoding="utf-8"))["url"]
        page = ArticlePage(url, golden.with_suffix(".html").read_bytes(), get_site(key))
        page.to_record()
        out[golden.stem] = set(page.eras_used.values())
    return out


def test_tuyengiao_pages_of_each_era_are_read_by_that_era() -> None:
    eras = _fixture_eras("tuyengiao")
    assert eras.pop("xay-dung-va-nhan-rong-cac-mo-hinh-hoc-tap-va-lam-theo-bac-o-co-so-200415") == {0}
    assert eras and all(used == {1} for used in eras.values())


def test_tuyengiao_lead_credit_takes_every_variant_of_2020() -> None:
    """The variants of the real 2020 leads (data/tuyengiao-2020-11-cuongpianna.csv): "(TG) - ", "(TG)- ",
    "(TG) – ", "(TG) " and a bold "(TG)" (its text is the same)."""
    import re

    from crawler.extract.heuristics import strip_credit
    from crawler.sites import get_site
    credit = re.compile(get_site("tuyengiao").lead_credit or "", re.I)
    for lead in ("(TG) - Sáng 12/11, tại Hà Nội", "(TG)- Ngày 19/11, tại Hà Nội", "(TG) – Sáng 13/11, Đại hội",
                 "(TG) Kỷ niệm ngày Nhà giáo", "(TG)- Sáng ngày 20/11, Trường"):
        assert not strip_credit(lead, credit).startswith(("(", "-", "–")), lead
    assert strip_credit("(TG) Kỷ niệm ngày Nhà giáo", credit) == "Kỷ niệm ngày Nhà giáo"


def test_a_page_is_held_when_the_fields_of_one_era_came_from_the_site() -> None:
    from crawler.extract.drift import held_by_selectors
    old_page = {"extracted_with": {"title": "site", "published_at": "site", "body": "site"}}
    assert held_by_selectors(old_page, SITE)
    two = replace(SITE, selectors=Selectors(), eras=(Era(Selectors(title="h1", body="div.b")), Era(Selectors(date="p.d", body="div.c"))))
    assert held_by_selectors({"extracted_with": {"title": "site", "body": "site", "published_at": "heuristic"}}, two)
    assert held_by_selectors({"extracted_with": {"title": "metadata", "body": "site", "published_at": "site"}}, two)
    assert not held_by_selectors({"extracted_with": {"title": "metadata", "body": "site"}}, two)


def test_thanhuytphcm_2020_page_is_read_by_the_2020_era_and_the_others_by_the_invented_one() -> None:
    eras = _fixture_eras("thanhuytphcm")
    assert eras.pop("-phat-huy-vai-tro-to-dan-pho-trong-cong-tac-dan-van-o-quan-8-1491877362") == {0}
    assert eras and all(used == {1} for used in eras.values())


def test_dangcongsan_2019_page_is_read_by_the_2019_era() -> None:
    eras = _fixture_eras("dangcongsan_2016")
    assert eras.pop("thai-binh-nang-cao-chat-luong-dang-vien-moi-ket-nap-527318") == {1}
    assert eras and all(used == {0} for used in eras.values())


def test_dangcongsan_slug_may_hold_an_en_dash() -> None:
    from crawler.sites import get_site
    url = "https://dangcongsan.vn/anh/festival-my-thuat-tre-2017–tu-duy-sang-tao-goc-nhin-moi-462814.html"
    assert get_site("dangcongsan_2016").article_id(url) == "462814"


def test_nhandan_and_hanoimoi_pages_of_each_era_are_read_by_that_era() -> None:
    """The current layout's page by era 0, the old host's page (nhandan.com.vn, hanoimoi.com.vn) by an older one."""
    assert _fixture_eras("nhandan") == {"ha-noi-khoi-cong-cau-tu-lien-post871203": {0},
                                        "giu-gin-nghe-det-tho-cam-o-vung-cao-621540": {1}}
    assert _fixture_eras("hanoimoi") == {"ha-noi-trong-moi-cay-xanh-tren-cac-tuyen-pho-705112": {0},
                                         "ra-mat-cau-lac-bo-sach-cho-thieu-nhi-968412": {1}}


def test_an_old_host_link_is_keyed_apart_from_the_new_numbering() -> None:
    """nhandan.com.vn and hanoimoi.com.vn links fold to the new host, and their ids, another numbering than the
    new site's, carry their section so that they never meet a new article's id."""
    from crawler.sites import get_site

    nhandan, hanoimoi = get_site("nhandan"), get_site("hanoimoi")
    old = "https://www.nhandan.com.vn/doi-song-xa-hoi/bao-ve-te-te-truoc-bo-vuc-tuyet-chung-607379/"
    assert nhandan.canonical_url(old) == \
        "https://nhandan.vn/doi-song-xa-hoi/bao-ve-te-te-truoc-bo-vuc-tuyet-chung-607379"
    assert nhandan.article_id(old) == "doi-song-xa-hoi:607379"
    assert nhandan.article_id("https://nhandan.vn/trao-giai-cuoc-thi-khoi-nghiep-post916375.html") == "916375"
    assert nhandan.article_id("https://nhandan.vn/ocop/ca-phe-pha-phin-dehavi-valley-prod545.html") is None
    assert nhandan.article_id("https://nhandan.vn/rss/chinhtri-1185.rss") is None
    assert hanoimoi.article_id("http://www.hanoimoi.com.vn/tin-tuc/Khoa-hoc/967145/viet-nam-co-vai-tro") == \
        "tin-tuc:967145"
    assert hanoimoi.article_id("https://hanoimoi.vn/phat-trien-duong-sat-do-thi-ha-noi-703441.html") == "703441"
    assert hanoimoi.article_id("https://hanoimoi.vn/rss/home.rss") is None
