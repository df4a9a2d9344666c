"""Date strings to aware datetimes: the shapes Vietnamese sites print, and the ISO, RFC 2822, month-name and
CJK shapes of other countries' pages, with the zone the string states ("CEST", "GMT+7", "+02:00") or, where it
states none, the page's zone (UTC+7 unless the caller says otherwise).

`parse_date` is an ordered chain, cheapest first (the htmldate way): ISO 8601 and RFC 2822, then the numeric and
worded day-first shapes Vietnamese sites print, year-less datelines, relative strings, and only then dateparser,
which is ~0.5 ms a call and wrong or silent on many of these strings (see research §8).

Which string on a page is the publication date is decided elsewhere (`crawler.extract.dates`); this module only
reads one string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Literal

from crawler.extract.date_shapes import find_worded_date
from crawler.extract.zones import VN_TZ, stated_zone

__all__ = ["VN_TZ", "ParsedDate", "Precision", "normalize", "parse_date"]

Precision = Literal["day", "minute", "second"]


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: `value` is aware; `precision` says how much of it the string gave; `zone_assumed` is True
    when the string stated no zone, so that `value`'s offset is the zone the caller said to read it in."""

    value: datetime
    precision: Precision
    zone_assumed: bool = False

    def isoformat(self) -> str:
        return self.value.isoformat()

    def date(self) -> date:
        return self.value.date()


_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b\u200c\u200d\ufeff]+")

_ISO = re.compile(
    r"(?<!\d)(\d{4})(?P<sep>[-/.])(\d{1,2})(?P=sep)(\d{1,2})(?!\d)"
    # NukeViet writes PHP's date('c') with an unescaped T: "2016-03-15+0704:35:00", "2016-03-15ICT04:35:00".
    r"(?:\s*(?:t|\s|(?P<bad>[+-]\d{2}(?::?\d{2})?|ict|utc|gmt|z)(?=\d{1,2}:))\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(z|[+-]\d{2}(?::?\d{2})?)?(?![\d:])"
)
_RFC2822 = re.compile(r"^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")

_WEEKDAY = re.compile(
    r"(?<!\w)(?:thứ\s*(?:hai|ba|tư|tu|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|cn|t[2-7])(?!\w)"
)
_LABEL = re.compile(
    r"(?<!\w)(?:cập\s*nhật(?:\s*lúc)?|đăng\s*lúc|ngày\s*đăng|gửi\s*lúc|ngày\s*phát\s*hành|xuất\s*bản|"
    r"ngày\s*xuất\s*bản|thời\s*gian|published|updated|posted)(?!\w)\s*:?"
)
_NUMERIC_DATE = re.compile(r"(?<![\d:])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d:])")
_WORDED_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:tháng|th)\s*(\d{1,2}|[a-zà-ỹđ]+(?:\s+(?:một|hai))?)\s*(?:năm|,|/|-)?\s*(\d{4})(?!\d)"
)
_YEARLESS_DATE = re.compile(
    r"(?:(?<!\w)(?P<word>sáng|trưa|chiều|tối|đêm|ngày|hôm nay|nay)\s*\(?\s*)?"
    r"(?<![\d:/.-])(\d{1,2})\s*([/-])\s*(\d{1,2})(?![\d:/.-])"
)
_TIME = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*"
    r"(?::\s*(\d{1,2})(?:\s*:\s*(\d{1,2}))?(?![\d/])"
    r"|(?:h|g|giờ)(?:\s*(\d{1,2})(?:\s*(?:phút|p)(?:\s*(\d{1,2})\s*giây)?)?)?(?![^\W\d_]))"
    r"(?:\s*(am|pm|a\.m\.|p\.m\.|sa|ch)(?!\w))?"
)
_OFFSET = re.compile(r"(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")
_RELATIVE = re.compile(r"(\d+)\s*(giây|phút|giờ|tiếng|ngày|tuần|tháng)\s*trước")
_DAY_WORDS = {"hôm nay": 0, "hôm qua": 1, "hôm kia": 2}
_DAY_WORD = re.compile(r"(?<!\w)(hôm nay|hôm qua|hôm kia)(?!\w)")

_MONTH_WORDS = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "một một": 11, "mười hai": 12, "chạp": 12,
}


