"""The article's text and photos, each from the first layer that gives it: lead, byline, body (text and sanitized
HTML) and images, on the parts crawler.extract.page_layout finds."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract import bylines, galleries, generic_body, heuristics
from crawler.extract.content import Block, Image, read_photo
from crawler.extract.lazy import lazy_property
from crawler.extract.page_layout import Layer, PageLayout
from crawler.extract.sanitize import sanitize
from crawler.extract.text import clean_line, join_paragraphs, letters_key

_PHOTO_BOXES = frozenset({"figure", "div", "table", "p"})
_PARAGRAPH_TAGS = frozenset({"p", "h2", "h3", "h4", "blockquote", "li"})


class PageBody(PageLayout):
    """One page's lead, byline, body and images (see crawler.extract.page.ArticlePage)."""

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
            ("site", lambda: self._era_value(
                "byline", lambda css: heuristics.byline_name(self._site_text(css) or "", declared=True))),
            ("metadata", lambda: bylines.person_names(self.meta.authors, self.outlet_names, heuristics.is_organisation)),
            ("heuristic", lambda: bylines.person_line(self._byline_block, self.outlet_names, heuristics.is_organisation)),
            ("heuristic", self._marked_author),
            ("heuristic", lambda: bylines.signature_after(self._container[1] if self._container else None)),
        )

    def _marked_author(self) -> str | None:
        """The names in the elements the page marks as its author (crawler.extract.bylines.marked_author)."""
        return bylines.marked_author(self._article_scope, self.root, self.outlet_names, heuristics.is_organisation)

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
            container_length = sum(len(b.text) for b in self._content.texts)
            scope = self._title_container_scope
            paragraphs = generic_body.paragraphs(self.root if scope is None else scope, self.root, self.url,
                                                 vietnamese, container_length, self._without_known_parts)
            if paragraphs is not None and not self._read_one_box(paragraphs, container_length):
                text = join_paragraphs(self._with_container_tail(paragraphs))
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

    def _read_one_box(self, paragraphs: list[str], container_length: int) -> bool:
        """Whether a general extractor's text is under half the container's where the container joins the boxes of
        an article split by ads or photos (crawler.extract.galleries.whole_article): it read one of them, and the
        container's own text is the article."""
        return 2 * sum(map(len, paragraphs)) < container_length and galleries.joins_boxes(self._container[1])

    def _with_container_tail(self, paragraphs: list[str]) -> list[str]:
        """A general extractor's paragraphs, and after them the body container's last paragraphs when it stopped
        short of them (at a gallery, photos or an ad that split the article's text): the container's paragraphs
        after the last one it has, in the same text box as that one or in a box of the same kind (a donation appeal
        or a list of other stories sits in boxes of their own), each a sentence or more (not a link or a label)."""
        if self._container is None:
            return paragraphs
        have = {letters_key(p) for p in paragraphs}
        blocks = self._content.blocks
        last = max((i for i, b in enumerate(blocks) if b.image is None and letters_key(b.text) in have),
                   default=None)
        if last is None:
            return paragraphs
        body = {id(b) for b in self._body_blocks}
        box = _box(blocks[last])
        tail = [b.text for b in blocks[last + 1:] if id(b) in body and b.link_ratio < 0.2 and len(b.text) >= 80
                and _same_box(_box(b), box)]
        return paragraphs + self._without_known_parts(tail) if tail else paragraphs

    def _without_known_parts(self, paragraphs: list[str]) -> list[str]:
        """Paragraphs of a general extractor's text, less what this page object has already placed elsewhere:
        the title, the lead (and its credit), photo captions and credits, the byline line."""
        lead = letters_key(self._lead_block[1]) if self._lead_block else ""
        captions = {letters_key(c) for i in self.images for c in (i["caption"], i["credit"]) if c}
        byline = {letters_key(t) for t in (self._byline_block.text if self._byline_block else "", self.byline or "",
                                            self.title or "")}
        kept = []
        for p in paragraphs:
            key = letters_key(p)
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


def _box(block: Block) -> etree._Element | None:
    """The element holding a text block's paragraph: its parent (the block's own element for bare text)."""
    el = block.element
    return el.getparent() if el is not None and el.tag in _PARAGRAPH_TAGS else el


def _same_box(a: etree._Element | None, b: etree._Element | None) -> bool:
    return a is not None and b is not None and (a is b or a.tag == b.tag and bool(a.get("class"))
                                                and a.get("class") == b.get("class"))


def _same_start(text: str, description: str) -> bool:
    a, b = clean_line(text).lower(), clean_line(description).lower().rstrip(".… ")
    n = min(len(b), 60)
    return n >= 20 and b[:n] in a[: n + 40]
