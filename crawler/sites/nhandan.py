"""nhandan.vn, Báo Nhân Dân: the central organ of the Communist Party of Vietnam.

REAL, from public crawlers' code (real-markup README "State press"; none of it seen on a page from here):
- since the 2021 move to nhandan.vn, the site runs the CMS of crawler/sites/families/zce.py: title
  `h1.article__title.cms-title` (giapham123/crawl-news-python; ttranduytai/ChuyenDe3's nhandan spider), date
  `.article__meta time[datetime]` (libukai/RSSHub @1d0142df on cn.nhandan.vn, the same CMS; ChuyenDe3 reads
  `.article__meta .time`), body `.article__body.zce-content-body.cms-body` (giapham123; RSSHub
  `.article__body.cms-body`), photos `table.picture` (RSSHub), category listings `.abf-cate article h2 a`,
  `.timeline.content-list article h2 a` (RSSHub);
- article URLs `https://nhandan.vn/<slug>-post<id>.html` (real URLs in public files: ...-post410945.html,
  ...-post916375.html, ...-post916515.html); product pages `/ocop/<slug>-prod<n>.html` are not articles;
- feeds and sitemaps named in public files: `/rss/chinhtri-1185.rss`, `/rss/thegioi-1186.rss`, `/rss/tin-moi.rss`,
  `/rss/y-te.rss`; `/sitemap.xml`, `/sitemaps/news-YYYY-M.xml` (monthly), `/sitemaps/google-news.xml`,
  `/sitemaps/categories.xml`, `/sitemaps/topics.xml`. Which of them robots.txt names is not known: the spider reads
  whatever it names;
- before 2021, nhandan.com.vn (and nhandan.org.vn): article URLs `/<section>/<slug>-<id>/` (real: /doi-song-xa-hoi/
  bao-ve-te-te-truoc-bo-vuc-tuyet-chung-607379/, /thoi-su-phap-luat/canh-giac-...-460297/); its markup in two eras:
  2020-21 (cuongpianna/crawl-binance spider 93 @dbdfe2e6) date `div.box-date.pull-left`, lead
  `div.box-des-detail.this-one p`, body `div.detail-content-body`, author `div.box-author strong` (the crawler's path
  between the two is elided in the research); 2019 (hailoc12/docbao @3af23da8) date `h5.date-created`, lead
  `div.sapo p`, body `div.item-content`.

Choices and guesses:
- the old hosts are aliases (the research says the site moved), so an old link is keyed on nhandan.vn. Whether
  nhandan.vn still serves (or redirects) the old paths is NOT known: an old URL is fetched at nhandan.vn with its
  old path. The old ids look like another numbering than the post ids (607379 in 2020, post410945 later), so an old
  URL's key is "<section>:<id>", never a bare id that a new post may share; "/tag/..." and "/rss/..." paths are
  never old articles (tag pages end in an id on sister sites);
- the start URL is the politics feed (the party paper's core; its items are not known); discovery by robots.txt
  sitemaps covers the rest;
- no lead-credit rule: nothing says how the leads open.
Nothing was checked on a live page (tests/fixtures/nhandan/README.md: the pages are reconstructions).
"""

from crawler.sites.base import Era, Selectors
from crawler.sites.families.zce import SELECTORS, zce_site

SITE = zce_site(
    key="nhandan",
    name="Báo Nhân Dân",
    hosts=("nhandan.vn", "www.nhandan.vn", "nhandan.com.vn", "www.nhandan.com.vn", "nhandan.org.vn",
           "www.nhandan.org.vn"),
    start_urls=("https://nhandan.vn/rss/chinhtri-1185.rss",),
    # New: "/<slug>-post<id>.html", key "<id>". Old (nhandan.com.vn): "/<section>/<slug>-<id>/", key "<section>:<id>".
    article_path=r"^/(?:(?!(?:tag|rss)/)(?P<scope>[^/?#]+)/)?[^/?#]+-(?(scope)|post)(?P<id>\d+)(?(scope)/?|\.html)$",
    listing_links=".abf-cate article h2 a[href], .timeline.content-list article h2 a[href], "
                  ".timeline.content-list article h4 a[href]",
    eras=(
        Era(SELECTORS, years="2021-2025", source="giapham123, ttranduytai/ChuyenDe3, libukai/RSSHub @1d0142df"),
        Era(Selectors(date="div.box-date.pull-left", lead="div.box-des-detail.this-one p",
                      body="div.detail-content-body", byline="div.box-author strong"),
            years="2020-2021", source="cuongpianna/crawl-binance spider 93 @dbdfe2e6 (nhandan.com.vn)"),
        Era(Selectors(date="h5.date-created", lead="div.sapo p", body="div.item-content"),
            years="2019", source="hailoc12/docbao @3af23da8 (nhandan.com.vn)"),
    ),
    notes="Selectors of public crawlers (zce CMS since 2021; nhandan.com.vn 2019-21); not checked on a live page.",
)
