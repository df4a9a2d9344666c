"""Content fingerprints: the same article reached by another URL or republished by another site.

Party-site articles are syndicated verbatim with the credit line changed ("(Thanhuytphcm.vn) –" for "(ĐCSVN) -"),
sometimes with a typo fixed. A 64-bit SimHash of the normalised title and text (word 3-shingles) stays within a few
bits for such copies and lands ~32 bits away for different articles. Copies appear within days of the original, so
the candidates are the articles published around the same day.

The copy check itself is here too (`same_text`, which `store_article` asks of each new article, and CopyCandidates,
the fingerprints a writer of many articles holds in memory): copy detection is this one module.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

#: Largest Hamming distance between two fingerprints of one article. Measured on the 55 fixture articles
#: (tests/test_fingerprint.py): copies with the credit changed, a character dropped or spacing changed differ by at
#: most 7 bits; the closest two different articles by 16. The threshold sits between them.
SAME_ARTICLE_BITS = 12

_CREDIT = re.compile(r"^\s*\(\s*[^()]{2,40}\)\s*[-–—]?\s*")
_WORD = re.compile(r"\w+")


#: Unicode gives a non-zero combining class to characters of planes 0 and 1 only (tests/test_fingerprint.py checks
#: this against the whole range): scanning these is an eighth of the work of scanning all, at each process start.
COMBINING_SCAN_END = 0x20000


@functools.cache
def _combining(end: int = COMBINING_SCAN_END) -> re.Pattern[str]:
    """Every character of a non-zero combining class below `end` (tone marks and all others), as one regex class:
    removing them with it gives what a per-character `unicodedata.combining` test gives, at C speed."""
    ranges: list[list[int]] = []
    for code in range(end):
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]+")


def normalized_words(record: Mapping[str, Any]) -> list[str]:
    """Title and text, lower-cased, without tone marks or the outlet's credit: what stays the same in a copy."""
    lead = _CREDIT.sub("", record.get("lead") or "")
    text = " ".join([record.get("title") or "", lead, record.get("body") or ""]).lower().replace("đ", "d")
    return _WORD.findall(_combining().sub("", unicodedata.normalize("NFD", text)))


def simhash(record: Mapping[str, Any]) -> int:
    words = normalized_words(record)
    shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    # Bit i of the fingerprint is set where most shingle hashes have it set. The hashes, written as 64-character bit
    # strings end to end, give column i as the slice [i::64]: 64 counts in C instead of 64 Python steps a shingle.
    rows = "".join([format(int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big"), "064b")
                    for s in shingles])
    half = len(shingles) / 2
    bits = "".join(["1" if rows[i::64].count("1") > half else "0" for i in range(64)]) if rows else ""
    value = int(bits, 2) if bits else 0
    return value - (1 << 64) if value >= 1 << 63 else value  # signed: SQLite integers are 64-bit signed


_MASK = (1 << 64) - 1


def distance(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()


def same_text(db: Database, row: Mapping[str, Any],
              candidates: CopyCandidates | None = None) -> tuple[int, int] | None:
    """(id, distance) of the archived article this one is a copy of, if any: same text within
    SAME_ARTICLE_BITS, among the articles published from two days before to two days after it (the closest; of
    equally close ones, the first archived)."""
    published = row.get("published_at")
    if not published:
        return None
    day = datetime.fromisoformat(published).date()
    if candidates is not None:
        around: Iterable[tuple[int, int]] = candidates.around(db, day)
    else:
        around = _fingerprints_between(db, day - timedelta(days=2), day + timedelta(days=3)).items()
    best: tuple[int, int] | None = None
    mine = row["simhash"]
    for article_pk, other in around:
        if ((mine ^ other) & _MASK).bit_count() <= SAME_ARTICLE_BITS:  # distance(), inlined: hot loop
            bits = distance(mine, other)
            if best is None or (bits, article_pk) < (best[1], best[0]):
                best = (article_pk, bits)
    return best


def _fingerprints_between(db: Database, first: date, end: date) -> dict[int, int]:
    """id -> simhash of the articles published from day `first` up to, not including, day `end`."""
    return dict(db.execute(
        "SELECT id, simhash FROM articles WHERE published_at >= ? AND published_at < ? AND simhash IS NOT NULL",
        [first.isoformat(), end.isoformat()]).fetchall())


class CopyCandidates:
    """The fingerprints of archived articles by day of publication, held in memory for a caller that stores many
    articles through one connection (the fleet's writer, a crawl's store pipeline). The copy check then reads the
    five days around each new article from memory: reading them from SQLite costs about 0.3 µs a candidate, and on a
    busy archive those days hold thousands.

    It stays true to the archive because its owner stores every article through `store_article` with it, no other
    process writes meanwhile (the run lock), and a rollback of stored articles ends the owner's use of it. It holds
    the `max_days` days used last (at least the five of one check).
    """

    def __init__(self, max_days: int = 32) -> None:
        self.max_days = max(5, max_days)
        self._days: OrderedDict[date, dict[int, int]] = OrderedDict()

    def around(self, db: Database, day: date) -> Iterator[tuple[int, int]]:
        """(id, simhash) of the articles published from two days before `day` to two days after it."""
        for offset in range(-2, 3):
            yield from self._day(db, day + timedelta(days=offset)).items()

    def add(self, published: str | None, article_pk: int, fingerprint: int) -> None:
        """A new article, stored: into its day, if that day is held (else it is read with the day)."""
        try:
            day = date.fromisoformat((published or "")[:10])
        except ValueError:
            return
        held = self._days.get(day)
        if held is not None:
            held[article_pk] = fingerprint

    def clear(self) -> None:
        self._days.clear()

    def _day(self, db: Database, day: date) -> dict[int, int]:
        held = self._days.get(day)
        if held is None:
            held = self._days[day] = _fingerprints_between(db, day, day + timedelta(days=1))
            if len(self._days) > self.max_days:
                self._days.popitem(last=False)
        else:
            self._days.move_to_end(day)
        return held
