"""dangcongsan.vn, the Communist Party of Vietnam e-newspaper, in a 2025 SharePoint-style portal (a GUESS).

Known from one public scraper (research §2, grade B): list views `/noidung/tintuc/Lists/<List>/View.aspx?Page=<n>`
with links in `div#KhuVuc_3`, items `View_Detail.aspx?ItemID=<n>` (key "<List>:<n>"), and the item view's ids
(`h1#contenttitle`, `div#description`, `div#ngaytao`, `div.noidungtt`, `b#tacgia`). None of this is confirmed by
the real-markup collection (/work/shared/research/real-markup/README.md): every public crawler there, up to RSSHub's
route, reads dangcongsan.vn in the class set of `dangcongsan_2016` (`.lbPublishedDate`, `.post-summary`,
`.post-content`) and every real URL seen has the `/<section>/<slug>-<6-digit id>.html` shape. Whether dangcongsan.vn
ever served these SharePoint lists is therefore unconfirmed; the declaration stays because nothing contradicts it
either (a portal may host both), and a URL goes to the declaration whose article rule it matches. REAL: the lead
credit "(ĐCSVN) - " (many real quotes). GUESSED: the date string's shape, and every selector; the fixtures in
tests/fixtures/dangcongsan/ are reconstructions. Pages of the 2016–2025 layout belong to `dangcongsan_2016`.
"""

from crawler.sites.families.sharepoint_list import sharepoint_list_site

SITE = sharepoint_list_site(
    key="dangcongsan",
    name="Báo điện tử Đảng Cộng sản Việt Nam",
    hosts=("dangcongsan.vn", "www.dangcongsan.vn"),
    lists=("Tinhoatdong", "XaydungDang"),
    lead_credit=r"^\(\s*ĐCSVN\s*\)\s*[-–—]?\s*",
)
