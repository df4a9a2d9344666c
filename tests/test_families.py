"""CMS families recognised on any host: a page of a host nobody declared that carries a family's markup is read
with the family's selectors, and `extracted_with` says `family:<cms>` for what they gave."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, archived_rows, db_rows, golden_pages, load_golden, write_warc
from crawler.extract.page import extract_article
from crawler.sites import all_sites, site_of_page
from crawler.sites.families import FAMILIES, detect_family, detected_site

FAMILY_NAMES = {family.name for family in FAMILIES}
#: Families no declared site runs: each has its own reconstructed page in tests/fixtures/families/ instead.
UNDECLARED_FAMILIES = {"wordpress", "afcbc"}
FAMILY_FIXTURES = ROOT / "tests" / "fixtures" / "families"
FAMILY_OF = {family.name: family for family in FAMILIES}
#: Every golden page of a declared site that runs a CMS family, in that family's markup (a site's older layouts,
#: such as dangcongsan's 2019 page, may not carry it).
FAMILY_PAGES = [p for p in golden_pages() if all_sites()[load_golden(p)["site"]].cms in FAMILY_NAMES
                and FAMILY_OF[all_sites()[load_golden(p)["site"]].cms].marks_page(
                    p.with_suffix(".html").read_text(encoding="utf-8"))]


def rehosted(text: str, site_key: str) -> str:
    """`text` with every host of the declared site replaced by a host nobody declared."""
    for host in sorted(all_sites()[site_key].hosts, key=len, reverse=True):
        text = text.replace(host, f"{site_key}-portal.example.vn")
    return text


def test_every_family_has_a_declared_page_to_be_recognised_by() -> None:
    assert {all_sites()[load_golden(p)["site"]].cms for p in FAMILY_PAGES} == FAMILY_NAMES - UNDECLARED_FAMILIES


@pytest.mark.parametrize("golden_path", FAMILY_PAGES, ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_a_family_page_on_an_undeclared_host_reads_as_on_the_declared_one(golden_path: Path) -> None:
    golden = load_golden(golden_path)
    site = all_sites()[golden["site"]]
    html = rehosted(golden_path.with_suffix(".html").read_text(encoding="utf-8"), site.key)
    url = rehosted(golden["url"], site.key)

    detected = site_of_page(url, html)
    assert detected is not None and detected.detected and detected.cms == site.cms
    record = extract_article(url, html, detected)
    by_selectors = [f for f, layer in golden["extracted_with"].items() if layer == "site"]
    assert by_selectors, "the golden names no field its site's selectors give"
    for field in by_selectors:
        if field == "lead" and site.lead_credit:
            continue  # the outlet credit that opens the lead is the declared site's own
        assert record["extracted_with"][field] == f"family:{site.cms}", field
        assert record[field] == json.loads(rehosted(json.dumps(golden[field], ensure_ascii=False), site.key)), field


def test_a_page_without_a_familys_markup_is_left_to_the_generic_layer() -> None:
    page = ("<html><head><title>Tin</title></head><body><article><h1>Hệ thống NukeViet, Liferay và DotNetNuke"
            "</h1><p>Bài viết nói về SharePoint và /_layouts/ nhưng chỉ trong văn bản.</p>"
            "<p>WordPress, /wp-content/themes/, zce-content-body, afcbc-body cũng vậy.</p></article></body></html>")
    assert detect_family(page) is None
    assert detected_site("https://example.vn/tin/1.html", page) is None


def test_a_declared_site_wins_over_its_familys_fingerprint() -> None:
    path = next(p for p in FAMILY_PAGES if load_golden(p)["site"] == "bacgiang")
    site = site_of_page(load_golden(path)["url"], path.with_suffix(".html").read_bytes())
    assert site is not None and site.key == "bacgiang" and not site.detected


def test_an_undeclared_nukeviet_portal_replayed_from_a_warc_gives_byline_captions_and_a_clean_body(
        tmp_path: Path) -> None:
    """`crawl --start-url` of a NukeViet portal nobody declared: its articles come out as a declared portal's."""
    path = next(p for p in FAMILY_PAGES if all_sites()[load_golden(p)["site"]].cms == "nukeviet")
    golden = load_golden(path)
    key = golden["site"]
    url = rehosted(golden["url"], key)
    home = f"https://{key}-portal.example.vn/"
    article = rehosted(path.with_suffix(".html").read_text(encoding="utf-8"), key).encode()
    warc = tmp_path / "portal.warc.gz"
    write_warc(warc, {home: f'<html><body><a href="{url}">bài</a></body></html>'.encode(), url: article})
    db = tmp_path / "a.db"
    result = subprocess.run([sys.executable, "-m", "crawler", "crawl", "--start-url", home, "--replay", str(warc),
                             "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    (byline, body, extracted_with), = archived_rows(db, "byline, body, extracted_with")
    assert byline == golden["byline"] and body == golden["body"]
    assert "Những tin mới hơn" not in body and "Những tin cũ hơn" not in body  # NukeViet's "other news" panels
    captions = [caption for (caption,) in db_rows(db, "SELECT caption FROM images ORDER BY position")]
    assert captions == [image["caption"] for image in golden["images"]]
    layers = json.loads(extracted_with)
    assert layers["byline"] == layers["body"] == "family:nukeviet", layers


def test_extract_reads_a_saved_page_of_an_undeclared_host_with_its_family(tmp_path: Path) -> None:
    path = next(p for p in FAMILY_PAGES if all_sites()[load_golden(p)["site"]].cms == "dnn-newsview")
    golden = load_golden(path)
    page = tmp_path / "page.html"
    page.write_text(rehosted(path.with_suffix(".html").read_text(encoding="utf-8"), golden["site"]), encoding="utf-8")
    url = rehosted(golden["url"], golden["site"])
    result = subprocess.run([sys.executable, "-m", "crawler", "extract", "--url", url, str(page)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == golden["title"] and record["extracted_with"]["title"] == "family:dnn-newsview"


WORDPRESS_URL = "https://dvhuyen.example.vn/2025/02/18/hoi-nghi-trien-khai-nhiem-vu-cong-tac-dan-van-nam-2025/"


def test_an_undeclared_wordpress_post_gets_the_familys_fields() -> None:
    """Expected values read by hand from tests/fixtures/families/wordpress-post.html."""
    html = (FAMILY_FIXTURES / "wordpress-post.html").read_text(encoding="utf-8")
    site = site_of_page(WORDPRESS_URL, html)
    assert site is not None and site.detected and site.cms == "wordpress"
    record = extract_article(WORDPRESS_URL, html, site)
    assert record["title"] == "Hội nghị triển khai nhiệm vụ công tác dân vận năm 2025"
    assert record["published_at"] == "2025-02-18T00:00:00+07:00"  # "18/02/2025": the day only
    assert record["byline"] == "Hoàng Yến"
    assert record["category"] == "Tin hoạt động" and record["tags"] == ["Dân vận khéo"]
    assert record["body"].startswith("Sáng 18/2, Ban Dân vận Huyện ủy tổ chức hội nghị")
    assert record["body"].endswith("nhân rộng các điển hình tiêu biểu.")
    assert "Chia sẻ" not in record["body"] and "Có liên quan" not in record["body"]  # Jetpack's boxes
    assert [image["caption"] for image in record["images"]] == ["Quang cảnh hội nghị."]
    layers = record["extracted_with"]
    assert {layers[f] for f in ("title", "published_at", "byline", "body", "category", "tags")} == \
        {"family:wordpress"}, layers


@pytest.mark.parametrize(("path", "key"), [
    ("/?p=1287", "1287"),
    ("/?lang=vi&p=1287", "1287"),
    ("/2025/02/18/hoi-nghi-trien-khai-nhiem-vu-cong-tac-dan-van-nam-2025/",
     "hoi-nghi-trien-khai-nhiem-vu-cong-tac-dan-van-nam-2025"),
    ("/2025/02/hoi-nghi-dan-van/", "hoi-nghi-dan-van"),
    ("/hoi-nghi-dan-van/", "hoi-nghi-dan-van"),
    ("/category/tin-hoat-dong/", None),
    ("/category/tin-hoat-dong/page/2/", None),
    ("/tag/dan-van-kheo/", None),
    ("/author/hoangyen/", None),
    ("/feed/", None),
    ("/wp-login.php", None),
    ("/2025/02/", None),
    ("/", None),
    ("/?s=dan-van", None),
])
def test_the_wordpress_url_rule_keys_posts_and_skips_archives(path: str, key: str | None) -> None:
    html = (FAMILY_FIXTURES / "wordpress-post.html").read_text(encoding="utf-8")
    site = detected_site(WORDPRESS_URL, html)
    assert site is not None
    assert site.article_id("https://dvhuyen.example.vn" + path) == key


def test_an_image_hotlinked_from_a_wordpress_site_is_not_a_wordpress_mark() -> None:
    page = ('<html><head><meta property="og:image" content="https://nhiepanhhanoi.org.vn/wp-content/uploads/2020/11/'
            '6-640x455.jpg"></head><body><article><h1>Tin</h1><img src="https://nhiepanhhanoi.org.vn/wp-content/uploads'
            '/2020/11/6.jpg"></article></body></html>')
    assert detect_family(page) is None


def test_a_declared_site_of_unknown_cms_reads_a_page_with_the_family_it_shows() -> None:
    """The Hanoi portal's declaration knows no CMS and declares no selector: a page of it in NukeViet markup gets the
    family's fields (recorded as the family's), under the declared site's key."""
    from crawler.sites import get_site

    path = next(p for p in FAMILY_PAGES if all_sites()[load_golden(p)["site"]].cms == "nukeviet")
    golden = load_golden(path)
    source = all_sites()[golden["site"]]
    html = path.with_suffix(".html").read_text(encoding="utf-8")
    for host in sorted(source.hosts, key=len, reverse=True):
        html = html.replace(host, "hanoi.dcs.vn")
    url = golden["url"].replace(source.hosts[0], "hanoi.dcs.vn")
    record = extract_article(url, html, get_site("hanoi"))
    assert record["site"] == "hanoi"
    assert record["byline"] == golden["byline"] and record["extracted_with"]["byline"] == "family:nukeviet"
    assert record["body"] == golden["body"] and record["extracted_with"]["body"] == "family:nukeviet"
    # its dates are still a declared site's: read in the declaration's zone
    assert record["published_at"] == golden["published_at"] and record["published_zone"] == "Asia/Ho_Chi_Minh"
    plain = extract_article(*_hanoi_fixture_page(), get_site("hanoi"))
    assert "family:" not in json.dumps(plain["extracted_with"])  # a page that shows no family: the fallbacks


def _hanoi_fixture_page() -> tuple[str, str]:
    path = ROOT / "tests" / "fixtures" / "hanoi" / "pages" / "thanh-uy-ha-noi-so-ket-cong-tac-xay-dung-dang-quy-i-24817"
    return load_golden(path.with_suffix(".json"))["url"], path.with_suffix(".html").read_text(encoding="utf-8")


def test_an_undeclared_afcbc_article_gets_the_familys_fields() -> None:
    """baochinhphu.vn, undeclared: its platform's markup gives the fields (values read by hand from the page)."""
    url = "https://baochinhphu.vn/chinh-phu-ban-hanh-ke-hoach-chuyen-doi-so-quoc-gia-nam-2025-102250305091522418.htm"
    html = (FAMILY_FIXTURES / "afcbc-article.html").read_text(encoding="utf-8")
    site = site_of_page(url, html)
    assert site is not None and site.detected and site.cms == "afcbc"
    assert site.article_id(url) == "102250305091522418"
    assert site.article_id("https://baochinhphu.vn/chinh-sach-moi.htm") is None
    record = extract_article(url, html, site)
    assert record["title"] == "Chính phủ ban hành kế hoạch chuyển đổi số quốc gia năm 2025"
    assert record["published_at"] == "2025-03-05T09:15:00+07:00"
    assert record["lead"].startswith("Kế hoạch đặt mục tiêu 80% dịch vụ công trực tuyến")
    assert record["body"].startswith("Theo kế hoạch, các bộ, ngành và địa phương")
    assert record["body"].endswith("báo cáo Thủ tướng Chính phủ.")
    assert "Thủ tướng chủ trì hội nghị" not in record["body"]  # the related-article box inside the text
    assert [image["caption"] for image in record["images"]] == \
        ["Người dân thực hiện thủ tục hành chính trên Cổng Dịch vụ công quốc gia."]
    layers = record["extracted_with"]
    assert {layers[f] for f in ("title", "published_at", "lead", "body")} == {"family:afcbc"}, layers


def test_a_liferay_6_provincial_portal_is_recognised_by_its_theme_css_link() -> None:
    """The head of a Liferay 6 portal (as a saved page of a *.gov.vn department shows it): the theme's CSS link."""
    head = ('<html><head><title>Tin tức - Sở Thông tin và Truyền thông</title>'
            '<link class="lfr-css-file" href="https://so.example.gov.vn/so-theme/css/aui.css?browserId=other&amp;'
            'themeId=so_WAR_sotheme" rel="stylesheet" type="text/css" /></head><body></body></html>')
    family = detect_family(head)
    assert family is not None and family.name == "liferay"


def test_crawl_start_url_of_an_undeclared_wordpress_site_archives_its_post_with_the_family(tmp_path: Path) -> None:
    """`crawl --start-url` of a WordPress site nobody declared, replayed from a WARC: the home page's link to the
    post is kept by the family's URL rule, and the post's fields come from the family's selectors."""
    home = "https://dvhuyen.example.vn/"
    post = (FAMILY_FIXTURES / "wordpress-post.html").read_bytes()
    archive = (b'<html><body><a href="/category/tin-hoat-dong/">Tin hoat dong</a>'
               b'<a href="' + WORDPRESS_URL.encode() + b'">Hoi nghi</a></body></html>')
    warc = tmp_path / "wp.warc.gz"
    # The crawl asks for the canonical URL, which drops WordPress's closing slash (the live site answers it with a
    # redirect to the slashed permalink): the WARC holds the post there.
    write_warc(warc, {home: archive, WORDPRESS_URL.rstrip("/"): post}, date="Wed, 19 Feb 2025 03:00:00 GMT")
    db = tmp_path / "a.db"
    result = subprocess.run([sys.executable, "-m", "crawler", "crawl", "--start-url", home, "--replay", str(warc),
                             "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    (title, byline, published_at, extracted_with), = archived_rows(db, "title, byline, published_at, extracted_with")
    assert title == "Hội nghị triển khai nhiệm vụ công tác dân vận năm 2025" and byline == "Hoàng Yến"
    assert published_at == "2025-02-18T00:00:00+07:00"
    layers = json.loads(extracted_with)
    assert layers["title"] == layers["byline"] == layers["body"] == "family:wordpress", layers
