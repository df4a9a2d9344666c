"""Benchmark: the generic extraction layer against trafilatura, on real pages nobody here wrote, in one process.

    .venv/bin/pip install -e '.[bench]'      # trafilatura, the baseline
    .venv/bin/python bench/extraction.py [--shared ../shared] [--only bench|vietnamese|fixtures] [--worst N]

1. The article-extraction benchmark (181 real pages with human-made body text): body precision, recall and F1 as
   the benchmark defines them (lower-cased \\w+ tokens, shingles of 4, per-page precision and recall averaged over
   pages, F1 of the two averages), and milliseconds per page; on 121 of its pages (bench/data/benchmark-fields.json,
   read by hand), the title exactly and the authors as the same set of names.
2. The real Vietnamese pages (shared/real-pages, expected fields read by hand): title, date (to the minute),
   byline, captions and body right, counted as shared/real-pages/README.md says.
3. The project's own fixture pages: milliseconds per page for our page objects (with their site declarations) and
   for trafilatura's extract with metadata.

Our side runs with no site declaration: the generic layer alone (metadata, then heuristics).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.extract.dates import VN_TZ, parse_date  # noqa: E402
from crawler.extract.page import extract_article  # noqa: E402
from crawler.sites import get_site  # noqa: E402

Extractor = Callable[[str, bytes], dict[str, Any]]
#: The visible headline and the authors (people only; [] where the page names none) of two thirds of the benchmark's
#: pages, read by hand from each page's markup (see bench/data/README.md).
FIELDS = ROOT / "bench" / "data" / "benchmark-fields.json"


# -- the two extractors, returning the same shape -------------------------------------------------------------------

def ours(url: str, html: bytes) -> dict[str, Any]:
    record = extract_article(url, html)
    return {"title": record["title"], "published_at": record["published_at"], "byline": record["byline"],
            "captions": [i["caption"] for i in record["images"] if i["caption"]],
            "body": "\n\n".join(p for p in (record["lead"], record["body"]) if p)}


def trafilatura_extractor() -> Extractor | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(url: str, html: bytes) -> dict[str, Any]:
        doc = trafilatura.bare_extraction(html.decode("utf-8", errors="replace"), url=url, with_metadata=True)
        if doc is None:
            return {"title": None, "published_at": None, "byline": None, "captions": [], "body": ""}
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        return {"title": data.get("title"), "published_at": data.get("date"), "byline": data.get("author"),
                "captions": [], "body": data.get("text") or ""}

    run.version = trafilatura.__version__  # type: ignore[attr-defined]
    return run


# -- scoring ------------------------------------------------------------------------------------------------------

def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", (text or "").lower())
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def precision_recall(predicted: str, truth: str) -> tuple[float, float]:
    p, t = shingles(predicted), shingles(truth)
    tp = sum((p & t).values())
    fp, fn = sum(p.values()) - tp, sum(t.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def nfc(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def names(text: str | None) -> set[str]:
    parts = re.split(r",|;|\s+và\s+", nfc(text).lower())
    return {p.strip() for p in parts if p.strip()}


def vietnamese_scores(result: dict[str, Any], expected: dict[str, Any]) -> dict[str, bool]:
    got_date = parse_date(result["published_at"] or "", datetime(2030, 1, 1, tzinfo=VN_TZ))
    want = datetime.fromisoformat(expected["published_at"])
    if got_date is None:
        date_ok = False
    elif expected["published_precision"] == "day":
        date_ok = got_date.value.date() == want.date()
    else:  # to the minute: a day-only value is not right
        date_ok = got_date.precision != "day" and got_date.value.replace(second=0) == want.replace(second=0)
    captions = [nfc(c) for c in result["captions"]]
    want_captions = [nfc(c) for c in expected["captions"]]
    captions_ok = len(captions) == len(want_captions) and all(
        sum(1 for c in captions if c.startswith(w)) == 1 for w in want_captions)
    body = nfc(result["body"])
    body_ok = (nfc(expected["body_first"]) in body and nfc(expected["body_last"]) in body
               and not any(w in body for w in want_captions))
    return {"title": nfc(result["title"]) == nfc(expected["title"]), "date": date_ok,
            "byline": names(result["byline"]) == names(expected["byline"]), "captions": captions_ok,
            "body": body_ok}


# -- the runs -----------------------------------------------------------------------------------------------------

def timed(extract: Extractor, url: str, html: bytes) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    result = extract(url, html)
    return result, (time.perf_counter() - start) * 1000


def run_benchmark(shared: Path, extractors: dict[str, Extractor], worst: int = 0) -> None:
    """Each page goes through every extractor in turn (the order alternating from page to page) before the next page,
    so that a change in the machine's load during the run weighs on all of them alike."""
    folder = shared / "benchmarks" / "article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [(key, value["url"], gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()), value)
             for key, value in sorted(truth.items())]
    fields = json.loads(FIELDS.read_text(encoding="utf-8"))
    sets = sorted({f["set"] for f in fields.values()})
    print(f"\n## Article-extraction benchmark: {len(pages)} pages, body text; titles exact and authors the same set"
          f" on the pages of bench/data/benchmark-fields.json, read by hand (sets A, B, C: bench/data/README.md)")
    header = "".join(f" {'titles ' + k:>9} {'authors ' + k:>10}" for k in sets)
    print(f"{'extractor':<24} {'precision':>9} {'recall':>7} {'F1':>6} {'ms/page (median)':>17} {'p95':>6}{header}")
    order = list(extractors)
    scores: dict[str, list[tuple[float, float, str]]] = {name: [] for name in order}
    times: dict[str, list[float]] = {name: [] for name in order}
    right: dict[str, Counter[str]] = {name: Counter() for name in order}
    for i, (key, url, html, value) in enumerate(pages):
        for name in (order if i % 2 == 0 else order[::-1]):  # each page through both in turn: load hits both alike
            result, ms = timed(extractors[name], url, html)
            scores[name].append((*precision_recall(result["body"], value["articleBody"]), key))
            times[name].append(ms)
            want = fields.get(key)
            if want is not None:
                right[name]["title " + want["set"]] += "title" in want and nfc(result["title"]) == nfc(want["title"])
                right[name]["authors " + want["set"]] += "authors" in want and (
                    names(result["byline"]) == names(", ".join(want["authors"])))
    for name in order:
        precision = statistics.mean(p for p, _, _ in scores[name])
        recall = statistics.mean(r for _, r, _ in scores[name])
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        counted = "".join(f" {right[name]['title ' + k]:>5}/{_count(fields, k, 'title'):<3}"
                          f" {right[name]['authors ' + k]:>6}/{_count(fields, k, 'authors'):<3}" for k in sets)
        print(f"{name:<24} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} {statistics.median(times[name]):>17.1f}"
              f" {_p95(times[name]):>6.1f}{counted}")
    if len(order) == 2:
        ratio = statistics.median(times[order[0]]) / statistics.median(times[order[1]])
        print(f"{order[0]} median time / {order[1]}'s: {ratio:.2f}")
    for name in order[:1] if worst else ():
        print(f"\n{name}: the {worst} pages of lowest recall")
        for p, r, key in sorted(scores[name], key=lambda s: (s[1], s[0]))[:worst]:
            print(f"   recall {r:.3f} precision {p:.3f}  {truth[key]['url']}")


