"""The qdnd.vn declaration held on real article bodies (tests/fixtures/qdnd/real/, January 2025, as a public crawler
saved them): each body is put in the page shell a reader gets (h1.post-title, p.logo-online lead, metadata) and the
record is checked against the fields read by hand (real/expected_fragments.json), never against the extractor's
own output: the title, the lead, the upper-case name after "Tin, ảnh:" / "Bài và ảnh:" / "Bài, ảnh:", the photos
with their captions, and a body without the closing "Mời bạn đọc" line or the byline."""

from __future__ import annotations

import html
import json
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from conftest import FIXTURES
from crawler.extract.dates import VN_TZ
from crawler.extract.listing import read_listing
from crawler.extract.page import extract_article
from crawler.sites import get_site, site_for_url

FOLDER = FIXTURES / "qdnd"
REAL = FOLDER / "real"
FRAGMENTS = sorted(REAL.glob("qdnd-body-*.html"))
FETCHED = datetime(2025, 1, 16, 22, 40, tzinfo=VN_TZ)
URL = "https://www.qdnd.vn/quoc-phong-an-ninh/tin-tuc/{slug}-810999"


@cache
def expected() -> dict[str, dict]:
    return json.loads((REAL / "expected_fragments.json").read_text(encoding="utf-8"))


def facts(fragment: Path) -> dict:
    return expected()[f"fragments/{fragment.name}"]


def shell(fragment: Path) -> str:
    """The page a reader gets around `fragment`: the header's title, the lead where the page has one, metadata."""
    fact = facts(fragment)
    title = html.escape(fact["title"])
    lead = fact["lead"]
    meta = f'<meta property="og:description" content="{html.escape(lead)}">' if lead else ""
    lead_p = f'<p class="logo-online">{html.escape(lead)}</p>' if lead else ""
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{title}">{meta}</head>'
            f'<body><header><a href="https://www.qdnd.vn/">Báo Quân đội nhân dân</a></header>'
            f'<article><header class="post-header"><h1 class="post-title">{title}</h1></header>{lead_p}'
            f'{fragment.read_text(encoding="utf-8")}</article>'
            f'<footer><p>Cơ quan của Quân ủy Trung ương và Bộ Quốc phòng</p></footer></body></html>')


@cache
def record(fragment: Path) -> dict:
    url = URL.format(slug=fragment.stem.removeprefix("qdnd-body-"))
    return extract_article(url, shell(fragment), get_site("qdnd"), fetched_at=FETCHED)


def test_every_real_body_has_its_hand_read_fields() -> None:
    assert len(FRAGMENTS) == 4
    assert {f"fragments/{f.name}" for f in FRAGMENTS} == set(expected())


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda f: f.stem)
def test_title_lead_and_byline(fragment: Path) -> None:
    got, fact = record(fragment), facts(fragment)
    assert got["title"] == fact["title"]
    assert got["lead"] == fact["lead"]
    assert got["byline"] == fact["byline"]
    assert got["extracted_with"]["byline"] == "site"


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda f: f.stem)
def test_photos_have_their_captions_and_no_credit(fragment: Path) -> None:
    images = record(fragment)["images"]
    assert [i["caption"] for i in images] == facts(fragment)["captions"]
    assert all(i["url"].startswith("https://file3.qdnd.vn/data/images/0/2025/01/") for i in images)
    assert all(i["credit"] is None for i in images)


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda f: f.stem)
def test_body_is_the_text_without_captions_byline_or_closing_line(fragment: Path) -> None:
    body, fact = record(fragment)["body"], facts(fragment)
    assert body.startswith(fact["body_first"])
    assert body.endswith(fact["body_last"].strip())
    assert "Mời" not in body and "xem các tin, bài liên quan" not in body
    assert fact["byline"] not in body
    assert not any(caption in body for caption in fact["captions"])
    html_body = record(fragment)["body_html"]
    assert "Mời" not in html_body and fact["byline"] not in html_body


def test_bold_subheads_are_body_text() -> None:
    paragraphs = record(REAL / "qdnd-body-tet-som-nha-gian.html")["body"].split("\n\n")
    assert paragraphs[0] == "Chở Tết ra nhà giàn"
    assert "Vững vàng nơi đầu sóng" in paragraphs
    assert paragraphs[1].startswith("Ngày cuối năm, gió lạnh tăng cường từ phư")


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda f: f.stem)
def test_the_fixture_page_holds_the_real_body_unchanged(fragment: Path) -> None:
    page = FOLDER / "pages" / f"{fragment.stem.removeprefix('qdnd-body-')}.html"
    assert fragment.read_text(encoding="utf-8") in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(("url", "article_id"), [
    ("https://www.qdnd.vn/quoc-phong-an-ninh/xay-dung-quan-doi/y-kien-tam-huyet-743632", "743632"),
    ("https://qdnd.vn/tu-lieu-ho-so/ngay-nay-nam-xua/mot-bai-682971?utm_source=x", "682971"),
    ("https://www.qdnd.vn/tag/quoc-phong-an-ninh-1588.html", None),
    ("https://www.qdnd.vn/quoc-phong-an-ninh/xay-dung-quan-doi", None),
    ("https://www.qdnd.vn/quoc-phong-an-ninh", None),
    ("https://www.qdnd.vn/rss/tin-moi-nhat.rss", None),
    ("https://www.qdnd.vn/", None),
])
def test_article_rule(url: str, article_id: str | None) -> None:
    site = get_site("qdnd")
    assert site.article_id(url) == article_id
    assert site_for_url(url) is site


def test_the_feed_lists_the_fixture_articles() -> None:
    site = get_site("qdnd")
    feed = FOLDER / "listing" / "rss-tin-moi-nhat-rss.xml"
    listing = read_listing(site, site.start_urls[0], feed.read_text(encoding="utf-8"))
    assert listing.feed
    golden_ids = {json.loads(p.read_text(encoding="utf-8"))["article_id"] for p in (FOLDER / "pages").glob("*.json")}
    assert {article_id for _, article_id in listing.articles} == golden_ids


@pytest.mark.parametrize(("line", "name"), [
    ("Tin, ảnh: VĂN CHIỂN", "VĂN CHIỂN"),
    ("Tin và ảnh: Minh Châu", "Minh Châu"),
    ("Bài, ảnh: VĂN ĐẢM", "VĂN ĐẢM"),
    ("Văn phòng Tỉnh ủy", None),  # "Văn" opens a name, "Văn phòng" an organisation
    ("Văn hóa - Xã hội", None),
])
def test_byline_rules_the_qdnd_bylines_need(line: str, name: str | None) -> None:
    from crawler.extract.heuristics import byline_name

    assert byline_name(line, declared=True) == name
