"""Tỉnh ủy Quảng Ninh: the Quang Ninh provincial Party Committee portal, on NukeViet (a guess).

GUESSED: the host quangninh.dcs.vn
(from the `<province>.dcs.vn` pattern of research §7; no real page or URL of this portal was seen,
and the news module renamed `tin-tuc`).

REAL (/work/shared/research/real-markup/README.md, "*.dcs.vn provincial portals"): no public crawler's selectors
exist for any provincial portal, and real URLs show that the `*.dcs.vn` portals run at least three different CMSes:
`/uploads/news/YYYY_MM/...` (tayninh, noibo.kiengiang) and `/uploads/<module>/YYYY_MM/...` (thainguyen), which look
like NukeViet; `btgtu.binhthuan.dcs.vn/Trang-chu/post/1520/<slug>` with `/uploads/News/files/YYYYMM/...`; and
`tuyenquang.dcs.vn/Image/Large/...`. So NukeViet is a GUESS for this portal, as are its news module's name and
the category aliases (invented). The selectors (crawler/sites/families/nukeviet.py) come from the CMS's default
theme (CMS source, research §7 [A]) and are not checked on a live page; every field falls back to the page
metadata and the generic layer when they miss.
The fixtures in tests/fixtures/quangninh/ are reconstructions.
"""

from crawler.sites.families.nukeviet import nukeviet_site

SITE = nukeviet_site(
    "quangninh", "Tỉnh ủy Quảng Ninh", "quangninh.dcs.vn",
    module="tin-tuc",
    categories=("xay-dung-dang", "tin-hoat-dong"),
)
