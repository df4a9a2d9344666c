"""NukeViet 4 news module: the CMS many provincial party-committee portals run (research §7).

Every fact here comes from the CMS source (nukeviet/nukeviet on GitHub, module `news` and the default theme's
`modules/news/detail.tpl`, grade [A]); none was checked on a live provincial page. Provincial portals often ship a
custom theme, so any selector may miss there: every field then falls back to the page metadata (NukeViet writes
og:*, article:* and schema.org itemprops) and to the generic layer.

What the CMS prints (with the default rewrite settings, install/config.php):
- article  `/<module>/<cat-alias>/<title-alias>-<id>.html` (ids are per module, hence the key "<module>:<id>");
  with `rewrite_optional` off the language comes first: `/vi/<module>/...` (accepted, same key);
- category `/<module>/<cat-alias>/`, its page N `/<module>/<cat-alias>/page-N/` (`rewrite_endurl` is "/"; a page
  past the last one redirects to page 1, so walking pages stops by itself);
- feeds    `/<module>/rss/` (newest 30 articles shown on the home page) and `/<module>/rss/<cat-alias>/`.

Which portals run it. REAL (/work/shared/research/real-markup/README.md, "*.dcs.vn provincial portals"): no
public crawler's selectors exist for any provincial portal, and real URLs show that the `*.dcs.vn` portals run at
least three different CMSes: `/uploads/news/YYYY_MM/...` (tayninh, noibo.kiengiang) and
`/uploads/<module>/YYYY_MM/...` (thainguyen), which look like NukeViet; `btgtu.binhthuan.dcs.vn/Trang-chu/post/1520/
<slug>` with `/uploads/News/files/YYYYMM/...`; and `tuyenquang.dcs.vn/Image/Large/...`. So NukeViet is a GUESS for
each provincial portal declared on it, as are their news modules' names and category aliases (invented). The
selectors below come from the CMS's default theme (CMS source, research §7 [A]) and are not checked on a live page;
every field falls back to the page metadata and the generic layer when they miss.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from crawler.sites.base import Family, Selectors, Site

#: The article's own box in detail.tpl; the tags, rating, comment and "other news" panels are sibling
#: `div.news_column` boxes without the itemtype.
ARTICLE = 'div.news_column[itemtype="http://schema.org/NewsArticle"]'


def _contains(css: str, text: str) -> str:
    """`css` whose text contains `text`, in NFC or NFD (research §10: some pages arrive decomposed)."""
    forms = dict.fromkeys(unicodedata.normalize(form, text) for form in ("NFC", "NFD"))
    return ", ".join(f'{css}:contains("{t}")' for t in forms)


SELECTORS = Selectors(
    title=f"{ARTICLE} h1[itemprop=headline]",
    # Two date nodes sit under the title. The visible `span.h5` is nv_date('l - d/m/Y H:i', publtime):
    # "Thứ ba - 12/04/2022 08:15", the publication time in the site's time zone. The hidden
    # `span[itemprop=datePublished]` is NOT the publication time: modules/news/theme.php assigns
    # SCHEMA_DATEPUBLISHED twice, the second time with the last edit time (NukeViet 4.4+, since 2019), and prints it
    # in the server's time zone. So the visible node is the family's date; the hidden pair only dates the last edit.
    # (The `article:published_time` meta has the right instant but a broken shape, "2022-04-12+0708:15:00" /
    # "2022-04-12ICT08:15:00", from date('Y-m-dTH:i:s') with an unescaped T: it is the metadata fallback.)
    date=f"{ARTICLE} span.h5",
    updated=f"{ARTICLE} span[itemprop=dateModified]",
    lead=f"{ARTICLE} div.hometext[itemprop=description]",
    body="#news-bodyhtml",
    # Two `p.h5.text-right` lines follow the body: "<strong>Tác giả: </strong>..." (the author, possibly a link to
    # /<module>/author/<alias>/, possibly an organisation) and "<strong>Nguồn tin: </strong>..." (the source outlet,
    # never a byline). Only the first is the byline, and either may be missing; CSS cannot tell them apart but by
    # their text, hence cssselect's `:contains()` extension (which parsel supports).
    byline=_contains(f"{ARTICLE} p.h5.text-right", "Tác giả"),
    # The default theme prints breadcrumbs into a hidden schema.org list that a script copies into the visible bar.
    category="ul.temp-breadcrumbs li:last-child span[itemprop=name]",
    tags='div.news_column div.h5 a[href*="/tag/"]',
    # The lead photo is printed twice: the visible `figure.article` and a display:none lightbox copy `#imgpreview`
    # with the same figcaption (research §10: the caption twice in naive text). Both sit outside #news-bodyhtml,
    # but a theme that moves them inside must still give the caption once.
    exclude=("#imgpreview", "div.other-news"),
)


def nukeviet_site(key: str, name: str, host: str, *, module: str = "news",
                  categories: tuple[str, ...] = (), extra_hosts: tuple[str, ...] = (),
                  end_url: str = "/", **overrides: Any) -> Site:
    """A `Site` for one NukeViet portal: `module` is the news module's URL name ("news", "tin-tuc"...),
    `categories` the category aliases whose listings are walked (after the module's RSS feed), `end_url` the
    site's `rewrite_endurl` ("/" by default, "" on some installs). `overrides` replace any other `Site` field."""
    base = f"https://{host}/{module}"
    module_re = re.escape(module)
    site = Site(
        key=key,
        name=name,
        hosts=(host, *extra_hosts),
        start_urls=(f"{base}/rss{end_url}", *(f"{base}/{cat}{end_url}" for cat in categories)),
        # /<module>/<cat-alias>/<title-alias>-<id>.html, optionally after a language segment (/vi/).
        article_path=rf"^(?:/[a-z]{{2}})?/(?P<scope>{module_re})/[^/?#]+/[^/?#]*-(?P<id>\d+)\.html$",
        selectors=SELECTORS,
        # Category pages list items in `div.news_column` boxes (h2/h3 links); side blocks are outside them.
        listing_links="div.news_column a[href]",
        # The pager has rel=next links, but themes rewrite it (and ajax pagers exist): build page N instead.
        listing_page="{url}/page-{page}" + end_url,
        cms="nukeviet",
        notes="NukeViet 4 family (research §7, CMS source [A]); selectors not checked on a live page.",
    )
    return replace(site, **overrides) if overrides else site


def _detected_site(host: str, url: str) -> Site:
    """An undeclared NukeViet portal: its news module is the first path segment of the page (after a language)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if parts and re.fullmatch(r"[a-z]{2}", parts[0]):
        parts = parts[1:]
    module = parts[0] if len(parts) > 1 and re.fullmatch(r"[\w-]+", parts[0]) else "news"
    return nukeviet_site(host, host, host, module=module, scheme=urlsplit(url).scheme or "https", detected=True,
                         notes="NukeViet recognised by its markup on an undeclared host.")


#: NukeViet writes its name as the page's generator, and its news module's body is `#news-bodyhtml`.
FAMILY = Family("nukeviet", (r"<meta[^>]+content=[\"']NukeViet", r"id=[\"']news-bodyhtml[\"']"), _detected_site)
