"""Site selectors compile to XPath that libxml2 evaluates faster, and selectors that open with the same element share
its evaluation on a page (crawler/extract/css.py); they must select exactly what cssselect's own translation
selects, in the same order, for every selector of every declared site."""

from __future__ import annotations

from pathlib import Path

import pytest
from cssselect import HTMLTranslator
from lxml import etree

from conftest import SHARED, golden_pages
from crawler.extract.css import PageSelector, css_xpath
from crawler.extract.page import parse_html
from crawler.sites import all_sites, get_site
from crawler.extract.text import decode_html

#: Shapes the site declarations do not use (yet), with and without an element name.
MORE = (".a", "#a", "[id]", "[id$=x]", "[class~=a] b", ".a.b", "div.a > p", "div *", ".a:not(.b)", "p:first-child",
        "[lang|=vi] span", "a[href*=tag]", ".a .b .c", "li:last-child a", ":contains('Tác giả')")


def _selectors() -> list[str]:
    found: set[str] = set(MORE)
    for key in all_sites():
        site = get_site(key)
        for selectors in site.layouts:
            found.update(css for css in vars(selectors).values() if isinstance(css, str))
            found.update(selectors.exclude)
        found.update(css for css in (site.listing_links, site.next_page) if css)
    return sorted(found)


def _pages() -> list[Path]:
    pages = [p.with_suffix(".html") for p in golden_pages()]
    return pages + sorted((SHARED / "real-pages").glob("*.html"))


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem[:40])
def test_fast_xpath_selects_what_cssselect_selects(page: Path) -> None:
    root = parse_html(decode_html(page.read_bytes()))
    translator = HTMLTranslator()
    selector = PageSelector(root)  # one per page, as a page object has: heads shared between selectors
    for css in _selectors():
        expected = etree.XPath(translator.css_to_xpath(css))(root)
        assert css_xpath(css)(root) == expected, css
        assert selector.select(css) == expected, css
