"""What every record goes through before the archive, whatever brought it: a crawl's pipelines, a re-extraction
from WARC, a web-archive backfill, or the Redis queue of other machines. Plain functions, no Scrapy."""

from __future__ import annotations

import unicodedata
from typing import Any

from crawler.extract.text import clean, clean_line

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


REQUIRED = (("title", "no title"), ("body", "no body"), ("site", "no site"), ("article_id", "no article id"))


def drop_reason(record: dict[str, Any]) -> str | None:
    for field, reason in REQUIRED:
        if not record.get(field):
            return reason
    return None


def prepare(record: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The record normalized, and why it must be dropped (None if it may be stored)."""
    normalized = normalize_record(record)
    return normalized, drop_reason(normalized)
