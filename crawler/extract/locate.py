"""Where on a page the generic layer found each field: the element that holds the title, the publication date as
printed, the lead, the body and the byline of an `ArticlePage` read without a site declaration.

What `add-site` induces selectors from (crawler.live.induce): a selector is good when it picks these elements.
Pure: a page object in, elements out; a field the page has no element for (a date only in the metadata, no
byline) is None.
"""

from __future__ import annotations

from lxml import etree

from crawler.extract import heuristics
from crawler.extract.dates import parse_date
from crawler.extract.page import ArticlePage

#: The fields located, as `Selectors` names them.
LOCATED_FIELDS = ("title", "date", "lead", "body", "byline")
#: A date or a byline is printed in a short element: longer ones are paragraphs that mention it.
_SHORT = 120
_NOT_SHOWN = frozenset({"script", "style", "head", "title", "meta", "link", "noscript", "template"})


def field_elements(page: ArticlePage) -> dict[str, etree._Element | None]:
    """Field -> the element that holds the value the page object gave it (see the module's docstring)."""
    record = page.to_record()
    return {
        "title": _title(page, record.get("title")),
        "date": _date(page, record.get("published_at")),
        "lead": page._lead_element[1] if page._lead_element else _holding(page, record.get("lead"), exact=True),
        "body": page._container[1] if page._container else None,
        "byline": _holding(page, record.get("byline"), exact=False),
    }


def _shown(page: ArticlePage) -> list[etree._Element]:
    return [el for el in page.root.iter(etree.Element)
            if isinstance(el.tag, str) and el.tag not in _NOT_SHOWN
            and not any(a.tag in _NOT_SHOWN for a in el.iterancestors())]


def _title(page: ArticlePage, title: str | None) -> etree._Element | None:
    element = page._title_element
    if element is not None and title and heuristics.element_text(element) == title:
        return element
    return _holding(page, title, exact=True)


def _holding(page: ArticlePage, value: str | None, exact: bool) -> etree._Element | None:
    """The deepest element whose text is `value` (exact), or holds it in a short text (not exact)."""
    if not value:
        return None
    found = None
    for el in _shown(page):
        text = "".join(el.itertext())
        if len(text) > max(_SHORT, len(value) * 2) or value not in " ".join(text.split()):
            continue
        if (heuristics.element_text(el) == value) if exact else len(text.strip()) <= len(value) + _SHORT // 2:
            found = _deeper(found, el)
    return found


def _date(page: ArticlePage, published_at: str | None) -> etree._Element | None:
    """The deepest shown element whose text reads as the publication date the page object gave, to the second."""
    if not published_at:
        return None
    reference = page._reference_date
    found = None
    for el in _shown(page):
        text = "".join(el.itertext())
        if len(text) > _SHORT or not any(c.isdigit() for c in text):
            continue
        parsed = parse_date(heuristics.element_text(el), reference)
        if parsed is not None and parsed.isoformat() == published_at:
            found = _deeper(found, el)
    return found


def _deeper(found: etree._Element | None, el: etree._Element) -> etree._Element:
    """The first element found, or one inside it (the value printed twice: its first place, as deep as it goes)."""
    if found is None or any(a is found for a in el.iterancestors()):
        return el
    return found
