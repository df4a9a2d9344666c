"""DNN (DotNetNuke) "NewsView" news module: dangcongsan.vn from 2016 to early 2025, and sister sites on the same
module (cn.dangcongsan.vn, baovephapluat.vn, khuyennongvn.gov.vn; research §2, grade A for the URL rules and the
classes, B for the author node).

What the family shares:
- article `/<category>/<slug>-<id>.html` (www and bare host), key `-(\\d+)\\.html$` (research §9);
- category listings `/<category>`, page N at `/<category>/p/<N>`; items `div.pcontent3` with `a[title]` and a
  `div.i-date` ("Cập nhật lúc ...");
- the article view inside the module container `#dnn_NewsView_Main_ctl00_viewhinone`: title `h1.post-title`, date
  `div.lbPublishedDate` ("Thứ Năm, 14/09/2023 18:30 (GMT+7)"), lead `div.post-summary` (often an `h2` inside; sister
  sites spell it `div.postsummary`), text `div.post-content div.noidung`, author `div.tacgia`;
- photos are layout tables, not figures: image in row 2, caption in row 3; or `table.imageBox` with `p.PCaption`.
  The content walker reads both as photo blocks (a photo table's text outside the image is its caption).

The container id is matched on its suffix (`[id$="_viewhinone"]`): DNN builds the id from the pane and module
position ("dnn_NewsView_Main_ctl00_..."), which differ between sites and change when a page layout is edited.
Nothing here was checked on a live page; the selectors are written against the reconstructed fixtures in
tests/fixtures/dangcongsan_2016/.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from crawler.sites.base import Family, Selectors, Site

#: The NewsView module's article view; dangcongsan.vn's is "#dnn_NewsView_Main_ctl00_viewhinone".
CONTAINER = '[id$="_viewhinone"]'

#: "/<category>[/<sub>]/<slug>-<id>.html": at least one category segment, the id right before ".html". Slugs may
#: hold an en dash (a real dangcongsan.vn URL: /anh/festival-my-thuat-tre-2017–tu-duy-...-462814.html).
ARTICLE_PATH = r"^/(?:[\w-]+/)+[\w–-]*-(?P<id>\d+)\.html$"


def dnn_newsview_site(
    *,
    key: str,
    name: str,
    hosts: tuple[str, ...],
    start_urls: tuple[str, ...],
    lead_credit: str | None = None,
    container: str = CONTAINER,
    notes: str = "",
) -> Site:
    """A site on the DNN NewsView module. `start_urls` are category listings ("https://host/<category>");
    `lead_credit` is the regex of the outlet credit that opens the lead, such as "(ĐCSVN) - "."""
    c = f"{container} " if container else ""
    return Site(
        key=key,
        name=name,
        hosts=hosts,
        start_urls=start_urls,
        article_path=ARTICLE_PATH,
        listing_links="div.pcontent3 a[title][href]",
        listing_page="{url}/p/{page}",
        lead_credit=lead_credit,
        cms="dnn-newsview",
        selectors=Selectors(
            title=f"{c}h1.post-title",
            date=f"{c}div.lbPublishedDate",
            lead=f"{c}div.post-summary, {c}div.postsummary",
            body=f"{c}div.post-content div.noidung",
            byline=f"{c}div.tacgia",
        ),
        notes=notes or "DNN NewsView selectors from research §2 (A/B); not checked on a live page.",
    )


def _detected_site(host: str, url: str) -> Site:
    site = dnn_newsview_site(key=host, name=host, hosts=(host,), start_urls=(f"https://{host}/",),
                             notes="DNN NewsView recognised by its markup on an undeclared host.")
    return replace(site, scheme=urlsplit(url).scheme or "https", detected=True)


#: DNN (DotNetNuke) names itself as the generator, prefixes its panes' ids with dnn_ and serves /DesktopModules/.
FAMILY = Family("dnn-newsview", (r"<meta[^>]+content=[\"']DotNetNuke", r"id=[\"']dnn_", r"/DesktopModules/"),
                _detected_site)
