"""From an article's container element to its text blocks and photos.

The walk is the same whichever layer chose the container (a site's selector or the generic scorer): page furniture
is skipped, photos become image blocks with their caption, everything else becomes text blocks in page order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from crawler.extract.galleries import in_marked_gallery, is_gallery_item
from crawler.extract.lazy import lazy_property
from crawler.extract.text import AttributePattern, clean_line, undouble
from crawler.extract.urls import UrlJoiner, joiner

#: Elements that never hold article text.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "iframe", "button", "input", "select", "textarea", "svg", "nav",
    "template", "object", "embed", "video", "audio", "canvas", "map", "link", "meta", "head",
})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
    "dd", "blockquote", "pre", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "figure", "figcaption",
    "header", "footer", "aside", "center", "address", "hr", "caption",
})
_BLOCK_OR_IMG = (*BLOCK_TAGS, "img")
#: Words of class/id names of page furniture: related boxes, share bars, comments, tags, ads, sidebars. A name is
#: furniture when one of its -/_ separated parts is such a word ("box-tinlienquan", "social-share"), unless the
#: element also carries an article-content name ("entry-content", "detail-body"): wrappers often do both.
JUNK_WORDS = frozenset({
    "related", "relate", "tinlienquan", "lienquan", "othernews", "tinkhac", "morenews", "samecat", "comment",
    "comments", "binhluan", "share", "sharing", "social", "toolbar", "print", "tags", "tag", "keywords", "keyword",
    "breadcrumb", "breadcrumbs", "advert", "advertisement", "banner", "sponsor", "sponsored", "popup",
    "modal", "rating", "vote", "newsletter", "subscribe", "footer", "menu", "nav", "navbar",
    "promo", "trending", "popular", "recommended", "recirc", "outbrain", "taboola", "cookie", "gdpr", "pagination",
    "pager", "signup", "login", "author-box", "byline-box", "masthead", "topbar",
})
JUNK_PAIRS = (("other", "news"), ("tin", "khac"), ("more", "news"), ("tin", "lien"), ("most", "popular"),
              ("read", "more"), ("see", "also"), ("xem", "them"), ("doc", "them"))
HIDDEN_CLASSES = frozenset({"hidden", "d-none", "sr-only", "visually-hidden", "hide", "invisible", "screen-reader-text"})
CONTENT_WORDS = frozenset({"article", "content", "entry", "body", "story", "detail", "post", "text", "noidung",
                           "main", "chitiet", "fck", "cms"})
#: Page-wide wrappers: their class names describe the page (body.has-sidebar), never a furniture block.
NEVER_JUNK = frozenset({"html", "body", "main", "form"})
_AD_NAME = re.compile(r"^(?:ads?|ad[-_].*|ads[-_].*|.*[-_]ads?)$", re.I)
_NAME_PARTS = re.compile(r"[-_]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = AttributePattern(r"display\s*:\s*none|visibility\s*:\s*hidden", ("display", "visibility"))
_CAPTION_ATTR = AttributePattern(r"caption|desc|chu-?thich|chuthich|note|legend",
                                 ("caption", "desc", "thich", "note", "legend"))
_CREDIT = re.compile(r"[\s(\[]*[-–—]?\s*\(?\s*(?:ảnh|ảnh minh họa|ảnh minh hoạ|nguồn ảnh|photo)\s*:\s*([^()\[\]]{1,80}?)\s*[)\]]?\s*\.?$",
                     re.I)
_PHOTO_ATTR = re.compile(r"image|img|photo|picture|figure|anh|hinh|avatar")
_RIGHT_ALIGNED = AttributePattern(r"text-align\s*:\s*right|(?:^|\s)right(?:$|\s)|text-right|author|tac-?gia",
                                  ("right", "author", "tac"))
_CENTRED = AttributePattern(r"center|caption|desc|chu-?thich", ("center", "caption", "desc", "thich"))
_FILE_NAME = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp)$", re.I)
#: Headings of blocks that follow the article: when one turns up inside the container the article has ended.
END_MARKERS = frozenset({
    "ý kiến bạn đọc", "tin khác", "các tin khác", "tin liên quan", "bài liên quan", "theo dòng sự kiện",
    "những tin mới hơn", "những tin cũ hơn", "tin cùng chuyên mục", "xem thêm", "đọc thêm", "bình luận",
    "tổng lượt bình luận", "thông báo",
})
FURNITURE_LINES = frozenset({"refresh", "chia sẻ", "in bài", "lượt xem", "từ khóa", "từ khoá", "tags", "gửi"})


@dataclass
class Image:
    url: str | None
    caption: str | None = None
    credit: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "caption": self.caption, "credit": self.credit}


@dataclass
class Block:
    """One paragraph-like run of text, or one photo (then `image` is set and `text` is empty)."""

    text: str
    tag: str = "p"
    element: etree._Element | None = None
    image: Image | None = None
    link_ratio: float = 0.0

    # The two style facts are read for a few blocks only (the first, as a lead candidate; the last ones, as byline
    # candidates), so they are worked out when asked. The tree is never changed after the walk: same answers.
    @lazy_property
    def emphasis(self) -> bool:
        """Most of the text is bold."""
        return bool(self.text) and _is_emphasised(self.element, self.text)

    @lazy_property
    def right_aligned(self) -> bool:
        return bool(self.text) and _is_right_aligned(self.element)


@dataclass
class Content:
    blocks: list[Block] = field(default_factory=list)

    @property
    def texts(self) -> list[Block]:
        return [b for b in self.blocks if b.image is None and b.text]

    @property
    def images(self) -> list[Image]:
        return [b.image for b in self.blocks if b.image is not None]


def all_text(el: etree._Element) -> str:
    """All the text of `el` and its descendants, without its tail: `"".join(el.itertext())`, which it equals, but
    written by libxml2's text serializer, several times faster than joining the pieces itertext hands to Python.
    An element with no child (a link, a date, a name) holds its own text alone."""
    if not len(el):
        return el.text or ""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def is_junk(el: etree._Element) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if not tag or tag in SKIP_TAGS:
        return True
    if tag in NEVER_JUNK or not el.keys():  # no attribute at all (most paragraphs): nothing marks it as furniture
        return False
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    return _junk_names(el.get("class"), el.get("id"))


@lru_cache(maxsize=4096)
def _junk_names(classes: str | None, ident: str | None) -> bool:
    names = f"{classes or ''} {ident or ''}".split()
    if not names:
        return False
    if any(n.lower() in HIDDEN_CLASSES for n in names):
        return True
    junk = content = False
    for name in names:
        if _AD_NAME.match(name) and not name.lower().startswith(("non-ad", "no-ad")):
            junk = True
        parts = [p.lower() for p in _NAME_PARTS.split(name) if p]
        if any(p in CONTENT_WORDS for p in parts):
            content = True
        if any(p in JUNK_WORDS for p in parts) or any(
                a in parts and b in parts[parts.index(a) + 1:parts.index(a) + 2] for a, b in JUNK_PAIRS):
            junk = True
    return junk and not content


def split_credit(caption: str) -> tuple[str, str | None]:
    """"Đại biểu dự hội nghị. Ảnh: Thu Hà" -> ("Đại biểu dự hội nghị.", "Thu Hà")."""
    m = _CREDIT.search(caption) if _may_hold_credit(caption) else None
    if not m or m.start() == 0:
        if m and m.start() == 0:
            return "", clean_line(m.group(1))
        return caption, None
    return clean_line(caption[: m.start()]), clean_line(m.group(1))


def _may_hold_credit(text: str) -> bool:
    """Whether `_CREDIT` can match: it needs a colon and "ảnh" or "photo". The regex tries every position of the
    text (tens of microseconds on a long caption); most captions and lines have no credit."""
    if ":" not in text:
        return False
    lowered = text.lower()
    return "ảnh" in lowered or "photo" in lowered


def caption_and_credit(text: str) -> tuple[str | None, str | None]:
    """A caption as printed -> (caption once, credit): "A A (Ảnh: X)" -> ("A", "X")."""
    caption, credit = split_credit(clean_line(text))
    return undouble(caption) or None, credit


def read_content(container: etree._Element, base_url: str | UrlJoiner,
                 exclude: list[etree._Element] | None = None) -> Content:
    """Text blocks and photos of `container`, in page order, without furniture and without `exclude` nodes."""
    walker = _Walker(base_url, set(exclude or ()))
    walker.walk(container)
    walker.flush()
    content = Content(_attach_captions(walker.blocks))
    return content


def read_photo(el: etree._Element, base_url: str | UrlJoiner) -> list[Image]:
    """The photos of one element that stands outside the article text (a lead photo box), with their captions."""
    walker = _Walker(base_url, set())
    if _is_image_block(el):
        walker._image_block(el)
    else:
        walker.walk(el)
        walker.flush()
    return Content(_attach_captions(walker.blocks)).images


class _Walker:
    def __init__(self, base_url: str | UrlJoiner, exclude: set[etree._Element]):
        self.join = joiner(base_url)
        self.exclude = exclude
        self.blocks: list[Block] = []
        self._inline: list[str] = []
        self._inline_links = 0
        self._inline_owner: etree._Element | None = None
        self.ended = False

    def walk(self, el: etree._Element) -> None:
        if self.ended:
            return
        self._text(el.text, el)
        for child in el:
            if self.ended:
                return
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag or child in self.exclude or is_junk(child):
                self._text(child.tail, el)
                continue
            if tag == "br":
                self._inline.append("\n")
            elif tag == "img":
                self.flush()
                self._image(child, None)
            elif _is_image_block(child):
                self.flush()
                self._image_block(child)
            elif tag in BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush(child)
            else:
                self._inline_element(child)
            self._text(child.tail, el)

    def _inline_element(self, el: etree._Element) -> None:
        # Inline markup (strong, em, a, span...) whose subtree may still hide a photo or a block.
        if next(el.iterdescendants(*_BLOCK_OR_IMG), None) is not None:
            self.walk(el)
            return
        text = all_text(el)
        if el.tag == "a":
            self._inline_links += len(text.strip())
        self._inline.append(text)

    def _text(self, text: str | None, owner: etree._Element) -> None:
        if text:
            self._inline.append(text)
            self._inline_owner = owner

    def flush(self, owner: etree._Element | None = None) -> None:
        raw = "".join(self._inline)
        links = self._inline_links
        self._inline, self._inline_links = [], 0
        if not raw or raw.isspace():  # the whitespace between blocks: no line of it has text
            return
        for line in raw.split("\n"):
            text = clean_line(line)
            if not text:
                continue
            lowered = text.lower()
            if lowered.rstrip(":") in END_MARKERS:
                self.ended = True
                return
            if lowered in FURNITURE_LINES or _FILE_NAME.match(text):
                continue
            element = owner if owner is not None else self._inline_owner
            self.blocks.append(Block(
                text=text,
                tag=element.tag if element is not None and isinstance(element.tag, str) else "p",
                element=element,
                link_ratio=min(1.0, links / max(len(text), 1)),
            ))

    def _image(self, img: etree._Element, caption: str | None) -> None:
        src = img.get("data-src") or img.get("data-original") or img.get("src") or ""
        if src.startswith("data:") or not src.strip():
            src = ""
        url = self.join(src.strip()) if src else None
        image = Image(url=url)
        if caption:
            image.caption, image.credit = caption_and_credit(caption)
        self.blocks.append(Block(text="", tag="img", element=img, image=image))

    def _image_block(self, el: etree._Element) -> None:
        imgs = [i for i in el.iter("img")]
        caption_nodes = [n for n in el.iterdescendants() if isinstance(n.tag, str) and _is_caption_node(n)]
        caption_nodes = [n for n in caption_nodes if not any(a in caption_nodes for a in n.iterancestors())]
        if caption_nodes:
            caption = " ".join(clean_line(all_text(n)) for n in caption_nodes if not is_junk(n))
        else:
            # A photo table or figure without a marked caption: its text outside the image cell is the caption.
            caption = clean_line(" ".join(t for t in _text_outside(el, imgs)))
        for i, img in enumerate(imgs):
            self._image(img, caption if i == len(imgs) - 1 else None)


def _is_image_block(el: etree._Element) -> bool:
    """A figure, or a small table or box that holds photos and at most a caption's worth of text (a list item: one
    of a gallery's)."""
    tag = el.tag
    if tag not in ("figure", "table", "div", "p", "span", "center", "a", "li"):
        return False
    if next(el.iter("img"), None) is None:  # most blocks: no photo, and no list of photos to build
        return False
    imgs = list(el.iter("img"))
    if tag == "figure":
        return True
    text = clean_line(all_text(el))
    if len(text) > 400 or len(imgs) > 3:
        return False
    if tag == "table":
        return True
    classes = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if _PHOTO_ATTR.search(classes) or len(imgs) == 1 and is_gallery_item(el):
        return True
    return tag != "li" and any(_is_caption_node(n) for n in el.iterdescendants() if isinstance(n.tag, str))


