"""What the search index holds: a folded copy of each article's text (NFD, tone marks stripped, đ→d, lower case),
since SQLite's FTS5 `remove_diacritics 2` folds tone marks but not đ ("dang" would not find "Đảng", research §11),
and no custom tokenizer can be registered from Python. The query side (parsing, ranking, snippets) is search.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

FTS_TABLE = "articles_fts"
FTS_COLUMNS = ("title", "lead", "body", "byline", "captions")


def fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0]
    return base.lower() if len(base.lower()) == 1 else c.lower()[:1] or c


def fold(text: str | None) -> str:
    """Lower case, no tone marks, đ→d, one character for each character of the NFC text (so offsets carry over)."""
    return "".join(fold_char(c) for c in unicodedata.normalize("NFC", text or ""))


_MARKS = re.compile(r"[\u0300-\u036f]+")


def fold_for_index(text: str | None) -> str:
    """The same folding as `fold`, at C speed, for the index (where offsets need not carry over)."""
    if not text:
        return ""
    return _MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "d"))).lower()


def index_row(record: Mapping[str, Any]) -> dict[str, str]:
    captions = " ".join(i.get("caption") or "" for i in record.get("images") or [])
    values = {"title": record.get("title"), "lead": record.get("lead"), "body": record.get("body"),
              "byline": record.get("byline"), "captions": captions}
    return {k: fold_for_index(v) for k, v in values.items()}
