"""dangcongsan.vn, the Communist Party of Vietnam e-newspaper, in its 2016 to early-2025 layout (DNN "NewsView").

Use it for pages of that era: archived captures, and any live page still served in the old layout. The 2025
SharePoint-style portal on the same hosts is `crawler/sites/dangcongsan.py`; a URL goes to whichever declaration's
article rule it matches (`/<category>/<slug>-<id>.html` here, `.../View_Detail.aspx?ItemID=<n>` there).

REAL (/work/shared/research/real-markup/README.md, "dangcongsan.vn"), in two eras, newest first:
- the 2020s article page (libukai/RSSHub lib/routes/dangcongsan/channel.ts @1d0142df, the cn. edition, same CMS):
  date `.lbPublishedDate` in the shape "<weekday>, DD/MM/YYYY HH:mm" (crawler/extract/dates.py reads it, with or
  without the "(GMT+7)" the sister site baovephapluat.vn prints), lead `.post-summary`, body `.post-content`; title
  `h1.post-title` and the rest of the class set (`div.noidung`, `div.tacgia`, listing `div.ctrangc3`) are
  documented for the same CMS on baovephapluat.vn, not seen on dangcongsan.vn itself;
- 2019 (hailoc12/docbao bao_dang_cong_san_full_content.yaml @3af23da8, last run 02/06/2019): date
  `span.post-subinfo`, lead `div.post-summary`, body `div.post-content`, with `.post-tag` dropped (both eras drop it);
- URL shape `/<section>/<slug>-<6-digit id>.html` (an en dash may sit in the slug), the older CMS
  `/cpv/Modules/News/NewsDetail.aspx?co_id=..&cn_id=..` (not declared), the lead credit "(ĐCSVN) - ".

GUESSED: the `#dnn_NewsView_Main_ctl00_viewhinone` container (research §2, grade A for its name, but no crawler in
real-markup scopes by it), `div.noidung` inside `.post-content` and `div.tacgia` (from the sister site), the listing
rule `/<category>/p/<n>` with `div.pcontent3` items (the /thoi-su list of a public crawler used `div.pcontent3`, the
pager is a guess), and every date string of the fixtures. The selectors were NOT checked on a live page; the pages
in tests/fixtures/dangcongsan_2016/ are reconstructions.
"""

from dataclasses import replace

from crawler.sites.base import Era, Selectors
from crawler.sites.families.dnn_newsview import dnn_newsview_site

_SITE = dnn_newsview_site(
    key="dangcongsan_2016",
    name="Báo điện tử Đảng Cộng sản Việt Nam (bố cục 2016–2025)",
    hosts=("dangcongsan.vn", "www.dangcongsan.vn"),
    start_urls=("https://dangcongsan.vn/xay-dung-dang",),
    lead_credit=r"^\(\s*ĐCSVN\s*\)\s*[-–—]?\s*",
)

SITE = replace(_SITE, selectors=Selectors(), eras=(
    Era(replace(_SITE.selectors, exclude=(".post-tag",)), years="2020-2025",
        source="libukai/RSSHub dangcongsan/channel.ts @1d0142df; NewsView container and noidung/tacgia guessed"),
    Era(Selectors(title="h1.post-title", date="span.post-subinfo", lead="div.post-summary", body="div.post-content",
                  exclude=(".post-tag",)),
        years="2019", source="hailoc12/docbao bao_dang_cong_san_full_content.yaml @3af23da8 (last run 02/06/2019)"),
))
