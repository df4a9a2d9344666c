"""The news platform whose article body is `div.detail-content.afcbc-body`: baochinhphu.vn (the Government's paper,
since its 2022 redesign), nld.com.vn, tuoitre.vn, cafef.vn. Named here after that class; its maker is not named in
any source seen (its photo editor's `VCSortableInPreviewMode` / `IMSCurrentEditorEditObject` classes suggest VC
Corporation's, an inference).

What it is known from (public crawlers' code and saved body fragments found by code search on 3 December 2026;
no page was seen from here):
- the body `div.detail-content.afcbc-body` (`data-role="content"`; "clearfix" on baochinhphu.vn): a crawler's
  selector map for baochinhphu.vn (`div.detail-content.afcbc-body.clearfix p`, title `h1.detail-title`),
  giapham123/crawl-news-python for nld.com.vn (`.detail-title`, `.detail-content.afcbc-body`), several cafef.vn and
  tuoitre.vn scrapers (tuoitre: `h1.detail-title`, `time[data-role='publishdate']`; cafef:
  `span.pdate[data-role='publishdate']`; `h2.detail-sapo` for the lead);
- photos in the body as the editor writes them (saved bodies of cafef.vn and sister sites):
  `<div class="VCSortableInPreviewMode" type="Photo"><div><img ...></div><div class="PhotoCMS_Caption"><p>...</p>
  </div></div>` (or a `figure` with `figcaption.PhotoCMS_Caption`), and related-article boxes in the text,
  `<div type="RelatedOneNews" class="VCSortableInPreviewMode">`, which crawlers drop;
- article URLs `/<slug>-<id>.htm` with a long numeric id, a site prefix then yymmddhhmmss and milliseconds
  (real: baochinhphu.vn/...-102251029120855211.htm, ...-102241107154838.htm; cafef `.chn`); baochinhphu.vn feeds
  `/rss/<section>.rss` and `/home.rss`, sitemap `/sitemaps/google-news.xml` (named in public files).

NOT known: where each site prints the author (tuoitre's `div.detail-author-bot a.name` is one site's), so no byline
selector; the page around the article. Nothing was checked on a live page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.sites.base import Family, Selectors, Site

#: "/[<section>/]<slug>-<id>.htm" (or .chn), the id fifteen digits or more.
ARTICLE_PATH = r"^/(?:[^/?#]+/)*[^/?#]+-(?P<id>\d{15,})\.(?:htm|chn)$"

SELECTORS = Selectors(
    title="h1.detail-title",
    date='[data-role="publishdate"]',
    lead=".detail-sapo",
    body="div.detail-content.afcbc-body",
    exclude=('[type="RelatedOneNews"]',),
)


def _detected_site(host: str, url: str) -> Site:
    scheme = urlsplit(url).scheme or "https"
    return Site(key=host, name=host, hosts=(host,), start_urls=(f"{scheme}://{host}/",), article_path=ARTICLE_PATH,
                selectors=SELECTORS, cms="afcbc", scheme=scheme, detected=True,
                notes="afcbc platform recognised by its markup on an undeclared host.")


#: The body's class, which public crawlers read on four papers of this platform.
FAMILY = Family("afcbc", (r"class=[\"'][^\"']*\bafcbc-body\b",), _detected_site)
