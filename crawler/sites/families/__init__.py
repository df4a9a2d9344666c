"""CMS families: functions that return a `Site` for one site on a shared platform, so a site module is a few lines.
Not site modules themselves (the registry only reads `SITE` from modules directly under crawler/sites/).

Each family also has a fingerprint (`FAMILY`, a `crawler.sites.base.Family`): a page of a host nobody declared that
carries the family's markup is read with the family's selectors, URL rule and listing rules (`detected_site`).
"""

from __future__ import annotations

from dataclasses import replace

from crawler.extract.urls import host_of
from crawler.sites.base import UNKNOWN_CMS, Family, Site
from crawler.sites.families import afcbc, dnn_newsview, liferay_tccs, nukeviet, sharepoint_list, wordpress, zce

#: Tried in this order; the first whose marks a page carries wins. WordPress comes last: a site on another CMS may
#: still load a WordPress asset (an embedded widget), never the reverse.
FAMILIES: tuple[Family, ...] = (nukeviet.FAMILY, dnn_newsview.FAMILY, sharepoint_list.FAMILY, liferay_tccs.FAMILY,
                                zce.FAMILY, afcbc.FAMILY, wordpress.FAMILY)

#: The marks are looked for in the page's first characters (the head and the top of the body), which keeps the
#: check cheap on large pages.
HEAD_CHARS = 65536


def detect_family(html: str) -> Family | None:
    """The CMS family whose markup `html` carries, or None."""
    head = html[:HEAD_CHARS]
    return next((family for family in FAMILIES if family.marks_page(head)), None)


def detected_site(url: str, html: str) -> Site | None:
    """The `Site` of an undeclared page's host, on the family its markup shows, or None when it shows none."""
    family = detect_family(html)
    host = host_of(url)
    if family is None or not host:
        return None
    return family.site_for(host, url)


def with_family(site: Site, url: str, html: str) -> Site:
    """`site` as it reads this page: a declaration whose CMS is not known (`cms=UNKNOWN_CMS`, which then declares
    no selector) takes the selectors of the family the page's markup shows, and its fields are recorded as the
    family's; any other site is returned as it is. The declaration's hosts, key and article rule stay: the crawl
    keyed its URLs by that rule before any page was seen."""
    if site.cms != UNKNOWN_CMS or site.detected:
        return site
    family = detect_family(html)
    if family is None:
        return site
    found = family.site_for(host_of(url) or site.hosts[0], url)
    return replace(site, selectors=found.selectors, eras=found.eras, cms=found.cms, detected=True)
