"""Content fingerprints: the same article reached by another URL or republished by another site.

Party-site articles are syndicated verbatim with the credit line changed ("(Thanhuytphcm.vn) –" for "(ĐCSVN) -"),
sometimes with a typo fixed. A 64-bit SimHash of the normalised title and text (word 3-shingles) stays within a few
bits for such copies and lands ~32 bits away for different articles. Copies appear within days of the original, so
the candidates are the articles published around the same day.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

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
