"""Stored body_html keeps the article's markup and nothing that runs."""

from __future__ import annotations

from parsel import Selector

from crawler.extract.sanitize import sanitize


def test_scripts_handlers_and_javascript_urls_are_removed() -> None:
    doc = Selector(text='<div id="a"><p onclick="evil()">Một <font color="red">đoạn</font></p>'
                        '<script>alert(1)</script><style>p{}</style><iframe src="https://x"></iframe>'
                        '<a href="javascript:alert(1)">z</a><a href="/tin/1">tin</a>'
                        '<img src="/a.jpg" onerror="x()" data-src="/b.jpg"></div>')
    html = sanitize(doc.css("#a")[0].root, "https://e.vn/p")
    assert html == ('<div><p>Một đoạn</p><a>z</a><a href="https://e.vn/tin/1">tin</a>'
                    '<img src="https://e.vn/b.jpg"></div>')


def test_dropped_nodes_leave_the_rest_intact() -> None:
    doc = Selector(text='<div id="a"><p>Giữ lại</p><p id="b">Bích Quyên</p></div>')
    root = doc.css("#a")[0].root
    html = sanitize(root, "https://e.vn/", drop={doc.css("#b")[0].root})
    assert html == "<div><p>Giữ lại</p></div>"
    assert doc.css("#b")  # the page itself is not changed
