"""The CMS behind several of the state press's papers: nhandan.vn (since its 2021 move from nhandan.com.vn),
sggp.org.vn, vietnamplus.vn, tienphong.vn, vovworld.vn, and provincial party committees' papers such as
baogialai.com.vn and baohatinh.vn. It is named here after the class its article body carries, `zce-content-body`;
who makes it is not known here.

What it is known from (no page was seen from here; every fact is a public crawler's selector, read from its code):
- the article body `div.article__body.zce-content-body.cms-body`: giapham123/crawl-news-python config.py
  (nhandan.vn, dttc.sggp.org.vn, baogialai.com.vn, baohatinh.vn, with the title `.article__title.cms-title`), a
  Scrapy spider's images xpath `//div[@class="article__body zce-content-body cms-body"]`, the sites table of a
  news-extraction project (vietnamplus.vn `.article__title`, `.article__sapo`, `.article__meta`,
  `.article__body.zce-content-body.cms-body`) and a test page of another (tienphong); RSSHub reads
  `.article__body.cms-body` on cn.nhandan.vn and `.article__body.zce-content-body.cms-body` on cn.sggp.org.vn
  (libukai/RSSHub @1d0142df, real-markup README "State press");
- the title `h1.article__title.cms-title` (giapham123: nhandan.vn and dttc.sggp.org.vn; ttranduytai/ChuyenDe3's
  nhandan spider), the lead `.article__sapo.cms-desc` (RSSHub: cn.sggp.org.vn, vovworld.vn; a crawler's
  `h2.article__sapo cms-desc`), the date `time[datetime]` inside `.article__meta` (RSSHub cn.nhandan.vn; a
  code-search snippet `<time class="time" datetime="YYYY-MM-DDTHH:MM:SS+0700">`), the author
  `.article__author.cms-author` inside the body (RSSHub drops it from cn.sggp.org.vn's body), photos as
  `table.picture` (RSSHub cn.nhandan.vn);
- article URLs `/<slug>-post<id>.<ext>`: nhandan.vn and sggp.org.vn `.html` (real URLs in public files,
  e.g. https://www.sggp.org.vn/<slug>-post838566.html, https://nhandan.vn/<slug>-post916375.html), vietnamplus
  `.vnp` (vov.vn's `-post<id>.vov` has the shape too, but its pages carry other classes today); RSS feeds
  `/rss/home.rss` and `/rss/<section>-<n>.rss` (named in public files).

NOT known: the date node's text (only its `datetime` attribute's shape is; the extractor reads the text, so a
page where the text is not a date falls back to the page metadata), the page around the article (menus, related
boxes: nothing is excluded), listing markup beyond the RSSHub selectors. Nothing was checked on a live page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from crawler.sites.base import Family, Selectors, Site

#: "/[<section>/]<slug>-post<id>.<ext>": the id after "-post", any extension (.html, .vnp, .vov).
ARTICLE_PATH = r"^/(?:[^/?#]+/)*[^/?#]+-post(?P<id>\d+)\.[a-z]+$"

SELECTORS = Selectors(
    title="h1.article__title.cms-title",
    date=".article__meta time[datetime]",
    lead=".article__sapo.cms-desc",
    body=".article__body.cms-body",
    byline=".article__author.cms-author",
)


def zce_site(*, key: str, name: str, hosts: tuple[str, ...], start_urls: tuple[str, ...], **overrides: Any) -> Site:
    """A site on this CMS: the family's URL rule and selectors; `overrides` replace any other `Site` field (a site's
    own eras, say)."""
    site = Site(key=key, name=name, hosts=hosts, start_urls=start_urls, article_path=ARTICLE_PATH,
                selectors=SELECTORS, cms="zce",
                notes="zce CMS family (public crawlers' selectors, see crawler/sites/families/zce.py); "
                      "not checked on a live page.")
    return replace(site, **overrides) if overrides else site


def _detected_site(host: str, url: str) -> Site:
    site = zce_site(key=host, name=host, hosts=(host,), start_urls=(f"https://{host}/",),
                    notes="zce CMS recognised by its markup on an undeclared host.")
    return replace(site, scheme=urlsplit(url).scheme or "https", detected=True)


#: The body's class names, as public crawlers read them on the papers of this CMS.
FAMILY = Family("zce", (r"class=[\"'][^\"']*\bzce-content-body\b",
                        r"class=[\"'][^\"']*\barticle__body\b[^\"']*\bcms-body\b"), _detected_site)
