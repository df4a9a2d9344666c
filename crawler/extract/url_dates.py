"""Dates a page carries outside its dateline: full dates written in its URLs (article paths, photo upload paths),
the evidence of the year around a year-less dateline ("Chiều 12/1"), and the day and month such a dateline names."""

from __future__ import annotations

import re
from datetime import date


# "No digit before" is written after the first character, (?<!\d..) and (?<!\d\d), not as a leading (?<!\d): a
# pattern that opens with a character set lets the regex engine skip to candidate positions (twice as fast).
_YMD_IN_URL = re.compile(r"((?:19|20)(?<!\d..)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?!\d)")
_DMY_IN_URL = re.compile(r"(\d(?<!\d\d)\d?)-(\d{1,2})-((?:19|20)\d{2})(?!\d)")


def context_dates(urls: list[str]) -> list[date]:
    """Full dates written in URLs (article paths, photo upload paths such as
    /res/news/2022/01/12-01-2022-...): evidence of the year around a year-less dateline."""
    found: list[date] = []
    for url in urls:
        if "19" not in url and "20" not in url:
            continue  # both shapes hold a year starting 19 or 20
        for m in _YMD_IN_URL.finditer(url):
            _add_date(found, int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if "-19" in url or "-20" in url:  # a D-M-Y date ends in "-" and such a year
            for m in _DMY_IN_URL.finditer(url):
                _add_date(found, int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return found


def _add_date(found: list[date], year: int, month: int, day: int) -> None:
    try:
        value = date(year, month, day)
    except ValueError:
        return
    if value not in found:
        found.append(value)


def day_month(dateline: str) -> tuple[int, int] | None:
    m = re.search(r"(\d{1,2})\s*[/-]\s*(\d{1,2})", dateline)
    return (int(m.group(1)), int(m.group(2))) if m else None
