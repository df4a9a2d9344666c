"""The class/id/style patterns' quick way out (`AttributePattern`) never changes an answer: for any text it says
what a plain case-insensitive search of the same regex says. The words it checks are written by hand next to each
regex, so a regex edited without its words fails here."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extract import content, heuristics
from crawler.extract.text import AttributePattern

PATTERNS = {
    "content._HIDDEN_STYLE": content._HIDDEN_STYLE,
    "content._CAPTION_ATTR": content._CAPTION_ATTR,
    "content._RIGHT_ALIGNED": content._RIGHT_ALIGNED,
    "content._CENTRED": content._CENTRED,
    "heuristics._LEAD_ATTR": heuristics._LEAD_ATTR,
    "heuristics._DATE_ATTR": heuristics._DATE_ATTR,
    "heuristics._OTHER_ARTICLES": heuristics._OTHER_ARTICLES,
    "heuristics._AUTHOR_ATTR": heuristics._AUTHOR_ATTR,
}


def _fragments(pattern: AttributePattern) -> list[str]:
    """Pieces of text the regex looks for: its literal runs, cut at the regex syntax."""
    return [f for f in re.split(r"[|()?:^$*\\\[\]]+|\\s", pattern.regex.pattern) if f]


#: Text built from the patterns' own pieces, in any case, with separators and the non-ASCII letters that match
#: ASCII ones under re.I.
PIECES = sorted({f for p in PATTERNS.values() for f in _fragments(p)}) + [
    " ", "-", "_", ":", ";", "ı", "İ", "ſ", "K", "ngày", "RIGHT", "Author", "x"]
texts = st.lists(st.sampled_from(PIECES), max_size=8).map("".join).flatmap(
    lambda s: st.sampled_from([s, s.upper(), s.title(), s.replace("i", "ı"), s.replace("s", "ſ")]))


@pytest.mark.parametrize("name", sorted(PATTERNS))
@given(text=texts)
def test_the_quick_way_out_agrees_with_the_regex(name: str, text: str) -> None:
    pattern = PATTERNS[name]
    assert pattern.search(text) == (pattern.regex.search(text) is not None)


def _branches(regex: str) -> list[str]:
    """The top-level alternatives of `regex`."""
    branches, depth, start = [], 0, 0
    for i, c in enumerate(regex):
        if c == "\\":
            continue
        if c == "(" and regex[i - 1:i] != "\\":
            depth += 1
        elif c == ")" and regex[i - 1:i] != "\\":
            depth -= 1
        elif c == "|" and depth == 0:
            branches.append(regex[start:i])
            start = i + 1
    return branches + [regex[start:]]


ascii_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)


@pytest.mark.parametrize("name,branch", [(n, b) for n in sorted(PATTERNS) for b in _branches(PATTERNS[n].regex.pattern)])
@settings(max_examples=40)
@given(data=st.data())
def test_text_the_regex_matches_is_never_turned_away(name: str, branch: str, data: st.DataObject) -> None:
    """Each alternative of each regex, matched in any case, amid ASCII text (the only text the way out judges)."""
    pattern = PATTERNS[name]
    match = data.draw(st.from_regex(re.compile(branch, re.I), fullmatch=True))
    text = data.draw(ascii_text) + match + data.draw(ascii_text)
    if pattern.regex.search(text):
        assert pattern.search(text)
