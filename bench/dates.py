"""Benchmark: parse_date against plain dateparser on the project's date battery, in one process.

    .venv/bin/python bench/dates.py

For each parser: how many strings of tests/date_battery.py it reads right, wrong, or not at all (None), and the
median microseconds per call after a warm-up. dateparser is called as a user would call it plainly:
dateparser.parse(text, languages=['vi'], settings={'DATE_ORDER': 'DMY'}); its naive results are taken as UTC+7.
It is given no reference time, so the year-less and relative strings count against it (as they would in use).
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import dateparser  # noqa: E402

from crawler.extract.dates import VN_TZ, parse_date  # noqa: E402
from date_battery import BATTERY, NOW  # noqa: E402


def ours(text: str, now: datetime) -> datetime | None:
    parsed = parse_date(text, now)
    return parsed.value if parsed else None


def plain_dateparser(text: str, now: datetime) -> datetime | None:
    value = dateparser.parse(text, languages=["vi"], settings={"DATE_ORDER": "DMY"})
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=VN_TZ)
    return value


def verdict(value: datetime | None, iso: str | None, precision: str | None) -> str:
    if iso is None:
        return "correct" if value is None else "wrong"
    if value is None:
        return "none"
    expected = datetime.fromisoformat(iso)
    value = value.astimezone(VN_TZ)
    if precision == "day":
        return "correct" if value.date() == expected.date() else "wrong"
    if precision == "minute":
        return "correct" if value.replace(second=0, microsecond=0) == expected else "wrong"
    return "correct" if value.replace(microsecond=0) == expected else "wrong"


def measure(parse: Callable[[str, datetime], datetime | None], rounds: int) -> dict[str, float]:
    counts = {"correct": 0, "wrong": 0, "none": 0}
    per_call: list[float] = []
    for text, iso, precision, now in BATTERY:
        now = now or NOW
        counts[verdict(parse(text, now), iso, precision)] += 1  # also the warm-up
        start = time.perf_counter()
        for _ in range(rounds):
            parse(text, now)
        per_call.append((time.perf_counter() - start) / rounds * 1e6)
    return {**counts, "median_us": statistics.median(per_call)}


def main() -> None:
    rows = [("parse_date", measure(ours, 200)), ("dateparser (plain)", measure(plain_dateparser, 5))]
    print(f"Date battery: {len(BATTERY)} strings; Python {platform.python_version()}, dateparser "
          f"{dateparser.__version__}, {platform.machine()}, {platform.processor() or 'cpu'}")
    print(f"{'parser':<20} {'correct':>8} {'wrong':>6} {'none':>5} {'median µs/call':>15}")
    for name, r in rows:
        print(f"{name:<20} {r['correct']:>8} {r['wrong']:>6} {r['none']:>5} {r['median_us']:>15.1f}")
    print(f"speed-up: {rows[1][1]['median_us'] / rows[0][1]['median_us']:.0f}x")


if __name__ == "__main__":
    main()
