"""Which date on a page is the publication date: never the header's "today" line, never a related-list date."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from conftest import FIXTURES, load_golden
from crawler.extract.dates import VN_TZ
from crawler.extract.page import extract_article
from crawler.sites import get_site

FETCHED = datetime(2022, 5, 22, 10, 0, tzinfo=VN_TZ)
PAGES = FIXTURES / "thanhuytphcm" / "pages"


def page(stem: str) -> tuple[dict, str]:
    golden = load_golden(PAGES / f"{stem}.json")
    return golden, (PAGES / f"{stem}.html").read_text(encoding="utf-8")


SEED = "tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235"
WITH_RELATED = "quan-uy-quan-4-trao-huy-hieu-dang-cho-68-dang-vien-lao-thanh-1491889818"


@pytest.mark.parametrize("declared", [True, False], ids=["site layer", "generic layer"])
def test_header_today_line_is_not_the_publication_date(declared: bool) -> None:
    golden, html = page(SEED)
    assert "Chủ Nhật, ngày 22 tháng 5 năm 2022" in html  # the trap is there
    record = extract_article(golden["url"], html, get_site("thanhuytphcm") if declared else None, FETCHED)
    assert record["published_at"] == "2022-01-12T00:00:00+07:00"
    assert record["published_text"] == "Chiều 12/1"


@pytest.mark.parametrize("declared", [True, False], ids=["site layer", "generic layer"])
def test_related_list_dates_are_not_taken(declared: bool) -> None:
    golden, html = page(WITH_RELATED)
    related = re.findall(r'<span class="date">\((\d\d/\d\d/\d{4})\)</span>', html)
    assert len(related) == 3  # other articles' dates sit in the "Tin khác" list
    record = extract_article(golden["url"], html, get_site("thanhuytphcm") if declared else None, FETCHED)
    assert record["published_at"] == golden["published_at"]
    assert record["published_at"][:10] not in {"-".join(reversed(d.split("/"))) for d in related}


def test_dateline_year_comes_from_the_photo_path_when_the_page_is_viewed_years_later() -> None:
    golden, html = page(SEED)
    viewed_later = html.replace("ngày 22 tháng 5 năm 2022", "ngày 3 tháng 3 năm 2025")
    record = extract_article(golden["url"], viewed_later, get_site("thanhuytphcm"),
                             datetime(2025, 3, 3, tzinfo=VN_TZ))
    assert record["published_at"] == "2022-01-12T00:00:00+07:00"


def test_dateline_without_context_is_the_most_recent_such_day_before_the_fetch() -> None:
    html = ("<html><body><h1>Hội nghị tổng kết công tác năm</h1><div class='content'>"
            "<p><strong>(ĐCSVN) - Chiều 28/12, Ban Tuyên giáo tổ chức hội nghị tổng kết công tác năm.</strong></p>"
            "<p>Nội dung hội nghị tập trung vào các nhiệm vụ trọng tâm, giải pháp đột phá của năm tới.</p>"
            "<p>Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết, thiết thực cho văn kiện.</p>"
            "</div></body></html>")
    record = extract_article("https://example.vn/a-1.html", html, None, datetime(2023, 1, 3, tzinfo=VN_TZ))
    assert record["published_at"] == "2022-12-28T00:00:00+07:00"
    assert record["lead"].startswith("Chiều 28/12,")


def test_metadata_date_wins_over_the_dateline_and_malformed_nukeviet_values_are_read() -> None:
    golden, html = page(SEED)
    with_meta = html.replace("</head>", '<meta property="article:published_time" content="2022-01-12+0718:35:00">'
                                        '<meta property="article:modified_time" content="2022-01-13T08:00:00Z">'
                                        "</head>")
    record = extract_article(golden["url"], with_meta, get_site("thanhuytphcm"), FETCHED)
    assert record["published_at"] == "2022-01-12T18:35:00+07:00"
    assert record["published_precision"] == "second"
    assert record["extracted_with"]["published_at"] == "metadata"
    assert record["updated_at"] == "2022-01-13T15:00:00+07:00"


def test_a_site_date_node_wins_over_metadata(tmp_path: Path) -> None:
    from dataclasses import replace

    site = get_site("thanhuytphcm")
    site = replace(site, selectors=replace(site.selectors, date="div.news-date"))
    golden, html = page(SEED)
    html = html.replace('<div class="news-tools">', '<div class="news-date">Thứ Tư, 12/01/2022 18:40</div>'
                                                    '<div class="news-tools">')
    html = html.replace("</head>", '<meta property="article:published_time" content="2022-01-12T18:00:00+07:00">'
                                   "</head>")
    record = extract_article(golden["url"], html, site, FETCHED)
    assert record["published_at"] == "2022-01-12T18:40:00+07:00"
    assert record["extracted_with"]["published_at"] == "site"
    assert record["published_text"] == "Thứ Tư, 12/01/2022 18:40"
