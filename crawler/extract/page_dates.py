"""When the article was published and last updated, each from the first layer that gives it, what dates a
dateline that prints no year, and the zone a time is read in when the page gives it no offset."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Callable
from urllib.parse import urlsplit

from crawler.extract import heuristics, url_dates, zones
from crawler.extract.content import NEVER_JUNK
from crawler.extract.dates import ParsedDate, parse_date
from crawler.extract.lazy import lazy_property
from crawler.extract.page_body import PageBody
from crawler.extract.page_layout import Layer
from crawler.extract.text import clean_line
from crawler.extract.urls import host_of


#: No news page was published before the web: an earlier year is a CMS's placeholder ("0001-01-01T00:00:00Z").
_PLAUSIBLE_SINCE = 1990
#: Ancestors whose <time> elements date other articles, comments or the site: never the article's time. Read
#: below the page-wide wrappers (html, body, main, form: "ast-right-sidebar" on <body> says nothing of a <time>),
#: and as words ("relative", "canvas", "playlist-free" are not such blocks).
_NOT_THIS_ARTICLE = re.compile(r"relat(?!ive)|comment|footer|sidebar|widget|recommend|more-|teaser"
                               r"|(?<![a-z])(?:cards?|list|nav|menu)(?![a-z])", re.I)
_PUBLISHED_MARK = re.compile(r"publish|pubdate|posted|created", re.I)
_UPDATED_MARK = re.compile(r"updat|modif", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19[9]\d|20\d\d)(?!\d)")


class PageDates(PageBody):
    """One page's dates (see crawler.extract.page.ArticlePage)."""

    @property
    def _zone_declared(self) -> bool:
        return self.declared

    @lazy_property
    def _zone(self) -> tuple[str, tzinfo]:
        """The zone (IANA name, tzinfo) the page's times are read in where they state none: its site's declared
        zone; for a host nobody declared (or whose CMS family was only detected), the zone of its country-code TLD,
        else of its language (<html lang>, og:locale, Content-Language: "en-GB" is London, "de" Berlin), else
        Vietnam's for a page whose title is written in Vietnamese, else UTC.

        An undeclared .com page in English that tags no region and gives no offset is read in New York time:
        such pages are mostly American (crawler.extract.zones.LANGUAGE_ZONES says how that was measured), and the
        record's `published_zone` says the zone was assumed. A page that tags no language at all is read in UTC,
        which is no country's guess."""
        if self._zone_declared:
            name = self.site.timezone  # type: ignore[union-attr]
        else:
            name = (zones.zone_of_host(host_of(self.url)) or zones.zone_of_language(self.root.get("lang"))
                    or zones.zone_of_language(self.meta.locale)
                    or (zones.VN_ZONE if zones.VIETNAMESE_LETTERS.search(self.title or "") else zones.UTC_ZONE))
        return name, zones.zone_named(name)

    @lazy_property
    def _month_first(self) -> bool:
        """Whether the page prints numeric dates month first: an undeclared English page read in a zone of the
        Americas ("04/05/2023" is 5 April there; Latin American pages, in Spanish or Portuguese, print day first)."""
        if self._zone_declared or not self._zone[0].startswith("America/"):
            return False
        language = self.root.get("lang") or self.meta.locale or ""  # untagged: day first, as most of the world
        return language.lower().startswith("en")

    def _read_date(self, text: str | None, reference: datetime) -> ParsedDate | None:
        """One date string read in the page's zone. A declared site's dates are all given in its zone; an
        undeclared page's keep the offset they state, except UTC ("Z"), which is a CMS's storage clock rather than
        the publisher's and is given in the page's zone, so that the day is the one the page prints."""
        zone = self._zone[1]
        value = parse_date(text or "", reference, zone, convert=self._zone_declared, month_first=self._month_first)
        if value is not None and not self._zone_declared and value.value.utcoffset() == timedelta(0):
            try:
                value = replace(value, value=value.value.astimezone(zone))
            except OverflowError:  # "0001-01-01T00:00:00Z", a placeholder
                return None
        return value

    @lazy_property
    def published_zone(self) -> str | None:
        """The zone the publication time was read in when the page did not state one (None when it did, or when
        the page has no date); `extracted_with` says whether the site declared it or the page's host or language
        gave it ("heuristic")."""
        published = self._published
        if published is None or not published[0].zone_assumed:
            return None
        self.extracted_with["published_zone"] = "site" if self._zone_declared else "heuristic"
        return self._zone[0]

    @lazy_property
    def _reference_date(self) -> datetime:
        """The page's "today" line if the site declares one, else when the page was fetched."""
        today = self._read_date(self._era_text("today"), self.fetched_at)
        return today.value.replace(hour=23, minute=59) if today else self.fetched_at

    def _dateline_reference(self, dateline: str) -> datetime:
        """What dates a year-less dateline: a date in the article's URL or photo paths (uploads are dated), then the
        page's "today" line, then the fetch time. A context date with the dateline's day and month gives the year
        outright; another one dates the dateline within the month before it."""
        day_month = url_dates.day_month(dateline)
        contexts = url_dates.context_dates([self.url, self.meta.image or "", *(
            i["url"] or "" for i in self.images)])
        for found in contexts:
            if (found.day, found.month) == day_month:
                return datetime(found.year, found.month, found.day, 23, 59, tzinfo=self._zone[1])
        if contexts:
            nearest = min(contexts, key=lambda d: abs((d - self._reference_date.date()).days))
            return min(datetime(nearest.year, nearest.month, nearest.day, 23, 59, tzinfo=self._zone[1])
                       + timedelta(days=30), self._reference_date)
        return self._reference_date

    @lazy_property
    def _published(self) -> tuple[ParsedDate, str] | None:
        reference = self._reference_date

        def parsed(text: str | None) -> tuple[ParsedDate, str] | None:
            value = self._read_date(text, reference)
            if value is None or not _PLAUSIBLE_SINCE <= value.value.year or value.value > reference.replace(
                    hour=23, minute=59):
                return None
            return value, clean_line(text)

        def from_page() -> tuple[ParsedDate, str] | None:
            scope = self._article_scope
            if scope is not None:
                for text in heuristics.date_candidates(scope, self._title_element):
                    found = parsed(text)
                    if found:
                        return found
            dateline = heuristics.find_dateline(self.lead or "")
            if dateline:
                value = self._read_date(dateline, self._dateline_reference(dateline))
                if value and value.value <= reference.replace(hour=23, minute=59):
                    return value, dateline
            return (next(filter(None, map(parsed, self._page_times)), None)
                    or next(filter(None, map(parsed, self._under_headline)), None) or self._url_day())

        return self._layered(
            "published_at",
            ("site", lambda: self._era_value("date", lambda css: parsed(self._site_text(css)))),
            ("metadata", lambda: next(filter(None, map(parsed, self.meta.published_candidates)), None)),
            ("heuristic", from_page),
        )

    def _url_day(self) -> tuple[ParsedDate, str] | None:
        """The day the article's URL path carries (".../2019/11/18/slug"), written by the publisher in its own
        zone, for a page nothing else dates; None unless the path holds exactly one such date."""
        path = urlsplit(self.url).path
        days = url_dates.context_dates([path])
        if len(days) != 1 or days[0].year < _PLAUSIBLE_SINCE:
            return None
        value = datetime(days[0].year, days[0].month, days[0].day, tzinfo=self._zone[1])
        return (ParsedDate(value, "day", True), path) if value <= self._reference_date else None

    @property
    def _under_headline(self) -> list[str]:
        """The short texts printed right after the headline (the next few elements beside it, or beside the
        header that holds it) that hold a year: where a page prints "By … on Monday, November 18th, 2019" or
        "05/10/2018 - Publicado por" without marking it as a date."""
        title = self._title_element
        texts: list[str] = []
        for node in (title, title.getparent()) if title is not None else ():
            for sibling in itertools.islice(node.itersiblings(), 3) if node is not None else ():
                text = heuristics.element_text(sibling) if isinstance(sibling.tag, str) else ""
                if 6 <= len(text) <= 200 and _YEAR.search(text):
                    texts.append(text)
        return texts

    @property
    def _page_times(self) -> list[str]:
        """The machine-readable times of the page's <time datetime> elements, for a page whose article area gave
        none (the time sits in a header above the headline, or in a bar the area leaves out): the publication one
        (`pubdate`, itemprop, a class that says "publish") first, an update's last, never one in a list of other
        articles, comments or a footer."""
        found = []
        for el in self.root.iter("time"):
            value = el.get("datetime")
            if not value or any(_NOT_THIS_ARTICLE.search(f"{a.get('class') or ''} {a.get('id') or ''}")
                                for a in el.iterancestors() if a.tag not in NEVER_JUNK):
                continue
            marks = f"{el.get('class') or ''} {el.get('itemprop') or ''}"
            rank = 0 if el.get("pubdate") is not None or _PUBLISHED_MARK.search(marks) else (
                2 if _UPDATED_MARK.search(marks) else 1)
            found.append((rank, value))
        return [value for _, value in sorted(found, key=lambda f: f[0])]

    @lazy_property
    def updated_at(self) -> str | None:
        """When the article says it was last modified (site node, then metadata); None if it does not say."""
        reference = self._reference_date
        layers: tuple[tuple[Layer, Callable[[], str | None]], ...] = (
            ("site", lambda: self._era_text("updated")), ("metadata", lambda: self.meta.modified))
        for layer, text in layers:  # the metadata only when the site's node gives no date
            value = self._read_date(text(), reference)
            if value is not None:
                self.extracted_with["updated_at"] = layer
                return value.isoformat()
        return None
