"""A sitemap read: a sitemap index (the sitemaps it names) or a urlset, Google News sitemaps included (the URLs it
names), each entry with the date the site gives it (`news:publication_date`, else `lastmod`).

Pure: bytes in (already decompressed), entries out. Parsed as a stream (lxml's iterparse, each element cleared once
read), with no entity resolution and no network, so a 50,000-URL sitemap is never held as a tree. Anything that is
not a sitemap (HTML, malformed XML, another XML document) raises NotASitemap, for the caller to record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree

#: The root elements of what the sitemap protocol calls a sitemap.
ROOTS = ("urlset", "sitemapindex")


class NotASitemap(ValueError):
    """The document is not a sitemap or a sitemap index (its reason is the message)."""


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    #: `news:publication_date`, else `lastmod`, as the site wrote it (ISO 8601), or None.
    date: str | None = None


@dataclass
class Sitemap:
    #: True for a sitemap index (its entries are sitemaps), False for a urlset (its entries are pages).
    index: bool
    entries: list[SitemapEntry] = field(default_factory=list)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_sitemap(body: bytes) -> Sitemap:
    """The sitemap in `body`. Raises NotASitemap for anything else."""
    if not body.strip():
        raise NotASitemap("empty document")
    events = etree.iterparse(BytesIO(body), events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, recover=False)
    sitemap: Sitemap | None = None
    try:
        for event, element in events:
            if sitemap is None:
                root = _local(element.tag)
                if root not in ROOTS:
                    raise NotASitemap(f"root element <{root or '?'}> is not a sitemap's")
                sitemap = Sitemap(index=root == "sitemapindex")
                continue
            if event == "end" and _local(element.tag) in ("url", "sitemap"):
                entry = _entry(element)
                if entry is not None:
                    sitemap.entries.append(entry)
                element.clear()
    except etree.XMLSyntaxError as e:
        raise NotASitemap(f"malformed XML: {' '.join(str(e).split())[:200]}") from None
    if sitemap is None:
        raise NotASitemap("no root element")
    return sitemap


def _entry(element: etree._Element) -> SitemapEntry | None:
    """A `<url>` or `<sitemap>` element's location and date; None without a location."""
    values: dict[str, str] = {}
    for child in element.iter():
        name = _local(child.tag)
        if name in ("loc", "lastmod", "publication_date") and child.text and child.text.strip():
            values.setdefault(name, child.text.strip())
    if "loc" not in values:
        return None
    return SitemapEntry(values["loc"], values.get("publication_date") or values.get("lastmod"))
