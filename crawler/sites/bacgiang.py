"""Tỉnh ủy Bắc Giang: the Bac Giang provincial Party Committee portal.

REAL: the portal is tinhuybacgiang.org.vn, also named dcs.bacgiang.gov.vn (the province's Wikipedia infobox, in a
stored public page; real-markup README). It is NOT bacgiang.dcs.vn, the host this declaration had before: that host
was inferred from the `<province>.dcs.vn` pattern and is dropped, not kept as an alias (nothing says it serves these
paths, and the spider fetches articles at the canonical host). dcs.bacgiang.gov.vn is declared an alias on the
ASSUMPTION that both names serve the same portal and paths (the infobox names both for one site; unchecked).

NukeViet is a GUESS for this portal, as are its news module's name and the category aliases (invented):
the `*.dcs.vn` portals run several CMSes (crawler/sites/families/nukeviet.py, "Which portals run it").
The fixtures in tests/fixtures/bacgiang/ are reconstructions.
"""

from crawler.sites.families.nukeviet import nukeviet_site

SITE = nukeviet_site(
    "bacgiang", "Tỉnh ủy Bắc Giang", "tinhuybacgiang.org.vn",
    module="news",
    categories=("xay-dung-dang", "tin-tuc-su-kien"),
    extra_hosts=("www.tinhuybacgiang.org.vn", "dcs.bacgiang.gov.vn"),
)
