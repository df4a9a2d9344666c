"""Rows on standard output: an aligned table for a terminal, or CSV or JSON for a program."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from crawler.archive.readsql import printable_rows


def print_rows(columns: list[str], rows: list[tuple[Any, ...]], fmt: str | None) -> None:
    """`rows` under `columns` as `fmt`: "csv" (with a header row), "json" (an array of objects) or None (a table,
    each cell on one line and cut at 70 characters). BLOBs are upper-case hexadecimal in every format."""
    out = sys.stdout
    rows = printable_rows(rows)
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        out.write(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=1) + "\n")
    else:
        cells = [[_cell(v) for v in row] for row in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")


def _cell(value: Any, limit: int = 70) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
