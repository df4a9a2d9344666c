"""URL identity: the spellings of one article's URL that links carry in the wild."""

from __future__ import annotations

import pytest

from crawler.sites import get_site, site_for_url
from crawler.extract.urls import UnrequestableUrl, canonicalize, link_target, requestable_url

SITE = get_site("thanhuytphcm")
CANONICAL = "https://thanhuytphcm.vn/tin-tuc/nha-van-nguyen-nhat-anh-ra-mat-tac-pham-moi-1491871594"


@pytest.mark.parametrize("url", [
    CANONICAL,
    "http://thanhuytphcm.vn/tin-tuc/nha-van-nguyen-nhat-anh-ra-mat-tac-pham-moi-1491871594",
    "https://www.thanhuytphcm.vn/tin-tuc/nha-van-nguyen-nhat-anh-ra-mat-tac-pham-moi-1491871594/",
    "https://www.hcmcpv.org.vn/tin-tuc/nha-van-nguyen-nhat-anh-ra-mat-tac-pham-moi-1491871594?fbclid=IwAR0",
    "https://hcmcpv.org.vn/tin-tuc/nha-van-nguyen-nhat-anh-ra-mat-tac-pham-moi-1491871594?utm_source=zalo#top",
])
def test_aliases_share_one_canonical_url_and_id(url: str) -> None:
    assert SITE.canonical_url(url) == CANONICAL
    assert SITE.article_id(url) == "1491871594"
    assert site_for_url(url) is SITE


@pytest.mark.parametrize(("url", "article_id"), [
    ("https://thanhuytphcm.vn/tin-tuc/-video-ve-di-tich-lich-su-dinh-quan-hoc-mon-1491911140", "1491911140"),
    ("https://thanhuytphcm.vn/tin-tap-chi/so-12-2021/bai-viet-1491880001", "1491880001"),
    ("https://stxdd.thanhuytphcm.vn/tu-lieu/van-kien/nghi-quyet-1491880002", "1491880002"),
    ("https://thanhuytphcm.vn/nhom-tin/covid-19-1425350928", None),
    ("https://thanhuytphcm.vn/tin-tuc/khong-co-so-123", None),
    ("https://example.com/tin-tuc/bai-1491871594", None),
])
def test_article_id_rule(url: str, article_id: str | None) -> None:
    assert SITE.article_id(url) == article_id


def test_canonicalize_keeps_meaningful_query_sorted() -> None:
    assert canonicalize("HTTPS://Example.COM/a/?b=2&a=1&gclid=x") == "https://example.com/a?a=1&b=2"


def test_an_undeclared_url_keeps_its_scheme_and_a_declared_site_its_own() -> None:
    assert canonicalize("HTTP://Www.Tinhuy.vn/tin/a/") == "http://tinhuy.vn/tin/a"
    assert canonicalize("https://tinhuy.vn/tin/a") == "https://tinhuy.vn/tin/a"
    assert canonicalize("http://tinhuy.vn/tin/a", scheme="https") == "https://tinhuy.vn/tin/a"
    assert canonicalize("http://tinhuy.vn:80/a") == "http://tinhuy.vn/a"
    assert canonicalize("http://tinhuy.vn:443/a") == "http://tinhuy.vn:443/a"
    assert canonicalize("http://tinhuy.vn:443/a", scheme="https") == "https://tinhuy.vn/a"
    assert SITE.canonical_url("HTTP://thanhuytphcm.vn/tin-tuc/bai-1491871594") == \
        "https://thanhuytphcm.vn/tin-tuc/bai-1491871594"


@pytest.mark.parametrize(("url", "requested"), [
    ("HTTP://Tinhuy.vn/Tin?a=1", "http://Tinhuy.vn/Tin?a=1"),
    ("https://tỉnhủy.vn/tin", "https://tỉnhủy.vn/tin"),
    ("http://[::1]:8080/", "http://[::1]:8080/"),
    ("http://127.0.0.1:1/", "http://127.0.0.1:1/"),
])
def test_requestable_urls_get_a_lower_case_scheme(url: str, requested: str) -> None:
    assert requestable_url(url) == requested


@pytest.mark.parametrize("url", ["javascript:void(0)", "mailto:a@tinhuy.vn", "ftp://tinhuy.vn/", "https://exa mple.vn/",
                                 "http://tinhuy.vn:99999/", "http://tinhuy.vn:0/", "http://user:pw@tinhuy.vn/",
                                 "http://[::1/", "http://[tinhuy]/", "http:///tin", "tin/a"])
def test_urls_that_cannot_be_requested_are_refused(url: str) -> None:
    with pytest.raises(UnrequestableUrl):
        requestable_url(url)


def test_a_link_is_joined_to_its_page_and_checked() -> None:
    assert link_target("http://tinhuy.vn/tin/", " a?b=1 ") == "http://tinhuy.vn/tin/a?b=1"
    assert link_target("http://tinhuy.vn/tin/", "HTTPS://tinhuy.vn/x") == "https://tinhuy.vn/x"
    for href in ("javascript:void(0)", "mailto:a@tinhuy.vn", "//tinhuy.vn:99999/x", "http://[::1/"):
        assert link_target("http://tinhuy.vn/tin/", href) is None


@pytest.mark.parametrize(("site_key", "urls", "key"), [
    ("tapchicongsan", [
        "https://tapchicongsan.org.vn/web/guest/chinh-tri-xay-dung-dang/-/2018/821457/mot-bai-viet.aspx",
        "https://www.tapchicongsan.org.vn/vi_VN/web/guest/chinh-tri-xay-dung-dang/-/2018/821457/mot-bai-viet.aspx",
        "https://tapchicongsan.org.vn/en_US/web/guest/chinh-tri-xay-dung-dang/-/2018/821457/mot-bai-viet.aspx",
        "https://tapchicongsan.org.vn/chinh-tri-xay-dung-dang/-/2018/821457/view_content",
    ], "821457"),
    ("dangcongsan", [
        "https://dangcongsan.vn/noidung/tintuc/Lists/Tinhoatdong/View_Detail.aspx?ItemID=4312",
        "https://www.dangcongsan.vn/noidung/tintuc/Lists/Tinhoatdong/View_Detail.aspx?ItemID=4312&Source=%2Fx",
    ], "Tinhoatdong:4312"),
    ("bacgiang", [
        "https://tinhuybacgiang.org.vn/news/xay-dung-dang/huyen-uy-yen-the-so-ket-12588.html",
        "https://www.tinhuybacgiang.org.vn/news/xay-dung-dang/huyen-uy-yen-the-so-ket-12588.html?fbclid=1",
        "https://dcs.bacgiang.gov.vn/news/xay-dung-dang/huyen-uy-yen-the-so-ket-12588.html",
    ], "news:12588"),
])
def test_each_family_folds_its_url_spellings_into_one_key(site_key: str, urls: list[str], key: str) -> None:
    site = get_site(site_key)
    assert {site.article_id(u) for u in urls} == {key}
    assert len({site.canonical_url(u) for u in urls}) == 1
    assert {site_for_url(u).key for u in urls} == {site_key}


def test_two_layouts_of_one_host_are_told_apart_by_their_article_rules() -> None:
    assert site_for_url("https://dangcongsan.vn/xay-dung-dang/mot-bai-viet-611402.html").key == "dangcongsan_2016"
    assert site_for_url("https://dangcongsan.vn/noidung/tintuc/Lists/XaydungDang/View_Detail.aspx?ItemID=1187").key \
        == "dangcongsan"
