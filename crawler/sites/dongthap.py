"""Tỉnh ủy Đồng Tháp: the Dong Thap provincial Party Committee portal, on NukeViet (a guess).

GUESSED: the host dongthap.dcs.vn
(from the `<province>.dcs.vn` pattern of research §7; no real page or URL of this portal was seen).

NukeViet is a GUESS for this portal, as are its news module's name and the category aliases (invented):
the `*.dcs.vn` portals run several CMSes (crawler/sites/families/nukeviet.py, "Which portals run it").
The fixtures in tests/fixtures/dongthap/ are reconstructions.
"""

from crawler.sites.families.nukeviet import nukeviet_site

SITE = nukeviet_site(
    "dongthap", "Tỉnh ủy Đồng Tháp", "dongthap.dcs.vn",
    module="news",
    categories=("xay-dung-dang", "thoi-su"),
)
