"""qdnd.vn, Quân đội Nhân dân: the newspaper of the Vietnam People's Army (Central Military Commission).

What is real (research/real-markup README §qdnd.vn and its fragments/):
- the article page selectors of mourinhan8/qdnd-crawler @283989bf (January 2025; that crawler worked, its output is
  the real bodies in fragments/): title `h1.post-title`, lead `p.logo-online`, body `div[itemprop="articleBody"]`,
  listing links `article a`;
- the body's markup, read from four real bodies of 15-16 January 2025: each photo is a `<table align="center">` of
  two rows, the `<img>` and its caption (plain text, `<p><span>` or `<h2><span>`), captions without an "Ảnh:"
  credit; the byline is the last-but-one paragraph, `<p><strong>Tin, ảnh: NAME</strong></p>`, "Bài và ảnh: NAME"
  or "Bài, ảnh: NAME" (upper-case names); the last paragraph, "* Mời bạn đọc vào chuyên mục <a>…</a> xem các tin,
  bài liên quan.", in `<em>` or not, is boilerplate; `<p><strong>…</strong></p>` subheads are body text;
- the URL shape `/<section>/<subsection>/<slug>-<6-digit id>` with no extension (tag pages are `/tag/<slug>-<id>.html`),
  and the RSS feed `/rss/tin-moi-nhat.rss` (named in a public repository's file), hosts qdnd.vn and www.qdnd.vn.

What is a guess or unknown:
- the date: no crawler's date selector for the 2025 markup is known, and the date element is not in the fragments.
  No date selector is declared; the date comes from the page's metadata and the generic layer (the fixtures'
  date meta is a reconstruction too);
- the id rule accepts six digits or more (real ids are six digits; a seventh will come);
- whether the feed's item links use www. (both hosts are the one site here) and what its items hold;
- the page around the body (header, menus, related boxes): the fixtures' shells are reconstructions.

An older era (hailoc12/docbao, 2019, before the ~2022 redesign), kept here for multi-era support to declare later:
date `div.post-head`, lead `div.post-summary h2`, body `div.detail-post` (class "detail-post hnoneview"), photos
`table.imgEditor` with captions in `tr.alt_imgEditor`; images then under file.qdnd.vn/data/images/0/2020/… and
file.qdnd.vn/data/old_img/…. Its URL shape is not known, so it is not declared.

Operations: a public crawler's notes route qdnd.vn through a Vietnamese proxy because its WAF blocks other IPs.
The selectors are NOT checked on a live page from here (see tests/fixtures/qdnd/README.md).
"""

from crawler.sites.base import Selectors, Site

BODY = 'div[itemprop="articleBody"]'


def _paragraph_with(*texts: str) -> str:
    """CSS of a paragraph directly in the body whose text contains one of `texts` (cssselect's `:contains()`)."""
    return ", ".join(f'{BODY} > p:contains("{text}")' for text in texts)


SITE = Site(
    key="qdnd",
    name="Báo Quân đội Nhân dân",
    hosts=("qdnd.vn", "www.qdnd.vn"),
    start_urls=("https://www.qdnd.vn/rss/tin-moi-nhat.rss",),
    article_path=r"^/[^/?#]+/[^/?#]+/[^/?#]+-(?P<id>\d{6,})$",
    listing_links="article a[href]",
    selectors=Selectors(
        title="h1.post-title",
        lead="p.logo-online",
        body=BODY,
        # The role line before the name ("Tin, ảnh:", "Bài và ảnh:", "Bài, ảnh:"): the byline layer strips it.
        byline=_paragraph_with("Tin, ảnh:", "Tin và ảnh:", "Bài và ảnh:", "Bài, ảnh:"),
        # The closing "* Mời bạn đọc vào chuyên mục … xem các tin, bài liên quan." line (spaces inside it vary).
        exclude=(_paragraph_with("xem các tin, bài liên quan"),),
    ),
    notes="Selectors of a public crawler (January 2025) and real article bodies; not checked on a live page.",
)
