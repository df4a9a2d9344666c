"""Render the reconstructed thanhuytphcm.vn fixture pages from the synthetic corpus.

    python scripts/render_thanhuytphcm_fixtures.py

Reads tests/fixtures/thanhuytphcm/corpus/articles.json (synthetic article texts) and writes, for each article,
pages/<slug>-<id>.html in the reconstructed page layout of the seed fixture, and pages/<slug>-<id>.json, its
expected record, taken from the corpus (the source of the text), never from the extractor. It also writes the two
listing pages. The seed page and its golden file are written by hand and are not touched.

The markup is invented (see tests/fixtures/thanhuytphcm/README.md); the variations it rotates through (credit
dash, caption doubled, "Ảnh:" credit, photo table vs figure, byline present or not) are the ones research §1 and
§10 report for this site.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "thanhuytphcm"
HOST = "https://thanhuytphcm.vn"
LISTING = f"{HOST}/nhom-tin/tin-tuc-su-kien-1491868416"
VIEWED = "Chủ Nhật, ngày 22 tháng 5 năm 2022"
SEED_URL = f"{HOST}/tin-tuc/tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235"
SEED_TITLE = "Tiếp tục nâng cao chất lượng công tác giáo dục lý luận chính trị"
SEED_DAY = "2022-01-12"
PER_PAGE = 16
#: The hand-written page of the 2020 layout (pages/-phat-huy-...-1491877362.html, not rendered here), listed by its
#: real slug form: a slug that starts with "-".
ERA_2020 = {"title": "Phát huy vai trò tổ dân phố trong công tác dân vận ở Quận 8", "id": "1491877362",
            "published_day": "2020-11-10",
            "href": "/tin-tuc/-phat-huy-vai-tro-to-dan-pho-trong-cong-tac-dan-van-o-quan-8-1491877362"}


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def image_url(slug: str, day: str, n: int) -> str:
    d = date.fromisoformat(day)
    tag = hashlib.sha1(f"{slug}{n}".encode()).hexdigest()[:8].upper()
    return (f"https://images.hcmcpv.org.vn/res/news/{d:%Y/%m}/{d:%d-%m-%Y}-{slug}-{tag}-details.jpg"
            f"?vs={d:%d%m%Y}0830{n:02d}")


def e(text: str) -> str:
    return html.escape(text, quote=True)


def render_photo(i: int, url: str, caption: str, credit: str | None, doubled: bool) -> str:
    shown = f"{caption} {caption}" if doubled else caption
    if credit:
        shown += f" (Ảnh: {credit})"
    if i % 2:
        return (f'<figure class="image"><img src="{e(url)}" alt="{e(caption)}">'
                f"<figcaption>{e(shown)}</figcaption></figure>")
    return (f'<table class="image-center" align="center"><tbody><tr><td><img src="{e(url)}" alt=""></td></tr>'
            f'<tr><td class="image-caption">{e(shown)}</td></tr></tbody></table>')


def render_article(a: dict, n: int, others: list[dict]) -> tuple[str, dict]:
    slug = slugify(a["title"])
    url = f"{HOST}/tin-tuc/{slug}-{a['id']}"
    dash = "–" if n % 4 == 3 else "-"
    photos, images = {}, []
    for k, img in enumerate(a["images"]):
        credit = "Thanhuytphcm.vn" if (n + k) % 5 == 0 else None
        doubled = (n + k) % 3 == 0
        photo_url = image_url(slug, a["published_day"], k + 1)
        photos[img["position"]] = (photo_url, img["caption"], credit, doubled)
        images.append({"url": photo_url, "caption": img["caption"], "credit": credit})
    avatar = ""
    if 0 in photos:
        photo_url, caption, credit, doubled = photos[0]
        shown = caption + (f". Ảnh: {credit}" if credit else "")
        avatar = (f'<div class="news-avatar"><img src="{e(photo_url)}" alt="">'
                  f'<p class="image-caption">{e(shown)}</p></div>')
        if credit:
            images[0]["caption"] = caption + "."  # "caption. Ảnh: X": the caption keeps its own full stop
    content = []
    for k, para in enumerate(a["paragraphs"], start=1):
        content.append(f'<p style="text-align: justify;">{e(para)}</p>')
        if k in photos:
            content.append(render_photo(k + n, *photos[k]))
    if a["byline"]:
        content.append(f'<p style="text-align: right;"><strong>{e(a["byline"])}</strong></p>')
    tags = "".join(f'<a href="/tag/{slugify(t)}">{e(t)}</a>' for t in a["tags"])
    related = "".join(
        f'<li><a href="/tin-tuc/{slugify(o["title"])}-{o["id"]}">{e(o["title"])}</a> '
        f'<span class="date">({date.fromisoformat(o["published_day"]):%d/%m/%Y})</span></li>' for o in others)
    page = f"""<!DOCTYPE html>
