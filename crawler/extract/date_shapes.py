"""Dates with a month name in the languages of the world's news pages (not Vietnamese, whose shapes are in
crawler.extract.dates), and the year-month-day shapes of Chinese, Japanese and Korean pages.

"28 April 2023", "April 28, 2023", "Apr. 28th, 2023", "Fri Apr 28 19:20:36 2023" (ctime), "28. April 2023",
"28 de abril de 2023", "1er mai 2023", "28 апреля 2023 г.", "28 Nisan 2023", "2023年4月28日", "2023년 4월 28일".
Only the day, month and year are found here; the caller reads the clock in what is left of the string.
All strings are lower case (crawler.extract.dates.normalize).
"""

from __future__ import annotations

import re

_MONTH_NAMES: dict[int, str] = {
    # English, German, French, Spanish, Portuguese, Italian, Dutch, Indonesian, Turkish, Polish (genitive),
    # Russian (genitive and nominative), with their usual abbreviations.
    1: "january jan januar janvier janv enero ene janeiro gennaio gen januari ocak stycznia января январь янв",
    2: "february feb februar février févr fév febrero fevereiro fev febbraio februari şubat lutego февраля "
       "февраль фев",
    3: "march mar märz mär mars marzo março maart mrt maret mart marca марта март",
    4: "april apr avril avr abril abr aprile nisan kwietnia апреля апрель",
    5: "may mai mayo maio maggio mag mei mayıs maja мая май",
    6: "june jun juni juin junio junho giugno giu haziran czerwca июня июнь",
    7: "july jul juli juillet juil julio julho luglio lug temmuz lipca июля июль",
    8: "august aug août agosto ago augustus agustus agt ağustos sierpnia августа август авг",
    9: "september sep sept septembre septiembre setiembre setembro set settembre eylül września сентября "
       "сентябрь сен",
    10: "october oct oktober okt octobre octubre outubro out ottobre ott ekim października октября октябрь",
    11: "november nov novembre noviembre novembro kasım listopada ноября ноябрь",
    12: "december dec dezember dez décembre déc diciembre dic dezembro dicembre desember des aralık grudnia "
        "декабря декабрь дек",
}
MONTHS: dict[str, int] = {name: month for month, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + ")"

_DAY_FIRST = re.compile(
    r"(?<![\d:])(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|°|\.)?\s*(?:de\s+|of\s+)?" + _MONTH
    + r"(?![^\W\d_])\.?,?\s*(?:de\s+|del\s+)?(?P<year>\d{4})(?!\d)")
_MONTH_FIRST = re.compile(
    r"(?<![^\W\d_])" + _MONTH + r"\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)\.?,?\s*"
    r"(?:(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\s+)?(?P<year>\d{4})(?!\d)")
_CJK = re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]?")
_CJK_CLOCK = re.compile(r"(\d{1,2})\s*(?:[時时시]\s*(?:(\d{1,2})\s*[分분])?|:(\d{2}))")
_CJK_AFTERNOON = ("午後", "下午", "오후")
_WORD = re.compile(r"[^\W\d_]+")


def find_worded_date(s: str) -> tuple[tuple[int, int, int], str] | None:
    """(year, month, day) of the first month-name or CJK date in `s`, and `s` with that date blanked out (a
    ctime's clock, which sits between the day and the year, is kept); None if `s` has none."""
    m = _CJK.search(s)
    if m:
        rest = s[: m.start()] + " " + _cjk_clock(s[m.end():])
        return (int(m.group("year")), int(m.group("month")), int(m.group("day"))), rest
    if not any(word in MONTHS for word in _WORD.findall(s)):
        return None  # the month-name patterns are slow to search: only where a word is a month's name
    m = _DAY_FIRST.search(s) or _MONTH_FIRST.search(s)
    if not m:
        return None
    clock = m.groupdict().get("clock") or ""
    rest = f"{s[: m.start()]} {clock} {s[m.end():]}"
    return (int(m.group("year")), MONTHS[m.group("month")], int(m.group("day"))), rest


def _cjk_clock(s: str) -> str:
    """A CJK clock ("19時20分", "오후 7시 20분", "오후 7:20") rewritten as "19:20" for the caller's clock reader."""
    m = _CJK_CLOCK.search(s)
    if not m:
        return s
    hour, minute = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
    if any(word in s[: m.start()] for word in _CJK_AFTERNOON) and hour < 12:
        hour += 12
    return f"{s[: m.start()]} {hour}:{minute:02d} {s[m.end():]}"
