"""thanhuytphcm.vn, the Ho Chi Minh City Party Committee portal (formerly hcmcpv.org.vn).

URL rules, hosts and text conventions are known (research §1, grade A). The HTML selectors are NOT: no saved page
of this site is public, so they are written against the reconstructed fixtures in
tests/fixtures/thanhuytphcm/, and every field falls back to page metadata and the generic layer when they miss.
"""

from crawler.sites.base import Selectors, Site

SITE = Site(
    key="thanhuytphcm",
    name="Thành ủy TP. Hồ Chí Minh",
    hosts=("thanhuytphcm.vn", "www.thanhuytphcm.vn", "hcmcpv.org.vn", "www.hcmcpv.org.vn", "stxdd.thanhuytphcm.vn"),
    start_urls=("https://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416",),
    # /tin-tuc/<slug>-<id>, /tin-tap-chi/<issue>/<slug>-<id>, /tu-lieu/<group>/<slug>-<id>; slugs may start with "-".
    article_path=r"^/(?:tin-tuc|tin-tap-chi/[^/?#]+|tu-lieu/[^/?#]+)/[^/?#]*-(?P<id>\d{10})$",
    listing_links="div.news-list a[href]",
    next_page="ul.pagination a[rel=next]",
    lead_credit=r"^\(\s*(?:thanhuytphcm|hcmcpv)\.(?:vn|org\.vn)\s*\)\s*[-–—]?\s*",
    selectors=Selectors(
        title="div.news-detail h1.news-title",
        today="div.header-top span.today",
        lead="div.news-detail div.news-sapo",
        body="div.news-detail div.news-content",
        category="div.breadcrumb li:last-child a",
        tags="div.news-tags a",
    ),
    notes="Selectors reconstructed from the visible text of one real page; not yet checked on the live site.",
)