def _squash(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def normalize(text: str) -> str:
    """NFC, lower case, every kind of space (non-breaking, zero-width) as one plain space."""
    return _squash(text).lower()


def parse_date(text: str | None, now: datetime | None = None, zone: tzinfo = VN_TZ,
               convert: bool = True, month_first: bool = False) -> ParsedDate | None:
    """Read one date string as printed on a page; None when it holds no valid date. Never raises on any input.

    A time the string gives no zone for is read in `zone` (and `zone_assumed` is True); a zone the string
    states ("+02:00", "Z", "CEST", "GMT+7", "(GMT+7)") is honoured. With `convert`, the value is then given in
    `zone` (a site's dates all in its own zone); without, in the offset the string stated. A date without a
    time is midnight in `zone`, whatever zone the string names. `now` is the reference for year-less datelines
    ("Chiều 12/1": the most recent 12 January not after `now`) and relative strings ("2 giờ trước"); it
    defaults to the current time. `month_first` reads an ambiguous numeric date as American pages print it
    ("04/05/2023" is 5 April); a date only one order reads ("04/28/2023") is read in that order either way.
    """
    if not text or not isinstance(text, str):
        return None
    try:
        squashed = _squash(text)[:400]
        stated = stated_zone(squashed)  # before lower case: "ET" is a zone, "et" is French "and"
        if stated is not None:
            start, end = stated[1]
            squashed = f"{squashed[:start]} {squashed[end:]}"
        fallback = stated[0] if stated else zone
        parsed = _parse(squashed.lower(), _reference(now, zone), fallback, month_first)
        if parsed is None:
            return None
        value, precision = parsed.value, parsed.precision
        if precision == "day":
            return ParsedDate(value.replace(tzinfo=zone), "day", True)
        assumed = stated is None and value.tzinfo is zone  # the shape itself gave no offset either
        return ParsedDate(value.astimezone(zone) if convert else value, precision, assumed)
    except (ValueError, OverflowError):  # "0001-01-01T00:00:00+08:00" has no UTC-5 reading
        return None


def _reference(now: datetime | None, zone: tzinfo) -> datetime:
    if now is None:
        return datetime.now(zone)
    if now.tzinfo is None:
        return now.replace(tzinfo=zone)
    return now.astimezone(zone)


def _parse(s: str, now: datetime, tz: tzinfo, month_first: bool = False) -> ParsedDate | None:
    """`s` read in `tz` where it gives no offset of its own; the value in the offset it gave, else in `tz`."""
    if not s:
        return None
    return (
        _parse_iso(s, tz)
        or _parse_rfc2822(s, tz)
        or _parse_vietnamese(s, now, tz, month_first)
        or _parse_worded(s, now, tz)
        or _parse_relative(s, now)
        or _parse_with_dateparser(s, now, tz, month_first)
    )


def _parse_iso(s: str, tz: tzinfo) -> ParsedDate | None:
    m = _ISO.search(s)
    if not m:
        return None
    year, _, month, day, bad_offset, hour, minute, second, offset = m.groups()
    if offset is None and bad_offset is not None:
        offset = {"ict": "+07:00", "utc": "z", "gmt": "z"}.get(bad_offset, bad_offset)
    if offset:
        tz = _tz_from_offset(offset)
    if hour is None:
        return _day(int(year), int(month), int(day), tz)
    value = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz)
    return ParsedDate(value, "second" if second is not None else "minute")


def _tz_from_offset(offset: str) -> timezone:
    if offset == "z":
        return timezone.utc
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _parse_rfc2822(s: str, tz: tzinfo) -> ParsedDate | None:
    if not _RFC2822.match(s):
        return None
    try:
        value = parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return ParsedDate(value, "second")


def _parse_worded(s: str, now: datetime, tz: tzinfo) -> ParsedDate | None:
    """A month-name or CJK date (crawler.extract.date_shapes), with the clock the rest of the string gives."""
    found = find_worded_date(s)
    if found is None:
        return None
    (year, month, day), rest = found
    clock = _find_time(rest)
    if clock is None:
        return _day(year, month, day, tz)
    hour, minute, second = clock
    value = datetime(year, month, day, hour, minute, second or 0, tzinfo=tz)
    return ParsedDate(value, "second" if second is not None else "minute")


def _parse_vietnamese(s: str, now: datetime, tz: tzinfo, month_first: bool = False) -> ParsedDate | None:
    s = _LABEL.sub(" ", _WEEKDAY.sub(" ", s))
    ymd, span, yearless = _find_date(s, now, month_first)
    if ymd is None:
        return None
    rest = s[: span[0]] + " " * (span[1] - span[0]) + s[span[1]:]
    clock = _find_time(rest)
    year, month, day = ymd
    if clock is None:
        return _day(year, month, day, tz)
    hour, minute, second = clock
    value = datetime(year, month, day, hour, minute, second or 0, tzinfo=tz)
    if yearless and value > now + timedelta(days=1):
        return None
    return ParsedDate(value, "second" if second is not None else "minute")


