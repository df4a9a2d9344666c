"""Text clean-up shared by extraction and the pipelines."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE_RUN = re.compile(r"[ \t\r\f\v\u00a0\u2007\u202f]+")
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() and "_"

#: Invisible format characters (Unicode category Cf) that text is better without: the soft hyphen, the zero-width
#: space, word joiner and no-break space (BOM), the bidirectional marks and embeddings, invisible operators and the
#: like. Kept, because they carry meaning: the Arabic and Kaithi number and end-of-ayah signs (U+0600-0605, U+06DD,
#: U+070F, U+0890-0891, U+08E2, U+110BD, U+110CD), Egyptian hieroglyph format controls and the emoji tag characters
#: (U+E0020-E007F, subdivision flags); and the zero-width non-joiner and joiner (U+200C, U+200D) between two
#: characters that are not Latin and not spaces, where Persian, Indic scripts and emoji sequences need them. Between
#: Latin letters, or beside a space, they do nothing but break search and comparison, and go.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001]")
#: A run of zero-width (non-)joiners after a Latin character, a space or the start, or before a space or the end.
_IDLE_JOINERS = re.compile("(?<![^\x00-\u02ff\u1e00-\u1eff\\s])[\u200c\u200d]+|[\u200c\u200d]+(?!\\S)")


def strip_invisible(text: str) -> str:
    """`text` without its invisible format characters (see _INVISIBLE): the one place they are removed, called by
    `clean`, `clean_line` and `has_visible_chars`, which every text field of a record goes through."""
    if text.isprintable():  # every format character is non-printable: most text needs no search
        return text
    text = _INVISIBLE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _IDLE_JOINERS.sub("", text)
    return text


class AttributePattern:
    """A case-insensitive regex over class, id or style text, with a quick way out. Such text is nearly always ASCII
    and holds none of `words`, one of which every match of the pattern contains: a few substring tests then say
    "no match" at a fraction of the cost of a search (these patterns start with no literal the engine can skip to).
    Non-ASCII text always goes to the regex, since under re.I some non-ASCII letters match ASCII ones ('ı', 'ſ')."""

    def __init__(self, pattern: str, words: tuple[str, ...]):
        self.regex = re.compile(pattern, re.I)
        self.words = words

    def search(self, text: str) -> bool:
        if text.isascii():
            lowered = text.lower()
            for word in self.words:
                if word in lowered:
                    break
            else:
                return False
        return self.regex.search(text) is not None


def clean(text: str | None) -> str:
    """NFC, every space-like character as one space, trimmed; newlines kept."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", strip_invisible(text))  # NFC after: a removed character may part a mark
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()


def clean_line(text: str | None) -> str:
    """`clean`, then everything on one line (str.split() already splits on every Unicode space, no-break too)."""
    if not text:
        return ""
    printable = text.isprintable()
    if not printable:
        text = strip_invisible(text)
    if not unicodedata.is_normalized("NFC", text):  # after: a removed character may have parted a letter and its mark
        text = unicodedata.normalize("NFC", text)
    if printable:
        # Every space character but " " is non-printable, and so are the invisible ones: text that is already one
        # clean line (a block's text checked again, a title, a name) comes back as it is, without a split and join.
        if "  " not in text and text[0] != " " and text[-1] != " ":
            return text
    return " ".join(text.split())


@lru_cache(maxsize=2048)
def letters_key(text: str | None) -> str:
    """Only the letters and digits of `text` (cleaned, NFC), lower-cased: two renderings of one paragraph, a
    headline and its metadata copy, a name and its spelling in the site's name, compare equal whatever their spaces
    and punctuation. (Cached: each paragraph of a generic page is compared twice, with what the page object placed
    and with its container.)"""
    return _NOT_ALNUM.sub("", clean_line(text).lower())


def has_visible_chars(text: str | None) -> bool:
    """Whether `clean_line(text)` is not empty, without building it: a character that is neither a space nor an
    invisible one. (NFC never turns a visible character into a space or back, so it need not run.)"""
    if not text or text.isspace():
        return False
    if text.isprintable():
        return True
    text = strip_invisible(text)
    return bool(text) and not text.isspace()


def join_paragraphs(paragraphs: list[str]) -> str:
    """Plain-text body: paragraphs separated by one blank line."""
    return "\n\n".join(p for p in (clean_line(p) for p in paragraphs) if p)


def undouble(text: str) -> str:
    """"A A" -> "A": a caption printed twice back to back (alt text or a hidden copy beside the visible one)."""
    text = clean_line(text)
    n = len(text)
    if n >= 9 and n % 2 == 1 and text[n // 2] == " " and text[: n // 2] == text[n // 2 + 1:]:
        return text[: n // 2]
    return text


#: What a Vietnamese page that is not UTF-8 is most likely written in. (VISCII and TCVN3, the other legacy Vietnamese
#: encodings, have no Python codec; their pages come out as windows-1258 text, no worse than before.)
LEGACY_VIETNAMESE = "cp1258"


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Page bytes to text. Valid UTF-8 is taken as UTF-8 whatever the page declares (a real party-youth page
    declares windows-1252 over UTF-8 bytes); otherwise the HTTP header, BOM or meta charset decides, unless it says
    UTF-8 (or nothing at all) over bytes that are not: such a page is legacy Vietnamese, read as windows-1258 when
    its bytes are mostly not UTF-8 (more undecodable bytes than UTF-8 letters; a UTF-8 page with a stray byte stays
    UTF-8) and windows-1258 leaves fewer undecodable bytes. windows-1258 writes tone marks as combining characters:
    its text comes back NFC, as every other page's."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from w3lib.encoding import html_to_unicode

    content_type = f"text/html; charset={declared}" if declared else None
    encoding, text = html_to_unicode(content_type, body)
    name = _codec_name(encoding)
    if name == "utf-8":  # the declaration (or the default) is contradicted by the bytes
        undecodable = text.count("\ufffd")
        utf8_letters = sum(1 for char in text if char > "\x7f") - undecodable
        legacy = body.decode(LEGACY_VIETNAMESE, errors="replace")
        if undecodable > utf8_letters and legacy.count("\ufffd") < undecodable:
            text, name = legacy, LEGACY_VIETNAMESE
    if name == LEGACY_VIETNAMESE and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _codec_name(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding
