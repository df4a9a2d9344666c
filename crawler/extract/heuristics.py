"""The generic layer: fields read from page structure and Vietnamese news conventions alone, for pages whose site
selectors missed or whose site nobody declared."""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract.content import BLOCK_TAGS, NEVER_JUNK, Block, all_text, is_junk
from crawler.extract.galleries import whole_article
from crawler.extract.teasers import is_teaser
from crawler.extract.text import AttributePattern, clean_line, has_visible_chars

_PARAGRAPH_TAGS = ("p", "div", "td", "li", "blockquote", "h2", "h3")
_LEAD_ATTR = AttributePattern(r"sapo|lead|summary|teaser|chapeau|description|intro|tomtat|tom-tat|excerpt",
                              ("sapo", "lead", "summary", "teaser", "chapeau", "description", "intro", "tom", "excerpt"))
_DATE_ATTR = AttributePattern(r"date|time|publish|ngay|thoi-?gian|posted",
                              ("date", "time", "publish", "ngay", "thoi", "posted"))
_GENERIC_CREDIT = re.compile(
    r"^\s*(?:\(\s*[^()\s]{2,30}(?:\s[^()\s]{1,15}){0,2}\s*\)\s*[-–—]?|[A-ZĐ][A-ZĐ.]{1,9}\s*[-–—])\s*"
)
_DATELINE = re.compile(
    r"^(?P<text>(?:(?:sáng|trưa|chiều|tối|đêm|ngày|hôm nay|hôm qua)(?:\s+nay)?\s*\(?\s*)?"
    r"(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?:\s*[/-]\s*(?P<y>\d{4}|\d{2}))?\s*\)?)\s*[,:;.–-]",
    re.I,
)
_BYLINE_PREFIX = re.compile(
    r"^(?:tác giả|bài(?:\s*(?:và|,|&)\s*ảnh)?|tin\s*(?:và|,|&)\s*ảnh|bài viết|người viết|theo|nhóm pv|pv|ptv"
    r"|phóng viên)\s*[:：]?\s*", re.I
)
#: A note in brackets after a name: a role ("(tổng hợp)", "(lược dịch)") or the writer's unit ("(Trung tâm Chính trị
#: huyện)").
_ROLE_NOTE = re.compile(r"\s*\([^()]{1,60}\)\s*$")
_NAME_SEPARATORS = re.compile(r"\s+|\s*[-–,&]\s*")
_NAME_WORD = re.compile(r"^[A-ZÀ-ỸĐ][\wÀ-ỹđĐ.'’-]*$")


_NO_TEXT_TAGS = ("script", "style", "noscript", "template")


def element_text(el: etree._Element) -> str:
    """The visible text of `el`: no script or style content."""
    if next(el.iterdescendants("script", "style"), None) is None:  # one C-level walk, not two ElementPath finds
        return clean_line(all_text(el))
    return clean_line("".join(_visible_text(el)))


#: Elements a browser shows on a line of their own: their text never runs into the text beside them.
_LINE_TAGS = BLOCK_TAGS | {"br"}
_BEFORE_CAPITAL = frozenset(".!?:;,…)»”\"'")


def heading_text(el: etree._Element) -> str:
    """The visible text of a headline as the page shows it: a kicker and a headline in children of their own
    ("<span class=kicker>Nationale Demo</span><span>Der 9. Juli naht</span>", or a <br> between) are parted by a
    space, never glued ("Nationale DemoDer"). A space goes where a block or a line break parts two texts, and where
    an element's text meets its neighbour's as two phrases run together (see _glued)."""
    pieces: list[tuple[str, bool]] = []  # (text, whether an element boundary comes before it)

    def walk(node: etree._Element) -> None:
        if node.text and node.tag not in _NO_TEXT_TAGS:
            pieces.append((node.text, True))
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _NO_TEXT_TAGS:
                if child.tag in _LINE_TAGS:
                    pieces.append((" ", False))
                walk(child)
                if child.tag in _LINE_TAGS:
                    pieces.append((" ", False))
            if child.tail:
                pieces.append((child.tail, True))

    walk(el)
    out: list[str] = []
    for text, boundary in pieces:
        if boundary and out and out[-1] and text and _glued(out[-1], text):
            out.append(" ")
        out.append(text)
    return clean_line("".join(out))


def _glued(left: str, right: str) -> bool:
    """Two texts of a headline that meet at an element boundary read as two phrases run together: a capital after
    a small letter, a digit or punctuation, each side's word three letters or more ("Demo|Der", not "Mc|Donald"
    nor "i|Phone")."""
    if not right[0].isupper() or not (left[-1].islower() or left[-1].isdigit() or left[-1] in _BEFORE_CAPITAL):
        return False
    left_word, right_word = left.split()[-1] if left.split() else "", right.split()[0]
    return len(left_word.strip(".!?:;,…)»”\"'")) >= 3 and len(right_word) >= 3


