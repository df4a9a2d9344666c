"""Benchmark: publication dates of the generic layer against trafilatura's, on the 181 pages of the public
article-extraction benchmark (pages nobody here wrote), in one process.

    .venv/bin/python bench/generic_dates.py [--shared ../shared] [-v]

The benchmark gives no expected dates, so three counts stand in for them:
1. pages dated at all;
2. on the pages whose URL carries the day (".../2019/11/18/..."), which the publisher wrote in its own zone,
   how many dates fall on that day (the day of the value as given, in the offset it carries);
3. how many pages both extractors date on the same day.
Ours also says how many of its dates stated their zone and, for the rest, which zones it assumed.
Run it with another checkout first on PYTHONPATH to measure that checkout's code (the "before" of a change).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # appended: a checkout named on PYTHONPATH comes first

from crawler.extract.page import extract_article  # noqa: E402

_URL_DAY = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")


def trafilatura_date(url: str, html: bytes) -> str | None:
    import trafilatura

    doc = trafilatura.bare_extraction(html.decode("utf-8", errors="replace"), url=url, with_metadata=True)
    data = (doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)) if doc is not None else {}
    return data.get("date")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the pages dated off the URL's day")
    args = parser.parse_args(argv)
    folder = args.shared / "benchmarks" / "article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    counts: Counter[str] = Counter()
    zones: Counter[str] = Counter()
    for key, value in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        record: dict[str, Any] = extract_article(value["url"], html)
        ours, theirs = (record["published_at"] or "")[:10], (trafilatura_date(value["url"], html) or "")[:10]
        counts.update({"ours dated": bool(ours), "trafilatura dated": bool(theirs),
                       "same day": bool(ours) and ours == theirs})
        if ours:
            zones[record.get("published_zone") or "stated"] += 1
        m = _URL_DAY.search(value["url"])
        if m:
            day = "-".join(m.groups())
            counts.update({"url-dated": 1, "ours on the URL day": ours == day,
                           "trafilatura on the URL day": theirs == day})
            if args.verbose and ours != day:
                print(f"   ours {record['published_at']} (zone {record.get('published_zone')}) for {value['url']}")
    n = len(truth)
    print(f"## Publication dates: {n} benchmark pages, {counts['url-dated']} with the day in their URL")
    print(f"{'extractor':<24} {'dated':>7} {'on the URL day':>15}")
    for name, prefix in (("newsarchive (generic)", "ours"), ("trafilatura", "trafilatura")):
        on_day = counts[f"{prefix} on the URL day"]
        print(f"{name:<24} {counts[prefix + ' dated']:>3}/{n} {on_day:>11}/{counts['url-dated']}")
    print(f"same day in both: {counts['same day']}/{n}")
    print("our zones: " + ", ".join(f"{zone} {k}" for zone, k in zones.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
