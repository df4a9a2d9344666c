"""The drift rule (crawler.extract.drift), shared by the crawl's drift pipeline and `newsarchive check-site`."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import crawler.settings
from crawler.extract.drift import DEFAULT_THRESHOLD, drift_alarm, drift_report, listings_note
from crawler.live.check import PageCheck, selectors_hold
from crawler.sites import get_site
from pipelines.drift import BYLINE_HELD, BYLINE_MISSED, HELD, MISSED, DriftPipeline

SITE = get_site("thanhuytphcm")  # title and body selectors, no date selector
HELD_RECORD = {"byline": "A", "extracted_with": {"title": "site", "published_at": "metadata", "body": "site",
                                                 "byline": "site"}}
MISSED_RECORD = {"extracted_with": {"title": "site", "published_at": "metadata", "body": "heuristic"}}


def test_the_threshold_is_the_crawl_setting() -> None:
    assert DEFAULT_THRESHOLD == crawler.settings.NEWSARCHIVE_DRIFT_THRESHOLD


def test_alarm_below_the_threshold_or_when_nothing_is_listed() -> None:
    assert drift_alarm(0, 0, 0, 0.5) == "no article"
    assert drift_alarm(4, 4, 1, 0.5) == "only 1 of 4 articles read by the site's selectors (threshold 50%)"
    assert drift_alarm(4, 4, 2, 0.5) is None
    assert drift_alarm(5, 0, 0, 0.5) is None  # every listed article archived already: nothing fetched, all well
    assert drift_alarm(0, 0, 0, 0.5, not_modified=3) is None  # its listings answered 304: unchanged, not broken
    assert drift_report("s", 4, 1, 0.5, (2, 1), listed=9) == {
        "site": "s", "listed": 9, "not_modified": 0, "articles": 4, "by_selectors": 1, "share": 0.25, "bylines_by_selector": 2,
        "bylines_by_fallback": 1, "alarm": "only 1 of 4 articles read by the site's selectors (threshold 50%)"}


def test_check_site_holds_by_the_same_rule() -> None:
    held, missed = PageCheck("u", {}, record=HELD_RECORD), PageCheck("u", {}, record=MISSED_RECORD)
    failed = PageCheck("u", {}, "HTTP 500")
    assert selectors_hold(SITE, [held, missed]) and not selectors_hold(SITE, [held, missed, failed])
    assert not selectors_hold(SITE, [held, missed], threshold=0.75)
    assert not selectors_hold(SITE, [])


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_the_drift_pipeline_counts_records_and_bylines() -> None:
    site = replace(SITE, selectors=replace(SITE.selectors, byline="p.author"))
    stats = Stats()
    pipeline = DriftPipeline(SimpleNamespace(spider=SimpleNamespace(site=site), stats=stats))  # type: ignore[arg-type]
    records: list[dict[str, Any]] = [HELD_RECORD, MISSED_RECORD, {**MISSED_RECORD, "byline": "B"}]
    for record in records:
        assert pipeline.process_item(record) is record
    assert stats.values == {HELD: 1, MISSED: 2, BYLINE_HELD: 1, BYLINE_MISSED: 1}


def test_a_dead_declared_listing_beside_an_unchanged_sitemap_is_a_note_not_silence_nor_an_alarm() -> None:
    """A quiet hour: the guessed listing gave nothing (a 404), the sitemap answered 304. Not "no article" (the site
    is alive), and not silence either (its declared way in is dead)."""
    sources = {"listing": [0, 0], "sitemap": [0, 0, 3]}
    note = listings_note(sources)
    assert note == "declared listings gave nothing; sitemap unchanged (304)"
    report = drift_report("x", 0, 0, DEFAULT_THRESHOLD, listed=0, not_modified=0, note=note)
    assert report["alarm"] is None and report["note"] == note
    # a declared listing that answered 304 is alive: nothing to say
    assert listings_note({"listing": [0, 0, 1], "sitemap": [0, 0, 3]}) is None
    # and with no other source alive, a dead listing is the alarm it always was
    assert drift_report("x", 0, 0, DEFAULT_THRESHOLD, listed=0, note=listings_note({"listing": [0, 0]}))[
        "alarm"] == "no article"