def has_text(el: etree._Element) -> bool:
    """Whether `element_text(el)` is not empty; stops at the first visible character instead of building the text."""
    if _text_outside_scripts(el):
        return True
    if next(el.iterdescendants("script", "style"), None) is None:
        return any(has_visible_chars(t) for t in el.itertext())
    return any(has_visible_chars(t) for t in _visible_text(el))


def _text_outside_scripts(el: etree._Element, look_at: int = 8) -> bool:
    """Whether one of `el`'s first few text pieces is visible and held by no script, style, noscript or template
    element: such a piece is in element_text whether or not `el` has a script (which decides which of the two ways
    element_text reads it), so the walk over all of `el` looking for one is not needed. False: not found so far."""
    if el.tag not in _NO_TEXT_TAGS and has_visible_chars(el.text):
        return True
    for seen, node in enumerate(el.iterdescendants()):
        if seen == look_at:
            return False
        if isinstance(node.tag, str) and has_visible_chars(node.text) and _outside_no_text(node, el):
            return True
        if has_visible_chars(node.tail) and _outside_no_text(node.getparent(), el):
            return True
    return False


def _outside_no_text(node: etree._Element, top: etree._Element) -> bool:
    """Neither `node` nor an ancestor of it below `top` is a script, style, noscript or template element."""
    while node is not top:
        if node.tag in _NO_TEXT_TAGS:
            return False
        node = node.getparent()
    return True


def _visible_text(el: etree._Element) -> list[str]:
    out: list[str] = []
    if el.text and el.tag not in _NO_TEXT_TAGS:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NO_TEXT_TAGS:
            out.extend(_visible_text(child))
        if child.tail:
            out.append(child.tail)
    return out


def find_body_container(root: etree._Element) -> etree._Element | None:
    """The element whose own paragraphs hold the most text, less what sits in links (a readability-style score)."""
    scores: dict[etree._Element, float] = {}
    furniture = _FurnitureMemo()
    for el in root.iter(*_PARAGRAPH_TAGS):
        if next(el.iterchildren("p", "div", "table", "ul"), None) is not None:
            continue  # only leaf-ish paragraphs vote
        raw = all_text(el)
        if len(raw) < 25 or furniture(el):
            continue  # the visible text is never longer than all the text (most candidates end here, cheaply)
        text = clean_line(raw) if next(el.iterdescendants("script", "style"), None) is None else element_text(el)
        if len(text) < 25:
            continue
        links = sum(len(element_text(a)) for a in el.iter("a"))
        weight = (1 + min(len(text), 600) / 100 + text.count(",")) * (1 - min(1.0, links / len(text)))
        parent = el.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + weight
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + weight / 2
    if not scores:
        return None
    return whole_article(max(scores, key=lambda e: scores[e]))


class _FurnitureMemo:
    """`is_furniture` for many elements of one tree, each element's own test made once: paragraphs share their
    ancestors, and testing every ancestor of every paragraph was a sixth of a generic page's time."""

    def __init__(self) -> None:
        self._known: dict[etree._Element, bool] = {}

    def __call__(self, el: etree._Element) -> bool:
        chain = []
        node: etree._Element | None = el
        while node is not None and node not in self._known:
            chain.append(node)
            node = node.getparent()
        value = self._known[node] if node is not None else False
        for link in reversed(chain):
            value = value or is_junk(link)
            self._known[link] = value
        return value


def find_title(root: etree._Element) -> str | None:
    for h1 in root.iter("h1"):
        if is_furniture(h1):
            continue
        text = heading_text(h1)
        if len(text) >= 10:
            return text
    title = root.find(".//title")
    if title is not None and title.text:
        text = re.split(r"\s+[|–—-]\s+(?=[^|–—-]*$)", clean_line(title.text))[0]
        return text or None
    return None


def is_furniture(el: etree._Element) -> bool:
    """The element, or one of its ancestors, is page furniture."""
    return is_junk(el) or any(is_junk(a) for a in el.iterancestors())


def same_headline(a: str, b: str, both: bool = False) -> bool:
    """Two wordings of one headline: most of the words of the shorter are in the longer; `both`: most words of
    each are in the other (one headline, whatever the site's name after it)."""
    wa, wb = set(a.lower().split()), set(b.lower().split())
    if not (wa and wb):
        return False
    return len(wa & wb) >= 0.6 * (max if both else min)(len(wa), len(wb))


