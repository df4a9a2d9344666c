"""Drift: whether a site's own selectors still read its articles. One rule for the crawl's drift alarm (counted by
pipelines/drift.py, reported by pipelines/store.py) and for `newsarchive check-site`.

When a site changes its layout, its selectors miss and the fallbacks take over: the records may still look fine,
but they are guesses. Counting, per article, whether every field the site declares a selector for came from that
selector tells the operator early.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from crawler import settings
from crawler.sites.base import Selectors, Site

#: Record field -> the Selectors attribute that should give it. Every article page has these three; a byline is
#: often absent or printed outside the declared node on some pages, so bylines are counted but raise no alarm.
WATCHED = {"title": "title", "published_at": "date", "body": "body"}

#: The share of articles read by the site's selectors below which a site has drifted, unless a crawl's settings
#: say otherwise (NEWSARCHIVE_DRIFT_THRESHOLD).
DEFAULT_THRESHOLD: float = settings.NEWSARCHIVE_DRIFT_THRESHOLD


def _era_fields(selectors: Selectors) -> list[str]:
    """The watched record fields one era's selectors declare a selector for."""
    return [field for field, selector in WATCHED.items() if getattr(selectors, selector)]


def watched_fields(site: Site) -> list[str]:
    """The record fields this site declares a selector for, in any of its eras."""
    declared = {field for selectors in site.layouts for field in _era_fields(selectors)}
    return [field for field in WATCHED if field in declared]


def held_by_selectors(record: dict[str, Any], site: Site) -> bool:
    """Every watched field of one of the site's eras came from the site layer: a page of the 2020 layout is held
    when the 2020 selectors gave its fields, though the newest era declares others. (A site of one era: every
    field it declares.)"""
    layers = record.get("extracted_with") or {}
    return any(all(layers.get(field) == "site" for field in fields)
               for fields in map(_era_fields, site.layouts))


def byline_by_selector(record: dict[str, Any], site: Site) -> bool | None:
    """Whether the site's byline selector gave the record's byline; None when there is nothing to count (the site
    declares no byline selector, or the record has no byline)."""
    if not (any(s.byline for s in site.layouts) and record.get("byline")):
        return None
    return (record.get("extracted_with") or {}).get("byline") == "site"


def drift_alarm(listed: int, articles: int, held: int, threshold: float, not_modified: int = 0) -> str | None:
    """Why a site drifted, or None if it did not: its listings showed no article link (`listed`: the listings
    themselves broke, or the site is gone), or fewer than `threshold` of its `articles` were read by its selectors
    (`held`). No article read at all, with links listed (all of them archived already), raises nothing; nor do
    listings that showed nothing because they answered 304 (`not_modified`): unchanged since the last run."""
    if listed == 0 and not not_modified:
        return "no article"
    if articles and held / articles < threshold:
        return f"only {held} of {articles} articles read by the site's selectors (threshold {threshold:.0%})"
    return None


def listings_note(sources: Mapping[str, Sequence[int]], declared: tuple[str, ...] = ("listing", "feed")) -> str | None:
    """"declared listings gave nothing; sitemap gave 12 (3 new)": a site whose declared listings and feeds (the
    sources named in `declared`) listed no article while other sources (source -> [listed, new], or [listed, new,
    not modified]) listed some, or answered 304 (alive, with nothing new). Not a redesign, nor a site gone: its
    declared way in is dead or was guessed wrong. A declared listing that answered 304 is alive: nothing to say.
    None otherwise."""
    if any(sum(sources.get(source, (0, 0))[::2]) for source in declared):  # listed, or not modified
        return None
    others = [f"{source} gave {counts[0]} ({counts[1]} new)" if counts[0] else f"{source} unchanged (304)"
              for source, counts in sorted(sources.items())
              if source not in declared and (counts[0] or sum(counts[2:]))]
    return f"declared listings gave nothing; {', '.join(others)}" if others else None


def drift_report(site_key: str, articles: int, held: int, threshold: float,
                 bylines: tuple[int, int] = (0, 0), listed: int = 0, not_modified: int = 0,
                 note: str | None = None) -> dict[str, Any]:
    """One site's line of a run's drift report; `alarm` is None when all is well (see drift_alarm). `listed`:
    article links its sources showed; `not_modified`: its discovery pages that answered 304; `bylines`: (by the
    site's byline selector, by a fallback), reported only; `note`: what the run should say of it that is no alarm
    (listings_note), in the report only when given."""
    share = held / articles if articles else 0.0
    report = {"site": site_key, "listed": listed, "not_modified": not_modified, "articles": articles,
              "by_selectors": held, "share": round(share, 3),
              "bylines_by_selector": bylines[0], "bylines_by_fallback": bylines[1],
              "alarm": drift_alarm(listed, articles, held, threshold, not_modified)}
    if note:
        report["note"] = note
        if report["alarm"] == "no article":  # another source is alive (a 304 lists nothing): the note says it
            report["alarm"] = None
    return report
