"""Normalize a record: NFC text, trimmed whitespace, de-duplicated tags. Sources other than a crawl (a WARC
re-extraction, a queue fed by other machines) pass through here too, so nothing downstream trusts its input."""

from __future__ import annotations

import unicodedata
from typing import Any

from scrapy.crawler import Crawler

from crawler.text import clean, clean_line

from . import STATS_PREFIX

_MULTILINE = {"body", "body_html"}


def normalize_value(value: Any, key: str = "") -> Any:
    if isinstance(value, str):
        if key in _MULTILINE:
            return unicodedata.normalize("NFC", value).strip()
        return clean_line(value) if key not in ("lead",) else clean(value)
    if isinstance(value, list):
        return [normalize_value(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize_value(v, k) for k, v in value.items()}
    return value


def normalize_record(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: normalize_value(v, k) for k, v in record.items()}
    for key, value in out.items():
        if isinstance(value, str) and not value and key not in ("body_html",):
            out[key] = None
    tags = out.get("tags") or []
    out["tags"] = list(dict.fromkeys(t for t in tags if t))
    return out


class NormalizePipeline:
    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "NormalizePipeline":
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        normalized = normalize_record(dict(item))
        if normalized != item:
            self.stats.inc_value(f"{STATS_PREFIX}/normalized")
        return normalized
