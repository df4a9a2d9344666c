"""The article page object: (url, html) in, one record out, each field from the first layer that gives it.

Layers, in order: the site's declared selectors ("site"), the page's own metadata ("metadata"), generic heuristics
("heuristic"). `extracted_with` in the record names the layer that won for each field.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Callable, TypeVar

from lxml import etree

from crawler.extract.dates import VN_TZ, ParsedDate, parse_date
from crawler.extract import generic_body, heuristics
from crawler.extract.content import Block, Content, Image, read_content, read_photo
from crawler.extract.css import PageSelector
from crawler.extract.lazy import lazy_property
from crawler.extract.metadata import PageMetadata, read_metadata
from crawler.extract.sanitize import sanitize
from crawler.sites.base import Selectors, Site
from crawler.extract.text import clean_line, decode_html, join_paragraphs
from crawler.extract.urls import UrlJoiner, canonicalize

T = TypeVar("T")
Layer = str  # "site" | "metadata" | "heuristic"

_PHOTO_BOXES = frozenset({"figure", "div", "table", "p"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])

#: The fields of a record, in the order they are printed and stored.
RECORD_FIELDS = (
    "site", "url", "canonical_url", "article_id", "title", "lead", "body", "body_html", "byline", "published_at",
    "published_precision", "published_text", "updated_at", "category", "tags", "images", "fetched_at", "extracted_with",
)


class ArticlePage:
    """One article page. `site` is its declaration, or None for a page of an undeclared site (generic layer only).

    `fetched_at` is when the page was served; it dates year-less datelines when the page has no "today" line.
    """

    def __init__(self, url: str, html: str | bytes, site: Site | None = None, fetched_at: datetime | None = None):
        self.url = url
        self.site = site
        self.fetched_at = (fetched_at or datetime.now(VN_TZ)).astimezone(VN_TZ).replace(microsecond=0)
        encoded: bytes | None = None
        if isinstance(html, bytes):
            try:  # decode_html's first choice; the page's own bytes are then the UTF-8 to parse
                encoded, html = html, html.decode("utf-8")
            except UnicodeDecodeError:
                html = decode_html(html)
        if not html:
            html, encoded = "<html></html>", None
        if encoded is None:
            encoded = html.encode("utf-8", errors="replace")
        if _has_control(encoded):
            html = _CONTROL.sub(" ", html)  # never valid in HTML, and lxml refuses them in text it writes
            encoded = html.encode("utf-8", errors="replace")
        self.html = html
        self.root: etree._Element = _parse_utf8(encoded)
        self.extracted_with: dict[str, Layer] = {}
        self._join = UrlJoiner(url)  # photo and link URLs made absolute, each once for the whole page
        self._css_cache: dict[str, list[etree._Element]] = {}
        self._selector = PageSelector(self.root)

    # -- helpers ---------------------------------------------------------------------------------------------

    @property
    def selectors(self) -> Selectors:
        return self.site.selectors if self.site else Selectors()

    @lazy_property
    def meta(self) -> PageMetadata:
        return read_metadata(self.root)

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

    # -- fields ----------------------------------------------------------------------------------------------

    @lazy_property
    def title(self) -> str | None:
        return self._layered(
            "title",
            ("site", lambda: self._site_text(self.selectors.title)),
            ("heuristic", self._visible_headline),
            ("metadata", lambda: self.meta.title),
            ("heuristic", lambda: heuristics.find_title(self.root)),
        )

    def _visible_headline(self) -> str | None:
        """The page's h1 when it is the headline the metadata announces, in other words: sites rewrite og:title for
        search engines ("… quy định thuế mới" for "… quy định mới về thuế"); the reader's headline is the h1."""
        meta_title = self.meta.title
        if not meta_title:
            return None
        h1 = next((h for h in self.root.iter("h1") if not heuristics.is_furniture(h)), None)
        text = heuristics.element_text(h1) if h1 is not None else ""
        if len(text) < 10 or text == meta_title:
            return None
        return text if heuristics.same_headline(text, meta_title) else None

    @lazy_property
    def _title_element(self) -> etree._Element | None:
        node = self._site_node(self.selectors.title)
        if node is not None:
            return node
        h1 = next((h for h in self.root.iter("h1") if heuristics.has_text(h)), None)
        title = self.title
        if h1 is not None and (not title or heuristics.element_text(h1) == title):
            return h1
        # No h1 holds the headline (a CMS that prints it in an h2, or a div marked as the title): the element whose
        # text is the title.
        for heading in self.root.iter("h1", "h2", "h3", "h4"):
            if heuristics.element_text(heading) == title:
                return heading
        for el in self.root.iter("div", "span", "p", "strong"):
            if "title" in (el.get("class") or "").lower() and heuristics.element_text(el) == title:
                return el
        return h1

    @lazy_property
    def _container(self) -> tuple[Layer, etree._Element] | None:
        node = self._site_node(self.selectors.body)
        if node is not None and heuristics.has_text(node):
            return "site", node
        generic = heuristics.find_body_container(self.root)
        return ("heuristic", generic) if generic is not None else None

    @lazy_property
    def _lead_element(self) -> tuple[Layer, etree._Element] | None:
        node = self._site_node(self.selectors.lead)
        if node is not None and heuristics.has_text(node):
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
        byline node (and its paragraph, when it is the paragraph's only text)."""
        exclude = [n for css in self.selectors.exclude for n in self._css(css)]
        if self._lead_element is not None:
            exclude.append(self._lead_element[1])
        byline = self._site_node(self.selectors.byline)
        if byline is not None:
            parent = byline.getparent()
            if parent is not None and heuristics.element_text(parent) == heuristics.element_text(byline):
                byline = parent
            exclude.append(byline)
        return exclude

    @lazy_property
    def _lead_block(self) -> tuple[Layer, str] | None:
        """The lead as printed, credit included: a marked sapo element, or the first paragraph when the page's
        description repeats it, or a first paragraph that opens with a credit and a dateline."""
        if self._lead_element is not None:
            layer, el = self._lead_element
            return layer, heuristics.element_text(el)
        texts = self._content.texts
        if not texts:
            return None
        first = texts[0].text
        description = self.meta.description
        if description and len(texts) > 1 and _same_start(first, description):
            return "metadata", first
        credit = self._credit_re
        stripped = heuristics.strip_credit(first, credit)
        if len(texts) > 1 and (stripped != first or heuristics.find_dateline(stripped)) and texts[0].emphasis:
            return "heuristic", first
        return None

    @lazy_property
    def _credit_re(self) -> re.Pattern[str] | None:
        return re.compile(self.site.lead_credit, re.I) if self.site and self.site.lead_credit else None

    @lazy_property
    def lead(self) -> str | None:
        if self._lead_block is None:
            return None
        layer, text = self._lead_block
        self.extracted_with["lead"] = layer
        return heuristics.strip_credit(text, self._credit_re) or None

    @lazy_property
    def _byline_block(self) -> Block | None:
        return heuristics.find_byline(self._body_blocks_with_byline)

    @lazy_property
    def _body_blocks_with_byline(self) -> list[Block]:
        texts = self._content.texts
        if self._lead_element is None and self._lead_block is not None and texts:
            texts = texts[1:]
        return [b for b in texts if b.link_ratio < 0.6]

    @lazy_property
    def byline(self) -> str | None:
        return self._layered(
            "byline",
            ("site", lambda: heuristics.byline_name(self._site_text(self.selectors.byline) or "", declared=True)),
            ("metadata", lambda: _person_names(self.meta.authors)),
            ("heuristic", lambda: heuristics.byline_name(self._byline_block.text) if self._byline_block else None),
            ("heuristic", self._marked_author),
        )

    def _marked_author(self) -> str | None:
        """A name in an element the page marks as the author, in the article's own area."""
        scope = self._article_scope
        if scope is None:
            return None
        for el in heuristics.author_elements(scope):
            name = heuristics.byline_name(heuristics.element_text(el))
            if name:
                return name
        return None

    @lazy_property
    def _body_blocks(self) -> list[Block]:
        blocks = self._body_blocks_with_byline
        if self._byline_block is not None:
            blocks = [b for b in blocks if b is not self._byline_block]
        while blocks and heuristics.is_source_line(blocks[-1].text):
            blocks = blocks[:-1]
        byline = self.byline
        if byline:
            # A name byline_name finds is a part of the (clean) text it is given: a block that does not hold the
            # byline cannot be a byline line, and is kept without looking for a name in it.
            blocks = [b for b in blocks if byline not in b.text or heuristics.byline_name(b.text) != byline]
        return blocks

    @lazy_property
    def body(self) -> str | None:
        if self._container is None or self._container[0] == "heuristic":
            vietnamese = (self.root.get("lang") or "").lower().startswith("vi") or \
                generic_body.is_vietnamese(self.title or "")
            paragraphs = generic_body.paragraphs(self.html, self.url, vietnamese)
            if paragraphs is not None:
                text = join_paragraphs(self._without_known_parts(paragraphs))
                if text:
                    self.extracted_with["body"] = "heuristic"
                    return text
        if self._container is None:
            return None
        # Block texts are clean_line's output and never empty: join_paragraphs would only clean them again.
        text = "\n\n".join(b.text for b in self._body_blocks)
        if text:
            self.extracted_with["body"] = self._container[0]
            return text
        if self.meta.body:
            self.extracted_with["body"] = "metadata"
            return self.meta.body
        return None

    def _without_known_parts(self, paragraphs: list[str]) -> list[str]:
        """Paragraphs of a general extractor's text, less what this page object has already placed elsewhere:
        the title, the lead (and its credit), photo captions and credits, the byline line."""
        lead = _letters(self._lead_block[1]) if self._lead_block else ""
        captions = {_letters(c) for i in self.images for c in (i["caption"], i["credit"]) if c}
        byline = {_letters(t) for t in (self._byline_block.text if self._byline_block else "", self.byline or "",
                                         self.title or "")}
        kept = []
        for p in paragraphs:
            key = _letters(p)
            if not key or key in byline or key in captions:
                continue
            if lead and (key in lead or lead in key and len(key) - len(lead) < 40):
                continue
            if any(key.startswith(c) and len(key) - len(c) < 40 for c in captions if c):
                continue
            kept.append(p)
        return kept

    @lazy_property
    def body_html(self) -> str | None:
        if self._container is None:
            return None
        drop = {self._lead_element[1]} if self._lead_element else set()
        if self._byline_block is not None and self._byline_block.element is not None:
            drop.add(self._byline_block.element)
        drop.update(self._excluded)
        return sanitize(self._container[1], self._join, drop)

    @lazy_property
    def images(self) -> list[dict[str, str | None]]:
        images: list[Image] = []
        lead_photo = self._lead_photo()
        if lead_photo is not None:
            images.append(lead_photo)
        seen_captions: set[str] = {i.caption for i in images if i.caption}
        for image in self._content.images:
            if image.url is None and not image.caption:
                continue
            if image.caption and image.caption in seen_captions:
                image.caption = None  # the same caption printed twice (a hidden lightbox copy): once is enough
            if image.caption:
                seen_captions.add(image.caption)
            images.append(image)
        if images:
            self.extracted_with["images"] = self._container[0] if self._container else "heuristic"
        return [i.as_dict() for i in images]

    def _lead_photo(self) -> Image | None:
        """A photo between the title and the article container (outside both), with its caption."""
        title_el, container = self._title_element, self._container[1] if self._container else None
        if title_el is None or container is None:
            return None
        scope = self._title_container_scope
        if scope is None:
            return None
        lead_el = self._lead_element[1] if self._lead_element else None
        lead_ancestors = set(lead_el.iterancestors()) if lead_el is not None else set()
        container_ancestors = set(container.iterancestors())
        after_title = False
        # Document order, from the title up to the container; only the elements this loop looks at.
        for el in scope.iter(title_el.tag, container.tag, *_PHOTO_BOXES):
            if el is container:
                break
            if not after_title:
                after_title = el is title_el
                continue
            if el.tag not in _PHOTO_BOXES or el is lead_el or el in lead_ancestors or el in container_ancestors:
                continue
            if next(el.iterdescendants("img"), None) is not None:
                blocks = read_photo(el, self._join)
                if blocks:
                    return blocks[0]
        return None

    @lazy_property
    def _reference_date(self) -> datetime:
        """The page's "today" line if the site declares one, else when the page was fetched."""
        today = parse_date(self._site_text(self.selectors.today) or "", self.fetched_at)
        return today.value.replace(hour=23, minute=59) if today else self.fetched_at

    def _dateline_reference(self, dateline: str) -> datetime:
        """What dates a year-less dateline: a date in the article's URL or photo paths (uploads are dated), then the
        page's "today" line, then the fetch time. A context date with the dateline's day and month gives the year
        outright; another one dates the dateline within the month before it."""
        day_month = heuristics.day_month(dateline)
        contexts = heuristics.context_dates([self.url, self.meta.image or "", *(
            i["url"] or "" for i in self.images)])
        for found in contexts:
            if (found.day, found.month) == day_month:
                return datetime(found.year, found.month, found.day, 23, 59, tzinfo=VN_TZ)
        if contexts:
            nearest = min(contexts, key=lambda d: abs((d - self._reference_date.date()).days))
            return min(datetime(nearest.year, nearest.month, nearest.day, 23, 59, tzinfo=VN_TZ)
                       + timedelta(days=30), self._reference_date)
        return self._reference_date

    @lazy_property
    def _published(self) -> tuple[ParsedDate, str] | None:
        reference = self._reference_date

        def parsed(text: str | None) -> tuple[ParsedDate, str] | None:
            value = parse_date(text or "", reference)
            if value is None or value.value > reference.replace(hour=23, minute=59):
                return None
            return value, clean_line(text)

        def from_page() -> tuple[ParsedDate, str] | None:
            scope = self._article_scope
            if scope is not None:
                for text in heuristics.date_candidates(scope, self._title_element):
                    found = parsed(text)
                    if found:
                        return found
            dateline = heuristics.find_dateline(self.lead or "")
            if not dateline:
                return None
            value = parse_date(dateline, self._dateline_reference(dateline))
            return (value, dateline) if value and value.value <= reference.replace(hour=23, minute=59) else None

        return self._layered(
            "published_at",
            ("site", lambda: parsed(self._site_text(self.selectors.date))),
            ("metadata", lambda: parsed(self.meta.published)),
            ("heuristic", from_page),
        )

    @lazy_property
    def updated_at(self) -> str | None:
        """When the article says it was last modified (site node, then metadata); None if it does not say."""
        reference = self._reference_date
        layers: tuple[tuple[Layer, Callable[[], str | None]], ...] = (
            ("site", lambda: self._site_text(self.selectors.updated)), ("metadata", lambda: self.meta.modified))
        for layer, text in layers:  # the metadata only when the site's node gives no date
            value = parse_date(text() or "", reference)
            if value is not None:
                self.extracted_with["updated_at"] = layer
                return value.isoformat()
        return None

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

    @lazy_property
    def category(self) -> str | None:
        return self._layered(
            "category",
            ("site", lambda: self._site_text(self.selectors.category)),
            ("metadata", lambda: self.meta.section),
        )

    @lazy_property
    def tags(self) -> list[str]:
        site_tags = [heuristics.element_text(n) for n in self._css(self.selectors.tags)] \
            if self.selectors.tags else []
        return self._layered(
            "tags",
            ("site", lambda: [t for t in site_tags if t]),
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
            "updated_at": self.updated_at,
            "category": self.category,
            "tags": self.tags,
            "images": self.images,
            "fetched_at": self.fetched_at.isoformat(),
        }
        record["extracted_with"] = {k: self.extracted_with[k] for k in RECORD_FIELDS if k in self.extracted_with}
        return record


_PARSER = etree.HTMLParser(encoding="utf-8", remove_blank_text=False, collect_ids=False)


def parse_html(html: str) -> etree._Element:
    """The page's element tree. Plain lxml.etree elements: lxml.html's element classes cost a lookup each time an
    element is touched, which was a tenth of the extraction time."""
    return _parse_utf8(html.encode("utf-8", errors="replace"))


def _parse_utf8(data: bytes) -> etree._Element:
    root = etree.fromstring(data, _PARSER)
    return root if root is not None else etree.fromstring(b"<html><body></body></html>", _PARSER)


def _has_control(data: bytes) -> bool:
    """Whether UTF-8 `data` holds a control character `_CONTROL` matches. In UTF-8 these are single bytes that no
    multi-byte sequence contains, and deleting bytes is several times faster than a regex search over the text."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def extract_article(url: str, html: str | bytes, site: Site | None = None,
                    fetched_at: datetime | None = None) -> dict[str, Any]:
    """The record of one article page (see `ArticlePage`)."""
    return ArticlePage(url, html, site, fetched_at).to_record()


def _letters(text: str | None) -> str:
    """Only the letters and digits of `text`, lower-cased: two renderings of one paragraph compare equal."""
    return "".join(c for c in clean_line(text).lower() if c.isalnum())


def _same_start(text: str, description: str) -> bool:
    a, b = clean_line(text).lower(), clean_line(description).lower().rstrip(".… ")
    n = min(len(b), 60)
    return n >= 20 and b[:n] in a[: n + 40]


def _person_names(names: list[str]) -> str | None:
    people = [heuristics.byline_name(n) for n in names]
    people = [p for p in people if p]
    return ", ".join(people) if people else None


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element | None:
    ancestors_a = [a, *a.iterancestors()]
    chain_b = {id(e) for e in (b, *b.iterancestors())}
    return next((e for e in ancestors_a if id(e) in chain_b), None)
