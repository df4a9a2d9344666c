"""Tỉnh ủy Quảng Ninh: the Quang Ninh provincial Party Committee portal, assumed to run NukeViet.

Research §7 (grade [A] for the NukeViet facts, from the CMS source) names `<province>.dcs.vn` and
`tinhuy<province>.vn` as the provincial portal hosts and says many run NukeViet. That THIS portal is at
quangninh.dcs.vn and runs NukeViet, with its news module renamed `tin-tuc`, is an ASSUMPTION to check live; the
category aliases are invented. The selectors (crawler/sites/families/nukeviet.py) come from the CMS's default
theme and are not checked on a live page; the fixtures in tests/fixtures/quangninh/ are reconstructions.
"""

from crawler.sites.families.nukeviet import nukeviet_site

SITE = nukeviet_site(
    "quangninh", "Tỉnh ủy Quảng Ninh", "quangninh.dcs.vn",
    module="tin-tuc",
    categories=("xay-dung-dang", "tin-hoat-dong"),
)
