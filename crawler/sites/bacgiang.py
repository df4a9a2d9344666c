"""Tỉnh ủy Bắc Giang: the Bac Giang provincial Party Committee portal, assumed to run NukeViet.

Research §7 (grade [A] for the NukeViet facts, from the CMS source) names `<province>.dcs.vn` and
`tinhuy<province>.vn` as the provincial portal hosts and says many run NukeViet. That THIS portal is at
bacgiang.dcs.vn and runs NukeViet with a `news` module is an ASSUMPTION to check live; the category aliases are
invented. The selectors (crawler/sites/families/nukeviet.py) come from the CMS's default theme and are not
checked on a live page; the fixtures in tests/fixtures/bacgiang/ are reconstructions.
"""

from crawler.sites.families.nukeviet import nukeviet_site

SITE = nukeviet_site(
    "bacgiang", "Tỉnh ủy Bắc Giang", "bacgiang.dcs.vn",
    module="news",
    categories=("xay-dung-dang", "tin-tuc-su-kien"),
)
