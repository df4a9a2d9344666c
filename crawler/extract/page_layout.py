"""The page object's ground floor: one parsed page, the site's selectors looked up on it, its metadata, and where
the article's parts are (the headline and its element, the body container, the lead, what the body leaves out).

Each field is read through a chain of layers, the first that gives a value winning: the site's declared selectors
("site"), the page's own metadata ("metadata"), generic heuristics ("heuristic"); `_layered` runs a chain and
notes the winner in `extracted_with`. The site layer tries the selector of each of the site's eras (layouts, newest
first) in turn (`_era_value`); which era gave a field is noted in `eras_used` (not part of the record). The fields
are built on this in crawler.extract.page_body (lead, byline, body, photos), crawler.extract.page_dates
(publication and update dates) and crawler.extract.page (the record).
"""

from __future__ import annotations

import re
from datetime import datetime
from itertools import islice
from typing import Callable, TypeVar

from lxml import etree

from crawler.extract import bylines, heuristics
from crawler.extract.content import Content, read_content
from crawler.extract.css import PageSelector
from crawler.extract.dates import VN_TZ
from crawler.extract.lazy import lazy_property
from crawler.extract.metadata import PageMetadata, read_metadata
from crawler.extract.page_tree import page_tree
from crawler.extract.text import letters_key
from crawler.extract.urls import UrlJoiner
from crawler.sites.base import UNKNOWN_CMS, Selectors, Site

T = TypeVar("T")
Layer = str  # "site" | "metadata" | "heuristic"


