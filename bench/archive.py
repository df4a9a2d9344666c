"""The archive at scale: insert rate through the storage path, search time, export speed and memory.

    .venv/bin/python bench/archive.py [--articles 200000]

Builds an archive of synthetic articles (Vietnamese-like text from a fixed vocabulary, 3 photos every other article)
through `archive.store_article`, the one writer every crawl uses (fingerprint, copy check with the fingerprints of
recent days held in memory, revisions, search index, one transaction per article); then times 20 searches (median) and exports the whole archive to CSV in a child
process, printing its rows per second and peak memory next to an export of a tenth of the rows: streaming memory
must not grow with the row count.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import archive  # noqa: E402
from crawler.archive.search import search  # noqa: E402

PHRASES = ("Đảng ủy phường", "quận", "thành phố", "tổ chức hội nghị", "triển khai nghị quyết", "công tác xây dựng Đảng",
           "chính quyền", "nhân dân", "cán bộ đảng viên", "chi bộ", "học tập và làm theo tư tưởng đạo đức phong cách",
           "Hồ Chí Minh", "chuyển đổi số", "kinh tế xã hội", "an sinh", "thanh niên", "cựu chiến binh",
           "mặt trận tổ quốc", "giáo dục lý luận chính trị", "báo cáo kết quả", "nhiệm vụ", "giải pháp", "năm",
           "thi đua khen thưởng", "đại hội nhiệm kỳ", "kiểm tra giám sát", "dân vận khéo")
#: Common words of news text, and rarer syllables drawn with a long tail: a query matches some articles, not all.
COMMON = "và của các trong cho đã được với những này là có một đến tại về từ theo để khi cũng".split()
SYLLABLES = [a + b for a in ("b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "ph", "q", "r", "s", "t", "th", "tr",
                             "v", "x", "ng", "nh", "ch", "kh", "gi")
             for b in ("a", "à", "ả", "ã", "á", "ạ", "ăn", "ân", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "anh",
                       "ương", "iêng", "uôn", "oan", "ơi", "ưng", "ông", "ít")]
QUERIES = ("dang uy", "chuyen doi so", "\"giao duc ly luan\"", "cuu chien binh", "thi dua khen thuong", "Đảng ủy",
           "TP.HCM", "an sinh", "dai hoi nhiem ky", "kiem tra giam sat")
SITES = ("thanhuytphcm", "dangcongsan", "tapchicongsan", "tuyengiao", "bacgiang", "quangninh")


def synthetic(i: int, rng: random.Random) -> dict:
    def sentence(n: int) -> str:
        words = []
        while len(words) < n:
            roll = rng.random()
            if roll < 0.08:
                words.extend(rng.choice(PHRASES).split())
            elif roll < 0.5:
                words.append(rng.choice(COMMON))
            else:
                words.append(SYLLABLES[min(int(rng.paretovariate(1.1)) - 1, len(SYLLABLES) - 1)
                                       if rng.random() < 0.5 else rng.randrange(len(SYLLABLES))])
        return " ".join(words).capitalize() + "."

    published = datetime(2015, 1, 1) + timedelta(minutes=37 * i)
    return {
        "site": SITES[i % len(SITES)], "article_id": str(1_000_000 + i), "url": f"https://example.vn/a-{i}",
        "canonical_url": f"https://example.vn/a-{i}", "title": sentence(12), "lead": sentence(30),
        "body": "\n\n".join(" ".join(sentence(rng.randint(12, 25)) for _ in range(3)) for _ in range(5)),
        "body_html": "", "byline": f"Phóng viên {i % 500}", "published_at": published.isoformat() + "+07:00",
        "published_precision": "minute", "published_text": "", "category": None, "tags": [],
        "images": [{"url": f"https://example.vn/{i}-{k}.jpg", "caption": sentence(10), "credit": None}
                   for k in range(3 if i % 2 else 0)],
        "fetched_at": "2026-11-26T10:00:00+07:00", "extracted_with": {"title": "site"},
    }


def build(path: Path, n: int) -> float:
    db = archive.open_archive(path)
    rng = random.Random(7)
    candidates = archive.CopyCandidates()  # as the crawl's store pipeline and the fleet's writer hold them
    start = time.perf_counter()
    for i in range(n):
        archive.store_article(db, synthetic(i, rng), candidates=candidates)
        if (i + 1) % 20000 == 0:
            print(f"  {i + 1} stored, {(i + 1) / (time.perf_counter() - start):.0f} articles/s", file=sys.stderr)
    elapsed = time.perf_counter() - start
    db.close()
    return n / elapsed


def export_run(db: Path, out: Path, until: str | None) -> tuple[float, int, float]:
    """(rows per second, rows, peak MiB of the exporting process)."""
    code = (
        "import resource, sys, time; from crawler.cli import main; t = time.perf_counter(); "
        f"args = ['export', '--db', {str(db)!r}, '-o', {str(out)!r}, '--force']"
        + (f" + ['--until', {until!r}]" if until else "")
        + "; rc = main(args); dt = time.perf_counter() - t; "
        "print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, peak = map(float, result.stdout.split())
    with out.open(encoding="utf-8", newline="") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    return rows / seconds, rows, peak


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        rate = build(db, args.articles)
        conn = archive.open_readonly(db)
        times = []
        for query in QUERIES * 2:
            start = time.perf_counter()
            search(conn, query, limit=20)
            times.append((time.perf_counter() - start) * 1000)
        conn.close()
        last_day = (datetime(2015, 1, 1) + timedelta(minutes=37 * (args.articles // 10))).date().isoformat()
        small = export_run(db, Path(tmp) / "small.csv", last_day)
        full = export_run(db, Path(tmp) / "full.csv", None)
        size = db.stat().st_size / 2**20
        conn = archive.open_readonly(db)
        copies = conn.execute("SELECT count(*) FROM copies").fetchone()[0]
        conn.close()
    print(f"Archive of {args.articles} synthetic articles ({size:.0f} MiB, {copies} stored as copies), one process, "
          f"Python {sys.version.split()[0]}")
    print(f"{'measure':<44} {'value':>12}")
    print(f"{'insert rate through archive.store_article':<44} {rate:>9.0f} /s")
    print(f"{'search, median of 20 queries (limit 20)':<44} {statistics.median(times):>9.1f} ms")
    print(f"{'search, slowest query':<44} {max(times):>9.1f} ms")
    for label, (speed, rows, peak) in (("export CSV, a tenth", small), ("export CSV, all", full)):
        print(f"{label + f' ({rows} rows), rows/s':<44} {speed:>9.0f} /s")
        print(f"{label + ', peak memory of the process':<44} {peak:>8.0f} MiB")


if __name__ == "__main__":
    main()
