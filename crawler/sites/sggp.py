"""sggp.org.vn, Báo Sài Gòn Giải Phóng: the paper of the Ho Chi Minh City Party Committee.

REAL, from public crawlers' code (real-markup README "State press"; none of it seen on a page from here):
- the current site runs the CMS of crawler/sites/families/zce.py: date `time[datetime]`, lead
  `.article__sapo.cms-desc`, body `.article__body.zce-content-body.cms-body`, the author `.article__author.cms-author`
  inside the body, category listings `.abf-homepage .story h2 a`, `.box-content.content-list .story h2 a`
  (libukai/RSSHub @1d0142df on cn.sggp.org.vn, the same CMS); title `h1.article__title.cms-title`
  (giapham123/crawl-news-python, on the sister site dttc.sggp.org.vn); megaCrawler's "N-0036" crawler reads
  `div.article__body > p`;
- article URLs `https://www.sggp.org.vn/<slug>-post<id>.html` (real URLs in public files, from ...-post217503.html
  of 2015 to ...-post842902.html), the same shape in every era seen;
- feeds named in public files: `/rss/home.rss` (several), `/rss/chinhtri.rss`, `/rss/xahoi-199.rss`,
  `/rss/phapluat-112.rss`, `/rss/tai-chinh-chung-khoan-44.rss`; the sitemap index `/sitemap.xml` with monthly
  gzipped news sitemaps `/sitemaps/news-YYYY-M.xml` (megaCrawler; a public crawl plan). Whether robots.txt names
  the index is not known: the spider reads whatever it names;
- 2019 markup (hailoc12/docbao @3af23da8): date `div.meta-info time`, lead `div.summary.cms-desc`, body
  `div.content.cms-body`, photos `div.full-img` / `span.fig`.

Guesses and unknowns: the date node's text (RSSHub reads its `datetime` attribute; the extractor reads the text,
and falls back to the metadata); whether sggp.org.vn without www. serves the same paths (declared an alias); the
English edition en.sggp.org.vn and the sub-sites (dttc.sggp.org.vn, cn.sggp.org.vn) are not declared. No lead
credit rule (not known). Nothing was checked on a live page (tests/fixtures/sggp/README.md).
"""

from dataclasses import replace

from crawler.sites.base import Era, Selectors
from crawler.sites.families.zce import SELECTORS, zce_site

SITE = zce_site(
    key="sggp",
    name="Báo Sài Gòn Giải Phóng",
    hosts=("sggp.org.vn", "www.sggp.org.vn"),
    start_urls=("https://www.sggp.org.vn/rss/home.rss",),
    listing_links=".abf-homepage .story h2 a[href], .box-content.content-list .story h2 a[href]",
    eras=(
        Era(replace(SELECTORS, date=f"{SELECTORS.date}, time[datetime]"), years="current (crawlers undated)",
            source="libukai/RSSHub @1d0142df (cn.sggp.org.vn), giapham123 (dttc.sggp.org.vn)"),
        Era(Selectors(date="div.meta-info time", lead="div.summary.cms-desc", body="div.content.cms-body"),
            years="2019", source="hailoc12/docbao @3af23da8"),
    ),
    notes="Selectors of public crawlers (zce CMS; the 2019 layout); not checked on a live page.",
)
