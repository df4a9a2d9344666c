"""SharePoint-style list portals: dangcongsan.vn from 2025 and some provincial party portals (research §2 and §7,
grade B: one public scraper).

What the family shares:
- listings are SharePoint list views `<base>/Lists/<List>/View.aspx`, page N at `View.aspx?Page=<N>`, the article
  links in `div#KhuVuc_3` (the page's third web-part zone);
- articles are list items `<base>/Lists/<List>/View_Detail.aspx?ItemID=<n>`. Item ids are numbered per list, so the
  key is "<List>:<n>" (the list name is the `scope` group);
- the item view: title `h1#contenttitle`, lead `div#description`, date `div#ngaytao`, text `div.noidungtt`,
  author `b#tacgia` ("Theo ..." prefix dropped by the byline layer).

SharePoint paths are case-insensitive: the fixed parts of the article rule are matched in any case, the list name
is kept as written (a link spelled "/lists/xaydungdang/" would get another key than "/Lists/XaydungDang/"; no such
link has been seen). The query may carry other parameters (canonical URLs sort them), so `ItemID` is searched
anywhere in it. Nothing here was checked on a live page.
"""

from __future__ import annotations

import re

from dataclasses import replace
from urllib.parse import urlsplit

from crawler.sites.base import Family, Selectors, Site

#: Where dangcongsan.vn's lists live; provincial portals may put them elsewhere.
BASE = "/noidung/tintuc"


def article_path(base: str = BASE) -> str:
    return (
        rf"^(?i:{re.escape(base)}/Lists/)(?P<scope>[A-Za-z0-9_]+)(?i:/View_Detail\.aspx)"
        r"\?(?:[^#]*&)?(?i:ItemID)=(?P<id>\d+)(?:&|$)"
    )


def sharepoint_list_site(
    *,
    key: str,
    name: str,
    hosts: tuple[str, ...],
    lists: tuple[str, ...],
    base: str = BASE,
    lead_credit: str | None = None,
    notes: str = "",
) -> Site:
    """A portal whose news are SharePoint lists under `base`; `lists` are the list names to walk, e.g.
    ("Tinhoatdong", "XaydungDang"). Each start URL is the list's first page (no query), which the `?Page=<N>`
    template extends."""
    base = "/" + base.strip("/")
    return Site(
        key=key,
        name=name,
        hosts=hosts,
        start_urls=tuple(f"https://{hosts[0]}{base}/Lists/{name}/View.aspx" for name in lists),
        article_path=article_path(base),
        listing_links="div#KhuVuc_3 a[href]",
        listing_page="{url}?Page={page}",
        query_params=("ItemID", "Page"),
        lead_credit=lead_credit,
        cms="sharepoint-list",
        selectors=Selectors(
            title="h1#contenttitle",
            date="div#ngaytao",
            lead="div#description",
            body="div.noidungtt",
            byline="b#tacgia",
        ),
        notes=notes or "SharePoint list selectors from one public scraper (research §2, B); not checked live.",
    )


def _detected_site(host: str, url: str) -> Site:
    site = sharepoint_list_site(key=host, name=host, hosts=(host,), lists=(),
                                notes="SharePoint recognised by its markup on an undeclared host.")
    return replace(site, start_urls=(f"https://{host}/",), scheme=urlsplit(url).scheme or "https", detected=True)


#: SharePoint names itself as the generator and serves its scripts from /_layouts/15/.
FAMILY = Family("sharepoint-list", (r"<meta[^>]+content=[\"']Microsoft SharePoint", r"/_layouts/15/"),
                _detected_site)