def find_lead_element(root: etree._Element, container: etree._Element | None,
                      title: etree._Element | None = None) -> etree._Element | None:
    """An element marked as the sapo (class or id such as "sapo", "lead", "summary"), outside furniture, after the
    title and no later than the start of the article's body, neither holding the body nor a long text itself."""
    seen_title = title is None
    inside: set[etree._Element] | None = None  # the container's elements, once the walk has reached it
    ancestors = set(container.iterancestors()) if container is not None else set()
    for el in root.iter():
        if not seen_title:
            seen_title = el is title
            continue
        if el is container:
            inside = set(container.iter())
            continue
        if inside is not None and el not in inside:
            break  # past the body: a lead comes before it or at its top
        if el.tag not in _LEAD_TAGS:
            continue
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _LEAD_ATTR.search(attrs) or is_junk(el) or is_teaser(el, root):
            continue
        if el in ancestors:
            continue
        text = element_text(el)
        if 40 <= len(text) <= 1200:
            return el
    return None


_LEAD_TAGS = frozenset({"div", "p", "h2", "span", "section", "strong"})


def strip_credit(lead: str, site_credit: re.Pattern[str] | None) -> str:
    """The lead without the outlet's credit such as "(Thanhuytphcm.vn) - " or "TCCS - "."""
    if site_credit is not None:
        stripped = site_credit.sub("", lead, count=1)
        if stripped != lead:
            return stripped.strip()
    return _GENERIC_CREDIT.sub("", lead, count=1).strip()


def find_dateline(lead: str) -> str | None:
    """The dateline that opens a lead: "Chiều 12/1", "Ngày 21/8", "Sáng nay (15/3)"."""
    m = _DATELINE.match(lead)
    return clean_line(m.group("text")) if m else None


def date_candidates(scope: etree._Element, title_el: etree._Element | None) -> list[str]:
    """Visible date strings in the article's own area: elements marked date/time, nearest the title first.
    Furniture (related lists, headers, comment boxes) is skipped."""
    found: list[tuple[etree._Element, str]] = []
    for el in scope.iter("time", "span", "div", "p", "li", "small", "em"):
        classes, ident = el.get("class"), el.get("id")
        if el.tag != "time" and (classes is None and ident is None  # most: nothing to match (spares a search)
                                 or not _DATE_ATTR.search(f"{classes or ''} {ident or ''}")):
            continue
        if is_junk(el) or in_other_articles(el):
            continue
        text = el.get("datetime") or element_text(el)
        if text and len(text) <= 80 and any(c.isdigit() for c in text):
            found.append((el, text))
    if len(found) < 2:
        return [text for _, text in found]
    order = {el: i for i, el in enumerate(scope.iter())}  # only when there is a choice to make
    title_pos = order.get(title_el, 0) if title_el is not None else 0
    return [text for _, text in sorted(found, key=lambda f: abs(order.get(f[0], 0) - title_pos))]


#: Blocks that list OTHER articles (their dates are not this article's) or hold comments ("related", not the CSS
#: utility class "relative"). A bar that mixes the
#: author, the time and share buttons ("author-share-top") is not one of them.
_OTHER_ARTICLES = AttributePattern(
    r"relat(?!ive)|lien-?quan|other|khac|more-?news|same|comment|binh-?luan|footer|sidebar|widget|menu|(?:^|[\s_-])nav|"
    r"timeline|list",
    ("relat", "lien", "other", "khac", "more", "same", "comment", "binh", "footer", "sidebar", "widget", "menu", "nav",
     "timeline", "list"))
_AUTHOR_ATTR = AttributePattern(
    r"(?:^|[\s_-])(?:author|tac-?gia|byline|writer)(?:$|[\s_-])|(?:author|byline|autor|auteur)(?:s|name|-?name|info)?"
    r"(?:$|[\s_-])|[a-z](?:author|byline)", ("author", "tac", "byline", "writer", "autor", "auteur"))


def author_elements(scope: etree._Element) -> list[etree._Element]:
    """Elements of the article's area marked as its author (class or id "author", "tac-gia", "byline")."""
    return [el for el in scope.iter(*_AUTHOR_TAGS)
            if _AUTHOR_ATTR.search(f"{el.get('class') or ''} {el.get('id') or ''}")
            and not in_other_articles(el, page_wide=False)]


_AUTHOR_TAGS = ("a", "span", "div", "p", "strong", "b", "address", "li", "section", "h5", "h6", "small", "em", "cite")


