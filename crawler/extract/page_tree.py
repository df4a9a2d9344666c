"""A page's HTML to the element tree the page objects read (lxml, parsed from UTF-8 bytes)."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from crawler.extract.text import decode_html

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
_PARSER = etree.HTMLParser(encoding="utf-8", remove_blank_text=False, collect_ids=False, remove_comments=True,
                          remove_pis=True)
# lxml.html's element classes, given by a C-level lookup (one class for every element) instead of lxml.html's own
# per-tag lookup in Python: the tree is then one trafilatura accepts as it is (the generic body engine reads the
# page object's tree instead of parsing the page a second time), at the cost of plain etree elements.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


def page_tree(html: str | bytes) -> tuple[str, etree._Element]:
    """A page's text and its element tree. An empty page is an empty document; control characters become spaces
    (never valid in HTML, and lxml refuses them in text it writes)."""
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
        html = _CONTROL.sub(" ", html)
        encoded = html.encode("utf-8", errors="replace")
    return html, _parse_utf8(encoded)


def parse_html(html: str) -> etree._Element:
    """The page's element tree: lxml.html elements, through a lookup as cheap as plain lxml.etree's (lxml.html's
    own parser looks each element's class up in Python each time it is touched, which was a tenth of the
    extraction time)."""
    return _parse_utf8(html.encode("utf-8", errors="replace"))


def _parse_utf8(data: bytes) -> etree._Element:
    root = etree.fromstring(data, _PARSER)
    return root if root is not None else etree.fromstring(b"<html><body></body></html>", _PARSER)


def _has_control(data: bytes) -> bool:
    """Whether UTF-8 `data` holds a control character `_CONTROL` matches. In UTF-8 these are single bytes that no
    multi-byte sequence contains, and deleting bytes is several times faster than a regex search over the text."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)
