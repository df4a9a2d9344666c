"""tuyengiao.vn, the portal of the Central Propaganda Commission (Ban Tuyên giáo Trung ương).

What is known (research §5, grade B: one public scraper, about 2020): article URLs `/<category>/<slug>-<id>` or
`/<slug>-<id>` (key `-(\\d+)$`, §9; real ids are six digits, e.g. `/chu-tich-ho-chi-minh-trong-long-ban-be-quoc-te-139821`);
listing links `div.zonepage-l h4 a`, pager `div.datapager span.active + a`; title `span.story_headline`, lead
`.story_teaser`, date `span.story_date`, body `.story_body`, lead photo `.story_avatar_b img` with its caption in
`.story_avatar_b span`, inline photos `table.tbl-image` with captions in `td.td-image-desc p`; the author is the last
`p` of `#ArticleContent`. Photos live under `/Uploads/YYYY/M/D/NN/<file>.jpg` (seen in links to the site).

Choices made here:
- the id must have five digits or more, so that a category slug ending in a year or a number ("...-2020",
  "covid-19") is not taken for an article;
- no byline selector: "the last p" is the article's last paragraph whether or not it is a name, and a declared
  selector's text is used as the byline even when it does not look like one. The generic byline rule (a short last
  paragraph that reads as a name) covers exactly this convention;
- the date string format and the header date line of the fixtures are invented: research gives neither.

In 2025 the commission merged with the Mass Mobilisation Commission and the site appears as tuyengiaodanvan.vn. It
is NOT declared as an alias here: nothing is known of its URL paths, and the spider fetches an article at its
canonical URL, so an alias is only safe for a host that serves the very same paths.

The selectors are NOT checked on a live page (see tests/fixtures/tuyengiao/README.md); every field falls back to page
metadata and the generic layer when a selector misses.
"""

from crawler.sites.base import Selectors, Site

SITE = Site(
    key="tuyengiao",
    name="Ban Tuyên giáo Trung ương",
    hosts=("tuyengiao.vn", "www.tuyengiao.vn"),
    start_urls=("https://tuyengiao.vn/thoi-su",),
    article_path=r"^/(?:[^/?#]+/)?[^/?#]+-(?P<id>\d{5,})$",
    listing_links="div.zonepage-l h4 a[href]",
    next_page="div.datapager span.active + a",
    selectors=Selectors(
        title="span.story_headline",
        date="span.story_date",
        lead=".story_teaser",
        body=".story_body",
    ),
    notes="Selectors from one public scraper (research §5, grade B); not checked on a live page.",
)