<!-- RECONSTRUCTED page (see ../README.md): synthetic article text in an invented layout; not a saved page. -->
<html lang="vi">
<head>
<meta charset="utf-8">
<title>{e(a["title"])}</title>
<meta name="description" content="{e(f"(Thanhuytphcm.vn) {dash} {a['lead']}")}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(a["title"])}">
<meta property="og:url" content="{e(url)}">
</head>
<body>
<div class="header-top"><div class="container"><span class="today">{VIEWED}</span></div></div>
<header class="header"><div class="container"><a class="logo" href="/"><img src="/images/logo.png" alt=""></a></div></header>
<main class="container">
<div class="breadcrumb"><ul><li><a href="/">Trang chủ</a></li><li><a href="/nhom-tin/{slugify(a["category"])}-1491868416">{e(a["category"])}</a></li></ul></div>
<div class="news-detail">
  <h1 class="news-title">{e(a["title"])}</h1>
  <div class="news-tools"><a class="share-facebook" href="#" aria-label="Facebook"><i class="icon-fb"></i></a></div>
  {avatar}
  <div class="news-sapo"><strong>(Thanhuytphcm.vn) {dash} {e(a["lead"])}</strong></div>
  <div class="news-content">
    {chr(10).join("    " + c for c in content).lstrip()}
  </div>
  <div class="news-tags">{tags}</div>
</div>
<div class="comment-box"><h3 class="title">Ý kiến bạn đọc</h3><div class="comment-count">Tổng lượt bình luận <span>0</span></div></div>
<div class="other-news"><h3 class="title">Tin khác</h3><ul class="list">{related}</ul></div>
<div class="notice-box"><h3 class="title">Thông báo</h3><ul class="list"></ul></div>
</main>
</body>
</html>
"""
    expected = {
        "site": "thanhuytphcm",
        "url": url,
        "canonical_url": url,
        "article_id": a["id"],
        "title": a["title"],
        "lead": a["lead"],
        "body": "\n\n".join(a["paragraphs"]),
        "byline": a["byline"],
        "published_at": f"{a['published_day']}T00:00:00+07:00",
        "published_precision": "day",
        "published_text": a["dateline"],
        "category": a["category"],
        "tags": a["tags"],
        "images": [images[0]] + images[1:] if images else [],
    }
    # Photos in page order: the lead photo (position 0) first, then by paragraph.
    order = sorted(range(len(a["images"])), key=lambda k: a["images"][k]["position"])
    expected["images"] = [images[k] for k in order]
    return page, expected


def render_listing(items: list[dict], page_no: int, last: bool) -> str:
    rows = []
    for a in items:
        href = a.get("href") or f"/tin-tuc/{slugify(a['title'])}-{a['id']}"
        rows.append(f'<div class="item"><h3><a href="{e(href)}" title="{e(a["title"])}">{e(a["title"])}</a></h3>'
                    f'<span class="date">{date.fromisoformat(a["published_day"]):%d/%m/%Y}</span></div>')
    pager = [f'<li><a href="{LISTING}?page={page_no - 1}" rel="prev">Trang trước</a></li>'] if page_no > 1 else []
    if not last:
        pager.append(f'<li><a href="{LISTING}?page={page_no + 1}" rel="next">Trang sau</a></li>')
    return f"""<!DOCTYPE html>
<!-- RECONSTRUCTED listing page (see ../README.md): invented layout, synthetic items. -->
<html lang="vi"><head><meta charset="utf-8"><title>Tin tức - Sự kiện</title></head>
<body>
<div class="header-top"><span class="today">{VIEWED}</span></div>
<main><h2>Tin tức - Sự kiện</h2>
<div class="news-list">
{chr(10).join(rows)}
</div>
<ul class="pagination">{"".join(pager)}</ul>
</main></body></html>
"""


def main() -> None:
    corpus = json.loads((FIXTURES / "corpus" / "articles.json").read_text(encoding="utf-8"))
    for n, a in enumerate(corpus):
        a["id"] = str(1491889300 + 37 * n)
    pages = FIXTURES / "pages"
    for n, a in enumerate(corpus):
        others = [corpus[(n + k) % len(corpus)] for k in (1, 2, 3)]
        page, expected = render_article(a, n, others)
        name = f"{slugify(a['title'])}-{a['id']}"
        (pages / f"{name}.html").write_text(page, encoding="utf-8")
        (pages / f"{name}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    seed = {"title": SEED_TITLE, "id": SEED_URL.rsplit("-", 1)[1], "published_day": SEED_DAY}
    newest_first = sorted([*corpus, seed, ERA_2020], key=lambda a: a["published_day"], reverse=True)
    first, second = newest_first[:PER_PAGE], newest_first[PER_PAGE:]
    # A link as found in the wild: old host name, www, and a tracking parameter, to an article already on page 1.
    alias = dict(first[0], href=f"https://www.hcmcpv.org.vn/tin-tuc/{slugify(first[0]['title'])}-{first[0]['id']}"
                                "?fbclid=IwAR0Zx9Qm")
    listing = FIXTURES / "listing"
    listing.mkdir(exist_ok=True)
    (listing / "page-1.html").write_text(render_listing(first, 1, last=False), encoding="utf-8")
    (listing / "page-2.html").write_text(render_listing([*second, alias], 2, last=True), encoding="utf-8")
    snapshot = {"captured_at": "2022-05-22T10:00:00+07:00",
                "pages": {"listing/page-1.html": LISTING, "listing/page-2.html": f"{LISTING}?page=2"}}
    (FIXTURES / "snapshot.json").write_text(json.dumps(snapshot, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(corpus)} article pages and 2 listing pages under {FIXTURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
