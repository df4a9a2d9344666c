"""hanoimoi.vn, Báo Hà Nội Mới: the paper of the Hanoi Party Committee.

REAL (public crawlers' code and real URLs in public files; none of it seen on a page from here):
- article URLs `https://hanoimoi.vn/<slug>-<id>.html` (...-538828.html, ...-589923.html, ...-703441.html of May 2025,
  ...-1212418.html); feeds `/rss/home.rss`, `/rss/<section>` and `/rss/<section>.rss` (one public report says
  `/rss/kinh-te.rss` answered 200 with no item); the sitemap `/sitemap.xml`, whose `/sitemap-article-YYYY...` children
  list the articles (megaCrawler's crawler "N-0035 Báo Hà Nội Mới", which starts there);
- the same crawler's selectors: author `div.c-detail-head__row > span.c-detail-head__author` (and
  `div.sc-longform-header-meta > span.block-sc-author` on long-form pages), lead `div.sc-longform-header-text >
  p.block-sc-sapo` (long-form pages only), text `div.entry > p`. Its date: not known (it leaves it to a generic
  extractor); the title: not known;
- before the move, hanoimoi.com.vn: article URLs `/tin-tuc/<Section>/<id>/<slug>` (real: /tin-tuc/Khoa-hoc/967145/
  viet-nam-co-vai-tro-...), images under hanoimoi.com.vn/Uploads/, later hnm.1cdn.vn; a public bot's config reads
  the title `#NewsDetails > h1` and the text as `#abody` after the bold `#NewsDetails > div.content >
  div.gallery-included > div.article > div:nth-child(1) > strong`, taken here as the lead (an inference)
  (undated; hailoc12/docbao's 2019 config names the classes period, summary and article, whose element types the
  research does not give, so they are not declared).

Choices and guesses:
- hanoimoi.com.vn is an alias (the research says the site moved); whether hanoimoi.vn serves or redirects the old
  paths is NOT known. An old URL's key is "tin-tuc:<id>": the old ids (967145) and the new ones (703441, 1212418)
  are two numberings;
- the start URL is the home feed; the sitemap comes in through robots.txt if robots.txt names it (not known);
- operations: public crawler notes route hanoimoi.vn through a Vietnamese proxy (its WAF blocks other IPs) and one
  sends the user agent "facebookexternalhit/1.1": a live run from abroad may be refused.
Nothing was checked on a live page (tests/fixtures/hanoimoi/README.md: the pages are reconstructions).
"""

from crawler.sites.base import Era, Selectors, Site

SITE = Site(
    key="hanoimoi",
    name="Báo Hà Nội Mới",
    hosts=("hanoimoi.vn", "www.hanoimoi.vn", "hanoimoi.com.vn", "www.hanoimoi.com.vn"),
    start_urls=("https://hanoimoi.vn/rss/home.rss",),
    # New: "/<slug>-<id>.html", key "<id>". Old: "/tin-tuc/<Section>/<id>/<slug>", key "tin-tuc:<id>".
    article_path=r"^/(?:(?P<scope>tin-tuc)/[^/?#]+/)?(?(scope)|[^/?#]+-)(?P<id>\d+)(?(scope)/[^/?#]+|\.html)$",
    eras=(
        Era(Selectors(body="div.entry",
                      byline="div.c-detail-head__row > span.c-detail-head__author, "
                             "div.sc-longform-header-meta > span.block-sc-author",
                      lead="div.sc-longform-header-text > p.block-sc-sapo"),
            years="current (crawler undated)", source="megaCrawler crawler N-0035 (hanoimoi.vn)"),
        Era(Selectors(title="#NewsDetails > h1", body="#abody",
                      lead="#NewsDetails > div.content > div.gallery-included > div.article > div:nth-child(1)"
                           " > strong"),
            years="hanoimoi.com.vn, before the move (undated)",
            source="a public bot's config for hanoimoi.com.vn"),
    ),
    notes="Selectors of public crawlers (hanoimoi.vn; hanoimoi.com.vn); no date or title selector known for the "
          "current site; not checked on a live page.",
)
