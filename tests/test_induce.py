"""The pure parts of add-site: the article URL rule inferred from sampled URLs (crawler.live.urlrule), and the
selectors induced from where the generic layer found each field (crawler.live.induce). URLs and pages written
here, each in the shape of a real site's (named), not copied from one."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from crawler.live.induce import candidates, tokens
from crawler.live.urlrule import infer_rule, looks_like_article

HOME = "https://tinhuy.example.vn/"
SECTIONS = [HOME, HOME + "tin-tuc", HOME + "tin-tuc/hoat-dong", HOME + "gioi-thieu/lich-su-dang-bo"]


def test_a_trailing_number_is_the_id_and_sections_are_rejected() -> None:
    articles = [HOME + "tin-tuc/hoi-nghi-ban-chap-hanh-lan-thu-12-1491889235",
                HOME + "xay-dung-dang/kiem-tra-giam-sat-nam-2025-1491900001"]
    rule = infer_rule(articles, SECTIONS)
    assert rule is not None and rule.kind == "trailing number"
    assert [rule.article_id(u) for u in articles] == ["1491889235", "1491900001"]
    assert not any(rule.article_id(u) for u in SECTIONS)
    assert rule.article_id(HOME + "tin-tuc/bai-moi-1491912345") == "1491912345"  # an article not sampled
    assert rule.article_id(articles[0] + "?ref=rss") == "1491889235"  # as a feed may link it


def test_a_numeric_query_parameter_is_the_id() -> None:
    # The shape of a DNN or ASP.NET portal: one page for every article, told apart by ?ItemID=
    articles = [HOME + "Pages/tin-tuc.aspx?ItemID=10234&Source=x", HOME + "Pages/tin-tuc.aspx?ItemID=10240"]
    rule = infer_rule(articles, [*SECTIONS, HOME + "Pages/tin-tuc.aspx"])
    assert rule is not None and rule.kind == "query parameter"
    assert [rule.article_id(u) for u in articles] == ["10234", "10240"]


def test_a_slug_without_a_number_is_the_id_when_long_enough() -> None:
    articles = [HOME + "chinh-tri/dai-hoi-dang-bo-tinh-lan-thu-xv.html",
                HOME + "xa-hoi/ra-quan-ho-tro-nguoi-dan-vung-lu.html"]
    rule = infer_rule(articles, SECTIONS)
    assert rule is not None and rule.kind == "slug"
    assert rule.article_id(articles[0]) == "dai-hoi-dang-bo-tinh-lan-thu-xv"
    assert not rule.article_id(HOME + "chinh-tri")


def test_a_dated_path_is_the_id() -> None:
    articles = [HOME + "2025/03/07/thoi-su/tin-moi/index.html", HOME + "2025/03/08/kinh-te/gia-lua.html"]
    rule = infer_rule(articles, SECTIONS)
    assert rule is not None and rule.kind == "dated path"
    assert rule.article_id(articles[1]) == "2025/03/08/kinh-te/gia-lua.html"


def test_no_rule_when_every_candidate_accepts_a_section() -> None:
    # The articles' slugs are as short as the section paths: no rule tells them apart.
    articles = [HOME + "tin-tuc", HOME + "su-kien"]
    assert infer_rule(articles, [HOME + "gioi-thieu", HOME + "lien-he"]) is None


def test_what_looks_like_an_article_before_the_rule_is_known() -> None:
    assert looks_like_article(HOME + "tin-tuc/bai-viet-1491889235")
    assert looks_like_article(HOME + "chinh-tri/dai-hoi-dang-bo-tinh-lan-thu-xv.html")
    assert looks_like_article(HOME + "Pages/tin-tuc.aspx?ItemID=10234")
    assert not looks_like_article(HOME + "tin-tuc")
    assert not looks_like_article(HOME + "uploads/2025/anh-hoi-nghi-tinh-uy-1234.jpg")
    assert not looks_like_article(HOME)


def test_selectors_name_stable_classes_and_ids_only() -> None:
    page = lxml_html.fromstring('<html><body><div class="detail-page css-1baulvz">'
                                '<h1 id="title-12345" class="tieu-de eOxqaL" itemprop="headline">T</h1></div>'
                                '</body></html>')
    h1 = page.find(".//h1")
    assert tokens(h1) == ["h1", ".tieu-de", "h1.tieu-de", 'h1[itemprop="headline"]']
    found = candidates(h1)
    assert ".detail-page > .tieu-de" in found
    assert not any(re.search(r"1baulvz|eOxqaL|12345", css) for css in found)
    assert found == sorted(found, key=len)