def _count(fields: dict[str, dict[str, Any]], sample: str, field: str) -> int:
    return sum(1 for f in fields.values() if f["set"] == sample and field in f)


def run_vietnamese(shared: Path, extractors: dict[str, Extractor], verbose: bool) -> None:
    folder = shared / "real-pages"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    fields = ("title", "date", "byline", "captions", "body")
    print(f"\n## Real Vietnamese pages: {len(expected)} pages, fields right")
    print(f"{'extractor':<24} " + " ".join(f"{f:>8}" for f in fields) + f" {'total':>7}")
    for name, extract in extractors.items():
        totals = Counter()
        for file, want in sorted(expected.items()):
            result = extract(want["url"], (folder / file).read_bytes())
            scores = vietnamese_scores(result, want)
            totals.update({f: int(ok) for f, ok in scores.items()})
            if verbose:
                misses = [f for f, ok in scores.items() if not ok]
                if misses:
                    print(f"   {name}: {file}: missed {', '.join(misses)}")
        n = len(expected)
        print(f"{name:<24} " + " ".join(f"{totals[f]:>6}/{n}" for f in fields)
              + f" {sum(totals.values()):>4}/{n * len(fields)}")


def run_fixtures(extractors: dict[str, Extractor]) -> None:
    goldens = sorted((ROOT / "tests" / "fixtures").glob("*/pages/*.json"))
    pages = [(json.loads(g.read_text(encoding="utf-8")), g.with_suffix(".html").read_bytes()) for g in goldens]
    print(f"\n## Fixture pages: {len(pages)} pages, speed")
    print(f"{'extractor':<40} {'ms/page (median)':>17} {'p95':>6} {'pages/s':>8}")
    rows: list[tuple[str, list[float]]] = []
    ours_times = []
    for golden, html in pages:
        site = get_site(golden["site"])
        extract_article(golden["url"], html, site)  # warm-up
        start = time.perf_counter()
        extract_article(golden["url"], html, site)
        ours_times.append((time.perf_counter() - start) * 1000)
    rows.append(("page objects (site declarations)", ours_times))
    if "trafilatura" in extractors:
        rows.append(("trafilatura extract + metadata", [timed(extractors["trafilatura"], g["url"], h)[1]
                                                        for g, h in pages]))
    for name, times in rows:
        print(f"{name:<40} {statistics.median(times):>17.2f} {_p95(times):>6.2f} {1000 / statistics.mean(times):>8.0f}")
    if len(rows) == 2:
        print(f"speed-up: {statistics.median(rows[1][1]) / statistics.median(rows[0][1]):.1f}x (median)")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--only", choices=("bench", "vietnamese", "fixtures"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list each miss on the Vietnamese pages")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="list the N benchmark pages where our body recall is lowest")
    args = parser.parse_args(argv)
    extractors: dict[str, Extractor] = {"newsarchive (generic)": ours}
    baseline = trafilatura_extractor()
    if baseline is None:
        print("trafilatura is not installed (pip install -e '.[bench]'): showing our figures alone", file=sys.stderr)
    else:
        extractors[f"trafilatura {baseline.version}"] = baseline  # type: ignore[attr-defined]
    if args.only in (None, "bench"):
        run_benchmark(args.shared, extractors, args.worst)
    if args.only in (None, "vietnamese"):
        run_vietnamese(args.shared, extractors, args.verbose)
    if args.only in (None, "fixtures"):
        run_fixtures({"trafilatura": baseline} if baseline else {})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