class PageLayout:
    """One page (see crawler.extract.page.ArticlePage, the class to use)."""

    def __init__(self, url: str, html: str | bytes, site: Site | None = None, fetched_at: datetime | None = None):
        self.url = url
        self.site = site
        #: True for a page of a declared site (its zone, its dates' rules), even where a CMS family its markup
        #: shows lends the selectors (a site of unknown CMS: `self.site` then reads as detected)
        self.declared = site is not None and not site.detected
        self.fetched_at = (fetched_at or datetime.now(VN_TZ)).astimezone(VN_TZ).replace(microsecond=0)
        self.html, self.root = page_tree(html)
        if site is not None and site.cms == UNKNOWN_CMS:
            from crawler.sites.families import with_family  # families import this package's modules

            self.site = with_family(site, url, self.html)
        self.extracted_with: dict[str, Layer] = {}
        #: Selectors field -> the index of the site's era (0: newest) whose selector gave it.
        self.eras_used: dict[str, int] = {}
        self._join = UrlJoiner(url)  # photo and link URLs made absolute, each once for the whole page
        self._css_cache: dict[str, list[etree._Element]] = {}
        self._selector = PageSelector(self.root)

    # -- helpers ---------------------------------------------------------------------------------------------

    @property
    def layouts(self) -> tuple[Selectors, ...]:
        """The selectors of each of the site's eras, newest first."""
        return self.site.layouts if self.site else ()

    def _era_value(self, field: str, read: Callable[[str], T | None]) -> T | None:
        """The first value `read` gives for the `field` selector of the site's eras, newest first; the era that
        gave it is noted in `eras_used`."""
        for era, selectors in enumerate(self.layouts):
            css = getattr(selectors, field)
            value = read(css) if css else None
            if value is not None and not (isinstance(value, (str, list)) and not value):
                self.eras_used[field] = era
                return value
        return None

    def _era_text(self, field: str) -> str | None:
        return self._era_value(field, self._site_text)

    def _era_node(self, field: str, *, with_text: bool = False) -> etree._Element | None:
        def node(css: str) -> etree._Element | None:
            found = self._site_node(css)
            return found if found is not None and (not with_text or heuristics.has_text(found)) else None
        return self._era_value(field, node)

    @lazy_property
    def meta(self) -> PageMetadata:
        return read_metadata(self.root)

    @lazy_property
    def outlet_names(self) -> list[str]:
        """The outlet's own names (its site name, its host): never the page's byline."""
        return bylines.outlet_names(self.meta.site_name, self.url)

    def _css(self, css: str) -> list[etree._Element]:
        nodes = self._css_cache.get(css)
        if nodes is None:
            nodes = self._css_cache[css] = [n for n in self._selector.select(css) if isinstance(n, etree._Element)]
        return nodes

    def _site_node(self, css: str | None) -> etree._Element | None:
        if not css:
            return None
        nodes = self._css(css)
        return nodes[0] if nodes else None

    def _site_text(self, css: str | None) -> str | None:
        node = self._site_node(css)
        if node is None:
            return None
        return heuristics.element_text(node) or None

    def _layered(self, name: str, *layers: tuple[Layer, Callable[[], T | None]]) -> T | None:
        for layer, get in layers:
            value = get()
            if value:
                self.extracted_with[name] = layer
                return value
        return None

    # -- where the parts are ----------------------------------------------------------------------------------

    @lazy_property
    def title(self) -> str | None:
        return self._layered(
            "title",
            ("site", lambda: self._era_text("title")),
            ("heuristic", self._visible_headline),
            ("metadata", lambda: self.meta.title),
            ("heuristic", lambda: heuristics.find_title(self.root)),
        )

    def _visible_headline(self) -> str | None:
        """The page's h1 when it is the headline the metadata announces, in other words: sites rewrite og:title for
        search engines ("… quy định thuế mới" for "… quy định mới về thuế"); the reader's headline is the h1. Failing
        the first h1 and the metadata's headline, a later h1 (the first may be the site's name or empty) that is one
        wording of the headline (JSON-LD, og:title, twitter:title, <title>) with most words in common."""
        meta_title = self.meta.title
        if not meta_title and not self.meta.title_variants:
            return None
        outlet = {letters_key(n) for n in self.outlet_names}
        h1s = list(islice((h for h in self.root.iter("h1") if heuristics.has_text(h) and not heuristics.is_furniture(h)
                           and letters_key(heuristics.element_text(h)) not in outlet), 3))  # not the site's name
        text = heuristics.heading_text(h1s[0]) if h1s else ""
        if len(text) < 10 or text == meta_title:
            return None
        if text != heuristics.element_text(h1s[0]):  # a kicker in an element of its own, parted by heading_text:
            joined = _same_words_in_metadata(text, self.meta.title_variants)  # the metadata says how it joins
            if joined:
                return joined
        if meta_title and heuristics.same_headline(text, meta_title):
            return text
        for h1 in h1s:
            text = heuristics.heading_text(h1)
            if len(text) >= 10 and any(heuristics.same_headline(text, v, both=True) for v in self.meta.title_variants):
                return text
        return None

    @lazy_property
    def _title_element(self) -> etree._Element | None:
        node = self._era_node("title")
        if node is not None:
            return node
        h1 = next((h for h in self.root.iter("h1") if heuristics.has_text(h)), None)
        title = self.title
        if h1 is not None and (not title or letters_key(heuristics.heading_text(h1)) == letters_key(title)):
            return h1
        # No h1 holds the headline (a CMS that prints it in an h2, or a div marked as the title): the element whose
        # text is the title.
        for heading in self.root.iter("h1", "h2", "h3", "h4"):
            if heuristics.heading_text(heading) == title:
                return heading
        for el in self.root.iter("div", "span", "p", "strong"):
            if "title" in (el.get("class") or "").lower() and heuristics.element_text(el) == title:
                return el
        return h1

    @lazy_property
    def _container(self) -> tuple[Layer, etree._Element] | None:
        node = self._era_node("body", with_text=True)
        if node is not None:
            return "site", node
        generic = heuristics.find_body_container(self.root)
        return ("heuristic", generic) if generic is not None else None

    @lazy_property
    def _lead_element(self) -> tuple[Layer, etree._Element] | None:
        node = self._era_node("lead", with_text=True)
        if node is not None:
            return "site", node
        container = self._container[1] if self._container else None
        title = self._title_element
        scope = self._title_container_scope
        generic = heuristics.find_lead_element(scope if scope is not None else self.root, container, title)
        return ("heuristic", generic) if generic is not None else None

    @lazy_property
    def _content(self) -> Content:
        if self._container is None:
            return Content()
        return read_content(self._container[1], self._join, self._excluded)

    @lazy_property
    def _excluded(self) -> list[etree._Element]:
        """Nodes inside the body container that are not body text: the site's exclusions, the lead, the declared
        byline node (and its paragraph, when it is the paragraph's only text). Every era's exclusions apply: each
        names furniture of its own layout, which another era's page does not print."""
        exclude = [n for css in dict.fromkeys(c for s in self.layouts for c in s.exclude) for n in self._css(css)]
        if self._lead_element is not None:
            exclude.append(self._lead_element[1])
        byline = self._era_node("byline")
        if byline is not None:
            parent = byline.getparent()
            if parent is not None and heuristics.element_text(parent) == heuristics.element_text(byline):
                byline = parent
            exclude.append(byline)
        return exclude

    @lazy_property
    def _article_scope(self) -> etree._Element | None:
        container = self._container[1] if self._container else None
        if self._title_element is None or container is None:
            return container
        return self._title_container_scope

    @lazy_property
    def _title_container_scope(self) -> etree._Element | None:
        """The smallest element holding both the title and the body container (the lead, the lead photo and the
        dateline are looked for in it); None when either is missing."""
        container = self._container[1] if self._container else None
        title = self._title_element
        return _common_ancestor(title, container) if title is not None and container is not None else None


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element | None:
    ancestors_a = [a, *a.iterancestors()]
    chain_b = {id(e) for e in (b, *b.iterancestors())}
    return next((e for e in ancestors_a if id(e) in chain_b), None)


_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]*$")


def _same_words_in_metadata(text: str, variants: list[str]) -> str | None:
    """The metadata's wording of `text` when it has the same letters and digits ("Nationale Demo: Der 9. Juli naht"
    for "Nationale Demo Der 9. Juli naht"), the site's name after a last " | " or " - " left out."""
    key = letters_key(text)
    for variant in variants:
        for wording in (variant, _SITE_SUFFIX.sub("", variant)):
            if letters_key(wording) == key:
                return wording
    return None
