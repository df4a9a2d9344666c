"""The generic layer's body on pages of undeclared sites, written here (reconstructions of common layouts, not
copies of any site's pages): a gallery keeps its captions and the paragraphs after it, a caption or another
story's teaser is never the body nor the lead, and trafilatura reads the page object's own tree (one parse)."""

from __future__ import annotations

from lxml import etree

from crawler.extract import generic_body
from crawler.extract.page import ArticlePage, extract_article

URL = "https://baotinh.example.vn/chinh-tri/tong-ket-cong-tac-xay-dung-dang-2025-123.html"
TITLE = "Tỉnh ủy tổng kết công tác xây dựng Đảng năm 2025"

FIRST = ("Sáng 20/12, Ban Thường vụ Tỉnh ủy tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2025 và triển khai "
         "nhiệm vụ năm 2026, với sự tham dự của các đồng chí trong Ban Chấp hành Đảng bộ tỉnh.")
SECOND = ("Năm 2025, công tác xây dựng Đảng về chính trị, tư tưởng, đạo đức được các cấp ủy quan tâm lãnh đạo, chỉ đạo "
          "thực hiện đồng bộ, toàn diện, đạt nhiều kết quả quan trọng trên các lĩnh vực.")
THIRD = ("Công tác tổ chức, cán bộ được thực hiện chặt chẽ, đúng quy trình; việc sắp xếp tổ chức bộ máy của hệ thống "
         "chính trị theo hướng tinh gọn, hoạt động hiệu lực, hiệu quả được triển khai quyết liệt.")
AFTER_GALLERY = ("Phát biểu kết luận hội nghị, đồng chí Bí thư Tỉnh ủy đề nghị các cấp ủy tiếp tục đổi mới phương thức "
                 "lãnh đạo, nâng cao năng lực cầm quyền và sức chiến đấu của tổ chức đảng.")
LAST = ("Năm 2026, toàn Đảng bộ tỉnh phấn đấu kết nạp ít nhất 2.500 đảng viên mới, trên 90% tổ chức cơ sở đảng hoàn "
        "thành tốt nhiệm vụ trở lên.")
CAPTIONS = [
    "Quang cảnh hội nghị tổng kết công tác xây dựng Đảng năm 2025 tại hội trường Tỉnh ủy.",
    "Đồng chí Bí thư Tỉnh ủy phát biểu chỉ đạo tại hội nghị.",
    "Các đại biểu biểu quyết thông qua nghị quyết của hội nghị.",
    "Khen thưởng các tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ năm 2025.",
]