def _find_date(s: str, now: datetime, month_first: bool = False
               ) -> tuple[tuple[int, int, int] | None, tuple[int, int], bool]:
    m = _NUMERIC_DATE.search(s)
    if m:
        year = int(m.group(4))
        if len(m.group(4)) == 2:
            year += 2000 if year < 70 else 1900
        day, month = int(m.group(1)), int(m.group(3))
        if month > 12 >= day or (month_first and day <= 12):  # "04/28/2023": only month-first reads it
            day, month = month, day
        return (year, month, day), m.span(), False
    m = _WORDED_DATE.search(s)
    if m:
        month_text = m.group(2)
        month = int(month_text) if month_text.isdigit() else _MONTH_WORDS.get(month_text.strip())
        if month is None:
            return None, (0, 0), False
        return (int(m.group(3)), month, int(m.group(1))), m.span(), False
    m = _YEARLESS_DATE.search(s)
    if m and (m.group("word") or not _has_words(s[: m.start()] + " " + s[m.end():])):
        # "12/5" alone, or after a dateline word ("Chiều 12/5"); never a D/M inside other words ("Trang 2/3").
        day, month = int(m.group(2)), int(m.group(4))
        year = _most_recent_year(day, month, now.date())
        if year is None:
            return None, (0, 0), False
        return (year, month, day), m.span(), True
    return None, (0, 0), False


def _has_words(s: str) -> bool:
    rest = _OFFSET.sub(" ", _TIME.sub(" ", s))
    return bool(re.search(r"[^\W\d_]", rest))


def _most_recent_year(day: int, month: int, today: date) -> int | None:
    """The year of the most recent `day`/`month` not after `today` (29/2 looks back to a leap year)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return year
    return None


def _find_time(s: str) -> tuple[int, int, int | None] | None:
    for m in _TIME.finditer(s):
        hour_text, minute_colon, second_colon, minute_word, second_word, meridiem = m.groups()
        if minute_colon is None and m.group(0).strip().isdigit():
            continue
        hour = int(hour_text)
        minute = int(minute_colon or minute_word or 0)
        second_text = second_colon or second_word
        second = int(second_text) if second_text is not None else None
        if meridiem:
            if hour > 12:
                raise ValueError(f"impossible 12-hour time {m.group(0)!r}")
            if meridiem in ("pm", "p.m.", "ch") and hour < 12:
                hour += 12
            elif meridiem in ("am", "a.m.", "sa") and hour == 12:
                hour = 0
        if hour > 23 or minute > 59 or (second is not None and second > 59):
            raise ValueError(f"impossible time {m.group(0)!r}")  # a garbled string, not a date without time
        if hour == 0 and minute == 0 and not second and m.group(0).replace(" ", "") in ("0:0", "0:00", "00:00"):
            # "Ngày phát hành 0:0 | 19/5/2020": the CMS prints 0:0 when it has no time.
            return None if m.group(0).replace(" ", "") == "0:0" else (0, 0, second)
        return hour, minute, second
    return None


def _day(year: int, month: int, day: int, tz: tzinfo) -> ParsedDate:
    return ParsedDate(datetime(year, month, day, tzinfo=tz), "day")


def _parse_relative(s: str, now: datetime) -> ParsedDate | None:
    m = _RELATIVE.search(s)
    if m:
        amount, unit = int(m.group(1)), m.group(2)
        if unit in ("giây", "phút", "giờ", "tiếng"):
            seconds = {"giây": 1, "phút": 60, "giờ": 3600, "tiếng": 3600}[unit] * amount
            value = (now - timedelta(seconds=seconds)).replace(microsecond=0)
            return ParsedDate(value.replace(second=0) if unit != "giây" else value,
                              "second" if unit == "giây" else "minute")
        days = {"ngày": 1, "tuần": 7, "tháng": 30}[unit] * amount
        day = (now - timedelta(days=days)).date()
        return _day(day.year, day.month, day.day, now.tzinfo)  # type: ignore[arg-type]
    m = _DAY_WORD.search(s)
    if m:
        day = (now - timedelta(days=_DAY_WORDS[m.group(1)])).date()
        clock = _find_time(s)
        if clock is None:
            return _day(day.year, day.month, day.day, now.tzinfo)  # type: ignore[arg-type]
        hour, minute, second = clock
        value = datetime(day.year, day.month, day.day, hour, minute, second or 0, tzinfo=now.tzinfo)
        return ParsedDate(value, "second" if second is not None else "minute")
    return None


_DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DATES_FROM": "past"}


def _parse_with_dateparser(s: str, now: datetime, tz: tzinfo, month_first: bool = False) -> ParsedDate | None:
    """The slow, general fallback, only for strings the fast shapes did not read and that hold a digit."""
    if not any(c.isdigit() for c in s):
        return None
    import dateparser  # imported here: it costs ~0.3 s at start-up and most runs never need it

    settings = dict(_DATEPARSER_SETTINGS, RELATIVE_BASE=now.replace(tzinfo=None),
                    DATE_ORDER="MDY" if month_first else "DMY")
    try:
        value = dateparser.parse(s, languages=["vi", "en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a date we cannot read is None
        return None
    if value is None or not (1900 <= value.year <= now.year + 1):
        return None
    value = value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if value.hour == value.minute == value.second == 0 and not re.search(r"\d[:h]\d", s):
        return ParsedDate(value.replace(microsecond=0), "day")
    return ParsedDate(value.replace(microsecond=0), "second" if value.second else "minute")
