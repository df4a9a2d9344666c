"""parse_date on the date strings these sites print (tests/date_battery.py) and the traps around them."""

from __future__ import annotations

import pytest

from crawler.extract.dates import parse_date
from date_battery import BATTERY, NOW


def test_battery_is_large_enough() -> None:
    assert len(BATTERY) >= 80


@pytest.mark.parametrize(("text", "iso", "precision", "now"), BATTERY, ids=[repr(c[0]) for c in BATTERY])
def test_parse_date(text: str, iso: str | None, precision: str | None, now) -> None:
    parsed = parse_date(text, now or NOW)
    if iso is None:
        assert parsed is None
    else:
        assert parsed is not None
        assert (parsed.isoformat(), parsed.precision) == (iso, precision)


@pytest.mark.parametrize("value", [None, 12, b"15/03/2016", ["15/03/2016"]])
def test_non_strings_are_none(value: object) -> None:
    assert parse_date(value, NOW) is None  # type: ignore[arg-type]


def test_value_is_aware_in_utc_plus_7() -> None:
    parsed = parse_date("2025-10-22T12:25:52Z", NOW)
    assert parsed is not None and parsed.value.utcoffset().total_seconds() == 7 * 3600


def test_default_now_is_the_current_time() -> None:
    assert parse_date("Hôm nay") is not None
