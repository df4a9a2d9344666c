"""WordPress: many small provincial and mass-organisation sites run it (public pages hotlink images from such
sites' /wp-content/uploads/, e.g. nhiepanhhanoi.org.vn); no declared site of this archive does.

Everything here is WordPress's own markup (its core and default themes, twentyfifteen to twentytwentyone:
template-tags.php, content-single.php), not a site's; a site's own theme may print none of the classes, and then
each field falls back to the page metadata (themes and SEO plugins write og:* and article:published_time) and the
generic layer:
- the fingerprint: core writes `<meta name="generator" content="WordPress X.Y">` (plugins and themes often remove
  it), `<link rel="https://api.w.org/" href=".../wp-json/">` (the REST API's discovery link), and loads the
  theme's and plugins' assets from /wp-content/themes/, /wp-content/plugins/ and /wp-includes/. A bare
  /wp-content/uploads/ path is NOT a mark: any page may show an image hotlinked from a WordPress site;
- the post: title `h1.entry-title`, text `div.entry-content`, date `time.entry-date` (the theme prints
  `<time class="entry-date published" datetime="...">` in the site's date format, and `time.updated` for the last
  edit), author `span.author.vcard` (its `a.url.fn.n` links /author/<nicename>/; `a[rel=author]` in other themes),
  categories `.cat-links a`, tags `.tags-links a`; Jetpack's share and related-posts boxes inside the text
  (`div.sharedaddy`, `#jp-relatedposts`) are not article text;
- URLs: `/?p=<ID>` (the default "plain" permalinks), `/YYYY/MM/DD/<slug>/` or `/YYYY/MM/<slug>/` (date-based
  permalinks), `/<slug>/` (post name permalinks); archives `/category/<slug>/`, `/tag/<slug>/`, `/author/<name>/`,
  page N of an archive `<archive>/page/N/`; the feed `/feed/`.

The article key is the post ID where the URL has one, else the slug (WordPress keeps slugs unique per post type), so
`/?p=12` and its pretty permalink are two keys of one post: a site that links both ways would store it twice. A
`/<slug>/` rule cannot tell a post from a static page ("/gioi-thieu-chung/"): only slugs holding a hyphen count,
and the archive, feed and wp-* paths never do.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from crawler.sites.base import Family, Selectors, Site

#: Path segments WordPress reserves for archives, feeds and its own files: never a post's slug.
RESERVED = r"(?:category|tag|author|page|feed|search|comments|wp-[\w-]+)(?:/|$)"

#: "/?p=<ID>" (the ID is the key), or "/[YYYY/MM/[DD/]]<slug>/" (the slug, which must hold a hyphen).
ARTICLE_PATH = (r"^/(?:\?(?:[^#]*&)?p=|(?!" + RESERVED + r")(?:\d{4}/\d{2}/(?:\d{2}/)?)?)"
                r"(?P<id>(?<==)\d+|[^/?#.]*-[^/?#.]*)(?:/?$|&)")

SELECTORS = Selectors(
    title="h1.entry-title",
    date="time.entry-date",
    updated="time.updated",
    body="div.entry-content",
    byline='span.author.vcard, a[rel="author"]',
    category=".cat-links a",
    tags=".tags-links a",
    exclude=("div.sharedaddy", "#jp-relatedposts"),
)


def _detected_site(host: str, url: str) -> Site:
    scheme = urlsplit(url).scheme or "https"
    return Site(key=host, name=host, hosts=(host,), start_urls=(f"{scheme}://{host}/feed/", f"{scheme}://{host}/"),
                article_path=ARTICLE_PATH, selectors=SELECTORS, listing_page="{url}/page/{page}/",
                cms="wordpress", scheme=scheme, detected=True,
                notes="WordPress recognised by its markup on an undeclared host.")


#: The generator meta, the REST API link and the theme/plugin/core asset paths (see the module's docstring).
FAMILY = Family("wordpress", (
    r"<meta[^>]+name=[\"']generator[\"'][^>]+content=[\"']WordPress",
    r"<meta[^>]+content=[\"']WordPress[^>]+name=[\"']generator[\"']",
    r"<link[^>]+rel=[\"']https://api\.w\.org/[\"']",
    r"(?:href|src)=[\"'][^\"']*/wp-(?:content/(?:themes|plugins)|includes)/",
), _detected_site)
