"""thanhuytphcm.vn, the Ho Chi Minh City Party Committee portal (formerly hcmcpv.org.vn, still an alias).

REAL (/work/shared/research/real-markup/README.md, "thanhuytphcm.vn / hcmcpv.org.vn"):
- URL shape `https://(www.)thanhuytphcm.vn/tin-tuc/<slug>-<10-digit id>`, the same paths on `www.hcmcpv.org.vn`,
  slugs that may start with "-" (/tin-tuc/-hi-hoa-van-hoa-ung-xu-tren-mang-xa-hoi-1491879789), the sub-site
  stxdd.thanhuytphcm.vn; image URLs `images.hcmcpv.org.vn/res/news/YYYY/MM/dd-mm-yyyy-<slug>-<hex>-details.jpg?vs=...`;
  the lead credit "(Thanhuytphcm.vn) - " (public page text).
- The 2020 layout (hailoc12/docbao src/backend/input/config.yaml @f15d9e53, 29 Aug 2020, web_url
  https://hcmcpv.org.vn): lead `//*[@class="desc "]/p`, date `//*[@class="time-face"]`, body
  `//*[@class="content "]`, photo box `article-photo` / `"article-photo "`. The class values carry a trailing space,
  so the selectors match the class token (`[class~=desc]`), not the exact attribute. That crawler declares no title,
  so the 2020 era has none (the page metadata and the headline heuristics give it). Photo boxes need no selector:
  the content walker reads an image with its caption paragraph.

GUESSED: the second era (`div.news-detail`, `h1.news-title`, `div.news-sapo`, `div.news-content`, the header
"today" line, breadcrumb and tags) was invented for the fixtures before any real fact was known; it is kept, after
the 2020 era, only because the 30 reconstructed pages of tests/fixtures/thanhuytphcm/ are written in it. The listing
URL `/nhom-tin/tin-tuc-su-kien-1491868416`, its `?page=N` pagination and the listing selectors are invented too; the
date string of the 2020 fixture page ("10/11/2020 15:17") is invented (none was seen). Nothing was checked live.
"""

from crawler.sites.base import Era, Selectors, Site

SITE = Site(
    key="thanhuytphcm",
    name="Thành ủy TP. Hồ Chí Minh",
    hosts=("thanhuytphcm.vn", "www.thanhuytphcm.vn", "hcmcpv.org.vn", "www.hcmcpv.org.vn", "stxdd.thanhuytphcm.vn"),
    start_urls=("https://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416",),
    # /tin-tuc/<slug>-<id>, /tin-tap-chi/<issue>/<slug>-<id>, /tu-lieu/<group>/<slug>-<id>; slugs may start with "-".
    article_path=r"^/(?:tin-tuc|tin-tap-chi/[^/?#]+|tu-lieu/[^/?#]+)/[^/?#]*-(?P<id>\d{10})$",
    listing_links="div.news-list a[href]",
    next_page="ul.pagination a[rel=next]",
    lead_credit=r"^\(\s*(?:thanhuytphcm|hcmcpv)\.(?:vn|org\.vn)\s*\)\s*[-–—]?\s*",
    eras=(
        Era(Selectors(
            date=".time-face",
            lead="[class~=desc] > p",
            body="[class~=content]",
        ), years="2020", source="hailoc12/docbao src/backend/input/config.yaml @f15d9e53 (29 Aug 2020)"),
        Era(Selectors(
            title="div.news-detail h1.news-title",
            today="div.header-top span.today",
            lead="div.news-detail div.news-sapo",
            body="div.news-detail div.news-content",
            category="div.breadcrumb li:last-child a",
            tags="div.news-tags a",
        ), years="", source="guess: invented for the reconstructed fixtures"),
    ),
    notes="2020 selectors from a public crawler (docbao, Aug 2020); the second era is invented. Not checked live.",
)
