"""What a page says about itself: JSON-LD, OpenGraph, `article:*` and itemprop metadata, canonical link."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from lxml import etree

from crawler.extract.content import all_text
from crawler.extract.lazy import lazy_property
from crawler.extract.text import clean_line

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "webpage"}


class PageMetadata:
    """What the page says about itself: JSON-LD first (most specific), then OpenGraph/article:*, then itemprop and
    plain meta. The page's meta, link and script elements are collected once; each field is worked out when first
    read, since a page object reads only the fields its site's selectors did not give (often none but the dates)."""

    def __init__(self, root: etree._Element):
        self._metas: dict[str, list[str]] = {}
        self._canonical_link: str | None = None
        self._ld_json: list[str] = []
        self._page_title: str | None = None
        for el in root.iter("meta", "link", "script", "title"):
            if el.tag == "title":
                if self._page_title is None:
                    self._page_title = el.text
            elif el.tag == "meta":
                key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
                value = el.get("content")
                if key and value is not None:
                    self._metas.setdefault(key, []).append(value)
            elif el.tag == "link":
                if (el.get("rel") or "").lower() == "canonical" and el.get("href") and self._canonical_link is None:
                    self._canonical_link = el.get("href")
            elif (el.get("type") or "").lower() == "application/ld+json" and el.text:
                self._ld_json.append(el.text)
        # Elements, not their values: a value is read only if a field needs that property (an articleBody's text
        # never).
        self._itemprops: dict[str, list[etree._Element]] = {}
        for name in _ITEMPROPS(root):
            el = name.getparent()
            if el.tag != "meta":
                self._itemprops.setdefault(name.strip().lower(), []).append(el)

    def _first(self, *keys: str, props: tuple[str, ...] = ()) -> str | None:
        for key in keys:
            for value in self._metas.get(key, ()):
                value = clean_line(value)
                if value:
                    return value
        for prop in props:
            for el in self._itemprops.get(prop, ()):
                value = clean_line(el.get("content") or el.get("datetime") or all_text(el))
                if value:
                    return value
        return None

    @lazy_property
    def _articles(self) -> list[dict[str, Any]]:
        return _json_ld_articles(self._ld_json)

    def _from_articles(self, key: str, convert: Callable[[Any], Any] | None = None) -> Any:
        """The first article node's non-empty `key`, as `convert` gives it (default: text); None if none has it."""
        for node in self._articles:
            value = (convert or _str)(node.get(key))
            if value:
                return value
        return None

    @lazy_property
    def title(self) -> str | None:
        return self._from_articles("headline") or self._first("og:title", "twitter:title", "headline",
                                                              props=("headline",))

    @lazy_property
    def title_variants(self) -> list[str]:
        """Every wording of the headline the page's metadata gives: JSON-LD headline, og:title, twitter:title and
        the <title> (which often ends in the site's name)."""
        found = [self._from_articles("headline"), *(clean_line(v) for key in ("og:title", "twitter:title")
                                                     for v in self._metas.get(key, ())), clean_line(self._page_title)]
        return [v for v in dict.fromkeys(found) if v]

    @lazy_property
    def description(self) -> str | None:
        return self._from_articles("description") or self._first("og:description", "description")

    @lazy_property
    def _squashed_metas(self) -> dict[str, list[str]]:
        """The meta values by name with every separator dropped: "article:published:time", "article.published_time"
        and "Article_Published_Time" are one spelling."""
        squashed: dict[str, list[str]] = {}
        for key, values in self._metas.items():
            squashed.setdefault(_squash_key(key), []).extend(values)
        return squashed

    def _squashed_values(self, names: tuple[str, ...]) -> list[str]:
        return [v for name in names for v in (clean_line(x) for x in self._squashed_metas.get(name, ())) if v]

    def _prop_values(self, *props: str) -> list[str]:
        return [v for prop in props for v in (clean_line(el.get("content") or el.get("datetime") or all_text(el))
                                             for el in self._itemprops.get(prop, ())) if v]

    @lazy_property
    def published_candidates(self) -> list[str]:
        """Every publication time the page's metadata gives, most trusted first: the JSON-LD articles'
        datePublished, the meta spellings publishers use (`_PUBLISHED_NAMES`), microdata, any JSON-LD node's
        datePublished, then the names that are only sometimes the publication time. The caller takes the first
        that reads as a date (some pages put "0001-01-01T00:00:00Z" in one of them)."""
        found = [_str(n.get("datePublished")) for n in self._articles]
        found += self._squashed_values(_PUBLISHED_NAMES)
        found += self._prop_values("datepublished", "datecreated")
        found.append(_json_ld_date(self._ld_json, "datePublished"))
        found += self._squashed_values(_PUBLISHED_LAST_NAMES)
        return list(dict.fromkeys(v for v in found if v and any(c.isdigit() for c in v)))

    @lazy_property
    def published(self) -> str | None:
        """The first of `published_candidates`."""
        return next(iter(self.published_candidates), None)

    @lazy_property
    def modified(self) -> str | None:
        found = [_str(n.get("dateModified")) for n in self._articles]
        found += self._squashed_values(_MODIFIED_NAMES) + self._prop_values("datemodified")
        return next((v for v in found if v and any(c.isdigit() for c in v)), None)

    @lazy_property
    def locale(self) -> str | None:
        """The page's language and region as its metadata says them (og:locale "en_US", Content-Language)."""
        return self._first("og:locale", "content-language", "language", "dc.language")

    @lazy_property
    def section(self) -> str | None:
        return self._from_articles("articleSection") or self._first("article:section")

    @lazy_property
    def body(self) -> str | None:
        return self._from_articles("articleBody")

    @lazy_property
    def authors(self) -> list[str]:
        """The article's authors, one name (or one byline line) an item: JSON-LD people (not organisations), else
        the author meta tags, else the itemprop=author elements, each name of which is read apart (a name's own
        itemprop=name or link), never their text run together."""
        from_ld = self._from_articles("author", _people)
        if from_ld:
            return from_ld
        metas = [clean_line(v) for key in _AUTHOR_METAS for v in self._metas.get(key, ())
                 if not v.strip().lower().startswith(("http://", "https://", "/"))]
        if any(metas):
            return [m for m in metas if m]
        return [name for el in self._itemprops.get("author", ()) if not _in_comment(el) for name in _element_names(el)]

    @lazy_property
    def site_name(self) -> str | None:
        """The outlet's name as the page gives it (og:site_name, JSON-LD publisher, application-name)."""
        publisher = self._from_articles("publisher")
        return self._first("og:site_name", "application-name", "al:ios:app_name") or publisher

    @lazy_property
    def keywords(self) -> list[str]:
        keywords = self._from_articles("keywords", _keywords)
        if keywords:
            return keywords
        # article:tag only: <meta name="keywords"> is mostly the site's own words ("DotNetNuke, DNN"), not tags
        return [t for t in (clean_line(v) for v in self._metas.get("article:tag", [])) if t]

    @lazy_property
    def image(self) -> str | None:
        return self._first("og:image")

    @lazy_property
    def canonical(self) -> str | None:
        return clean_line(self._canonical_link) or self._first("og:url")

    @lazy_property
    def is_article(self) -> bool:
        """The page declares itself an article (og:type article, a JSON-LD article type)."""
        og_type = (self._first("og:type") or "").lower()
        return og_type == "article" or any(str(n.get("@type")).lower() != "webpage" for n in self._articles)


