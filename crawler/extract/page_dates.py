"""When the article was published and last updated, each from the first layer that gives it, and what dates a
dateline that prints no year."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from crawler.extract import heuristics
from crawler.extract.dates import VN_TZ, ParsedDate, parse_date
from crawler.extract.lazy import lazy_property
from crawler.extract.page_body import PageBody
from crawler.extract.page_layout import Layer
from crawler.extract.text import clean_line


class PageDates(PageBody):
    """One page's dates (see crawler.extract.page.ArticlePage)."""

    @lazy_property
    def _reference_date(self) -> datetime:
        """The page's "today" line if the site declares one, else when the page was fetched."""
        today = parse_date(self._era_text("today") or "", self.fetched_at)
        return today.value.replace(hour=23, minute=59) if today else self.fetched_at

    def _dateline_reference(self, dateline: str) -> datetime:
        """What dates a year-less dateline: a date in the article's URL or photo paths (uploads are dated), then the
        page's "today" line, then the fetch time. A context date with the dateline's day and month gives the year
        outright; another one dates the dateline within the month before it."""
        day_month = heuristics.day_month(dateline)
        contexts = heuristics.context_dates([self.url, self.meta.image or "", *(
            i["url"] or "" for i in self.images)])
        for found in contexts:
            if (found.day, found.month) == day_month:
                return datetime(found.year, found.month, found.day, 23, 59, tzinfo=VN_TZ)
        if contexts:
            nearest = min(contexts, key=lambda d: abs((d - self._reference_date.date()).days))
            return min(datetime(nearest.year, nearest.month, nearest.day, 23, 59, tzinfo=VN_TZ)
                       + timedelta(days=30), self._reference_date)
        return self._reference_date

    @lazy_property
    def _published(self) -> tuple[ParsedDate, str] | None:
        reference = self._reference_date

        def parsed(text: str | None) -> tuple[ParsedDate, str] | None:
            value = parse_date(text or "", reference)
            if value is None or value.value > reference.replace(hour=23, minute=59):
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
            if not dateline:
                return None
            value = parse_date(dateline, self._dateline_reference(dateline))
            return (value, dateline) if value and value.value <= reference.replace(hour=23, minute=59) else None

        return self._layered(
            "published_at",
            ("site", lambda: self._era_value("date", lambda css: parsed(self._site_text(css)))),
            ("metadata", lambda: parsed(self.meta.published)),
            ("heuristic", from_page),
        )

    @lazy_property
    def updated_at(self) -> str | None:
        """When the article says it was last modified (site node, then metadata); None if it does not say."""
        reference = self._reference_date
        layers: tuple[tuple[Layer, Callable[[], str | None]], ...] = (
            ("site", lambda: self._era_text("updated")), ("metadata", lambda: self.meta.modified))
        for layer, text in layers:  # the metadata only when the site's node gives no date
            value = parse_date(text() or "", reference)
            if value is not None:
                self.extracted_with["updated_at"] = layer
                return value.isoformat()
        return None
