"""Tỉnh ủy Bắc Giang: the Bac Giang provincial Party Committee portal.

REAL: the portal is tinhuybacgiang.org.vn, also named dcs.bacgiang.gov.vn (the province's Wikipedia infobox, in a
stored public page; real-markup README). It is NOT bacgiang.dcs.vn, the host this declaration had before: that host
was inferred from the `<province>.dcs.vn` pattern and is dropped, not kept as an alias (nothing says it serves these
paths, and the spider fetches articles at the canonical host). dcs.bacgiang.gov.vn is declared an alias on the
ASSUMPTION that both names serve the same portal and paths (the infobox names both for one site; unchecked).

REAL (/work/shared/research/real-markup/README.md, "*.dcs.vn provincial portals"): no public crawler's selectors
exist for any provincial portal, and real URLs show that the `*.dcs.vn` portals run at least three different CMSes:
`/uploads/news/YYYY_MM/...` (tayninh, noibo.kiengiang) and `/uploads/<module>/YYYY_MM/...` (thainguyen), which look
like NukeViet; `btgtu.binhthuan.dcs.vn/Trang-chu/post/1520/<slug>` with `/uploads/News/files/YYYYMM/...`; and
`tuyenquang.dcs.vn/Image/Large/...`. So NukeViet is a GUESS for this portal, as are its news module's name and
the category aliases (invented). The selectors (crawler/sites/families/nukeviet.py) come from the CMS's default
theme (CMS source, research §7 [A]) and are not checked on a live page; every field falls back to the page
metadata and the generic layer when they miss.
The fixtures in tests/fixtures/bacgiang/ are reconstructions.
"""

from crawler.sites.families.nukeviet import nukeviet_site

SITE = nukeviet_site(
    "bacgiang", "Tỉnh ủy Bắc Giang", "tinhuybacgiang.org.vn",
    module="news",
    categories=("xay-dung-dang", "tin-tuc-su-kien"),
    extra_hosts=("www.tinhuybacgiang.org.vn", "dcs.bacgiang.gov.vn"),
)
