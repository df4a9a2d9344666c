"""dangcongsan.vn, the Communist Party of Vietnam e-newspaper, in its 2025 SharePoint-style portal.

Known from one public scraper (research §2, grade B): list views `/noidung/tintuc/Lists/<List>/View.aspx?Page=<n>`
with links in `div#KhuVuc_3`, items `View_Detail.aspx?ItemID=<n>` (key "<List>:<n>"), and the item view's ids
(`h1#contenttitle`, `div#description`, `div#ngaytao`, `div.noidungtt`, `b#tacgia`). The date string's shape is
NOT known; the lead credit "(ĐCSVN) - " is carried over from the older layouts (grade C for this one). The
selectors were NOT checked on a live page: they are written against the reconstructed fixtures in
tests/fixtures/dangcongsan/. Pages of the 2016–2025 layout belong to `dangcongsan_2016`.
"""

from crawler.sites.families.sharepoint_list import sharepoint_list_site

SITE = sharepoint_list_site(
    key="dangcongsan",
    name="Báo điện tử Đảng Cộng sản Việt Nam",
    hosts=("dangcongsan.vn", "www.dangcongsan.vn"),
    lists=("Tinhoatdong", "XaydungDang"),
    lead_credit=r"^\(\s*ĐCSVN\s*\)\s*[-–—]?\s*",
)
