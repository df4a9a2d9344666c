"""dangcongsan.vn, the Communist Party of Vietnam e-newspaper, in its 2016 to early-2025 layout (DNN "NewsView").

Use it for pages of that era: archived captures, and any live page still served in the old layout. The 2025
SharePoint-style portal on the same hosts is `crawler/sites/dangcongsan.py`; a URL goes to whichever declaration's
article rule it matches (`/<category>/<slug>-<id>.html` here, `.../View_Detail.aspx?ItemID=<n>` there).

Known (research §2, grade A): URL shapes, `/<category>/p/<n>` listing pages, the NewsView classes and the lead credit
"(ĐCSVN) - "; grade B: the author node `div.tacgia`, and a cookie wall in front of plain HTTP clients (nothing here
handles it). The selectors were NOT checked on a live page: they are written against the reconstructed fixtures in
tests/fixtures/dangcongsan_2016/.
"""

from crawler.sites.families.dnn_newsview import dnn_newsview_site

SITE = dnn_newsview_site(
    key="dangcongsan_2016",
    name="Báo điện tử Đảng Cộng sản Việt Nam (bố cục 2016–2025)",
    hosts=("dangcongsan.vn", "www.dangcongsan.vn"),
    start_urls=("https://dangcongsan.vn/xay-dung-dang",),
    lead_credit=r"^\(\s*ĐCSVN\s*\)\s*[-–—]?\s*",
)
