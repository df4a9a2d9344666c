"""tapchicongsan.org.vn, Tạp chí Cộng sản (Communist Review), a Liferay portal.

REAL (/work/shared/research/real-markup/README.md, "tapchicongsan.org.vn"): cuongpianna/crawl-binance spider 104
@dbdfe2e6 (2020-21) read listing links `h4.titleNews a`, the next page `a[aria-label="Next"]` (a `javascript:` href on
the last page), title `h2 a`, body `.detailContent` with photos `figure > img` and captions `figcaption`, lead
`.sumary` (sic), date `.publishdate` (class "publishdate mt15"), text like "22:45, ngày 22-11-2020" (read by
crawler/extract/dates.py: tests/date_battery.py holds it), author `.author`; hailoc12/docbao (2019) agrees on date,
lead (`div.sumary//strong`), body and figure/figcaption. So one era: the 2019-2021 layout. Real too: the URL
spellings `/vi_VN/web/guest/<cat>/-/2018/<id>/<slug>.aspx`, `/<cat>/-/2018/<id>/view_content`, the `/en_US/`
prefix, section URLs `/web/guest/chinh-tri-xay-dung-dang`, and the lead credit "TCCS - ". The key is the number
after the constant "2018" (§9; that "2018" is a constant and not a year is an inference, unverified).

GUESSED: that the layout is unchanged since 2021, and the canonical spelling
`https://tapchicongsan.org.vn/<cat>/-/2018/<id>/view_content` (see crawler/sites/families/liferay_tccs.py for why).
The selectors are NOT checked on a live page; the fixtures in tests/fixtures/tapchicongsan/ are reconstructions,
and every field falls back to page metadata and the generic layer when a selector misses.
"""

from crawler.sites.families.liferay_tccs import liferay_tccs_site

SITE = liferay_tccs_site(
    key="tapchicongsan",
    name="Tạp chí Cộng sản",
    hosts=("tapchicongsan.org.vn", "www.tapchicongsan.org.vn"),
    start_urls=("https://tapchicongsan.org.vn/web/guest/chinh-tri-xay-dung-dang",),
    lead_credit=r"^\s*TCCS\s*[-–—]\s*",
)