def _is_caption_node(el: etree._Element) -> bool:
    if el.tag == "figcaption":
        return True
    attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
    return _CAPTION_ATTR.search(attrs) and el.tag != "img"


def _text_outside(el: etree._Element, imgs: list[etree._Element]) -> list[str]:
    texts: list[str] = []

    def visit(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or is_junk(node):
            return
        if node.text:
            texts.append(node.text)
        for child in node:
            visit(child)
            if child.tail:
                texts.append(child.tail)

    visit(el)
    return texts


def _is_emphasised(el: etree._Element | None, text: str) -> bool:
    if el is None:
        return False
    marked = list(el.iterdescendants("strong", "b"))
    if not marked:
        return False  # no bold text at all (and `text` is never empty)
    strong = "".join(all_text(n) for n in marked)
    return len(clean_line(strong)) >= 0.8 * len(text)


def _is_right_aligned(el: etree._Element | None) -> bool:
    if el is None:
        return False
    style = (el.get("style") or "") + " " + (el.get("align") or "") + " " + (el.get("class") or "")
    return _RIGHT_ALIGNED.search(style)


def _attach_captions(blocks: list[Block]) -> list[Block]:
    """A short centred or italic line right after a bare photo is that photo's caption; "Ảnh: X" its credit."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if previous is not None and previous.image is not None and block.image is None:
            image = previous.image
            credit_only = split_credit(block.text)
            if credit_only[0] == "" and credit_only[1]:
                image.credit = image.credit or credit_only[1]
                continue
            if image.caption is None and _looks_like_caption(block):
                image.caption, image.credit = caption_and_credit(block.text)
                continue
        out.append(block)
    return out


def _looks_like_caption(block: Block) -> bool:
    el = block.element
    if el is None or len(block.text) > 300:
        return False
    style = f"{el.get('style') or ''} {el.get('class') or ''} {el.get('align') or ''}"
    centred = _CENTRED.search(style)
    italic = any(clean_line(all_text(n)) == block.text for n in el.iter("em", "i"))
    return centred or italic or _is_caption_node(el) or in_marked_gallery(el)
