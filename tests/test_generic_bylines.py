"""Bylines on pages of sites nobody declared (the generic layer): the names a page gives as its author, each apart,
without prefixes or role notes; never the outlet, an organisation or page furniture. The pages are written here,
small, in the shapes news pages of several languages use; the expected names are read from them by hand."""

from __future__ import annotations

import pytest

from crawler.extract.bylines import person_names
from crawler.extract.page import extract_article

BODY = "".join(f"<p>Paragraph {i} of the article, long enough to count as the text of the story itself here.</p>"
               for i in range(6))


def page(head: str = "", before_body: str = "", after_body: str = "", lang: str = "en") -> str:
    return (f"<html lang='{lang}'><head><meta charset='utf-8'><title>Headline of the story</title>{head}</head>"
            f"<body><article><h1>Headline of the story</h1>{before_body}<div class='article-body'>{BODY}"
            f"{after_body}</div></article></body></html>")


def byline(html: str, url: str = "https://news.example.org/2024/05/01/story.html") -> str | None:
    return extract_article(url, html.encode())["byline"]


def test_three_linked_names_stay_three_names() -> None:
    html = page(before_body="<div class='byline'><a href='/a/1'>Birgit Baumann</a><a href='/a/2'>Anna Giulia Fink"
                            "</a><a href='/a/3'>Jan Michael Marchart</a></div>")
    assert byline(html) == "Birgit Baumann, Anna Giulia Fink, Jan Michael Marchart"


def test_linked_names_with_spaces_between_stay_apart() -> None:
    html = page(before_body="<p class='article-author'>Von <a href='/a/1'>Birgit Baumann</a> <a href='/a/2'>Anna "
                            "Giulia Fink</a> <a href='/a/3'>Jan Michael Marchart</a></p>")
    assert byline(html) == "Birgit Baumann, Anna Giulia Fink, Jan Michael Marchart"


def test_json_ld_authors_are_separate_names_and_an_organisation_is_left_out() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Headline of the story", '
          '"author": [{"@type": "Person", "name": "Ana Swanson"}, {"@type": "Person", "name": "Alan Rappeport"}, '
          '{"@type": "Organization", "name": "The Daily Planet"}]}</script>')
    assert byline(page(head=ld)) == "Ana Swanson, Alan Rappeport"


def test_itemprop_author_names_are_read_one_by_one() -> None:
    html = page(before_body="<div class='meta'><span itemprop='author' itemscope><span itemprop='name'>Tess Bonn"
                            "</span></span> and <span itemprop='author' itemscope><span itemprop='name'>Justine "
                            "Coleman</span></span></div>")
    assert byline(html) == "Tess Bonn, Justine Coleman"


def test_a_comment_authors_name_is_not_the_byline() -> None:
    html = page(before_body="<span itemprop='author'>Carlos Nadalim</span>",
                after_body="<ol class='comment-list'><li itemtype='http://schema.org/Comment'><cite itemprop='author'>"
                           "Karol</cite></li></ol>")
    assert byline(html) == "Carlos Nadalim"


@pytest.mark.parametrize(("printed", "name"), [
    ("By Gopal Sharma", "Gopal Sharma"),
    ("Von Seb Dumitru, Lille", "Seb Dumitru"),
    ("Par Jean Dupont", "Jean Dupont"),
    ("Por Juan Pérez y Ana Gómez", "Juan Pérez, Ana Gómez"),
    ("Di Giovanni Rossi", "Giovanni Rossi"),
    ("Door Jan de Vries", "Jan de Vries"),
    ("Av Kari Nordmann", "Kari Nordmann"),
    ("Theo Minh Quân", "Minh Quân"),
    ("Bài và ảnh: Minh Quân", "Minh Quân"),
    ("Tin, ảnh: NGUYỄN VĂN AN", "NGUYỄN VĂN AN"),
    ("Текст: Венера Ерофеева", "Венера Ерофеева"),
    ("By STEVE PEOPLES, AP National Political Writer", "STEVE PEOPLES"),
    ("Ilana Muhlstein, MS, RDN", "Ilana Muhlstein"),
])
def test_prefixes_and_role_notes_are_stripped(printed: str, name: str) -> None:
    html = page(before_body=f"<div class='byline'>{printed}</div>")
    assert byline(html) == name


def test_name_particles_are_not_taken_for_prefixes() -> None:
    assert person_names(["Marcus De Guzman"]) == "Marcus De Guzman"
    assert person_names(["Di Maria"]) == "Di Maria"
    assert person_names(["Larry Page"]) == "Larry Page"


def test_a_by_prefix_in_the_author_metadata_is_stripped() -> None:
    assert byline(page(head="<meta name='author' content='By Jamelle Bouie'>")) == "Jamelle Bouie"


def test_the_outlets_own_name_is_refused_and_the_reporter_found() -> None:
    head = "<meta property='og:site_name' content='Morning Ledger'><meta name='author' content='Morning Ledger'>"
    html = page(head=head, before_body="<span class='author-name'>Megan Rowe</span>")
    assert byline(html, "https://www.morningledger.com/story/1") == "Megan Rowe"
    assert byline(page(head="<meta name='author' content='Morning Ledger'>"),
                  "https://www.morningledger.com/story/1") is None
    assert byline(page(before_body="<div class='byline'>Troy L. Smith, Cleveland.com</div>"),
                  "https://www.cleveland.com/x/1") == "Troy L. Smith"


