"""The generic layer's body text engine: trafilatura, chosen by measurement (bench/extraction.py).

On the 181-page article-extraction benchmark its body text scores higher than our own container heuristics; the
Vietnamese field logic (lead, byline, captions, dates) stays ours and is applied around it. Used only where a site's
body selector missed or the site is not declared; declared sites never pay its cost.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from lxml import etree

from crawler.extract.text import clean_line


#: Letters only Vietnamese writes (tone marks on top of a circumflex or horn, ơ, ư, đ).
_VIETNAMESE = frozenset("ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơư")


def is_vietnamese(text: str) -> bool:
    letters = [c for c in text.lower() if c.isalpha()]
    return bool(letters) and sum(c in _VIETNAMESE for c in letters) / len(letters) > 0.04


#: Under this many characters a text is likely a notice or a caption, the article cut (a paywall's reprint notice):
#: the whole page is read again with trafilatura's full cascade, and in precision mode its default mode too.
SHORT_TEXT = 400


def paragraphs(scope: etree._Element, root: etree._Element, url: str, vietnamese: bool = False,
               container_length: int = 0,
               keep: Callable[[list[str]], list[str]] = list) -> list[str] | None:
    """The article's paragraphs as trafilatura reads them (a dependency of the project) from the page object's
    own tree (trafilatura copies what it is given before it prunes it: the tree is left as it was), less what
    `keep` leaves out (the parts the page object has placed elsewhere: lead, captions, byline); None when none.

    It reads `scope` first, the part of the page the page object found the article in (the element holding the
    headline and the body container), in its fast mode (no comparison with its readability and jusText ports): a
    fraction of the page to copy and prune, and on the benchmark a text as right as the whole page's (more precise
    where the page holds other articles). A text that is short once the captions are out (SHORT_TEXT), or under
    half of what the page object's own container holds (`container_length`), is read again from the whole page,
    `root`, with the full cascade: a caption, a teaser or a notice is never the body.

    Its precision mode scores best on the multilingual benchmark (F1 0.960 against 0.956), but on Vietnamese news
    pages it cuts the last paragraphs after an inline box or quote (2 of the 9 real pages): Vietnamese pages get the
    default mode."""
    precision = not vietnamese
    lines = keep(_lines(_extract(scope, url, precision, fast=True)))
    if _too_short(lines, container_length):
        lines = keep(_lines(_extract(root, url, precision, fast=False))) or lines
        if precision and _length(lines) < SHORT_TEXT:
            fuller = keep(_lines(_extract(root, url, precision=False, fast=False)))
            if _length(fuller) > _length(lines):
                lines = fuller
    return lines or None


def _lines(text: str) -> list[str]:
    return [line for line in (clean_line(p) for p in text.split("\n")) if line]


def _length(lines: list[str]) -> int:
    return sum(len(line) for line in lines)


def _too_short(lines: list[str], container_length: int) -> bool:
    length = _length(lines)
    return length < SHORT_TEXT or container_length > 2 * length


def _extract(tree: etree._Element, url: str, precision: bool, fast: bool) -> str:
    import trafilatura  # imported here: declared sites never load it

    options = _options(precision, fast)
    # The only per-page options (trafilatura's own extract() sets both so); the page objects run in one thread.
    options.url = options.source = url
    try:
        return trafilatura.extract(tree, options=options) or ""
    except Exception:  # a general extractor fails on odd markup in many ways; our own heuristics then take over
        return ""


@lru_cache(maxsize=None)
def _options(precision: bool, fast: bool) -> Any:
    """trafilatura's options for one mode, built once: building them reads its configuration, about a tenth of a
    millisecond a page. No comments, tables kept, no images, links or metadata, no deduplication."""
    from trafilatura.settings import Extractor

    return Extractor(output_format="txt", fast=fast, precision=precision, comments=False, tables=True, images=False,
                     links=False, dedup=False, with_metadata=False)
