"""Search: accent- and đ-insensitive, never an FTS syntax error, kept in step with the articles table."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import golden_pages, load_golden
from crawler import archive
from crawler.cli import main
from crawler.archive.search import fold, parse_query, search


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search") / "archive.db"
    conn = archive.open_archive(path)
    for golden in golden_pages():
        archive.store_article(conn, load_golden(golden))
    conn.close()
    return path


def titles(db: Path, query: str, **kw) -> list[str]:
    conn = archive.open_readonly(db)
    try:
        return [h.title for h in search(conn, query, limit=100, **kw)]
    finally:
        conn.close()


def test_fold_keeps_one_character_per_character() -> None:
    text = "Đảng ủy Thành uỷ TP.HCM"
    assert fold(text) == "dang uy thanh uy tp.hcm" and len(fold(text)) == len(text)


@pytest.mark.parametrize("query", ["dang uy", "Đảng ủy", "ĐẢNG ỦY", "đang uy", "dang ủy"])
def test_every_spelling_of_dang_uy_finds_the_same_articles(db: Path, query: str) -> None:
    found = titles(db, query)
    assert "Đảng ủy phường 12, Quận Tân Bình trao túi an sinh cho hộ khó khăn" in found
    assert found == titles(db, "dang uy")


def test_both_tone_placements_of_uy_are_found(db: Path) -> None:
    conn = archive.open_archive(db)
    uy_old = dict(load_golden(golden_pages()[0]), article_id="x1", title="Thành uỷ tổ chức hội nghị cán bộ chủ chốt",
                  body="Văn bản viết theo kiểu cũ: Thành uỷ, Quận uỷ.", published_at="2020-01-01T00:00:00+07:00")
    archive.store_article(conn, uy_old)
    conn.close()
    found = titles(db, "thanh uy")
    assert "Thành uỷ tổ chức hội nghị cán bộ chủ chốt" in found
    assert any("Thành ủy" in t for t in found) or len(found) > 1


@pytest.mark.parametrize("query", ['TP.HCM', "Covid-19", '"unbalanced', 'a "b', "NEAR(", "dang AND", "OR",
                                   "-", ":", "*", "(", "title:dang", '"" ""', "💡", "'"])
def test_raw_user_input_never_errors(db: Path, query: str) -> None:
    titles(db, query)


def test_phrases_and_filters(db: Path) -> None:
    assert titles(db, '"giáo dục lý luận chính trị"', sites=("thanhuytphcm",))
    assert titles(db, "covid-19") == titles(db, "Covid-19") != []
    assert titles(db, "dang uy", since="2030-01-01") == []
    dated = titles(db, "dang uy", until="2021-12-31")
    assert dated and len(dated) < len(titles(db, "dang uy"))


def test_parse_query_quotes_and_punctuation() -> None:
    assert parse_query('TP.HCM "Ban Tuyên giáo" Covid-19 "lẻ') == [["tp", "hcm"], ["ban", "tuyen", "giao"],
                                                                    ["covid", "19"], ["le"]]


def test_index_follows_updates_and_deletes(tmp_path: Path) -> None:
    conn = archive.open_archive(tmp_path / "a.db")
    record = load_golden(golden_pages()[0])
    archive.store_article(conn, record)
    archive.store_article(conn, dict(record, title="Tiêu đề mới về chuyển đổi số"))
    conn.close()
    assert titles(tmp_path / "a.db", "chuyen doi so") == ["Tiêu đề mới về chuyển đổi số"]
    conn = archive.open_archive(tmp_path / "a.db")
    for table in ("images", "revisions", "articles"):
        conn.execute(f"DELETE FROM {table}")
    conn.close()
    assert titles(tmp_path / "a.db", "chuyen doi so") == []


def test_search_command_prints_ranked_hits_with_snippets(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--db", str(db), "--limit", "3", "giao duc ly luan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. ") and "«giáo» «dục» «lý» «luận»" in out
    assert main(["search", "--db", str(db), "zzzxxyy"]) == 0
    assert "No article matches" in capsys.readouterr().err


def test_common_words_rank_only_the_newest_matches(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crawler.archive.search

    conn = archive.open_readonly(db)
    try:
        everything = [h.id for h in search(conn, "dang uy", limit=1000)]
        monkeypatch.setattr(crawler.archive.search, "RANK_AT_MOST", 3)
        newest = [h.id for h in search(conn, "dang uy", limit=1000)]
    finally:
        conn.close()
    assert len(everything) > 3 and sorted(newest) == sorted(everything)[-3:]


def test_index_folding_agrees_with_query_folding() -> None:
    from crawler.archive.search import fold_for_index

    for golden in golden_pages():
        record = load_golden(golden)
        text = " ".join(str(record.get(k) or "") for k in ("title", "lead", "body", "byline"))
        assert fold_for_index(text) == fold(text)
