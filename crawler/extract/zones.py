"""Time zones: the zone a date string states ("CEST", "GMT+2", "(GMT+7)", "+02:00" after a time), and the zone
a page's offset-less times are read in when its site declares none (its country-code TLD, else its language).

Zone abbreviations are fixed offsets, as the page printed them ("CEST" is +02:00 whatever the date); the
generic US names ("ET", "PT") are the real zones, whose offset follows summer time. A country is read as one
real zone (`zoneinfo`), so summer time comes out right: for a country of several zones, the zone of its capital
or of most of its people (US: New York, Russia: Moscow, Brazil: São Paulo, Australia: Sydney, Indonesia:
Jakarta, Canada: Toronto, Mexico: Mexico City).
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset prints as "+07:00".
VN_TZ = timezone(timedelta(hours=7), "ICT")
VN_ZONE = "Asia/Ho_Chi_Minh"
UTC_ZONE = "UTC"


def _fixed(hours: float) -> timezone:
    return timezone(timedelta(minutes=round(hours * 60)))


#: Abbreviations as publishers print them after a time. Ambiguous ones take their most common reading on the
#: web: IST is India (+05:30), not Israel or Ireland; CST is US Central (-06:00), not China; BST is British
#: Summer Time (+01:00), not Bangladesh; PST is US Pacific, not the Philippines. AST (Atlantic or Arabia) is
#: left out: neither reading is the common one.
_ABBREVIATIONS: dict[str, float] = {
    "utc": 0, "gmt": 0, "ut": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "ist": 5.5, "cet": 1, "cest": 2,
    "mez": 1, "mesz": 2, "eet": 2, "eest": 3, "msk": 3, "trt": 3, "sast": 2, "cat": 2, "wat": 1, "eat": 3,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "akst": -9,
    "akdt": -8, "hst": -10, "brt": -3, "art": -3, "pkt": 5, "npt": 5.75, "ict": 7, "wib": 7, "wita": 8,
    "wit": 9, "sgt": 8, "hkt": 8, "myt": 8, "pht": 8, "awst": 8, "jst": 9, "kst": 9, "acst": 9.5,
    "acdt": 10.5, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}
#: The generic US names: a real zone, since "ET" is EST in winter and EDT in summer. Upper case only: "et" is
#: French "and" ("entre 10h et 12h").
_US_GENERIC = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}

# "GMT+7", "(GMT+7)", "UTC+07:00", "GMT +0700", "UTC−5" anywhere in the string.
_NAMED_OFFSET = re.compile(r"\(?\s*(?<![a-z])(?:gmt|utc)\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?(?!\d)\s*\)?", re.I)
# A clock ("19:20", "19:20:36.000", "19h20", "7 pm"): a zone is only read right after one.
_CLOCK = re.compile(r"\d{1,2}(?:[:h.]\d{2}(?::\d{2})?(?:[.,]\d+)?|\s*[ap]\.?m\.?)", re.I)
# An abbreviation, or a numeric offset, right after a clock ("19:20:36 CEST", "7:20 PM EDT", "19:20 Uhr MESZ",
# "19:20 (ICT)", "19:20:36 +0200"); never a word elsewhere in the string ("ist" is German "is").
_ZONE_AFTER_CLOCK = re.compile(
    r"(?P<pre>\s*(?:[ap]\.?m\.?\s*)?(?P<uhr>uhr\s*)?)\(?(?:(?P<abbr>[a-z]{1,4})(?![\w+\-−])|"
    r"(?<=\s)(?P<sign>[+\-−])(?P<h>\d{2})(?::?(?P<m>\d{2}))?(?![\d:/.]))\)?", re.I)
#: After "Uhr", only the zones German pages print (the German "ist" is not India).
_AFTER_UHR = {"mez", "mesz", "cet", "cest", "utc", "gmt"}


def stated_zone(text: str) -> tuple[tzinfo, tuple[int, int]] | None:
    """The zone `text` states and where (its span, to be cut out before the date is read); None if none."""
    lower = text.lower()
    if "gmt" in lower or "utc" in lower:
        m = _NAMED_OFFSET.search(text)
        if m:
            sign = -1 if m.group(1) in "-−" else 1
            hours, minutes = int(m.group(2)), int(m.group(3) or 0)
            if hours <= 14 and minutes < 60:
                return timezone(sign * timedelta(hours=hours, minutes=minutes)), m.span()
    for clock in _CLOCK.finditer(text):
        m = _ZONE_AFTER_CLOCK.match(text, clock.end())
        if m is None or (m.group("uhr") and (m.group("abbr") or "").lower() not in _AFTER_UHR):
            continue
        zone = _zone_of_match(m)
        if zone is not None:
            return zone, (m.start() + len(m.group("pre")), m.end())  # "pm" and "Uhr" stay for the clock
    return None


def _zone_of_match(m: re.Match[str]) -> tzinfo | None:
    abbr = m.group("abbr")
    if abbr is not None:
        if abbr in _US_GENERIC:
            return zone_named(_US_GENERIC[abbr])
        if abbr.lower() in ("gmt", "utc") and "(" in m.group(0):
            # "01:15 (GMT)": Vietnamese CMSes print a bare "(GMT)" label beside local time (tests/date_battery.py);
            # "(GMT+7)" states its offset and "19:20 GMT" (no brackets) is UTC.
            return None
        if not abbr.isupper():  # printed in capitals: "10:30 ist verschoben", "10h est" are words, not zones
            return None
        hours = _ABBREVIATIONS.get(abbr.lower())
        return _fixed(hours) if hours is not None else None
    sign = -1 if m.group("sign") in "-−" else 1
    hours, minutes = int(m.group("h")), int(m.group("m") or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


@lru_cache(maxsize=64)
def zone_named(name: str) -> tzinfo:
    """The zone of an IANA name; Vietnam's as the fixed UTC+7 it has been since 1975 (the archive's dates keep
    printing "+07:00" and the zone costs no lookup); UTC for a name this machine does not know."""
    if name == VN_ZONE:
        return VN_TZ
    if name == UTC_ZONE:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


#: Country code (a TLD, or the region of a language tag) -> the zone its pages are read in.
COUNTRY_ZONES = {
    "vn": VN_ZONE, "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "fr": "Europe/Paris",
    "be": "Europe/Brussels", "nl": "Europe/Amsterdam", "lu": "Europe/Luxembourg", "uk": "Europe/London",
    "gb": "Europe/London", "ie": "Europe/Dublin", "it": "Europe/Rome", "es": "Europe/Madrid", "pt": "Europe/Lisbon",
    "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava", "hu": "Europe/Budapest",
    "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "gr": "Europe/Athens", "tr": "Europe/Istanbul",
    "ru": "Europe/Moscow", "ua": "Europe/Kyiv", "by": "Europe/Minsk", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "dk": "Europe/Copenhagen", "fi": "Europe/Helsinki", "ee": "Europe/Tallinn", "lv": "Europe/Riga",
    "lt": "Europe/Vilnius", "rs": "Europe/Belgrade", "hr": "Europe/Zagreb", "si": "Europe/Ljubljana",
    "ba": "Europe/Sarajevo", "is": "Atlantic/Reykjavik", "jp": "Asia/Tokyo", "kr": "Asia/Seoul",
    "cn": "Asia/Shanghai", "tw": "Asia/Taipei", "hk": "Asia/Hong_Kong", "sg": "Asia/Singapore",
    "my": "Asia/Kuala_Lumpur", "th": "Asia/Bangkok", "kh": "Asia/Phnom_Penh", "la": "Asia/Vientiane",
    "mm": "Asia/Yangon", "ph": "Asia/Manila", "id": "Asia/Jakarta", "in": "Asia/Kolkata", "pk": "Asia/Karachi",
    "bd": "Asia/Dhaka", "lk": "Asia/Colombo", "np": "Asia/Kathmandu", "ir": "Asia/Tehran", "il": "Asia/Jerusalem",
    "ae": "Asia/Dubai", "sa": "Asia/Riyadh", "qa": "Asia/Qatar", "kz": "Asia/Almaty", "eg": "Africa/Cairo",
    "za": "Africa/Johannesburg", "ng": "Africa/Lagos", "ke": "Africa/Nairobi", "ma": "Africa/Casablanca",
    "au": "Australia/Sydney", "nz": "Pacific/Auckland", "us": "America/New_York", "ca": "America/Toronto",
    "mx": "America/Mexico_City", "br": "America/Sao_Paulo", "ar": "America/Argentina/Buenos_Aires",
    "cl": "America/Santiago", "pe": "America/Lima", "ve": "America/Caracas",  # not .co: a generic TLD in practice
}
#: A language without a region -> the zone of the country most of its pages come from. English is read as New
#: York's: most English pages on generic TLDs (.com, .org) that tag no region are American (40 of 42 pages of the
#: article-extraction benchmark that date their URL print that day in New York time, 38 in UTC), and British,
#: Indian or Australian pages mostly say so (a ccTLD, "en-GB", "en_IN", or a stated offset). Arabic is left out:
#: it is written in too many zones for any one to be a fair guess.
LANGUAGE_ZONES = {
    "vi": VN_ZONE, "en": "America/New_York", "de": "Europe/Berlin", "fr": "Europe/Paris", "it": "Europe/Rome", "es": "Europe/Madrid",
    "pt": "Europe/Lisbon", "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw", "cs": "Europe/Prague",
    "sk": "Europe/Bratislava", "hu": "Europe/Budapest", "ro": "Europe/Bucharest", "bg": "Europe/Sofia",
    "el": "Europe/Athens", "tr": "Europe/Istanbul", "ru": "Europe/Moscow", "uk": "Europe/Kyiv",
    "sv": "Europe/Stockholm", "da": "Europe/Copenhagen", "nb": "Europe/Oslo", "nn": "Europe/Oslo",
    "no": "Europe/Oslo", "fi": "Europe/Helsinki", "et": "Europe/Tallinn", "lv": "Europe/Riga",
    "lt": "Europe/Vilnius", "sr": "Europe/Belgrade", "hr": "Europe/Zagreb", "sl": "Europe/Ljubljana",
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "th": "Asia/Bangkok", "km": "Asia/Phnom_Penh",
    "lo": "Asia/Vientiane", "id": "Asia/Jakarta", "ms": "Asia/Kuala_Lumpur", "tl": "Asia/Manila",
    "fil": "Asia/Manila", "hi": "Asia/Kolkata", "bn": "Asia/Dhaka", "ur": "Asia/Karachi", "fa": "Asia/Tehran",
    "he": "Asia/Jerusalem",
}
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z]{2})\b)?", re.I)
#: Letters only Vietnamese writes (with the tone marks on ư, ơ, đ): a page without a language tag is read as
#: Vietnamese when its title has them.
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def zone_of_host(host: str) -> str | None:
    """The zone of a host's country-code TLD ("example.co.uk" -> Europe/London); None for .com, .org and other
    generic TLDs."""
    return COUNTRY_ZONES.get(host.rstrip(".").rsplit(".", 1)[-1].lower()) if host else None


def zone_of_language(tag: str | None) -> str | None:
    """The zone of a language tag: its region where it has one ("en-GB", "pt_BR"), else the language's main
    country ("de", "en"); None for a language written in too many zones ("ar") or not known here."""
    m = _LANGUAGE_TAG.match((tag or "").strip())
    if not m:
        return None
    region = (m.group(2) or "").lower()
    return COUNTRY_ZONES.get(region) or LANGUAGE_ZONES.get(m.group(1).lower())
