"""Export: CSV and JSON Lines that researchers open in pandas, R or Excel with every row and Vietnamese text intact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import golden_pages, load_golden
from crawler import archive
from crawler.cli import main

GOLDENS = [load_golden(p) for p in golden_pages()]
#: Rows stored besides the goldens: one with text that CSV must quote, and one of another site under the same
#: article id as GOLDENS[0] (two NukeViet portals share ids: the archive's key is (site, article_id)).
EXTRA_ROWS = 2
TWIN_SITE = next(key for key in ("dongthap", "bacgiang") if key != GOLDENS[0]["site"])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "archive.db"
    conn = archive.open_archive(path)
    for golden in GOLDENS:
        archive.store_article(conn, golden)
    tricky = dict(GOLDENS[0], article_id="tricky", title='Tiêu đề có "ngoặc kép", dấu phẩy; và\nxuống dòng',
                  body='Đoạn một có "trích dẫn".\n\nĐoạn hai, với dấu phẩy.', published_at="2019-01-01T00:00:00+07:00")
    archive.store_article(conn, tricky)
    twin = dict(GOLDENS[0], site=TWIN_SITE, url=GOLDENS[0]["url"].replace(GOLDENS[0]["site"], TWIN_SITE),
                canonical_url=None, title="Một bài khác cùng mã số", lead="Mã số trùng, trang khác.",
                body="Bài này của một cổng khác, chỉ trùng mã số với bài kia.", images=[])
    assert archive.store_article(conn, twin) == "new"
    conn.close()
    return path


def export(db: Path, *args: str, capsys: pytest.CaptureFixture[str] | None = None) -> int:
    return main(["export", "--db", str(db), *args])


def test_csv_round_trips_through_pandas_and_csv(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    assert export(db, "-o", str(out)) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(frame) == len(GOLDENS) + EXTRA_ROWS
    by_key = {(row["site"], row["article_id"]): row for _, row in frame.iterrows()}
    assert len(by_key) == len(frame)
    for golden in GOLDENS:
        row = by_key[golden["site"], golden["article_id"]]
        assert (row["title"], row["body"], row["published_at"]) == (golden["title"], golden["body"],
                                                                     golden["published_at"])
        assert json.loads(row["images"]) == golden["images"]
    assert by_key[GOLDENS[0]["site"], "tricky"]["title"] == 'Tiêu đề có "ngoặc kép", dấu phẩy; và\nxuống dòng'
    with out.open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == len(GOLDENS) + EXTRA_ROWS


def test_jsonl_round_trips_through_pandas(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert export(db, "--format", "jsonl", "-o", str(out)) == 0
    frame = pd.read_json(out, lines=True, dtype=False)
    assert len(frame) == len(GOLDENS) + EXTRA_ROWS
    (seed,) = (row for _, row in frame.iterrows()
               if (row["site"], row["article_id"]) == ("thanhuytphcm", "1491889235"))
    assert seed["byline"] == "Bích Quyên" and [i["caption"] for i in seed["images"]][0].startswith("Thành ủy viên")


def test_excel_csv_has_a_byte_order_mark(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    assert export(db, "--excel", "-o", str(out)) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,site,")
    assert len(pd.read_csv(out, encoding="utf-8-sig", dtype=str)) == len(GOLDENS) + EXTRA_ROWS


def test_filters_and_separate_images_table(db: Path, tmp_path: Path) -> None:
    out, photos = tmp_path / "a.csv", tmp_path / "photos.csv"
    assert export(db, "--site", "thanhuytphcm", "--since", "2022-01-01", "--until", "2022-01-31",
                  "--images", str(photos), "-o", str(out)) == 0
    frame = pd.read_csv(out, dtype=str)
    assert "images" not in frame.columns
    expected = [g for g in GOLDENS if g["site"] == "thanhuytphcm" and "2022-01-01" <= g["published_at"] < "2022-02"]
    assert sorted(zip(frame["site"], frame["article_id"])) == sorted((g["site"], g["article_id"]) for g in expected)
    images = pd.read_csv(photos, dtype=str)
    assert len(images) == sum(len(g["images"]) for g in expected)
    assert set(images["article"]) <= set(frame["id"])


def test_search_filter(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(db, "--format", "jsonl", "--search", '"giao duc ly luan chinh tri"') == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all("giáo dục lý luận chính trị" in (r["title"] + r["lead"] + r["body"]).lower() for r in rows)


def test_writing_over_a_file_needs_force(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "keep.csv"
    out.write_text("precious")
    assert export(db, "-o", str(out)) == 2
    assert "exists" in capsys.readouterr().err and out.read_text() == "precious"
    assert export(db, "-o", str(out), "--force") == 0
    assert out.read_text(encoding="utf-8").startswith("id,site,")


def test_stdout_when_no_file(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export(db, "--site", "bacgiang") == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert set(frame["site"]) == {"bacgiang"}
