"""clean_line and has_visible_chars take shortcuts for speed (text that is already one clean line, a first visible
character); they must give what the plain definitions give, on any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from crawler.extract.text import clean_line, decode_html, has_visible_chars
from faultsite import to_cp1258

#: Letters (composed and decomposed), every kind of space, line breaks and the invisible characters.
ALPHABET = "aáẢ\u0301e.-:" + " \u00a0\u2007\u202f\u3000\u2028\u0085\x1c\n\t\r" + "\u200b\u200c\u200d\ufeff"
texts = st.one_of(st.text(st.sampled_from(ALPHABET), max_size=20), st.text(max_size=20))


def reference_clean_line(text: str) -> str:
    """The definition: NFC, the invisible characters as spaces, every run of spaces as one, trimmed."""
    text = unicodedata.normalize("NFC", text)
    for invisible in "\u200b\u200c\u200d\ufeff":
        text = text.replace(invisible, " ")
    return " ".join(text.split())


@given(texts)
def test_clean_line_is_its_definition(text: str) -> None:
    assert clean_line(text) == reference_clean_line(text)


@given(texts)
def test_clean_line_of_a_clean_line_is_itself(text: str) -> None:
    once = clean_line(text)
    assert clean_line(once) == once


@given(texts)
def test_has_visible_chars_says_whether_the_clean_line_is_empty(text: str) -> None:
    assert has_visible_chars(text) == bool(reference_clean_line(text))


def test_all_text_is_the_joined_itertext_of_every_element() -> None:
    """all_text (libxml2's text serializer) gives exactly "".join(el.itertext()): comments, processing
    instructions, scripts, CDATA and entities included, on the fixture pages and on odd markup."""
    from conftest import golden_pages

    from crawler.extract.content import all_text
    from crawler.extract.page import parse_html

    odd = ["<div>a<!-- c -->b<?pi x?>c<script>s</script>d&amp;e&nbsp;f<![CDATA[g]]>h<p>i</p>j</div>tail",
           "<div><br/>x<style>y</style></div>", "<div>a<svg><text>t</text></svg>b<math>m</math></div>",
           "<div>&#0;&#xD800;x</div>", "<table><tr><td>1<td>2</table>"]
    roots = [parse_html(html) for html in odd]
    roots += [parse_html(p.with_suffix(".html").read_text(encoding="utf-8")) for p in golden_pages()]
    for root in roots:
        for el in root.iter():
            if isinstance(el.tag, str):
                assert all_text(el) == "".join(el.itertext())


_parts = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<script>", "</script>", "<style>", "</style>",
                          "<noscript>", "</noscript>", "<template>", "</template>", "<!-- c -->", "<b>", "</b>",
                          " ", "\n", "\u200b", "x", "Tin"])


@given(st.lists(_parts, max_size=30))
def test_has_text_says_whether_element_text_is_empty(parts: list[str]) -> None:
    """has_text's shortcut (a visible piece held by no script-like element) agrees with element_text everywhere."""
    from crawler.extract.heuristics import element_text, has_text
    from crawler.extract.page import parse_html

    root = parse_html("<html><body><div>" + "".join(parts) + "</div></body></html>")
    for el in root.iter():
        if isinstance(el.tag, str):
            assert has_text(el) == bool(element_text(el))


VIETNAMESE = "<html><head><meta charset='utf-8'><title>Tiêu đề</title></head><body>Đảng ủy phường Bến Nghé</body></html>"


def test_windows_1258_bytes_declared_utf8_are_read_as_windows_1258_in_nfc() -> None:
    legacy = to_cp1258(VIETNAMESE)  # tone marks combining, as windows-1258 writes them
    with_header = decode_html(legacy, "utf-8")
    assert with_header == VIETNAMESE and unicodedata.is_normalized("NFC", with_header)
    assert decode_html(legacy) == VIETNAMESE  # the meta charset alone says UTF-8


def test_a_utf8_page_with_a_stray_byte_stays_utf8() -> None:
    assert decode_html(VIETNAMESE.encode() + b"\xff", "utf-8") == VIETNAMESE + "\ufffd"


def test_declared_windows_1258_comes_back_nfc() -> None:
    assert decode_html(to_cp1258(VIETNAMESE).replace(b"utf-8", b"windows-1258")) == VIETNAMESE.replace(
        "utf-8", "windows-1258")
