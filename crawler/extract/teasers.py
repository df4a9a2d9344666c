"""Another story's teaser, told from this article's own lead: related-story cards and promoted boxes carry the
same "excerpt", "summary" or "teaser" class names as an article's standfirst."""

from __future__ import annotations

from lxml import etree

from crawler.extract.content import NEVER_JUNK, all_text, is_junk
from crawler.extract.text import clean_line

#: Where another story's teaser sits: a link, a list item (lists of stories), a sidebar box, a navigation block.
_TEASER_HOLDERS = frozenset({"a", "li", "aside", "nav"})


def is_teaser(el: etree._Element, scope: etree._Element | None = None) -> bool:
    """Whether `el` is another story's teaser rather than this article's lead: it sits in a link, a list item, an
    aside or furniture (a related or promoted-stories box) below `scope`, or its text is cut short with an
    ellipsis, as excerpts of other stories are. A standfirst of the article itself is none of these."""
    for ancestor in el.iterancestors():
        if ancestor is scope:
            break
        if ancestor.tag in _TEASER_HOLDERS or (ancestor.tag not in NEVER_JUNK and is_junk(ancestor)):
            return True
    return clean_line(all_text(el)).endswith(("...", "…"))
