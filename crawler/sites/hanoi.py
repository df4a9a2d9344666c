"""The Hanoi Party Committee's portal (Thành ủy Hà Nội / Đảng bộ thành phố Hà Nội): TREATED AS UNKNOWN.

What is known (research/party-sites.md §6, and public files found on 3 December 2026): the names hanoi.dcs.vn and
hanoi.org.vn; services on sub-domains of hanoi.dcs.vn (dvc.hanoi.dcs.vn, a public-services login, and
sotaydangvien.hanoi.dcs.vn, the party members' handbook, whose images live under /TaiLieu/LichCongTac/YYYY-MM/). No
public crawler's selector, no article URL, no feed and no sitemap of the portal itself was found.

So this declaration says nothing it does not know: no selector (every field comes from the page metadata and the
generic layer); the start URL is the home page, whose article links the rule keeps, and robots.txt's sitemaps
come in through the spider. GUESSED, all of it: that hanoi.dcs.vn is the canonical host and hanoi.org.vn an alias
serving the same paths, https, and the article rule below (a slug ending in "-<id>" of four digits or more, with an
optional .html/.htm/.aspx, the shape most Vietnamese portals use). `newsarchive check-site hanoi` or
`add-site https://hanoi.dcs.vn/ --key hanoi` on a live run should replace the guesses. Its CMS is declared unknown
(`UNKNOWN_CMS`): a page whose markup shows a CMS family (NukeViet, say) is read with that family's selectors, and
`extracted_with` says `family:<cms>`; the guessed article rule stays (URLs are keyed before any page is read).
The fixtures (tests/fixtures/hanoi/) are wholly invented.
"""

from crawler.sites.base import UNKNOWN_CMS, Site

SITE = Site(
    key="hanoi",
    name="Thành ủy Hà Nội (cổng thông tin)",
    hosts=("hanoi.dcs.vn", "www.hanoi.dcs.vn", "hanoi.org.vn", "www.hanoi.org.vn"),
    start_urls=("https://hanoi.dcs.vn/",),
    article_path=r"^/(?:[^/?#]+/)*[^/?#]+-(?P<id>\d{4,})(?:\.html?|\.aspx)?/?$",
    cms=UNKNOWN_CMS,
    notes="Nothing known of its pages (research §6): no selector, guessed article rule; fields from the fallbacks.",
)
