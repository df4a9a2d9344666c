"""The pipelines' plain functions, and each pipeline's effect on crawl stats."""

from __future__ import annotations

import unicodedata
import pytest
from scrapy.exceptions import DropItem

from pipelines.deduplicate import DeduplicatePipeline
from crawler.extract.records import drop_reason, normalize_record
from pipelines.store import run_counts
from pipelines.validate import ValidatePipeline


def fake_crawler():
    from scrapy.utils.test import get_crawler

    return get_crawler()


def test_normalize_makes_text_nfc_and_trims() -> None:
    nfd = unicodedata.normalize("NFD", "  Thành uỷ  TP.HCM ")
    record = normalize_record({"title": nfd, "body": unicodedata.normalize("NFD", "Đảng\n\nbộ"),
                               "tags": ["a", "a", ""], "byline": ""})
    assert record["title"] == "Thành uỷ TP.HCM"
    assert record["body"] == "Đảng\n\nbộ" and unicodedata.is_normalized("NFC", record["body"])
    assert record["tags"] == ["a"] and record["byline"] is None


@pytest.mark.parametrize(("record", "reason"), [
    ({"site": "s", "article_id": "1", "title": "", "body": "x"}, "no title"),
    ({"site": "s", "article_id": "1", "title": "t", "body": None}, "no body"),
    ({"site": "s", "article_id": "1", "title": "t", "body": "x"}, None),
])
def test_drop_reason(record: dict, reason: str | None) -> None:
    assert drop_reason(record) == reason


def test_validate_drops_with_a_counted_reason() -> None:
    crawler = fake_crawler()
    with pytest.raises(DropItem):
        ValidatePipeline(crawler).process_item({"site": "s", "article_id": "1", "title": "t", "body": ""})
    assert crawler.stats.get_value("newsarchive/dropped/no body") == 1


def test_deduplicate_keeps_the_first_of_one_article() -> None:
    crawler = fake_crawler()
    pipeline = DeduplicatePipeline(crawler)
    item = {"site": "s", "article_id": "1"}
    assert pipeline.process_item(item) is item
    with pytest.raises(DropItem):
        pipeline.process_item(dict(item))
    assert crawler.stats.get_value("newsarchive/dropped/duplicate in run") == 1


def test_run_counts_from_stats() -> None:
    counts, dropped = run_counts({"response_received_count": 5, "newsarchive/new": 3, "log_count/ERROR": 1,
                                  "newsarchive/dropped/no body": 2})
    assert counts == {"pages_fetched": 5, "new": 3, "updated": 0, "unchanged": 0, "duplicates": 0, "errors": 1,
                      "skipped_not_due": 0, "not_modified": 0}
    assert dropped == {"no body": 2}
