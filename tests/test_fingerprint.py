"""Copies: the same text under another URL or on another site is linked to the first record, not stored again.
The threshold is measured here on the fixture articles."""

from __future__ import annotations

import copy
import itertools
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import golden_pages, load_golden
from crawler import archive
from crawler.fingerprint import SAME_ARTICLE_BITS, distance, simhash

GOLDENS = [load_golden(p) for p in golden_pages()]


def variants(record: dict) -> list[dict]:
    """How a republished copy differs: another credit, a character fixed, spacing changed."""
    credit = copy.deepcopy(record)
    credit["lead"] = "(Thanhuytphcm.vn) – " + (credit["lead"] or "")
    typo = copy.deepcopy(credit)
    middle = len(typo["body"]) // 2
    typo["body"] = typo["body"][:middle] + typo["body"][middle + 1:]
    spacing = copy.deepcopy(record)
    spacing["body"] = spacing["body"].replace(",", " ,", 3)
    return [credit, typo, spacing]


def test_threshold_separates_copies_from_different_articles() -> None:
    prints = [simhash(g) for g in GOLDENS]
    closest_different = min(distance(a, b) for a, b in itertools.combinations(prints, 2))
    farthest_copy = max(distance(simhash(g), simhash(v)) for g in GOLDENS for v in variants(g))
    assert farthest_copy <= SAME_ARTICLE_BITS < closest_different
    assert (farthest_copy, closest_different) == (7, 16)  # the figures quoted in crawler/fingerprint.py


def test_a_republished_copy_is_linked_not_stored(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    original = next(g for g in GOLDENS if g["article_id"] == "1491889235")
    assert archive.store_article(db, dict(original, images=[])) == "new"
    republished = variants(original)[1]
    republished.update(site="dangcongsan_2016", article_id="611999",
                       url="https://dangcongsan.vn/xay-dung-dang/tiep-tuc-nang-cao-611999.html", images=[])
    assert archive.store_article(db, republished) == "duplicate"
    assert archive.store_article(db, republished) == "duplicate"  # seen again: still one link
    assert db["articles"].count == 1
    (link,) = db["copies"].rows
    assert link["duplicate_of"] == 1 and link["site"] == "dangcongsan_2016" and link["distance"] <= 7
    assert "611999" in archive.known_articles(tmp_path / "a.db", "dangcongsan_2016")


def test_different_articles_of_one_day_are_both_kept(tmp_path: Path) -> None:
    db = archive.open_archive(tmp_path / "a.db")
    same_day = [g for g in GOLDENS if g["published_at"][:10] == "2022-05-21"] or GOLDENS[:2]
    a, b = GOLDENS[0], dict(GOLDENS[1], published_at=GOLDENS[0]["published_at"])
    for record in (a, b, *same_day):
        archive.store_article(db, dict(record, images=[]))
    assert db["copies"].count == 0


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_tone_marks_are_removed_exactly_as_unicode_defines_combining_characters(text: str) -> None:
    """The fast removal (one regex) keeps the fingerprints of archived articles: it drops exactly the characters
    that `unicodedata.combining` calls combining, as the per-character definition did."""
    import unicodedata

    from crawler.fingerprint import normalized_words

    folded = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    expected = re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c)))
    assert normalized_words({"title": text}) == expected


def test_no_combining_character_lies_beyond_the_scanned_planes() -> None:
    """The tone-mark regex is built from planes 0 and 1 only; the Unicode database of this Python agrees that no
    character beyond them has a combining class, so it equals the regex built from the whole range."""
    import sys

    from crawler.fingerprint import _combining

    assert _combining().pattern == _combining(sys.maxunicode + 1).pattern
    assert _combining().sub("", "e\u0301\u0323\U0001d165x") == "ex"  # a plane-1 combining mark goes too
