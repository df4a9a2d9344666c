"""What splits an article's text on the page, for the generic layer: photo galleries (a run of boxes that each hold
one photo and its caption, with no class that says "caption": a slider's slides, a list of photos; each box is a
photo and its text that photo's caption, which read as paragraphs would end up in the body, the photos having
none), and the text boxes of one kind a gallery, a photo or an ad splits the article into (`whole_article`)."""

from __future__ import annotations

from lxml import etree

from crawler.extract.text import AttributePattern

#: Tags of a gallery's boxes (paragraphs are not: an article's paragraph may hold a small picture and text).
ITEM_TAGS = frozenset({"div", "li", "figure"})


def is_gallery_item(el: etree._Element) -> bool:
    """Whether `el` (a box holding one photo and at most a caption's worth of text, as the caller has checked) is one
    of two or more boxes of its tag in its parent, every one of them holding exactly one photo."""
    parent = el.getparent()
    if el.tag not in ITEM_TAGS or parent is None:
        return False
    boxes = 0
    for box in parent.iterchildren(el.tag):
        photos = box.iter("img")
        if next(photos, None) is None or next(photos, None) is not None:
            return False
        boxes += 1
    return boxes >= 2


_GALLERY_ATTR = AttributePattern(r"galler|slide|album|carousel|swiper|lightbox",
                                 ("galler", "slide", "album", "carousel", "swiper", "lightbox"))


def in_marked_gallery(el: etree._Element) -> bool:
    """Whether `el`'s parent is marked as a gallery, a slider or an album: there, a line after a photo is that
    photo's caption, however it is styled."""
    parent = el.getparent()
    return parent is not None and bool(_GALLERY_ATTR.search(f"{parent.get('class') or ''} {parent.get('id') or ''}"))


def whole_article(container: etree._Element) -> etree._Element:
    """The article around `container` when a gallery, a photo, an ad or an embed splits the article's text into
    several boxes of one kind (same tag, same class), side by side or each in a wrapper of one kind: the element
    holding them all, else `container` itself. The best-scored box alone would lose the paragraphs after the break,
    and the photos in it."""
    classes = container.get("class")
    if not classes:
        return container
    level = container
    for _ in range(2):
        parent = level.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return container
        for box in parent.iterchildren(level.tag):
            if box is not level and box.get("class") == level.get("class") and _holds_text_box(box, container):
                return parent
        level = parent
    return container


def _holds_text_box(box: etree._Element, container: etree._Element) -> bool:
    """Whether `box` is, or holds, a box of `container`'s kind with text in it."""
    boxes = [box] if box.tag == container.tag and box.get("class") == container.get("class") else [
        b for b in box.iter(container.tag) if b.get("class") == container.get("class")]
    return any("".join(b.itertext()).strip() for b in boxes)


def joins_boxes(element: etree._Element) -> bool:
    """Whether `element` is the whole article of text boxes `whole_article` joins (a general extractor may read
    only one of them)."""
    return any(whole_article(box) is element for box in element.iter() if box is not element and box.get("class"))
