"""clean_line and has_visible_chars take shortcuts for speed (text that is already one clean line, a first visible
character); they must give what the plain definitions give, on any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from crawler.extract.text import clean, clean_line, decode_html, has_visible_chars
from faultsite import to_cp1258

#: Letters (composed and decomposed; Latin, Persian, an emoji), every kind of space, line breaks and the invisible
#: characters.
ALPHABET = ("aáẢ\u0301e.-:یب\U0001f469" + " \u00a0\u2007\u202f\u3000\u2028\u0085\x1c\n\t\r"
            + "\u200b\u200c\u200d\ufeff\u00ad\u2060\u200e\u0600")
texts = st.one_of(st.text(st.sampled_from(ALPHABET), max_size=20), st.text(max_size=20))
#: Format characters that stay: the Arabic number signs, and the joiners between two characters neither Latin nor
#: a space (Persian, emoji).
KEPT_FORMAT = set("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd")
JOINERS = "\u200c\u200d"


def _latin_or_space(char: str) -> bool:
    return char <= "\u02ff" or "\u1e00" <= char <= "\u1eff" or char.isspace()


def reference_strip(text: str) -> str:
    """The definition of the invisible characters: every format character (category Cf) goes, but the kept ones,
    the emoji tags, hieroglyph controls, and runs of joiners that have a character neither Latin nor a space on both
    sides (once the other format characters are gone)."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cf" or c in KEPT_FORMAT or c in JOINERS
                   or "\U000e0020" <= c <= "\U000e007f" or "\U00013430" <= c <= "\U0001343f")
    out, i = [], 0
    while i < len(text):
        if text[i] not in JOINERS:
            out.append(text[i])
            i += 1
            continue
        j = i
        while j < len(text) and text[j] in JOINERS:
            j += 1
        if i > 0 and j < len(text) and not _latin_or_space(text[i - 1]) and not text[j].isspace():
            out.append(text[i:j])
        i = j
    return "".join(out)


def reference_clean_line(text: str) -> str:
    """The definition: the invisible characters removed, NFC, every run of spaces as one, trimmed."""
    return " ".join(unicodedata.normalize("NFC", reference_strip(text)).split())


@given(texts)
def test_clean_line_is_its_definition(text: str) -> None:
    assert clean_line(text) == reference_clean_line(text)


@given(texts)
def test_clean_line_of_a_clean_line_is_itself(text: str) -> None:
    once = clean_line(text)
    assert clean_line(once) == once


def test_invisible_characters_go_from_text_fields() -> None:
    """A soft hyphen, zero-width space, word joiner or BOM inside a word leaves the word whole; a joiner that
    Persian needs between two letters stays."""
    assert clean_line("Bundes\u00adtag\u200b-Wahl \ufeffund Wort\u2060bruch") == "Bundestag-Wahl und Wortbruch"
    assert clean_line("می\u200cخواهم") == "می\u200cخواهم"
    assert clean("Zei\u00adle eins\nZeile\u200b zwei") == "Zeile eins\nZeile zwei"


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