@pytest.mark.parametrize("printed", ["CBS News", "Associated Press", "HNN Staff", "Staff Reports", "Von DPA"])
def test_an_organisation_is_never_a_byline(printed: str) -> None:
    assert byline(page(before_body=f"<div class='byline'>{printed}</div>")) is None


@pytest.mark.parametrize("printed", ["Sayfa Yükleniyor", "News &amp; Schlagzeilen", "Share", "Read more",
                                     "Updated 3 hours ago", "November 18, 2019 at 2:26 PM"])
def test_a_ui_string_or_a_date_is_never_a_byline(printed: str) -> None:
    assert byline(page(before_body=f"<div class='author'>{printed}</div>")) is None


def test_a_byline_bar_with_the_date_gives_the_name_inside_it() -> None:
    html = page(before_body="<div class='byline-section'><span class='author'>Lisa Kaczke and Trevor J. Mitchell"
                            "</span> Sioux Falls Argus Leader <span>Published 10:02 AM EST Nov 19, 2019</span></div>")
    assert byline(html) == "Lisa Kaczke, Trevor J. Mitchell"


VN_BODY = "".join(f"<p>Đoạn {i} của bài viết về công tác xây dựng Đảng ở địa phương trong năm nay.</p>"
                  for i in range(6))


def vn_page(signature: str) -> str:
    return ("<html lang='vi'><head><meta charset='utf-8'><title>Hội nghị Ban Chấp hành Đảng bộ tỉnh</title>"
            "</head><body><div class='content'><h1>Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 12</h1>"
            f"<div class='detail'>{VN_BODY}{signature}</div></div></body></html>")


@pytest.mark.parametrize("signature", [
    "<p style='text-align: right'><strong>Nguyễn Văn An</strong></p>",
    "<p align='right'><b>NGUYỄN VĂN AN</b></p>",
    "<div style='text-align:right'><strong>Nguyễn Văn An</strong></div>",
    "<p><strong>Nguyễn Văn An</strong></p><p>&nbsp;</p>",
    "<p style='text-align:right'><strong>Bài và ảnh: Nguyễn Văn An</strong></p>",
])
def test_a_signature_block_of_an_undeclared_state_press_page_is_its_byline(signature: str) -> None:
    record = extract_article("https://tinhuy.example.vn/tin-tuc/hoi-nghi-12.html", vn_page(signature).encode())
    assert record["byline"] is not None
    assert record["byline"].lower() == "nguyễn văn an"
    assert "Nguyễn Văn An".lower() not in (record["body"] or "").lower()


def test_a_vietnamese_last_paragraph_byline_is_kept_as_before() -> None:
    record = extract_article("https://tinhuy.example.vn/tin-tuc/hoi-nghi-12.html",
                             vn_page("<p>Minh Quân</p>").encode())
    assert record["byline"] == "Minh Quân"


def test_the_date_after_the_names_in_a_byline_line_is_not_a_name() -> None:
    html = page(before_body="<p class='byline'>By Mike Wuerthele and Malcolm Owen Monday, November 18, 2019, 04:05 pm"
                            " PT</p>")
    assert byline(html) == "Mike Wuerthele, Malcolm Owen"


def test_a_dateline_place_after_an_agency_is_not_a_name() -> None:
    assert byline(page(before_body="<div class='author'>PTI, Washington</div>")) is None


def test_a_page_wide_class_does_not_hide_the_author_link() -> None:
    """The body's classes describe the page ("one-sidebar", "mob-menu-slideout"); they do not make the author link
    part of a list of other articles."""
    html = page(before_body="<a rel='author' href='/author/fl'>FEDERICA LUSIARDI</a>").replace(
        "<body>", "<body class='single one-sidebar mob-menu-slideout'>")
    assert byline(html) == "FEDERICA LUSIARDI"


def test_a_last_paragraph_naming_the_outlet_is_not_the_byline() -> None:
    html = page(head="<meta property='og:site_name' content='Snopes.com'>",
                before_body="<div class='authors-wrapper'><a class='author' href='/a/de'>Dan Evon</a></div>",
                after_body="<p>Team Snopes</p>")
    assert byline(html, "https://www.snopes.com/fact-check/x/") == "Dan Evon"


def test_an_agency_and_its_dateline_place_in_author_elements_are_not_a_person() -> None:
    html = page(before_body="<div class='article-author relative-main'><a class='article-author__name' href='/a/r'>"
                            "Reuters, </a><span class='article-author__name'> Washington, </span><ul><li>Nov 20 2019,"
                            " 11:06am</li></ul></div>")
    assert byline(html) is None


def test_a_css_utility_class_relative_is_not_a_related_articles_box() -> None:
    html = page(before_body="<section class='outer relative'><h6 class='byline relative flex'><em>By </em>"
                            "<a href='/authors/ca/'><span class='byline__author'>Carrie Arnold</span></a></h6></section>")
    assert byline(html) == "Carrie Arnold"


@pytest.mark.parametrize("line, name", [
    ("Bài: T.Linh", "T.Linh"),  # an initial and a name, as Vietnamese bylines abbreviate, is not a host
    ("Q.Anh", "Q.Anh"),
    ("By Jane Doe Nov 13, 2019", "Jane Doe"),  # the date after the names, on a two-digit day too
    ("Emily Cypress", "Emily Cypress"),  # a name that ends in "press" letters is not an outlet
])
def test_names_that_look_like_hosts_dates_or_outlets_are_kept(line: str, name: str) -> None:
    assert person_names([line]) == name
