"""The command line: what it prints, and that every bad input is one line on stderr, exit 2, nothing changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
from crawler import archive
from crawler.cli import main
from test_archive import RECORD

SEED_URL = "https://thanhuytphcm.vn/tin-tuc/tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235"
SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "archive.db"
    conn = archive.open_archive(path)
    archive.store_article(conn, RECORD)
    conn.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("newsarchive: error: "), err
    assert "Traceback" not in err
    return err


@pytest.mark.skipif(not (SHARED / "seed" / "README.md").exists(), reason="needs ../shared/seed (CI has it)")
def test_extract_seed_page_gives_the_seed_record(seed_page: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = json.loads((SHARED / "seed" / "README.md").read_text(encoding="utf-8").split("```json")[1].split("```")[0])
    assert main(["extract", "--url", SEED_URL, str(seed_page)]) == 0
    record = json.loads(capsys.readouterr().out)
    for field in ("site", "title", "published_at", "published_precision", "byline", "lead"):
        assert record[field] == seed[field], field
    assert [i["caption"] for i in record["images"]] == [i["caption"] for i in seed["images"]]
    paragraphs = record["body"].split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Năm 2021, công tác giáo dục")
    assert paragraphs[-1].startswith("Dịp này, Ban Tuyên giáo Thành ủy")
    for junk in ("Ý kiến bạn đọc", "Tin khác", "Thông báo", "refresh", "Bích Quyên", *[
            i["caption"] for i in seed["images"]]):
        assert junk not in record["body"]
    assert set(record) >= {"url", "canonical_url", "article_id", "body_html", "published_text", "category", "tags",
                           "fetched_at", "extracted_with"}


def test_query_prints_rows_as_table_csv_and_json(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--db", str(db), "SELECT article_id, title FROM articles"]) == 0
    assert "1491889235" in capsys.readouterr().out
    assert main(["query", "--csv", "--db", str(db), "SELECT article_id, body FROM articles"]) == 0
    assert capsys.readouterr().out.startswith("article_id,body\n1491889235,")
    assert main(["query", "--json", "--db", str(db), "SELECT article_id FROM articles"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"article_id": "1491889235"}]


def test_stats_counts_per_site_and_month(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "thanhuytphcm  2022-01  1" in out and "1 articles" in out


def test_sites_lists_the_declared_sites(capsys: pytest.CaptureFixture[str]) -> None:
    from crawler.sites import all_sites

    assert main(["sites"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(all_sites())
    assert all("not yet checked on a live page" in line for line in lines)


def test_help_has_an_example_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("crawl", "sites", "extract", "query", "stats", "runs", "search", "export", "browse", "reparse",
                    "capture", "check-site", "backfill"):
        assert main([command, "--help"]) == 0
        assert "Example:" in capsys.readouterr().out, command


def test_sql_that_writes_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(db)
    for sql in ("DELETE FROM articles", "DROP TABLE articles", "UPDATE articles SET title = 'x'",
                "INSERT INTO crawl_runs (status) VALUES ('x')"):
        assert main(["query", "--db", str(db), sql]) == 2
        assert "refused" in one_line_error(capsys)
    assert digest(db) == before


def test_db_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    for args in (["query", "--db", str(notes), "SELECT 1"], ["stats", "--db", str(notes)],
                 ["crawl", "--db", str(notes), "--replay", str(SAMPLE)]):
        assert main(args) == 2
        assert "not an SQLite database" in one_line_error(capsys)
    assert notes.read_text() == "not a database\n"


def test_unreadable_warc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"not a warc")
    db = tmp_path / "a.db"
    assert main(["crawl", "--replay", str(bad), "--db", str(db)]) == 2
    assert "cannot read" in one_line_error(capsys)
    assert not db.exists()


def test_unknown_site(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(db)
    assert main(["crawl", "--site", "nosuchsite", "--db", str(db)]) == 2
    assert "unknown site 'nosuchsite'" in one_line_error(capsys)
    assert main(["extract", "--site", "nosuchsite", "--url", SEED_URL, str(db)]) == 2
    one_line_error(capsys)
    assert digest(db) == before


def test_missing_archive_and_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--db", str(tmp_path / "none.db")]) == 2
    assert "no archive" in one_line_error(capsys)
    assert not (tmp_path / "none.db").exists()
    assert main(["crawl", "--no-such-option"]) == 2
    one_line_error(capsys)
    assert main(["extract", "--url", SEED_URL, str(tmp_path / "missing.html")]) == 2
    one_line_error(capsys)


def test_python_dash_m_crawler_is_the_same_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "crawler", "sites"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and "thanhuytphcm" in result.stdout


def test_read_only_commands_do_not_import_scrapy(db: Path) -> None:
    import subprocess
    import sys

    code = ("import sys; from crawler.cli import main; "
            f"[main(a) for a in (['stats', '--db', {str(db)!r}], ['query', '--db', {str(db)!r}, 'SELECT 1'], "
            "['sites'])]; print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_corrupt_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "corrupt.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = digest(bad)
    for args in (["stats", "--db", str(bad)], ["query", "--db", str(bad), "SELECT 1 FROM articles"],
                 ["search", "--db", str(bad), "dang"], ["export", "--db", str(bad)], ["runs", "--db", str(bad)],
                 ["crawl", "--db", str(bad), "--replay", str(SAMPLE)]):
        assert main(args) == 2, args
        one_line_error(capsys)
    assert digest(bad) == before


def test_unwritable_output_and_bad_dates(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "no" / "such" / "dir" / "a.csv")]) == 2
    assert "cannot write" in one_line_error(capsys)
    for args in (["export", "--db", str(db), "--since", "2022-13-45"], ["search", "--db", str(db), "x", "--until",
                 "hôm qua"], ["crawl", "--db", str(db), "--since", "yesterday"]):
        assert main(args) == 2, args
        assert "Invalid value" in one_line_error(capsys)


def test_options_are_bound_parameters_not_sql(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(db)
    assert main(["export", "--db", str(db), "--format", "jsonl", "--site", "x' OR '1'='1"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["search", "--db", str(db), "dang", "--site", "'; DROP TABLE articles; --"]) == 0
    assert digest(db) == before


def test_a_bad_set_option_is_one_line_exit_2_and_no_archive(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "a.db"
    for bad in ("DOWNLOAD_DELAY", "=2"):
        assert main(["crawl", "--replay", str(SAMPLE), "--db", str(db), "-s", bad]) == 2
        assert "--set takes NAME=VALUE" in one_line_error(capsys)
    assert not db.exists()


def test_crawl_settings_put_the_overrides_last() -> None:
    from datetime import date

    from crawler.crawl.run import crawl_settings

    settings = crawl_settings(since=date(2024, 1, 2), no_warc=True, overrides=["WARC_CAPTURE=1", " X =a=b"])
    assert settings["NEWSARCHIVE_SINCE"] == "2024-01-02"
    assert settings["WARC_CAPTURE"] == "1" and settings["X"] == "a=b"
    with pytest.raises(ValueError, match="NAME=VALUE"):
        crawl_settings(overrides=["NOVALUE"])


@pytest.mark.parametrize("error, status, message", [
    (sqlite3.DatabaseError("database disk image is malformed"), 2, "the archive cannot be read: database disk"),
    (sqlite3.OperationalError("database or disk is full"), 1, "cannot write the archive: database or disk is full"),
])
def test_an_sqlite_error_a_command_lets_through_is_one_line(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str], error: Exception,
                                                           status: int, message: str) -> None:
    """What the library does not turn into its own errors, the CLI's main does (crawler.archive.errors)."""
    import crawler.cli.reading

    def fail(*_args: object) -> None:
        raise error

    monkeypatch.setattr(crawler.cli.reading, "archive_stats", fail)
    assert main(["stats", "--db", str(db)]) == status
    assert message in one_line_error(capsys)


def test_the_cli_holds_no_sql_and_no_sqlite3() -> None:
    for path in (ROOT / "crawler" / "cli").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "sqlite3" not in text, path
        assert "execute(" not in text and "open_readonly" not in text, path
