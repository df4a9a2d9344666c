"""tapchicongsan.org.vn, Tạp chí Cộng sản (Communist Review), a Liferay portal.

What is known (research §3, grade B: one public scraper, about 2020): article URLs `/web/guest/<cat>/-/2018/<id>/
<slug>.aspx`, the same under `/vi_VN/` and `/en_US/` locale prefixes (Vietnamese text under both: the URL says
nothing about the language) and `/<cat>/-/2018/<id>/view_content`; the key is the number after the fixed token
"2018" (§9). Listing `h4.titleNews a`, next page `a[aria-label="Next"]` (a `javascript:` href on the last page);
title `h2 a`, lead `.sumary`, body `.detailContent` with `figure > figcaption`, author `.author`, date `.publishdate`
("22:45, ngày 22-11-2020"), lead credit "TCCS - ".

Canonical URL: `https://tapchicongsan.org.vn/<cat>/-/2018/<id>/view_content` (see crawler/sites/families/
liferay_tccs.py for why). The selectors are NOT checked on a live page; the fixtures in tests/fixtures/tapchicongsan/
are reconstructions, and every field falls back to page metadata and the generic layer when a selector misses.
"""

from crawler.sites.families.liferay_tccs import liferay_tccs_site

SITE = liferay_tccs_site(
    key="tapchicongsan",
    name="Tạp chí Cộng sản",
    hosts=("tapchicongsan.org.vn", "www.tapchicongsan.org.vn"),
    start_urls=("https://tapchicongsan.org.vn/web/guest/chinh-tri-xay-dung-dang",),
    lead_credit=r"^\s*TCCS\s*[-–—]\s*",
)
