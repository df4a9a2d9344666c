"""The generic layer holds when a site's selectors break (a redesign): title, date and body still come through,
and the record says which layer gave each field."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from conftest import golden_pages, load_golden
from crawler.extract.dates import VN_TZ
from crawler.extract.page import extract_article
from crawler.sites import get_site
from crawler.sites.base import Selectors

BROKEN = Selectors(title="h1.no-such-title", date=".no-such-date", lead=".no-such-lead", body=".no-such-body",
                   byline=".no-such-byline", category=".no-such-category", tags=".no-such-tags")


def first_page_of_each_site() -> list[Path]:
    seen: dict[str, Path] = {}
    for path in golden_pages():
        seen.setdefault(path.parent.parent.name, path)
    return list(seen.values())


@pytest.mark.parametrize("path", first_page_of_each_site(), ids=lambda p: p.parent.parent.name)
def test_broken_selectors_fall_back_to_metadata_and_heuristics(path: Path) -> None:
    golden = load_golden(path)
    site = replace(get_site(golden["site"]), selectors=BROKEN, eras=())
    html = path.with_suffix(".html").read_bytes()
    record = extract_article(golden["url"], html, site, datetime.fromisoformat(golden["published_at"]).astimezone(
        VN_TZ).replace(hour=23, minute=59))
    assert record["title"] == golden["title"]
    assert record["published_at"][:10] == golden["published_at"][:10]
    paragraphs = golden["body"].split("\n\n")
    assert paragraphs[0] in record["body"] and paragraphs[-1] in record["body"]
    for image in golden["images"]:
        if image["caption"]:
            assert image["caption"] not in record["body"]
    assert "site" not in {record["extracted_with"][f] for f in ("title", "published_at", "body")}
    assert record["extracted_with"]["body"] == "heuristic"
