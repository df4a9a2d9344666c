"""tuyengiao.vn, the portal of the Central Propaganda Commission (Ban Tuyên giáo Trung ương).

Two layouts, both declared as eras (newest first); every fact below is from a public crawler's code, not from a page
seen here (/work/shared/research/real-markup/README.md, "tuyengiao.vn"):
- 2024-25 (REAL: a public crawler's "parse_page_tg" and link collector, 2024-25): container `div.flex-fill`, title
  `h1.story-headline`, lead `div.story-teaser`, date `div.ml-lg-auto`, body `div.story-body`, photos `figure` and
  `table.picture`; listings `<section>?page=N`, items `div.clearfix` (2nd link); sections /thoi-su-chinh-tri,
  /bao-ve-nen-tang-tu-tuong-cua-dang, /hoc-va-lam-theo-bac, /nhip-cau-tuyen-giao, /van-hoa-xa-hoi, /khoa-giao,
  /kinh-te. GUESSED: the date string's format (the fixture prints "12/07/2024 10:05"), and that the date node is
  the `div.ml-lg-auto` inside `div.flex-fill` (a Bootstrap utility class, hence scoped to the container).
- 2020 (REAL: cuongpianna/crawl-binance spider 105 @dbdfe2e6, 2020-21): listing links `div.zonepage-l h4 a`, title
  `span.story_headline`, lead `.story_teaser` (class "story_teaser clearfix"), body `.story_body`, date
  `span.story_date` holding d/m/yyyy, lead photo `.story_avatar_b img` + `span` caption, inline photos
  `table.tbl-image` with captions in `td.td-image-desc p`; the author is the last `p` of `#ArticleContent`. 30 real
  articles of Nov 2020 (data/tuyengiao-2020-11-cuongpianna.csv) show the lead credit "(TG) - " and its variants
  "(TG)- ", "(TG) – ", "(TG) " (no dash) and a bold "(TG)": `lead_credit` accepts them all. GUESSED: the pager
  `div.datapager span.active + a` (from the 2020 spider, its href form in the fixtures is invented).
- URL shape (REAL): `/<section>[/<sub>]/<slug>-<6-digit id>`, no extension; photos `/Uploads/YYYY/M/D/NN/<file>.jpg`,
  later `cdn.tuyengiao.vn/uploads/YYYY/M/D/NN/...`.

Choices made here:
- the id must have five digits or more, so that a category slug ending in a year or a number ("...-2020",
  "covid-19") is not taken for an article;
- no byline selector: "the last p" is the article's last paragraph whether or not it is a name, and a declared
  selector's text is used as the byline even when it does not look like one. The generic byline rule (a short last
  paragraph that reads as a name) covers exactly this convention;
- the listings of both layouts are walked (a site has one listing rule): the 2020 section /thoi-su with its
  `div.zonepage-l h4 a` items and `div.datapager` pager, and the seven 2024-25 sections above with their
  `div.clearfix` items and `?page=N` pages (REAL: the 2024-25 crawler's link collector). `div.clearfix` is a
  Bootstrap utility class that side boxes ("Đọc nhiều") carry too: their links are articles of the site as well, so
  the only cost is a listing that names an article of another section. Where a listing page has no pager link,
  page N+1 is `<section>?page=N+1`, walked while pages list articles (the 2020 fixture's pager links the same form,
  an invention of the fixture). GUESSED: that the sections live on the bare host (the crawler's code does not say
  www. or not; both are one site here), and that they still answer after the 2025 merger (below); discovery by
  robots.txt sitemaps covers a wrong guess.

In 2025 the commission merged with the Mass Mobilisation Commission and the site appears as tuyengiaodanvan.vn. It
is NOT declared as an alias here: nothing is known of its URL paths, and the spider fetches an article at its
canonical URL, so an alias is only safe for a host that serves the very same paths.

No selector was checked on a live page (see tests/fixtures/tuyengiao/README.md: the pages are reconstructions);
every field falls back to page metadata and the generic layer when a selector misses.
"""

from crawler.sites.base import Era, Selectors, Site

#: The 2024-25 sections a public crawler's link collector walked (real-markup README, "tuyengiao.vn").
SECTIONS_2024 = ("thoi-su-chinh-tri", "bao-ve-nen-tang-tu-tuong-cua-dang", "hoc-va-lam-theo-bac", "nhip-cau-tuyen-giao",
                 "van-hoa-xa-hoi", "khoa-giao", "kinh-te")

SITE = Site(
    key="tuyengiao",
    name="Ban Tuyên giáo Trung ương",
    hosts=("tuyengiao.vn", "www.tuyengiao.vn"),
    start_urls=("https://tuyengiao.vn/thoi-su", *(f"https://tuyengiao.vn/{section}" for section in SECTIONS_2024)),
    article_path=r"^/(?:[^/?#]+/)?[^/?#]+-(?P<id>\d{5,})$",
    listing_links="div.zonepage-l h4 a[href], div.clearfix a[href]",
    next_page="div.datapager span.active + a",
    listing_page="{url}?page={page}",
    lead_credit=r"^\s*\(\s*TG\s*\)\s*[-–—]?\s*",
    eras=(
        Era(Selectors(
            title="div.flex-fill h1.story-headline",
            date="div.flex-fill div.ml-lg-auto",
            lead="div.flex-fill div.story-teaser",
            body="div.flex-fill div.story-body",
        ), years="2024-2025", source="a public crawler's parse_page_tg (real-markup README)"),
        Era(Selectors(
            title="span.story_headline",
            date="span.story_date",
            lead=".story_teaser",
            body=".story_body",
        ), years="2020", source="cuongpianna/crawl-binance spider 105 @dbdfe2e6"),
    ),
    notes="Two eras of selectors from public crawlers (2024-25 and 2020); not checked on a live page.",
)