def _squash_key(key: str) -> str:
    return "".join(c for c in key.lower() if c.isalnum())


#: Meta names (property, name, itemprop, http-equiv) of the publication time, most specific first, as
#: `_squash_key` writes them: separators dropped, so "article:published:time", "og:article:published_time" and
#: "article.published_time" each match one entry. Gathered from the spellings pages use (OpenGraph, Dublin Core,
#: Sailthru, Parse.ly, cXense, citation_*, CMS-specific names).
_PUBLISHED_NAMES = tuple(_squash_key(n) for n in (
    "article:published_time", "og:article:published_time", "article:published", "og:article:published",
    "og:published_time", "published_time", "article:published_date", "article:publication_date",
    "article:post_date", "article.published", "article.created", "article_date_original", "datepublished",
    "og:datepublished", "date_published", "publishdate", "publish-date", "publish_date", "og:publish_date",
    "published-date", "publication_date", "publicationdate", "originalpublicationdate", "pubdate", "og:pubdate",
    "pdate", "ptime", "rnews:datepublished", "dc.date.issued", "dcterms.issued", "dc.date.published",
    "dc.date.publication", "dc.date.created", "dcterms.created", "dc.created", "dc.date", "dcterms.date",
    "citation_publication_date", "citation_date", "citation_online_date", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime", "bt:pubdate", "shareaholic:article_published_time", "twt-published-at",
    "mediator_published_time", "dcsext.articlefirstpublished", "content_create_date", "datecreated",
    "date_created", "dateposted", "displaydate", "video:release_date",
))
#: Names that may be the publication time but are as often the page's own or the crawl's: only when no other
#: spelling gave a date.
_PUBLISHED_LAST_NAMES = tuple(_squash_key(n) for n in ("date", "created", "timestamp", "dc.date.available"))
_MODIFIED_NAMES = tuple(_squash_key(n) for n in (
    "article:modified_time", "og:article:modified_time", "article:modified", "og:updated_time", "modified_time",
    "datemodified", "date_modified", "last-modified", "lastmodified", "dc.date.modified", "dcterms.modified",
    "article.updated", "sailthru.lastmodified", "cxenseparse:recs:articlemodifiedtime",
))


