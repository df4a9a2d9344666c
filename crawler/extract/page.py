"""The article page object: (url, html) in, one record out, each field from the first layer that gives it.

Layers, in order: the site's declared selectors ("site"; "family:<cms>" on a host nobody declared whose CMS
family was recognised: crawler.sites.families), the page's own metadata ("metadata"), generic heuristics
("heuristic"). `extracted_with` in the record names the layer that won for each field.

The page object is built in floors, each on the one below: crawler.extract.page_tree (the HTML parsed),
page_layout (the site's selectors and the page's metadata looked up; the headline, body container and lead
found), page_body (lead, byline, body, images), page_dates (publication and update dates), and here the last
fields and the record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.extract import heuristics
from crawler.extract.lazy import lazy_property
from crawler.extract.page_dates import PageDates
from crawler.extract.page_tree import parse_html
from crawler.extract.urls import canonicalize
from crawler.sites.base import Site

__all__ = ["RECORD_FIELDS", "ArticlePage", "extract_article", "parse_html"]

#: The fields of a record, in the order they are printed and stored.
RECORD_FIELDS = (
    "site", "url", "canonical_url", "article_id", "title", "lead", "body", "body_html", "byline", "published_at",
    "published_precision", "published_text", "published_zone", "updated_at", "category", "tags", "images",
    "fetched_at", "extracted_with",
)


class ArticlePage(PageDates):
    """One article page. `site` is its declaration, or None for a page of an undeclared site (generic layer only).

    `fetched_at` is when the page was served; it dates year-less datelines when the page has no "today" line.
    """

    @lazy_property
    def category(self) -> str | None:
        return self._layered(
            "category",
            ("site", lambda: self._era_text("category")),
            ("metadata", lambda: self.meta.section),
        )

    @lazy_property
    def tags(self) -> list[str]:
        site_tags = self._era_value("tags", lambda css: [t for t in (heuristics.element_text(n)
                                                                     for n in self._css(css)) if t]) or []
        return self._layered(
            "tags",
            ("site", lambda: site_tags),
            ("metadata", lambda: self.meta.keywords),
        ) or []

    @lazy_property
    def canonical_url(self) -> str:
        return self.site.canonical_url(self.url) if self.site else canonicalize(self.url)

    @lazy_property
    def looks_like_article(self) -> bool:
        """Whether the page is an article (for pages of undeclared sites): it says so in its metadata, or it has a
        headline, a publication date and a few paragraphs of text."""
        if self.meta.is_article:
            return bool(self.title and self.body)
        paragraphs = (self.body or "").split("\n\n")
        return bool(self._title_element is not None and self._published and len(paragraphs) >= 3
                    and sum(len(p) for p in paragraphs) >= 500)

    def to_record(self) -> dict[str, Any]:
        published = self._published
        record: dict[str, Any] = {
            "site": self.site.key if self.site else None,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "article_id": self.site.article_id(self.url, self.canonical_url) if self.site else None,
            "title": self.title,
            "lead": self.lead,
            "body": self.body,
            "body_html": self.body_html,
            "byline": self.byline,
            "published_at": published[0].isoformat() if published else None,
            "published_precision": published[0].precision if published else None,
            "published_text": published[1] if published else None,
            "published_zone": self.published_zone,
            "updated_at": self.updated_at,
            "category": self.category,
            "tags": self.tags,
            "images": self.images,
            "fetched_at": self.fetched_at.isoformat(),
        }
        layer = self.site.selector_layer if self.site else "site"
        record["extracted_with"] = {k: layer if self.extracted_with[k] == "site" else self.extracted_with[k]
                                    for k in RECORD_FIELDS if k in self.extracted_with}
        return record


def extract_article(url: str, html: str | bytes, site: Site | None = None,
                    fetched_at: datetime | None = None) -> dict[str, Any]:
    """The record of one article page (see `ArticlePage`)."""
    return ArticlePage(url, html, site, fetched_at).to_record()
