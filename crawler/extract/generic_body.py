"""The generic layer's body text engine: trafilatura, chosen by measurement (bench/extraction.py).

On the 181-page article-extraction benchmark its body text scores higher than our own container heuristics; the
Vietnamese field logic (lead, byline, captions, dates) stays ours and is applied around it. Used only where a site's
body selector missed or the site is not declared; declared sites never pay its cost.
"""

from __future__ import annotations

from lxml import etree

from crawler.extract.text import clean_line


#: Letters only Vietnamese writes (tone marks on top of a circumflex or horn, ơ, ư, đ).
_VIETNAMESE = frozenset("ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơư")


def is_vietnamese(text: str) -> bool:
    letters = [c for c in text.lower() if c.isalpha()]
    return bool(letters) and sum(c in _VIETNAMESE for c in letters) / len(letters) > 0.04


#: Under this many characters a precision-mode extraction has likely kept a notice or a caption and cut the
#: article (a paywall's reprint notice, a photo's caption): the default mode is asked too, and the longer text kept.
SHORT_TEXT = 400


def paragraphs(tree: etree._Element, url: str, vietnamese: bool = False) -> list[str] | None:
    """The article's paragraphs as trafilatura reads them (a dependency of the project) from the page object's
    own tree (trafilatura copies it before it prunes it: the tree is left as it was); None when it finds none.

    Its precision mode scores best on the multilingual benchmark (F1 0.960 against 0.956), but on Vietnamese news
    pages it cuts the last paragraphs after an inline box or quote (2 of the 9 real pages): Vietnamese pages get the
    default mode. A precision-mode text shorter than SHORT_TEXT is checked against the default mode's."""
    text = _extract(tree, url, precision=not vietnamese)
    if not vietnamese and len(text) < SHORT_TEXT:
        fuller = _extract(tree, url, precision=False)
        if len(fuller) > len(text):
            text = fuller
    if not text:
        return None
    return [line for line in (clean_line(p) for p in text.split("\n")) if line]


def _extract(tree: etree._Element, url: str, precision: bool) -> str:
    import trafilatura  # imported here: declared sites never load it

    try:
        return trafilatura.extract(tree, url=url, include_comments=False, include_tables=True, include_images=False,
                                   deduplicate=False, favor_precision=precision, with_metadata=False) or ""
    except Exception:  # a general extractor fails on odd markup in many ways; our own heuristics then take over
        return ""