def _json_ld_date(scripts: list[str], key: str) -> str | None:
    """`key` of the first JSON-LD node of any type that has it (a LiveBlogPosting, a VideoObject, a node with
    no @type), for pages whose article node is not one of `_ARTICLE_TYPES`."""
    for raw in scripts:
        if key not in raw:
            continue
        try:
            stack = [json.loads(raw, strict=False)]
        except ValueError:
            continue
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                value = _str(item.get(key))
                if value and any(c.isdigit() for c in value):
                    return value
                stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
    return None


#: The itemprop attributes (their element is `getparent()`): twice as fast as selecting the elements by predicate.
_ITEMPROPS = etree.XPath("//@itemprop", regexp=False)


def read_metadata(root: etree._Element) -> PageMetadata:
    """The page's metadata (see `PageMetadata`)."""
    return PageMetadata(root)


def _json_ld_articles(scripts: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for raw in scripts:
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                    found.append(item)
    # The most specific article type first: a WebPage node only fills what the article node left empty.
    found.sort(key=lambda n: str(n.get("@type")).lower() == "webpage")
    return found


def _str(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (str, int, float)):
        text = str(value)
        for _ in range(3):  # JSON-LD written from already-escaped HTML: "Chi&amp;#7871;n" is "Chiến"
            if "&" not in text:
                break
            text = html.unescape(text)
        text = clean_line(text)
        return text or None
    return None


#: Meta tags that name an article's author (article:author often holds a profile URL instead: those are skipped).
_AUTHOR_METAS = ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author", "cxenseparse:author")
_ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "govermentorganization",
                                 "governmentorganization", "ngo", "educationalorganization"})


def _people(value: Any) -> list[str]:
    """The names of JSON-LD author nodes, one each, leaving out the nodes typed as an organisation."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in _ORGANISATION_TYPES for t in types):
                continue
        names.append(_str(item))
    return [n for n in names if n]


def _in_comment(el: etree._Element) -> bool:
    """`el` belongs to a comment or a review (schema.org Comment, a "comment" block): its author is a reader's."""
    for a in el.iterancestors():
        kind = f"{a.get('itemtype') or ''} {a.get('class') or ''} {a.get('id') or ''}".lower()
        if "comment" in kind or "review" in kind:
            return True
    return False


def _element_names(el: etree._Element) -> list[str]:
    """The names an itemprop=author element holds, each apart: its content attribute, else its own itemprop=name
    elements, else its links, else its whole text."""
    if el.get("content"):
        return [clean_line(el.get("content"))]
    for parts in (el.xpath(".//*[@itemprop='name']"), list(el.iter("a"))):
        names = [n for n in (clean_line(p.get("content") or all_text(p)) for p in parts) if n]
        if names:
            return names
    text = clean_line(all_text(el))
    return [text] if text else []


def _keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [k for k in (_str(v) for v in value) if k]
    if isinstance(value, str):
        return [clean_line(k) for k in value.split(",") if clean_line(k)]
    return []