def page(article: str, before: str = "", lang: str = "vi") -> bytes:
    """An article page of an undeclared site: menu, headline, date, `before` (between the headline and the
    article), the article, a related-news box, a sidebar and a footer."""
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{TITLE} | Báo tỉnh</title>
<meta property="og:title" content="{TITLE}"><meta property="article:published_time" content="2025-12-20T09:30:00+07:00">
</head><body><header><nav class="menu"><a href="/">Trang chủ</a> <a href="/chinh-tri">Chính trị</a></nav></header>
<div class="container"><div class="main-col"><h1 class="title">{TITLE}</h1><div class="meta">20/12/2025 09:30</div>
{before}{article}
<div class="box-tinlienquan"><h3>Tin liên quan</h3><ul><li><a href="/a">Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ
20</a></li><li><a href="/b">Tổng kết công tác dân vận năm 2025</a></li></ul></div></div>
<aside class="sidebar"><h3>Đọc nhiều</h3><ul><li><a href="/c">Khai mạc kỳ họp Hội đồng nhân dân tỉnh</a></li></ul>
</aside></div><footer class="footer">Báo điện tử Đảng bộ tỉnh. Giấy phép số 123/GP-BTTTT.</footer></body></html>
""".encode()


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def slides(template: str) -> str:
    return "".join(template.format(n=n, caption=c) for n, c in enumerate(CAPTIONS))


def assert_gallery_kept(record: dict) -> None:
    body = record["body"]
    assert body.startswith(FIRST) and body.endswith(LAST)
    assert AFTER_GALLERY in body
    assert [i["caption"] for i in record["images"]] == CAPTIONS
    assert not any(c in body for c in CAPTIONS)


def test_a_gallery_of_photo_boxes_keeps_its_captions_and_the_last_paragraphs() -> None:
    gallery = '<div class="photo-list">' + slides('<div class="item"><img src="/anh/{n}.jpg"><p>{caption}</p></div>') \
        + "</div>"
    html = page(f'<div class="detail-content">{paragraphs(FIRST, SECOND, THIRD)}{gallery}'
                f'{paragraphs(AFTER_GALLERY, LAST)}</div>')
    assert_gallery_kept(extract_article(URL, html))


def test_a_gallery_between_two_text_boxes_keeps_the_box_after_it() -> None:
    gallery = '<ul class="gallery">' + slides('<li><img src="/anh/{n}.jpg"><span>{caption}</span></li>') + "</ul>"
    html = page(f'<div class="detail"><div class="text">{paragraphs(FIRST, SECOND, THIRD)}</div>{gallery}'
                f'<div class="text">{paragraphs(AFTER_GALLERY, LAST)}</div></div>')
    assert_gallery_kept(extract_article(URL, html))


def test_in_a_slider_the_line_after_each_photo_is_its_caption() -> None:
    gallery = '<div class="slider">' + slides('<img src="/anh/{n}.jpg"><p>{caption}</p>') + "</div>"
    html = page(f'<div class="detail-content">{paragraphs(FIRST, SECOND, THIRD)}{gallery}'
                f'{paragraphs(AFTER_GALLERY, LAST)}</div>')
    assert_gallery_kept(extract_article(URL, html))


def test_an_article_split_into_boxes_by_an_ad_is_read_whole() -> None:
    chunk = '<div class="chunk"><div class="text">{}</div><div class="rail"></div></div>'
    html = page(f'<div class="chunks">{chunk.format(paragraphs(FIRST, SECOND, THIRD))}'
                f'<div class="ad-slot">Quảng cáo</div>{chunk.format(paragraphs(AFTER_GALLERY, LAST))}</div>')
    body = extract_article(URL, html)["body"]
    assert body.startswith(FIRST) and AFTER_GALLERY in body and body.endswith(LAST)
    assert "Quảng cáo" not in body


def test_photos_and_captions_are_not_the_body() -> None:
    # The headline sits beside a grid of photo cards whose long captions are the most text near it; the article
    # itself follows in a box of its own.
    cards = "".join(f'<figure class="card"><img src="/anh/{n}.jpg"><figcaption>{c} {c}</figcaption></figure>'
                    for n, c in enumerate(CAPTIONS))
    html = page(f'<div class="grid">{cards}</div>'
                f'<div class="story">{paragraphs(FIRST, SECOND, THIRD, AFTER_GALLERY, LAST)}</div>')
    record = extract_article(URL, html)
    assert FIRST in record["body"] and LAST in record["body"]
    assert not any(c in record["body"] for c in CAPTIONS)


def test_a_caption_found_in_the_articles_part_of_the_page_sends_the_reader_to_the_whole_page() -> None:
    # generic_body.paragraphs reads `scope` first; what it finds there is a caption, which the page object has
    # already placed (keep drops it): the whole page is read instead.
    html = page(f'<div class="story">{paragraphs(FIRST, SECOND, THIRD, AFTER_GALLERY, LAST)}</div>')
    root = ArticlePage(URL, html).root
    scope = etree.SubElement(etree.Element("div"), "figure")
    etree.SubElement(scope, "figcaption").text = CAPTIONS[0]
    found = generic_body.paragraphs(scope.getparent(), root, URL, vietnamese=True,
                                    keep=lambda lines: [line for line in lines if line != CAPTIONS[0]])
    assert found is not None and found[0] == FIRST and found[-1] == LAST


TEASERS = {
    "sidebar card": '<aside class="widget"><article class="card"><h3><a href="/x">Giá vàng hôm nay</a></h3>'
                    '<p class="article-excerpt">Giá vàng trong nước tiếp tục tăng mạnh trong phiên sáng nay, vượt mốc '
                    'cao nhất từ trước đến nay theo ghi nhận của các doanh nghiệp.</p></article></aside>',
    "list of stories": '<ul class="list"><li><div class="teaser">Thời tiết các tỉnh phía Bắc chuyển rét đậm từ đêm '
                       'nay, nhiệt độ thấp nhất ở vùng núi có nơi dưới 5 độ C.</div></li></ul>',
    "cut excerpt": '<div class="summary">Hai địa phương được công nhận hoàn thành chương trình xây dựng nông thôn '
                   'mới, với nhiều tiêu chí vượt chuẩn đề ra...</div>',
}


def test_another_storys_teaser_is_neither_the_lead_nor_the_body() -> None:
    for name, teaser in TEASERS.items():
        teaser_text = etree.HTML(teaser).xpath("string(.//*[@class][last()])")[:40]
        html = page(f'<div class="detail-content">{paragraphs(FIRST, SECOND, THIRD, AFTER_GALLERY, LAST)}</div>',
                    before=teaser)
        record = extract_article(URL, html)
        assert record["lead"] is None or teaser_text not in record["lead"], name
        assert teaser_text not in record["body"], name
        assert record["body"].startswith(FIRST), name


def test_the_articles_own_standfirst_is_still_the_lead() -> None:
    sapo = "Hội nghị đánh giá kết quả công tác xây dựng Đảng năm 2025 và đề ra phương hướng nhiệm vụ năm 2026."
    html = page(f'<div class="detail-content">{paragraphs(FIRST, SECOND, THIRD, AFTER_GALLERY, LAST)}</div>',
                before=f'<div class="sapo">{sapo}</div>')
    record = extract_article(URL, html)
    assert record["lead"] == sapo
    assert sapo not in record["body"]


def test_trafilatura_reads_the_page_objects_tree_and_leaves_it_as_it_was(monkeypatch) -> None:
    import trafilatura

    html = page(f'<div class="detail-content">{paragraphs(FIRST, SECOND, THIRD, AFTER_GALLERY, LAST)}</div>')
    article = ArticlePage(URL, html)
    before = etree.tostring(article.root)
    handed: list[object] = []
    extract = trafilatura.extract

    def spy(document: object, **options: object) -> str | None:
        handed.append(document)
        return extract(document, **options)

    monkeypatch.setattr(trafilatura, "extract", spy)
    assert article.body.startswith(FIRST) and article.body.endswith(LAST)
    assert handed and all(isinstance(d, etree._Element) and d.getroottree().getroot() is article.root
                          for d in handed)
    assert etree.tostring(article.root) == before
