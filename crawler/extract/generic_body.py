"""The generic layer's body text engine: trafilatura, chosen by measurement (bench/extraction.py).

On the 181-page article-extraction benchmark its body text scores higher than our own container heuristics; the
Vietnamese field logic (lead, byline, captions, dates) stays ours and is applied around it. Used only where a site's
body selector missed or the site is not declared; declared sites never pay its cost.
"""

from __future__ import annotations

from crawler.extract.text import clean_line


#: Letters only Vietnamese writes (tone marks on top of a circumflex or horn, ơ, ư, đ).
_VIETNAMESE = frozenset("ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơư")


def is_vietnamese(text: str) -> bool:
    letters = [c for c in text.lower() if c.isalpha()]
    return bool(letters) and sum(c in _VIETNAMESE for c in letters) / len(letters) > 0.04


def paragraphs(html: str, url: str, vietnamese: bool = False) -> list[str] | None:
    """The article's paragraphs as trafilatura reads them (a dependency of the project); None when it finds none.

    Its precision mode scores best on the multilingual benchmark (F1 0.960 against 0.956), but on Vietnamese news
    pages it cuts the last paragraphs after an inline box or quote (2 of the 9 real pages): Vietnamese pages get the
    default mode."""
    import trafilatura  # imported here: declared sites never load it

    try:
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, include_images=False,
                                   deduplicate=False, favor_precision=not vietnamese, with_metadata=False)
    except Exception:  # a general extractor fails on odd markup in many ways; our own heuristics then take over
        return None
    if not text:
        return None
    return [line for line in (clean_line(p) for p in text.split("\n")) if line]
