"""Selectors induced from sampled article pages: for each field (title, date, lead, body, byline), the shortest
stable CSS that selects, on most sampled pages, the element holding the value the generic layer found there
(crawler.extract.locate) and nothing else; then checked: read with the induced selectors, each page must give the
value the generic layer gave (the body: nearly the same text, as a container keeps subheadings a general
extractor may drop). Where the samples disagree, the field is left to the fallbacks (metadata, generic layer),
and the reason says so.

Stable: classes, ids and attribute values without a run of digits (those are generated per page or per build).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from lxml import etree

from crawler.extract.css import PageSelector
from crawler.extract.dates import VN_TZ
from crawler.extract.locate import LOCATED_FIELDS, field_elements
from crawler.extract.page import ArticlePage
from crawler.extract.text import clean_line
from crawler.sites.base import Selectors, Site

#: Selectors field -> the record field it gives.
RECORD_FIELD = {"title": "title", "date": "published_at", "lead": "lead", "body": "body", "byline": "byline"}
_STABLE = re.compile(r"^-?[A-Za-z_][\w-]*$")
_ATTRIBUTES = ("itemprop", "data-role", "role")
#: How many ancestors a selector may name above the element.
_DEPTH = 3
#: Two bodies agree when this share of their text (by characters, paragraph by paragraph) is common.
BODY_AGREEMENT = 0.9


@dataclass(frozen=True)
class Induced:
    """One field's outcome: `css` (None: left to the fallbacks), on how many of `total` pages it agrees, why."""

    field: str
    css: str | None
    agree: int
    total: int
    note: str


def majority(count: int, total: int) -> bool:
    return total > 0 and count * 2 > total


def _stable(value: str) -> bool:
    return bool(_STABLE.match(value)) and not re.search(r"\d{2,}", value) and not _generated(value)


def _generated(value: str) -> bool:
    """A name a build tool generated (CSS-in-JS hashes such as "eOxqaL", "e1wiw3jv0"): it changes with each
    release of the site: a part (between - and _) of letters and digits mixed, or a short name with a capital
    inside and no separator."""
    if any(re.search(r"\d", part) and re.search(r"[A-Za-z]", part) for part in re.split(r"[-_]+", value)):
        return True
    return "-" not in value and "_" not in value and len(value) <= 8 and bool(re.search(r"[a-z][A-Z]", value))


def tokens(el: etree._Element) -> list[str]:
    """Simple selectors that name `el`, shortest first."""
    tag = el.tag if isinstance(el.tag, str) else ""
    found = [tag] if tag else []
    if el.get("id") and _stable(el.get("id")):
        found.append(f"#{el.get('id')}")
    for cls in (el.get("class") or "").split():
        if _stable(cls):
            found += [f".{cls}", f"{tag}.{cls}"]
    for name in _ATTRIBUTES:
        value = el.get(name)
        if value and _stable(value):
            found.append(f'{tag}[{name}="{value}"]')
    return sorted(dict.fromkeys(found), key=len)


def candidates(el: etree._Element) -> list[str]:
    """Selectors for `el`: its own tokens, then each under a token of one of its nearest ancestors."""
    own = tokens(el)
    found = list(own)
    for depth, ancestor in enumerate(el.iterancestors()):
        if depth >= _DEPTH or ancestor.tag in ("body", "html"):
            break
        for above in tokens(ancestor):
            if above == ancestor.tag:
                continue  # a bare tag above says little and is rarely stable
            combinator = " > " if depth == 0 else " "
            found += [f"{above}{combinator}{t}" for t in own]
    return sorted(dict.fromkeys(found), key=len)


def _picks_only(selector: PageSelector, css: str, target: etree._Element) -> bool:
    try:
        nodes = [n for n in selector.select(css) if isinstance(n, etree._Element)]
    except Exception:  # a class name cssselect cannot read: not a candidate
        return False
    return len(nodes) == 1 and nodes[0] is target


def induce_field(field: str, pages: list[tuple[PageSelector, etree._Element | None]]) -> Induced:
    """The shortest selector that picks only the field's element on the most pages (a majority at least)."""
    total = len(pages)
    found = [(s, el) for s, el in pages if el is not None]
    if not majority(len(found), total):
        return Induced(field, None, len(found), total,
                       f"an element holds the generic layer's value on {len(found)} of {total} pages")
    scores: dict[str, int] = {}
    for _, el in found:
        for css in candidates(el):
            if css not in scores:
                scores[css] = sum(_picks_only(s, css, target) for s, target in found)
    best = max(scores.values(), default=0)
    if not majority(best, total):
        return Induced(field, None, best, total,
                       f"samples disagree: no selector picks it on more than {best} of {total} pages")
    css = min((c for c, n in scores.items() if n == best), key=lambda c: (len(c), c))
    return Induced(field, css, best, total, "")


def induce(samples: list[tuple[str, str]], site: Site) -> list[Induced]:
    """Selectors for `site` (its rule and hosts; its selectors are ignored) from `samples` (url, html), checked
    against the generic layer (see the module's docstring)."""
    fetched_at = datetime.now(VN_TZ)  # one reference for every reading: "2 giờ trước" dates alike
    generic = [ArticlePage(url, html, fetched_at=fetched_at) for url, html in samples]
    located = [field_elements(page) for page in generic]
    fields = [induce_field(name, [(PageSelector(p.root), where[name]) for p, where in zip(generic, located)])
              for name in LOCATED_FIELDS]
    return check(fields, samples, [p.to_record() for p in generic], site, fetched_at)


def check(fields: list[Induced], samples: list[tuple[str, str]], expected: list[dict], site: Site,
          fetched_at: datetime) -> list[Induced]:
    """`fields`, less those whose selector gives, on most pages, another value than the generic layer's."""
    for _ in range(2):  # once more after a drop: one field's selector changes what the others read (the body)
        declared = replace(site, selectors=Selectors(**{f.field: f.css for f in fields if f.css}))
        records = [ArticlePage(url, html, declared, fetched_at).to_record() for url, html in samples]
        checked = [_checked(f, records, expected) for f in fields]
        if checked == fields:
            break
        fields = checked
    return fields


def _checked(field: Induced, records: list[dict], expected: list[dict]) -> Induced:
    if field.css is None:
        return field
    name = RECORD_FIELD[field.field]
    same = sum(_agree(name, got.get(name), want.get(name)) for got, want in zip(records, expected))
    if majority(same, len(records)):
        return replace(field, agree=min(field.agree, same))
    return Induced(field.field, None, same, len(records),
                   f"`{field.css}` gives another value than the generic layer on {len(records) - same} of "
                   f"{len(records)} pages")


def _agree(name: str, got: object, want: object) -> bool:
    if name != "body" or not isinstance(got, str) or not isinstance(want, str):
        return bool(want) and got == want
    return body_overlap(got, want) >= BODY_AGREEMENT


def body_overlap(a: str, b: str) -> float:
    """The share of two texts' characters in paragraphs they have in common (1.0: the same paragraphs)."""
    first = {clean_line(p) for p in a.split("\n\n") if p.strip()}
    second = {clean_line(p) for p in b.split("\n\n") if p.strip()}
    union = sum(len(p) for p in first | second)
    return sum(len(p) for p in first & second) / union if union else 1.0
