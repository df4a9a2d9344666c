"""An article URL rule (a `Site.article_path`: a regex over the canonical URL's path and query, group `id` the
native id) inferred from sampled article URLs, and checked against the site's other links.

Before any rule is known, `looks_like_article` picks the links worth sampling: a path that ends in a long number
(most Vietnamese CMSes end an article URL in its id) or in a long slug. Candidate rules go from the most telling
to the least: a trailing number, a numeric query parameter, a slug; the first that accepts every sample (each
with an id of its own) and rejects every other link wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.extract.discovery import NOT_A_PAGE

#: A last path segment that ends in a number: what precedes it, the number, an extension (".html", ".chn").
_TRAILING_NUMBER = re.compile(r"^(?P<stem>.*?)(?P<id>\d+)(?P<ext>\.[A-Za-z]{2,5})?$")
_EXTENSION = re.compile(r"\.[A-Za-z]{2,5}$")
_DATED = re.compile(r"/(?:19|20)\d\d/[01]\d/")
#: Where a path rule ends: the path's end, whatever query follows (a feed's "?ref=rss" on an article URL).
END = r"(?:\?|$)"
#: An article's number has at least this many digits (a year or a page number has fewer, or is a section's).
MIN_ID_DIGITS = 4
#: An article slug has at least this many words.
MIN_SLUG_WORDS = 4


@dataclass(frozen=True)
class UrlRule:
    """An inferred rule: `pattern` (for `Site.article_path`), what kind of id it keys by, and how it fared."""

    pattern: str
    kind: str  # "trailing number" | "query parameter" | "slug"
    accepted: int
    rejected: int

    def article_id(self, url: str) -> str | None:
        match = re.search(self.pattern, path_and_query(url))
        return match.group("id") if match else None


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def looks_like_article(url: str) -> str | None:
    """`url` itself when it looks like an article's (a trailing number of MIN_ID_DIGITS digits, a numeric query
    id, or a slug of MIN_SLUG_WORDS words), else None: the rule of a site whose rule is not known yet."""
    parts = urlsplit(url)
    path = parts.path
    if NOT_A_PAGE.search(path) or path in ("", "/"):
        if not any(v.isdigit() and len(v) >= MIN_ID_DIGITS for _, v in parse_qsl(parts.query)):
            return None
        return url
    last = _EXTENSION.sub("", path.rstrip("/").rsplit("/", 1)[-1])
    if re.search(rf"\d{{{MIN_ID_DIGITS},}}$", last) or len(re.findall(r"[^\W_]+", last)) >= MIN_SLUG_WORDS:
        return url
    if any(v.isdigit() and len(v) >= MIN_ID_DIGITS for _, v in parse_qsl(parts.query)):
        return url
    return None


def infer_rule(articles: list[str], others: Iterable[str]) -> UrlRule | None:
    """The first candidate rule that accepts every URL of `articles`, each with its own id, and rejects every
    URL of `others`; None when none does."""
    others = [u for u in dict.fromkeys(others) if u not in articles]
    paths = [path_and_query(u) for u in articles]
    for kind, pattern in _candidates(paths):
        compiled = re.compile(pattern)
        ids = [m.group("id") if (m := compiled.search(p)) else None for p in paths]
        if None in ids or len(set(ids)) != len(ids):
            continue
        if any(compiled.search(path_and_query(u)) for u in others):
            continue
        return UrlRule(pattern, kind, len(articles), len(others))
    return None


def _prefix(paths: list[str]) -> list[str]:
    """The path before the last segment: the same depth for all (tightest), or any depth."""
    depths = {p.split("?", 1)[0].strip("/").count("/") for p in paths}
    loose = r"^/(?:[^/?#]+/)*"
    if len(depths) == 1:
        depth = depths.pop()
        return [rf"^/(?:[^/?#]+/){{{depth}}}" if depth else "^/", loose]
    return [loose]


def _extension(extensions: set[str]) -> str:
    if extensions == {""}:
        return ""
    if len(extensions) == 1:
        return re.escape(extensions.pop())
    return "(?:" + "|".join(sorted(re.escape(e) for e in extensions if e)) + ")?"


def _candidates(paths: list[str]) -> list[tuple[str, str]]:
    """(kind, pattern) of the rules to try on `paths` (canonical path and query of each sample), most telling
    first."""
    lasts = [p.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] for p in paths]
    return [*_trailing_number(paths, lasts), *_query_id(paths), *_slug(paths, lasts, MIN_SLUG_WORDS),
            *_dated_path(paths), *_slug(paths, lasts, 2), *_directory(paths)]


def _trailing_number(paths: list[str], lasts: list[str]) -> list[tuple[str, str]]:
    numbers = [_TRAILING_NUMBER.match(last) for last in lasts]
    found = [m for m in numbers if m is not None]
    if len(found) < len(lasts) or any(len(m.group("id")) < MIN_ID_DIGITS for m in found):
        return []
    digits = max(MIN_ID_DIGITS, min(len(m.group("id")) for m in found) - 2)
    separators = {m.group("stem")[-1:] for m in found}
    separator = _escape(separators.pop()) if len(separators) == 1 else ""
    extension = _extension({m.group("ext") or "" for m in found})
    return [("trailing number", rf"{prefix}[^/?#]*?{separator}(?P<id>\d{{{digits},}}){extension}{END}")
            for prefix in _prefix(paths)]


def _query_id(paths: list[str]) -> list[tuple[str, str]]:
    names = [dict(parse_qsl(p.split("?", 1)[1])) if "?" in p else {} for p in paths]
    shared = set.intersection(*(set(n) for n in names)) if names else set()
    return [("query parameter", rf"[?&]{re.escape(name)}=(?P<id>\d+)(?:&|$)") for name in sorted(shared)
            if all(n[name].isdigit() and len(n[name]) >= MIN_ID_DIGITS for n in names)]


def _slug(paths: list[str], lasts: list[str], least: int) -> list[tuple[str, str]]:
    """A slug of at least `least` words, or (under MIN_SLUG_WORDS) as many as the shortest sample's."""
    stems = [_EXTENSION.sub("", last) for last in lasts]
    words = min((len(re.findall(r"[^\W_]+", stem)) for stem in stems), default=0)
    if words < least or (least < MIN_SLUG_WORDS and words >= MIN_SLUG_WORDS):
        return []
    extension = _extension({m.group() if (m := _EXTENSION.search(last)) else "" for last in lasts})
    words = least if least == MIN_SLUG_WORDS else words
    return [("slug", rf"{prefix}(?P<id>[^/?#.]+(?:-[^/?#.]+){{{words - 1},}}){extension}{END}")
            for prefix in _prefix(paths)]


def _dated_path(paths: list[str]) -> list[tuple[str, str]]:
    """A path dated /YYYY/MM/ (and /DD/), the id being all of it from the date on."""
    if not all(_DATED.search(p.split("?", 1)[0]) for p in paths):
        return []
    return [("dated path", r"^/(?:[^/?#]+/)*?(?P<id>(?:19|20)\d\d/[01]\d/(?:[0-3]\d/)?[^?#]*[^/?#])" + END)]


def _directory(paths: list[str]) -> list[tuple[str, str]]:
    """Every sample under one directory (/marker/...): the id is the rest of the path."""
    first = {p.split("?", 1)[0].strip("/").split("/")[0] for p in paths}
    if len(first) != 1 or not all(p.strip("/").count("/") for p in paths):
        return []
    return [("directory", rf"^/{re.escape(first.pop())}/(?P<id>[^?#]*[^/?#]){END}")]


def _escape(text: str) -> str:
    """`re.escape`, less the escapes a reader of the pattern does not need (a hyphen outside a class)."""
    return re.escape(text).replace("\\-", "-")