def in_other_articles(el: etree._Element, page_wide: bool = True) -> bool:
    """`el` sits in a block that lists other articles or holds comments. `page_wide=False`: the page-wide wrappers
    (html, body, main, form), whose classes describe the page ("one-sidebar", "mob-menu"), are not such a block."""
    return any(_OTHER_ARTICLES.search(f"{a.get('class') or ''} {a.get('id') or ''}") for a in el.iterancestors()
               if page_wide or a.tag not in NEVER_JUNK)


def find_byline(texts: list[Block]) -> Block | None:
    """The byline as a short last paragraph ("Bích Quyên", "Tác giả: Minh Quân", "Theo Thu Hà")."""
    for block in reversed(texts[-4:]):
        name = byline_name(block.text)
        if name and (block is texts[-1] or block.right_aligned or block.emphasis or _BYLINE_PREFIX.match(block.text)):
            return block
        if not _after_signature(block.text):
            break
    return None


_SIGNATURE_TAIL = re.compile(r"^\(?\s*(?:nguồn|ngày\s+\d|\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{2,4}$|lượt xem|tin liên quan"
                             r"|từ kho[áa]|tags?\b)", re.I)


def _after_signature(text: str) -> bool:
    """A line that may follow an article's signature: the source, a date, the writer's unit ("Ban Tuyên giáo Tỉnh
    ủy"), a view count or a tag line."""
    return len(text) <= 80 and (bool(_SIGNATURE_TAIL.match(text)) or is_organisation(text))


#: First words of an organisation's name: "Tỉnh ủy Bắc Giang", "Báo Nhân Dân", "Ban Tuyên giáo" are not bylines.
ORGANISATION_WORDS = frozenset({
    "tỉnh", "thành", "huyện", "quận", "ban", "báo", "đảng", "cổng", "trang", "tạp", "sở", "bộ", "ubnd", "hđnd",
    "trung", "đài", "hội", "công", "thông", "tổng", "viện", "học", "trường", "cục", "vụ", "mặt", "liên",
    "đoàn", "tòa", "uỷ", "ủy", "nhóm", "phòng", "chi", "đảng bộ", "kênh", "truyền",
})
#: Organisations whose first word is also a common name ("Văn" in "VĂN TOẢN", a byline of qdnd.vn): only with
#: the word after it.
ORGANISATION_PAIRS = frozenset({"văn phòng", "văn hóa", "văn hoá", "văn nghệ", "văn học"})
_SOURCE_LINE = re.compile(r"^\(?\s*(?:theo|nguồn(?:\s*tin)?|nguồn\s*:)\s*[:：]?\s*\S.{0,60}$", re.I)


def is_organisation(text: str) -> bool:
    words = clean_line(_BYLINE_PREFIX.sub("", clean_line(text))).split()
    if not words:
        return False
    first = words[0].lower()
    return first in ORGANISATION_WORDS or (len(words) > 1 and f"{first} {words[1].lower()}" in ORGANISATION_PAIRS)


def is_source_line(text: str) -> bool:
    """A closing "Theo TTXVN" / "Nguồn: Báo Bắc Giang" line: where the text came from, not article text."""
    return bool(_SOURCE_LINE.match(clean_line(text)))


def byline_name(text: str, declared: bool = False) -> str | None:
    """The person's name in a byline line, or None if the line does not look like one (an agency acronym or an
    organisation is not a person). `declared`: the text comes from a node the site declares as its byline, so it
    need not look like a name, only not like an organisation."""
    text = clean_line(text).strip(" .")
    if declared:
        name = _BYLINE_PREFIX.sub("", text).strip(" .")
        words = name.split()
        if not name or is_organisation(name) or (len(words) == 1 and name.replace(".", "").isupper()):
            return None
        return name if len(name) <= 80 else None
    prefixed = bool(_BYLINE_PREFIX.match(text))
    text = _BYLINE_PREFIX.sub("", text).strip(" .")
    if text.endswith(")"):  # the text is stripped, so a role note can only close it (spares a regex scan)
        text = _ROLE_NOTE.sub("", text)
    if not text or len(text) > 60 or text.endswith(("?", "!", ":", ",")):
        return None
    words = [w for w in _NAME_SEPARATORS.split(text) if w]
    if not (1 <= len(words) <= 8):
        return None
    if not prefixed and len(words) < 2:
        return None
    if len(words) == 1 and words[0].replace(".", "").isupper():
        return None  # "Theo TTXVN", "Nguồn: VOV": a news agency, not a person
    if is_organisation(text):
        return None
    if all((w[0].isupper() and _NAME_WORD.match(w)) or w.lower() in ("và",) for w in words):
        return text
    return None
