"""xaydungdang.org.vn, Tạp chí Xây dựng Đảng (Party Building magazine).

What is known (research §4, mostly grade C): article URLs `/<category>/<slug>-<id>`, on both the bare and the www
host; photos under `/Uploads/Images/YYYY/MM/DD/NN/<file>.jpg`; the lead opens with the credit "XDĐ - "; captions in
`figure > figcaption` with a trailing "Ảnh: ..." credit.

The HTML selectors below are GUESSES, not facts. Reasoning: the upload path `/Uploads/Images/YYYY/M/D/NN/` has the
same odd shape as tuyengiao.vn's `/Uploads/YYYY/M/D/NN/` (research §5), which hints at one CMS vendor, so the guess
reuses tuyengiao's "story_*" class names for title, teaser, date and body, with `figure` photos as §4 reports. The
pager is guessed too, with a `?page=N` template as fallback. When a guess misses, the field comes from page metadata
(og:*) and the generic layer; one fixture page is deliberately in a layout these guesses do not match.

From 2025 links point at `xaydungdang.tapchicongsan.org.vn/<category>/<slug>[-<id>].html`, some without an id
(research §4, grade C). That host is NOT declared as an alias: (1) the spider fetches an article at its canonical URL,
and an alias would send requests for `.../<slug>-<id>.html` to xaydungdang.org.vn, which serves a different path
form; (2) nothing shows that the new ids continue the old id space, and a shared key over two id spaces would merge
different articles. So links to the new host are not followed by this declaration. Were it declared, slug-only
`.html` links still could not be keyed (the rule needs a numeric id) and would be skipped as non-articles. The rule
below does accept an optional `.html` on the old host, as research §9 lists both forms.
"""

from crawler.sites.base import Selectors, Site

SITE = Site(
    key="xaydungdang",
    name="Tạp chí Xây dựng Đảng",
    hosts=("xaydungdang.org.vn", "www.xaydungdang.org.vn"),
    start_urls=("https://xaydungdang.org.vn/thuc-tien-kinh-nghiem",),
    # Category then slug-id: a one-segment path is a category page, never an article.
    article_path=r"^/[^/?#]+/[^/?#]+-(?P<id>\d+)(?:\.html)?$",
    # No listing markup is known: every link on a listing page that matches the article rule is taken.
    listing_links="a[href]",
    next_page="div.datapager span.active + a",  # guess
    listing_page="{url}?page={page}",  # guess, used where no next link is found
    lead_credit=r"^\s*XDĐ\s*[-–—]\s*",
    selectors=Selectors(  # every one a guess (see the docstring)
        title="span.story_headline",
        date="span.story_date",
        lead=".story_teaser",
        body=".story_body",
    ),
    notes="Selectors are guesses (research §4, grade C: nothing known of the HTML); not checked on a live page.",
)
