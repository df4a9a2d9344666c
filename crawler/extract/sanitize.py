"""Sanitized article HTML: a whitelist of tags and attributes, absolute URLs, no script of any kind."""

from __future__ import annotations

from copy import deepcopy

from lxml import etree, html

from crawler.extract.content import is_junk
from crawler.extract.text import strip_invisible
from crawler.extract.urls import UrlJoiner, joiner

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "sub", "sup", "blockquote", "ul", "ol",
    "li", "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "td", "th", "caption", "span", "div",
})
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"},
                 "th": {"colspan", "rowspan"}}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_NONE: frozenset[str] = frozenset()


def sanitize(element: etree._Element, base_url: str | UrlJoiner, drop: set[etree._Element] | None = None) -> str:
    """Serialize `element` keeping only harmless markup: unknown tags are unwrapped, dangerous ones removed."""
    join = joiner(base_url)
    drop = drop or set()
    marker = "data-newsarchive-drop"
    for el in drop:
        el.set(marker, "1")
    try:
        tree = deepcopy(element)
    finally:
        for el in drop:
            el.attrib.pop(marker, None)
    elements = list(tree.iter())
    for el in elements:
        if el is tree:
            continue
        if not isinstance(el.tag, str) or el.get(marker) or is_junk(el):
            _remove(el)
    for el in list(tree.iter()):  # (`elements` still holds their Python proxies: lxml reuses them, none built anew)
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag == "img":
            lazy = el.get("data-src") or el.get("data-original")
            if lazy:
                el.set("src", lazy)
        names = el.keys()
        if names:  # most elements have no attribute: no attribute proxy to build
            _keep_attributes(el, names, ALLOWED_ATTRS.get(tag, _NONE), join)
        if el is not tree and tag not in ALLOWED_TAGS:
            _unwrap(el)
    tree.tag = "div"
    tree.attrib.clear()
    return strip_invisible(html.tostring(tree, encoding="unicode", method="html").strip())


def _keep_attributes(el: etree._Element, names: list[str], allowed: frozenset[str] | set[str], join: UrlJoiner) -> None:
    """Drop the attributes `el` may not keep; make its href or src absolute, or drop it if it is not a safe URL."""
    attrib = el.attrib
    for name in names:
        if name not in allowed:
            del attrib[name]
    for name in ("href", "src"):
        if name in allowed and name in names:
            url = join(attrib[name].strip())
            if url.lower().startswith(_SAFE_SCHEMES):
                attrib[name] = url
            else:
                del attrib[name]


def _unwrap(el: etree._Element) -> None:
    """Replace `el` by its content: its text, children and tail stay where it was."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    previous = el.getprevious()
    text = el.text or ""
    if text:
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
    children = list(el)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = el.tail or ""
    if tail:
        last = children[-1] if children else el.getprevious()
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
