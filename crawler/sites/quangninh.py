"""Tỉnh ủy Quảng Ninh: the Quang Ninh provincial Party Committee portal, on NukeViet (a guess).

GUESSED: the host quangninh.dcs.vn
(from the `<province>.dcs.vn` pattern of research §7; no real page or URL of this portal was seen,
and the news module renamed `tin-tuc`).

NukeViet is a GUESS for this portal, as are its news module's name and the category aliases (invented):
the `*.dcs.vn` portals run several CMSes (crawler/sites/families/nukeviet.py, "Which portals run it").
The fixtures in tests/fixtures/quangninh/ are reconstructions.
"""

from crawler.sites.families.nukeviet import nukeviet_site

SITE = nukeviet_site(
    "quangninh", "Tỉnh ủy Quảng Ninh", "quangninh.dcs.vn",
    module="tin-tuc",
    categories=("xay-dung-dang", "tin-hoat-dong"),
)
